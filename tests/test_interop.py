"""Label Studio and doccano, both ways. Fixtures are written in each tool's own export format
(Label Studio's JSON export of a text-labeling project; doccano's sequence-labeling JSONL, and its
relation-project form with "entities"), not with this project's writer."""
import json
import subprocess
import sys
from datetime import datetime, timezone

import pytest
import srsly

from geoner import ValidationFailed
from geoner.data.interop import (from_doccano, from_labelstudio, labelstudio_config, to_doccano,
                                 to_labelstudio)
from geoner.data.jsonl import iter_lines
from geoner.data.validate import check_task, validate_files
from geoner.loop.merge import merge_files
from conftest import FIXTURES, ROOT

LS = FIXTURES / "labelstudio_export.json"
DOCCANO = FIXTURES / "doccano_export.jsonl"
CORPUS = sorted(ROOT.glob("corpus/*.jsonl"))


def surfaces(task):
    return [(task["text"][s["start"]:s["end"]], s["label"]) for s in task["spans"]]


def test_labelstudio_export_is_read_one_task_per_annotation():
    tasks, counts = from_labelstudio(LS)
    assert [t["answer"] for t in tasks] == ["accept", "accept", "accept", "ignore"]
    assert surfaces(tasks[0]) == [("Kaja Kallas", "OFFICIAL"), ("Marco Rubio", "OFFICIAL"), ("NATO summit", "SUMMIT")]
    assert surfaces(tasks[1]) == [("Kaja Kallas", "OFFICIAL")]  # the second annotator's version
    assert [t["_annotator_id"] for t in tasks[:2]] == ["labelstudio-1", "labelstudio-2"]
    assert surfaces(tasks[2]) == [("G7", "BLOC"), ("price cap", "SANCTION")]
    assert counts["trimmed"] == 1  # "Marco Rubio " was selected with its trailing space
    assert counts["unannotated"] == 1 and counts["cancelled"] == 1
    assert tasks[0]["meta"]["source"] == "preannotated"  # the meta the export carried came back
    assert tasks[0]["meta"]["foreign_hashes"] == {"_input_hash": 811356011}
    assert tasks[2]["meta"]["source"] == "labelstudio" and tasks[2]["meta"]["labelstudio"]["task"] == 102
    assert tasks[0]["_timestamp"] == int(datetime(2026, 11, 30, 9, 15, 40, tzinfo=timezone.utc).timestamp())
    assert all(check_task(t) == [] for t in tasks)


def test_imported_labelstudio_tasks_merge_with_disagreement_kept(tmp_path):
    tasks, _ = from_labelstudio(LS)
    srsly.write_jsonl(tmp_path / "ls.jsonl", tasks)
    counts = merge_files([tmp_path / "ls.jsonl"], tmp_path / "reviewed.jsonl", conflicts=tmp_path / "conflicts.jsonl")
    assert (counts["added"], counts["conflicts"], counts["ignored"]) == (1, 1, 1)


def test_doccano_sequence_labeling_export_is_read():
    tasks, counts = from_doccano(DOCCANO)
    assert [surfaces(t) for t in tasks] == [
        [("Kaja Kallas", "OFFICIAL"), ("Marco Rubio", "OFFICIAL"), ("NATO summit", "SUMMIT")],
        [("G7", "BLOC"), ("price cap", "SANCTION")],
        [],
    ]
    assert counts["trimmed"] == 1
    assert {t["_annotator_id"] for t in tasks} == {"doccano-doccano_export"}
    assert tasks[0]["meta"]["source"] == "preannotated" and tasks[1]["meta"]["source"] == "doccano"
    assert all(check_task(t) == [] for t in tasks)


def test_doccano_relation_project_export_is_read():
    [t], _ = from_doccano(FIXTURES / "doccano_relations_export.jsonl", annotator="dana")
    assert surfaces(t) == [("Kaja Kallas", "OFFICIAL"), ("Marco Rubio", "OFFICIAL"), ("NATO summit", "SUMMIT")]
    assert t["_annotator_id"] == "dana"


@pytest.mark.parametrize("tool,fixture,where,words", [
    ("labelstudio", "bad_labelstudio_cut_token.json", 133, "span 'G' (BLOC) at 0-1 cuts the token(s) 'G7'"),
    ("doccano", "bad_doccano_cut_token.jsonl", 2, "would change its text to 'price cap'"),
])
def test_span_that_cuts_a_token_is_an_error_at_its_line(tmp_path, tool, fixture, where, words):
    out = tmp_path / "out.jsonl"
    run = subprocess.run([sys.executable, "-m", "geoner", "import", str(FIXTURES / fixture), "--from", tool,
                          "-o", str(out)], capture_output=True, text=True)
    assert run.returncode == 1
    assert f"{FIXTURES / fixture}:{where}: " in run.stderr and words in run.stderr
    assert "Traceback" not in run.stderr
    assert not out.exists()


@pytest.mark.parametrize("record,words", [
    ({"text": "NATO met.", "label": [[0, 4, "ORG"]]}, "unknown label 'ORG'"),
    ({"text": "NATO and EU met.", "label": [[0, 8, "BLOC"], [5, 11, "BLOC"]]}, "overlap"),
    ({"text": "NATO met.", "label": [[0, 40, "BLOC"]]}, "outside the text"),
    ({"text": "the NATO met.", "label": [[0, 8, "BLOC"]]}, "determiner"),
    ({"text": "NATO met.", "label": [{"start": 0}]}, "sequence-labeling"),
    ({"label": []}, "no non-empty 'text'"),
])
def test_doccano_record_problems_are_errors(tmp_path, record, words):
    path = tmp_path / "in.jsonl"
    srsly.write_jsonl(path, [{"text": "EU envoys met.", "label": [[0, 2, "BLOC"]]}, record])
    with pytest.raises(ValidationFailed) as err:
        from_doccano(path)
    assert err.value.problems[0].startswith(f"{path}:2: ") and words in err.value.problems[0]


def test_labelstudio_result_that_is_not_a_span_is_an_error(tmp_path):
    data = json.loads(LS.read_text())
    data[1]["annotations"][0]["result"].append({"type": "choices", "value": {"choices": ["ok"]},
                                                 "from_name": "sentiment", "to_name": "text"})
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(data, indent=2))
    with pytest.raises(ValidationFailed) as err:
        from_labelstudio(path)
    assert "'choices' is not a text span" in err.value.problems[0]


def test_labelstudio_config_names_match_the_predictions():
    config = labelstudio_config()
    assert '<Labels name="label" toName="text">' in config and '<Text name="text" value="$text"/>' in config
    for label in ("OFFICIAL", "BLOC", "SANCTION", "SUMMIT"):
        assert f'<Label value="{label}"' in config


def labelstudio_round(tasks):
    """What Label Studio does with our import when an annotator submits each task untouched: the
    prediction's result becomes the annotation's result, region ids kept; then JSON export."""
    exported = []
    for n, item in enumerate(json.loads(json.dumps([to_labelstudio(t) for t in tasks]))):
        result = item["predictions"][0]["result"]
        exported.append({"id": n + 1, "data": item["data"], "predictions": [n + 1], "meta": {},
                         "annotations": [{"id": n + 1, "completed_by": 1, "result": result, "was_cancelled": False,
                                          "ground_truth": False, "created_at": "2026-11-30T09:00:00.000000Z",
                                          "updated_at": "2026-11-30T09:00:00.000000Z", "task": n + 1,
                                          "parent_prediction": n + 1}]})
    return exported


def doccano_round(tasks):
    """What doccano exports after importing ours: extra columns come back at the top level,
    with its own id and Comments."""
    return [dict(to_doccano(t), id=n + 1, Comments=[]) for n, t in enumerate(tasks)]


def corpus_tasks():
    return [t for path in CORPUS for _, t in iter_lines(path)]


def test_whole_corpus_round_trips_through_labelstudio_with_no_span_lost(tmp_path):
    tasks = corpus_tasks()
    path = tmp_path / "export.json"
    path.write_text(json.dumps(labelstudio_round(tasks), indent=1))
    back, counts = from_labelstudio(path)
    assert len(back) == len(tasks) and counts["trimmed"] == 0
    assert [(t["text"], t["spans"]) for t in back] == [(t["text"], t["spans"]) for t in tasks]
    assert [t["meta"]["source"] for t in back] == [t["meta"]["source"] for t in tasks]
    assert sum(len(t["spans"]) for t in back) == sum(len(t["spans"]) for t in tasks) > 1000


def test_whole_corpus_round_trips_through_doccano_with_no_span_lost(tmp_path):
    tasks = corpus_tasks()
    path = tmp_path / "export.jsonl"
    srsly.write_jsonl(path, doccano_round(tasks))
    back, counts = from_doccano(path)
    assert [(t["text"], t["spans"]) for t in back] == [(t["text"], t["spans"]) for t in tasks]
    assert [t["_input_hash"] for t in back] == [t["_input_hash"] for t in tasks]
    assert not any("foreign_hashes" in t["meta"] for t in back)


def test_export_cli_writes_labelstudio_json_and_config(tmp_path):
    out = tmp_path / "ls.json"
    run = subprocess.run([sys.executable, "-m", "geoner", "export", str(ROOT / "corpus/seed.jsonl"), "--to", "labelstudio",
                          "-o", str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    data = json.loads(out.read_text())
    seed = [t for _, t in iter_lines(ROOT / "corpus/seed.jsonl")]
    assert len(data) == len(seed)
    assert sum(len(d["predictions"][0]["result"]) for d in data) == sum(len(t["spans"]) for t in seed)
    item = next(d for d in data if d["predictions"][0]["result"])
    first = item["predictions"][0]["result"][0]
    assert first["from_name"] == "label" and first["to_name"] == "text" and first["type"] == "labels"
    assert first["value"]["text"] == item["data"]["text"][first["value"]["start"]:first["value"]["end"]]
    assert (tmp_path / "ls.xml").read_text().startswith("<View>")


def test_export_cli_refuses_an_unknown_tool(tmp_path):
    run = subprocess.run([sys.executable, "-m", "geoner", "export", str(ROOT / "corpus/seed.jsonl"), "--to", "brat",
                          "-o", str(tmp_path / "x")], capture_output=True, text=True)
    assert run.returncode != 0 and "labelstudio, doccano" in run.stderr
    assert not (tmp_path / "x").exists()
