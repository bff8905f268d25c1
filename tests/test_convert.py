from pathlib import Path

import pytest
import srsly
from spacy.tokens import DocBin
from spacy.vocab import Vocab

from geoner import ValidationFailed
from geoner.data.corpus import label_counts, load_corpus, split_corpus, tasks_to_docbin, write_splits
from geoner.data.split import near_duplicate_groups, split_tasks
from geoner.data.tasks import task_to_doc
from geoner.data.validate import check_task
from helpers import task


def test_task_to_doc_sets_gold_entities_on_task_tokens():
    t = task("The EU's 14th sanctions package hit Moscow.", [("EU", "BLOC"), ("14th sanctions package", "SANCTION")])
    doc = task_to_doc(Vocab(), t)
    assert doc.text == t["text"]
    assert [(e.text, e.label_) for e in doc.ents] == [("EU", "BLOC"), ("14th sanctions package", "SANCTION")]


def test_task_to_doc_raises_for_a_span_that_cannot_be_placed():
    t = task("NATO met.", [("NATO", "BLOC")])
    t["spans"][0]["end"] = 2
    with pytest.raises(ValueError, match="cannot be placed"):
        task_to_doc(Vocab(), t)


def test_tasks_to_docbin_names_the_jsonl_line_of_every_unplaceable_span():
    good = task("NATO met.", [("NATO", "BLOC")])
    bad = [task("G7 met.", [("G7", "BLOC")]), task("BRICS met.", [("BRICS", "BLOC")])]
    for t in bad:
        t["spans"][0]["start"] = 1
    places = {bad[0]["_input_hash"]: "c.jsonl:4", bad[1]["_input_hash"]: "c.jsonl:9"}
    with pytest.raises(ValidationFailed) as err:
        tasks_to_docbin([good, *bad], places=places)
    assert [p.split(": ")[0] for p in err.value.problems] == ["c.jsonl:4", "c.jsonl:9"]


def test_tokens_of_a_text_with_odd_whitespace_validate_and_convert():
    # spaCy gives extra whitespace its own token, so such a text rebuilds exactly.
    t = task("NATO  met in\nVilnius\u00a0today.", [("NATO", "BLOC")])
    assert check_task(t) == []
    assert task_to_doc(Vocab(), t).text == t["text"]


def _corpus_dir(tmp_path, tasks):
    srsly.write_jsonl(tmp_path / "c.jsonl", tasks)
    out = tmp_path / "spacy"
    write_splits([tmp_path / "c.jsonl"], out, {"train": 0.6, "dev": 0.2, "test": 0.2}, 0)
    return out, {p.name: p.read_bytes() for p in out.iterdir()}


def test_a_failing_convert_leaves_every_docbin_as_it_was(tmp_path):
    tasks = _tasks(12)
    out, before = _corpus_dir(tmp_path, tasks)
    broken = task("Paragraph  with a double space.", [])
    broken["tokens"][0]["ws"] = True
    del broken["tokens"][1]  # the second space is now covered by no token
    for i, tok in enumerate(broken["tokens"]):
        tok["id"] = i
    srsly.write_jsonl(tmp_path / "c.jsonl", tasks[:6] + [broken])
    with pytest.raises(ValidationFailed, match=r"c.jsonl:7: text ' ' at offset 10"):
        write_splits([tmp_path / "c.jsonl"], out, {"train": 0.6, "dev": 0.2, "test": 0.2}, 0)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_convert_that_fails_while_writing_changes_no_file(tmp_path, monkeypatch):
    out, before = _corpus_dir(tmp_path, _tasks(12))
    srsly.write_jsonl(tmp_path / "c.jsonl", _tasks(10))
    calls = []

    def fail_third(self, path):
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device", str(path))
        Path(path).write_bytes(b"new")

    monkeypatch.setattr(DocBin, "to_disk", fail_third)
    with pytest.raises(OSError):
        write_splits([tmp_path / "c.jsonl"], out, {"train": 0.6, "dev": 0.2, "test": 0.2}, 0)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_near_duplicates_share_a_group():
    texts = ["Putin met Ahmadian in Saint Petersburg. (Photo/Pool/AFP via Getty Images)",
             "Putin met Ahmadian in Saint Petersburg. Photo/Pool/AFP via Getty Images",
             "Something else entirely about tariffs."]
    groups = near_duplicate_groups(texts)
    assert groups[0] == groups[1] != groups[2]


def _tasks(n):
    return [task(f"Paragraph number {i} mentions NATO and a summit number {i}.", [("NATO", "BLOC")], paragraph=i)
            for i in range(n)]


def test_split_is_reproducible_and_covers_every_task_once():
    tasks = _tasks(40)
    ratios = {"train": 0.7, "dev": 0.15, "test": 0.15}
    a, b = split_tasks(tasks, ratios, seed=3), split_tasks(tasks, ratios, seed=3)
    assert {k: [t["_input_hash"] for t in v] for k, v in a.items()} == {k: [t["_input_hash"] for t in v] for k, v in b.items()}
    seen = [t["_input_hash"] for part in a.values() for t in part]
    assert sorted(seen) == sorted(t["_input_hash"] for t in tasks)
    assert len(a["train"]) > len(a["test"]) > 0 and len(a["dev"]) > 0


def test_split_changes_with_the_seed():
    tasks = _tasks(40)
    ratios = {"train": 0.7, "dev": 0.15, "test": 0.15}
    assert [t["text"] for t in split_tasks(tasks, ratios, 1)["test"]] != [t["text"] for t in split_tasks(tasks, ratios, 2)["test"]]


def test_split_never_separates_near_duplicate_twins():
    tasks = _tasks(30)
    twin = task("Paragraph number 5 mentions NATO and a summit number 5!", [("NATO", "BLOC")], paragraph=99)
    tasks.append(twin)
    for seed in range(10):
        parts = split_tasks(tasks, {"train": 0.6, "dev": 0.2, "test": 0.2}, seed)
        where = {t["_input_hash"]: name for name, part in parts.items() for t in part}
        assert where[tasks[5]["_input_hash"]] == where[twin["_input_hash"]]


def test_split_rejects_ratios_that_do_not_sum_to_one():
    with pytest.raises(ValueError, match="sum"):
        split_tasks(_tasks(5), {"train": 0.5, "dev": 0.2, "test": 0.2}, 0)


def test_convert_keeps_each_source_apart(tmp_path):
    seed = [task(f"Seed paragraph {i} about BRICS.", [("BRICS", "BLOC")], source="seed", paragraph=i) for i in range(10)]
    authored = [task(f"Authored paragraph {i} about NATO.", [("NATO", "BLOC")], source="authored", paragraph=i) for i in range(20)]
    srsly.write_jsonl(tmp_path / "seed.jsonl", seed)
    srsly.write_jsonl(tmp_path / "authored.jsonl", authored)
    parts = split_corpus([tmp_path / "seed.jsonl", tmp_path / "authored.jsonl"], {"train": 0.6, "dev": 0.2, "test": 0.2}, 0)
    assert all(t["meta"]["source"] == "seed" for t in parts["test_seed"]) and parts["test_seed"]
    assert len(parts["test"]) == len(parts["test_seed"]) + len(parts["test_authored"])
    assert sum(label_counts(parts[s])["BLOC"] for s in ("train", "dev", "test")) == 30


def test_load_corpus_refuses_rejected_tasks(tmp_path):
    srsly.write_jsonl(tmp_path / "c.jsonl", [task("NATO met.", [("NATO", "BLOC")], answer="reject")])
    with pytest.raises(ValidationFailed, match=r"c.jsonl:1: answer is 'reject'"):
        load_corpus([tmp_path / "c.jsonl"])


def test_docbin_roundtrip_keeps_labels():
    t = task("Xi went to the Kazan summit.", [("Xi", "OFFICIAL"), ("Kazan summit", "SUMMIT")])
    db = tasks_to_docbin([t])
    doc = list(DocBin().from_bytes(db.to_bytes()).get_docs(Vocab()))[0]
    assert [(e.text, e.label_) for e in doc.ents] == [("Xi", "OFFICIAL"), ("Kazan summit", "SUMMIT")]
