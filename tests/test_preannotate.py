import itertools
import subprocess
import sys

import pytest
import spacy
import srsly

from geoner.data.hashing import input_hash
from geoner.data.jsonl import iter_lines
from geoner.loop.preannotate import iter_texts, preannotate
from geoner.data.validate import validate_files
from conftest import ROOT


@pytest.fixture(scope="module")
def ruler_model(tmp_path_factory):
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([
        {"label": "BLOC", "pattern": "NATO"}, {"label": "OFFICIAL", "pattern": "Mark Rutte"}])
    nlp.meta["name"] = "tiny"
    path = tmp_path_factory.mktemp("model") / "tiny"
    nlp.to_disk(path)
    return path


def test_iter_texts_reads_txt_folders_and_jsonl(tmp_path):
    (tmp_path / "a.txt").write_text("NATO met.\n\nMark Rutte spoke.\n", encoding="utf-8")
    assert list(iter_texts(tmp_path)) == [(str(tmp_path / "a.txt"), 0, "NATO met."), (str(tmp_path / "a.txt"), 1, "Mark Rutte spoke.")]
    srsly.write_jsonl(tmp_path / "b.jsonl", [{"text": "NATO met."}])
    assert [t for _, _, t in iter_texts(tmp_path / "b.jsonl")] == ["NATO met."]


def test_preannotate_suggests_spans_and_skips_known_texts(ruler_model):
    nlp = spacy.load(ruler_model)
    stats = {"tasks": 0, "spans": 0, "skipped": 0}
    records = [("f", 0, "NATO met."), ("f", 1, "Mark Rutte spoke at NATO."), ("f", 2, "NATO met.")]
    tasks = list(preannotate(nlp, records, {input_hash("NATO met.")}, stats))
    assert [t["text"] for t in tasks] == ["Mark Rutte spoke at NATO."]
    assert [(s["label"]) for s in tasks[0]["spans"]] == ["OFFICIAL", "BLOC"]
    assert tasks[0]["meta"]["model"] == "en_tiny-0.0.0" and tasks[0]["meta"]["paragraph"] == 1
    assert stats == {"tasks": 1, "spans": 2, "skipped": 2}


def test_preannotate_streams_lazily(ruler_model):
    nlp = spacy.load(ruler_model)
    endless = (("f", i, f"NATO meeting number {i}.") for i in itertools.count())
    stats = {"tasks": 0, "spans": 0, "skipped": 0}
    first = list(itertools.islice(preannotate(nlp, endless, set(), stats, batch_size=8), 5))
    assert len(first) == 5


def test_preannotate_cli_writes_valid_prodigy_tasks(tmp_path, ruler_model):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "article.txt").write_text("NATO met.\n\nMark Rutte spoke.\n\nNATO met.\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run = subprocess.run([sys.executable, "-m", "geoner", "preannotate", str(ruler_model), str(raw),
                          "--output", str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "skipped 1" in run.stdout
    assert validate_files([out])[0] == []
    tasks = [t for _, t in iter_lines(out)]
    assert all(t["_view_id"] == "ner_manual" and t["meta"]["file"].endswith("article.txt") for t in tasks)


def test_preannotate_cli_adds_pattern_matches(tmp_path, ruler_model):
    srsly.write_jsonl(tmp_path / "in.jsonl", [{"text": "The G7 price cap held."}])
    srsly.write_jsonl(tmp_path / "patterns.jsonl", [{"label": "SANCTION", "pattern": "G7 price cap"}])
    out = tmp_path / "out.jsonl"
    run = subprocess.run([sys.executable, "-m", "geoner", "preannotate", str(ruler_model), str(tmp_path / "in.jsonl"),
                          "--output", str(out), "--patterns", str(tmp_path / "patterns.jsonl")], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    [task] = [t for _, t in iter_lines(out)]
    assert [(task["text"][s["start"]:s["end"]], s["label"]) for s in task["spans"]] == [("G7 price cap", "SANCTION")]
