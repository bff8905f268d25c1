"""Robustness benchmark: text changes keep gold offsets, and drops are measured against the original."""
import json
import subprocess
import sys

import pytest
import spacy

from geoner.data.corpus import tasks_to_docbin
from geoner.data.noise import swap_punctuation
from geoner.evaluate.robustness import join_paragraphs, recase, run_robustness, summarize_robustness
from helpers import task


def test_swap_punctuation_turns_curly_marks_straight_and_straight_marks_curly():
    assert swap_punctuation("“EU’s” — 2020–21") == "\"EU's\" - 2020-21"
    assert swap_punctuation('He said "no" - it\'s (\'new\')') == "He said “no” — it’s (‘new’)"
    assert swap_punctuation("Russian-origin") == "Russian-origin"


def test_join_paragraphs_shifts_spans_onto_the_same_words():
    texts = ["NATO met.", "Xi spoke.", "EU acted."]
    spans = [[(0, 4, "BLOC")], [(0, 2, "OFFICIAL")], [(0, 2, "BLOC")]]
    joined, moved = join_paragraphs((texts, spans), per_doc=2)
    assert joined == ["NATO met.\n\nXi spoke.", "EU acted."]
    assert [joined[0][s:e] for s, e, _ in moved[0]] == ["NATO", "Xi"]
    assert moved[1] == [(0, 2, "BLOC")]


def test_recase_refuses_a_change_that_moves_offsets():
    with pytest.raises(ValueError):
        recase((["Straße"], [[]]), lambda t: t.upper())


def case_sensitive_ruler():
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "BLOC", "pattern": "NATO"},
                                               {"label": "OFFICIAL", "pattern": "Xi"}])
    return nlp


def test_run_robustness_reports_the_drop_of_each_case():
    texts = ["NATO met Xi.", "Xi spoke.", "NATO acted."]
    spans = [[(0, 4, "BLOC"), (9, 11, "OFFICIAL")], [(0, 2, "OFFICIAL")], [(0, 4, "BLOC")]]
    result = run_robustness(case_sensitive_ruler(), {"t": (texts, spans)}, per_doc=2)["t"]
    assert result["original"]["f"] == 1.0 and result["original"]["drop"] == 0.0
    assert result["lower"]["f"] == 0.0 and result["lower"]["drop"] == 1.0
    # Upper case keeps "NATO" (already upper) and loses "Xi": 2 of 4 found, no false positives.
    assert result["upper"]["r"] == 0.5 and result["upper"]["per_label"]["BLOC"]["drop"] == 0.0
    assert result["upper"]["per_label"]["OFFICIAL"]["drop"] == 1.0
    assert result["joined_2"]["texts"] == 2 and result["joined_2"]["f"] == 1.0


def test_robustness_command_writes_json_for_a_docbin(tmp_path):
    model = tmp_path / "model"
    case_sensitive_ruler().to_disk(model)
    data = tmp_path / "test.spacy"
    tasks_to_docbin([task("NATO met Xi.", [("NATO", "BLOC"), ("Xi", "OFFICIAL")])]).to_disk(data)
    out = tmp_path / "rob.json"
    run = subprocess.run([sys.executable, "-m", "geoner", "robustness", str(model), str(data), "--output", str(out),
                          "--per-doc", "2"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    cases = json.loads(out.read_text())["summary"]["test"]
    assert cases["lower"]["mean_drop"] == 1.0 and "| test | upper |" in run.stdout


def test_robustness_summary_averages_models_and_gives_the_spread():
    texts, spans = ["NATO met Xi."], [[(0, 4, "BLOC"), (9, 11, "OFFICIAL")]]
    ruler = case_sensitive_ruler()
    blind = spacy.blank("en")
    runs = [run_robustness(nlp, {"t": (texts, spans)}, per_doc=2) for nlp in (ruler, ruler, blind)]
    summary = summarize_robustness(runs)["t"]
    assert summary["original"]["mean_f"] == pytest.approx(2 / 3)
    assert summary["lower"]["mean_drop"] == pytest.approx(2 / 3)
    assert summary["lower"]["sd_drop"] == pytest.approx(0.57735, abs=1e-4)
    assert summary["upper"]["per_label"]["BLOC"]["mean_drop"] == 0.0
