import pytest
from spacy.tokens import DocBin
from spacy.vocab import Vocab

from geoner import ValidationFailed
from geoner.data.corpus import label_counts, load_corpus, split_corpus, tasks_to_docbin
from geoner.data.split import near_duplicate_groups, split_tasks
from geoner.data.tasks import task_to_doc
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


def test_tasks_to_docbin_names_the_task_of_an_unplaceable_span():
    t = task("NATO met.", [("NATO", "BLOC")], paragraph=7)
    t["spans"][0]["start"] = 1
    with pytest.raises(ValidationFailed, match="test:7:"):
        tasks_to_docbin([t])


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
    import srsly

    seed = [task(f"Seed paragraph {i} about BRICS.", [("BRICS", "BLOC")], source="seed", paragraph=i) for i in range(10)]
    authored = [task(f"Authored paragraph {i} about NATO.", [("NATO", "BLOC")], source="authored", paragraph=i) for i in range(20)]
    srsly.write_jsonl(tmp_path / "seed.jsonl", seed)
    srsly.write_jsonl(tmp_path / "authored.jsonl", authored)
    parts = split_corpus([tmp_path / "seed.jsonl", tmp_path / "authored.jsonl"], {"train": 0.6, "dev": 0.2, "test": 0.2}, 0)
    assert all(t["meta"]["source"] == "seed" for t in parts["test_seed"]) and parts["test_seed"]
    assert len(parts["test"]) == len(parts["test_seed"]) + len(parts["test_authored"])
    assert sum(label_counts(parts[s])["BLOC"] for s in ("train", "dev", "test")) == 30


def test_load_corpus_refuses_rejected_tasks(tmp_path):
    import srsly

    srsly.write_jsonl(tmp_path / "c.jsonl", [task("NATO met.", [("NATO", "BLOC")], answer="reject")])
    with pytest.raises(ValidationFailed, match=r"c.jsonl:1: answer is 'reject'"):
        load_corpus([tmp_path / "c.jsonl"])


def test_docbin_roundtrip_keeps_labels():
    t = task("Xi went to the Kazan summit.", [("Xi", "OFFICIAL"), ("Kazan summit", "SUMMIT")])
    db = tasks_to_docbin([t])
    doc = list(DocBin().from_bytes(db.to_bytes()).get_docs(Vocab()))[0]
    assert [(e.text, e.label_) for e in doc.ents] == [("Xi", "OFFICIAL"), ("Kazan summit", "SUMMIT")]
