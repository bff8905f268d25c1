"""Error analysis: surface forms per label and kind, and the paragraph bootstrap."""
import json
import subprocess
import sys

import pytest
import spacy
import srsly

from geoner.data.corpus import tasks_to_docbin
from geoner.evaluate.errors import bootstrap_f, error_table, errors_markdown
from helpers import task

TEXTS = ["AP's Fatima Hussein reported that Joe Biden met EU leaders.",
         "Reuters said Joe Biden backed new EU sanctions."]


def at(i, surface, label):
    start = TEXTS[i].index(surface)
    return (start, start + len(surface), label)


GOLD = [[at(0, "Joe Biden", "OFFICIAL"), at(0, "EU", "BLOC")],
        [at(1, "Joe Biden", "OFFICIAL"), at(1, "EU sanctions", "SANCTION")]]
PRED = [[at(0, "Fatima Hussein", "OFFICIAL"), at(0, "Joe Biden", "OFFICIAL"), at(0, "EU", "BLOC")],
        [at(1, "Reuters", "BLOC"), at(1, "Biden", "OFFICIAL"), at(1, "new EU sanctions", "SANCTION")]]


def test_error_table_groups_wrong_spans_by_surface_and_kind():
    table = error_table(TEXTS, GOLD, PRED)
    official = table["OFFICIAL"]
    assert official["false_positives"] == [
        {"text": "Biden", "count": 1, "kinds": {"boundary": 1}},
        {"text": "Fatima Hussein", "count": 1, "kinds": {"none": 1}}]
    assert official["false_negatives"] == [{"text": "Joe Biden", "count": 1, "kinds": {"boundary": 1}}]
    assert table["BLOC"]["false_positives"] == [{"text": "Reuters", "count": 1, "kinds": {"none": 1}}]
    assert table["SANCTION"]["false_positives"][0]["text"] == "new EU sanctions"
    assert table["SUMMIT"]["n_false_positives"] == 0
    assert official["kinds_false_positives"] == {"boundary": 1, "none": 1}


def test_error_table_puts_the_commonest_form_first_and_keeps_top_n():
    texts = ["ATP banned him. ATP said so."] * 3
    pred = [[(0, 3, "BLOC"), (16, 19, "BLOC")], [(0, 3, "BLOC")], [(16, 22, "BLOC")]]
    table = error_table(texts, [[], [], []], pred, top=1)
    assert table["BLOC"]["false_positives"] == [{"text": "ATP", "count": 3, "kinds": {"none": 3}}]
    assert table["BLOC"]["n_false_positives"] == 4


def test_same_extent_with_another_label_is_a_label_error():
    table = error_table(["the Web Summit"], [[(4, 14, "BLOC")]], [[(4, 14, "SUMMIT")]])
    assert table["SUMMIT"]["false_positives"][0]["kinds"] == {"label": 1}
    assert table["BLOC"]["false_negatives"][0]["kinds"] == {"label": 1}


def test_errors_markdown_lists_forms_with_counts():
    text = errors_markdown(error_table(TEXTS, GOLD, PRED), "test")
    assert "## OFFICIAL: 2 false positives (boundary 1, none 1), 1 false negatives (boundary 1)" in text
    assert "- 1× `Fatima Hussein` (none 1)" in text


def test_bootstrap_interval_is_a_point_when_every_paragraph_scores_the_same():
    gold = [[(0, 2, "BLOC")]] * 10
    assert bootstrap_f(gold, gold, resamples=50)["low"] == 1.0
    ci = bootstrap_f(gold, [[(0, 2, "BLOC")]] * 5 + [[]] * 5, resamples=200, seed=3)
    assert ci["low"] < 2 * 5 / 15 < ci["high"]


def test_bootstrap_resamples_paragraphs_reproducibly():
    gold = [[(0, 2, "BLOC"), (3, 5, "BLOC")]] * 6 + [[(0, 2, "BLOC")]] * 6
    pred = [[(0, 2, "BLOC")]] * 12
    a = bootstrap_f(gold, pred, resamples=300, seed=1)
    assert a == bootstrap_f(gold, pred, resamples=300, seed=1)
    assert a["low"] < a["high"] and (a["resamples"], a["level"]) == (300, 0.95)


def test_bootstrap_needs_paragraphs():
    with pytest.raises(ValueError):
        bootstrap_f([], [])


def ruler_model(path):
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "BLOC", "pattern": "AP"},
                                               {"label": "OFFICIAL", "pattern": "Joe Biden"}])
    nlp.to_disk(path)
    return path


def geoner(*args):
    return subprocess.run([sys.executable, "-m", "geoner", *map(str, args)], capture_output=True, text=True)


def test_evaluate_writes_scores_with_an_interval_and_the_error_lists(tmp_path):
    data = tmp_path / "test.spacy"
    tasks_to_docbin([task(TEXTS[0], [("Joe Biden", "OFFICIAL"), ("EU", "BLOC")])]).to_disk(data)
    run = geoner("evaluate", ruler_model(tmp_path / "m"), data, "--metrics-dir", tmp_path / "out",
                 "--html", tmp_path / "out/r.html", "--resamples", 20)
    assert run.returncode == 0, run.stderr
    scores = json.loads((tmp_path / "out/test.json").read_text())
    assert scores["f"] == 0.5 and scores["ci95"]["resamples"] == 20
    errors = json.loads((tmp_path / "out/errors_test.json").read_text())
    assert errors["BLOC"]["false_positives"] == [{"text": "AP", "count": 1, "kinds": {"none": 1}}]
    assert errors["BLOC"]["false_negatives"][0]["text"] == "EU"
    assert "`AP`" in (tmp_path / "out/errors_test.md").read_text(encoding="utf-8")


def test_score_dev_scores_present_sets_and_skips_absent_ones(tmp_path):
    dev = tmp_path / "dev.jsonl"
    srsly.write_jsonl(dev, [{"text": TEXTS[1], "spans": [{"start": s, "end": e, "label": l} for s, e, l in GOLD[1]]}])
    run = geoner("score-dev", ruler_model(tmp_path / "m"), "--data", f"dev={dev}",
                 "--data", f"dev2={tmp_path / 'missing.jsonl'}", "--metrics-dir", tmp_path / "out", "--resamples", 20)
    assert run.returncode == 0, run.stderr
    assert "dev2" in run.stdout and "absent" in run.stdout
    assert json.loads((tmp_path / "out/dev.json").read_text())["per_label"]["OFFICIAL"]["f"] == 1.0
    assert not (tmp_path / "out/dev2.json").exists()


def test_score_dev_with_every_set_absent_exits_cleanly(tmp_path):
    run = geoner("score-dev", tmp_path / "no_model", "--data", f"dev={tmp_path / 'missing.jsonl'}")
    assert run.returncode == 0 and "skipped" in run.stdout
