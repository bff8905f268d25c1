import subprocess
import sys

import pytest
import srsly

from geoner import DataError, ValidationFailed
from geoner.data.jsonl import iter_lines
from geoner.loop.merge import merge, merge_files, read_reviewed, reviewed_files
from helpers import task
from conftest import FIXTURES, ROOT

A = "Kallas met Rubio in Brussels."
B = "NATO leaders met in The Hague."
C = "The G7 price cap took effect."


def reviewed(*tasks):
    return [(f"r.jsonl:{i + 1}", t) for i, t in enumerate(tasks)]


def test_merge_adds_new_accepts_and_counts_rejects_and_ignores():
    new, conflicts, counts = merge([], {}, reviewed(
        task(A, [("Kallas", "OFFICIAL"), ("Rubio", "OFFICIAL")]),
        task(B, [("NATO", "BLOC")], answer="reject"),
        task(C, [("G7 price cap", "SANCTION")], answer="ignore")))
    assert [t["text"] for t in new] == [A]
    assert counts == {"added": 1, "updated": 0, "unchanged": 0, "conflicts": 0, "rejected": 1, "ignored": 1}
    assert conflicts == []


def test_merge_writes_disagreeing_reviews_to_conflicts_and_keeps_corpus():
    corpus = [task(A, [("Kallas", "OFFICIAL")])]
    one = task(A, [("Kallas", "OFFICIAL"), ("Rubio", "OFFICIAL")])
    two = task(A, [("Rubio", "OFFICIAL")])
    new, conflicts, counts = merge(corpus, {}, reviewed(one, two))
    assert new == corpus
    assert counts["conflicts"] == 1
    assert conflicts[0]["reason"] == "reviewed versions disagree"
    assert len(conflicts[0]["versions"]) == 2 and conflicts[0]["corpus_version"] == corpus[0]


def test_merge_never_overwrites_a_corpus_entry_without_update():
    corpus = [task(A, [("Kallas", "OFFICIAL")])]
    fixed = task(A, [("Kallas", "OFFICIAL"), ("Rubio", "OFFICIAL")])
    new, conflicts, counts = merge(corpus, {}, reviewed(fixed))
    assert new == corpus and counts["conflicts"] == 1
    new, conflicts, counts = merge(corpus, {}, reviewed(fixed), update=True)
    assert new[0]["spans"] == fixed["spans"] and counts["updated"] == 1
    assert conflicts[0]["corpus_version"] == corpus[0]  # the replaced version is kept


def test_merge_deduplicates_identical_reviews_and_known_texts():
    other = task(B, [("NATO", "BLOC")])
    new, _, counts = merge([], {other["_input_hash"]: other}, reviewed(
        task(A, [("Kallas", "OFFICIAL")]), task(A, [("Kallas", "OFFICIAL")]), task(B, [("NATO", "BLOC")])))
    assert len(new) == 1 and counts["added"] == 1 and counts["unchanged"] == 1


def test_merge_accepts_prodigy_task_hash_of_the_question():
    # Prodigy keeps the pre-annotation's _task_hash after a human edits the spans.
    suggested = task(A, [("Kallas", "OFFICIAL")])
    edited = dict(suggested, spans=task(A, [("Kallas", "OFFICIAL"), ("Rubio", "OFFICIAL")])["spans"])
    new, _, _ = merge([], {}, reviewed(edited))
    assert new[0]["_task_hash"] != suggested["_task_hash"]


@pytest.mark.parametrize("name,reason", [
    ("bad_truncated.jsonl", "not valid JSON"),
    ("bad_misaligned.jsonl", "does not align with tokens"),
    ("bad_unknown_label.jsonl", "unknown label"),
    ("bad_missing_hash.jsonl", "task lacks required field '_input_hash'"),
    ("bad_not_utf8.jsonl", "not valid UTF-8"),
])
def test_merge_cli_refuses_bad_input_and_leaves_corpus_untouched(tmp_path, name, reason):
    target = tmp_path / "reviewed.jsonl"
    srsly.write_jsonl(target, [task(A, [("Kallas", "OFFICIAL")])])
    before = target.read_bytes()
    run = subprocess.run([sys.executable, "-m", "geoner", "merge", str(FIXTURES / name),
                          "--target", str(target), "--conflicts", str(tmp_path / "conflicts.jsonl")],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert f"{FIXTURES / name}:2: " in run.stderr and reason in run.stderr
    assert target.read_bytes() == before
    assert not (tmp_path / "conflicts.jsonl").exists()


def test_read_reviewed_collects_every_problem(tmp_path):
    with pytest.raises(ValidationFailed) as err:
        read_reviewed([FIXTURES / "bad_unknown_label.jsonl", FIXTURES / "bad_overlap.jsonl"])
    assert len(err.value.problems) == 2


def test_merge_cli_loses_nothing(tmp_path):
    target, conflicts = tmp_path / "reviewed.jsonl", tmp_path / "conflicts.jsonl"
    srsly.write_jsonl(target, [task(C, [("G7 price cap", "SANCTION")])])
    incoming = [task(A, [("Kallas", "OFFICIAL")]), task(A, [("Rubio", "OFFICIAL")]),
                task(B, [("NATO", "BLOC")], answer="reject"), task(C, [])]
    srsly.write_jsonl(tmp_path / "in.jsonl", incoming)
    run = subprocess.run([sys.executable, "-m", "geoner", "merge", str(tmp_path / "in.jsonl"),
                          "--target", str(target), "--conflicts", str(conflicts)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    kept = {t["_input_hash"] for _, t in iter_lines(target)}
    parked = {c["_input_hash"] for _, c in iter_lines(conflicts)}
    assert "rejected 1" in run.stdout
    for t in incoming:
        assert t["answer"] == "reject" or t["_input_hash"] in kept | parked


def _review_folder(tmp_path):
    done = tmp_path / "done"
    done.mkdir()
    srsly.write_jsonl(done / "a.jsonl", [task(A, [("Kallas", "OFFICIAL")]), task(B, [("NATO", "BLOC")])])
    srsly.write_jsonl(done / "b.jsonl", [task(A, [("Rubio", "OFFICIAL")])])
    return done


def test_merging_the_same_folder_twice_records_each_conflict_once(tmp_path):
    done, target, conflicts = _review_folder(tmp_path), tmp_path / "reviewed.jsonl", tmp_path / "conflicts.jsonl"
    first = merge_files([done], target, conflicts=conflicts)
    second = merge_files([done], target, conflicts=conflicts)
    assert (first["conflicts_written"], second["conflicts_written"]) == (1, 0)
    assert len(list(iter_lines(conflicts))) == 1
    assert [t["text"] for _, t in iter_lines(target)] == [B]


def test_a_conflicts_path_that_is_a_folder_fails_before_the_target_changes(tmp_path):
    done, target = _review_folder(tmp_path), tmp_path / "reviewed.jsonl"
    srsly.write_jsonl(target, [task(C, [("G7 price cap", "SANCTION")])])
    before = target.read_bytes()
    (tmp_path / "conflicts").mkdir()
    with pytest.raises(DataError, match="conflicts:0: is a folder"):
        merge_files([done], target, conflicts=tmp_path / "conflicts")
    assert target.read_bytes() == before


def test_a_failing_conflicts_write_leaves_the_target_unchanged(tmp_path, monkeypatch):
    done, target, conflicts = _review_folder(tmp_path), tmp_path / "reviewed.jsonl", tmp_path / "conflicts.jsonl"
    srsly.write_jsonl(target, [task(C, [("G7 price cap", "SANCTION")])])
    before = target.read_bytes()
    real = srsly.write_jsonl

    def fail_on_conflicts(path, records):
        if ".conflicts.jsonl." in str(path):
            raise OSError(28, "No space left on device", str(path))
        real(path, records)

    monkeypatch.setattr(srsly, "write_jsonl", fail_on_conflicts)
    with pytest.raises(OSError):
        merge_files([done], target, conflicts=conflicts)
    assert target.read_bytes() == before and not conflicts.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["done", "reviewed.jsonl"]


def test_reviewed_files_refuses_a_json_export_in_the_folder(tmp_path):
    done = _review_folder(tmp_path)
    (done / "export.json").write_text("[]", encoding="utf-8")
    with pytest.raises(DataError, match=r"export.json:1: a .json file in a review folder is not read"):
        reviewed_files([done])
