"""Hashes written by other tools are identifiers, not errors: incoming files are matched by text,
given this project's hashes, and keep the originals in meta.foreign_hashes."""
import subprocess
import sys

import pytest
import srsly

from geoner.data.hashing import adopt_hashes, hash_scheme, input_hash, task_hash
from geoner.data.jsonl import iter_lines
from geoner.data.validate import validate_files
from geoner.loop.merge import latest_answers, merge, merge_files, read_reviewed
from helpers import task
from conftest import FIXTURES

DB_OUT = FIXTURES / "prodigy_db_out.jsonl"  # hand-written in Prodigy's db-out form, Prodigy-style hashes


def exported():
    return [t for _, t in iter_lines(DB_OUT)]


def test_prodigy_export_hashes_are_not_the_projects():
    # Guards the fixture: were these our own hashes, the tests below would prove nothing.
    for t in exported():
        assert t["_input_hash"] != input_hash(t["text"])
        assert hash_scheme(t) == "foreign"


def test_adopt_hashes_rederives_and_keeps_the_originals_in_meta():
    original = exported()[0]
    adopted = adopt_hashes(original)
    assert adopted["_input_hash"] == input_hash(original["text"])
    assert adopted["_task_hash"] == task_hash(adopted["_input_hash"], original["spans"])
    assert adopted["meta"]["foreign_hashes"] == {"_input_hash": original["_input_hash"],
                                                 "_task_hash": original["_task_hash"]}
    assert adopted["meta"]["source"] == original["meta"]["source"]
    assert "foreign_hashes" not in original["meta"]  # the caller's task is not changed


def test_adopt_hashes_leaves_a_project_task_alone():
    own = task("NATO leaders met in Vilnius.", [("NATO", "BLOC")])
    assert adopt_hashes(own) is own


def test_strict_validation_refuses_foreign_hashes_and_incoming_accepts_them():
    strict, _ = validate_files([DB_OUT])
    assert any("_input_hash" in p and "does not match the text" in p for p in strict)
    schemes = {}
    problems, counts = validate_files([DB_OUT], incoming=True, schemes=schemes)
    assert problems == [] and counts["tasks"] == 5
    assert schemes[str(DB_OUT)] == ("foreign", {"foreign": 5})


def test_validate_names_the_scheme_of_each_file(tmp_path):
    own = tmp_path / "own.jsonl"
    srsly.write_jsonl(own, [task("NATO leaders met in Vilnius.", [("NATO", "BLOC")])])
    mixed = tmp_path / "mixed.jsonl"
    srsly.write_jsonl(mixed, [task("EU envoys met.", [("EU", "BLOC")]), exported()[1]])
    bare = tmp_path / "bare.jsonl"
    srsly.write_jsonl(bare, [{"text": "No hashes here."}])
    run = subprocess.run([sys.executable, "-m", "geoner", "validate", "--incoming", str(own), str(DB_OUT),
                          str(mixed), str(bare)], capture_output=True, text=True)
    lines = run.stdout.splitlines()
    assert f"{own}: hashes: project (1 project tasks)" in lines[0]
    assert f"{DB_OUT}: hashes: foreign (5 foreign tasks)" in lines[1]
    assert f"{mixed}: hashes: mixed (1 foreign, 1 project tasks)" in lines[2]
    assert f"{bare}: hashes: none (1 none tasks)" in lines[3]
    assert run.returncode == 1  # the bare record lacks every other field too


def test_real_prodigy_export_merges_with_nothing_lost(tmp_path):
    target, conflicts = tmp_path / "reviewed.jsonl", tmp_path / "conflicts.jsonl"
    counts = merge_files([DB_OUT], target, conflicts=conflicts)
    assert (counts["added"], counts["rejected"], counts["ignored"], counts["conflicts"]) == (2, 1, 1, 0)
    assert counts["reviewed"] == 5  # both annotators' agreeing G7 answers make one task
    assert counts["foreign_hashes"] == 5
    merged = {t["text"]: t for _, t in iter_lines(target)}
    by_text = {}
    for t in exported():
        if t["answer"] == "accept":
            by_text.setdefault(t["text"], t)  # merge keeps the first of agreeing versions
    assert set(merged) == set(by_text)
    for text, t in merged.items():
        original = by_text[text]
        # The annotator's spans, edited one included ("Kallas" was widened to "Kaja Kallas").
        assert [(s["start"], s["end"], s["label"]) for s in t["spans"]] == \
               [(s["start"], s["end"], s["label"]) for s in original["spans"]]
        assert t["meta"]["foreign_hashes"] == {"_input_hash": original["_input_hash"],
                                               "_task_hash": original["_task_hash"]}
        assert t["_annotator_id"] == original["_annotator_id"] and t["_timestamp"] == original["_timestamp"]
    assert merged["Kaja Kallas met Marco Rubio in Brussels before the NATO summit."]["spans"][0]["end"] == 11
    schemes = {}
    assert validate_files([target], schemes=schemes)[0] == []  # the written file is strict-valid
    assert schemes[str(target)][0] == "project"
    assert not conflicts.exists() or list(iter_lines(conflicts)) == []


def test_merging_the_same_export_twice_changes_nothing(tmp_path):
    target, conflicts = tmp_path / "reviewed.jsonl", tmp_path / "conflicts.jsonl"
    merge_files([DB_OUT], target, conflicts=conflicts)
    before = target.read_bytes()
    counts = merge_files([DB_OUT], target, conflicts=conflicts)
    assert counts["added"] == 0 and counts["unchanged"] == 2
    assert target.read_bytes() == before


def test_foreign_task_is_matched_to_the_corpus_by_text():
    own = task("EU envoys met in Brussels.", [("EU", "BLOC")])
    foreign = dict(own, _input_hash=123456789, _task_hash=-42)
    incoming = [("x.jsonl:1", adopt_hashes(foreign))]
    new, conflicts, counts = merge([own], {}, incoming)
    assert counts["unchanged"] == 1 and new == [own] and conflicts == []


def test_later_answer_of_an_annotator_supersedes_and_undo_withdraws(tmp_path):
    a = task("EU envoys met in Brussels.", [("EU", "BLOC")])
    b = task("NATO leaders met.", [("NATO", "BLOC")])
    first = dict(a, _annotator_id="alice", spans=[])
    first = dict(first, _task_hash=task_hash(first["_input_hash"], []))
    second = dict(a, _annotator_id="alice")
    answered = dict(b, _annotator_id="alice")
    undone = dict(b, _annotator_id="alice", answer="undo")
    path = tmp_path / "alice.jsonl"
    srsly.write_jsonl(path, [first, answered, second, undone])
    kept, counts = latest_answers(read_reviewed([path]))
    assert [t["spans"] for _, t in kept] == [a["spans"]]
    assert counts == {"superseded": 2, "withdrawn": 1}


def test_undo_without_an_annotator_is_refused(tmp_path):
    path = tmp_path / "hand.jsonl"
    srsly.write_jsonl(path, [dict(task("EU envoys met.", [("EU", "BLOC")]), answer="undo")])
    with pytest.raises(Exception) as err:
        read_reviewed([path])
    assert f"{path}:1: an 'undo' answer needs the _annotator_id" in str(err.value)
