"""The logic behind the benchmark, k-fold and learning-curve commands, on tiny inputs (no training)."""
import math

import pytest
import spacy
import srsly
from spacy.training import Example

import geoner.pipeline.components  # noqa: F401  (span_edge_rules factory)
from geoner import LABELS
from geoner.data.split import kfold_indices
from geoner.experiments.benchmark import benchmark_table, compose, patterns_only
from geoner.experiments.crossval import summarize_runs
from geoner.experiments.learning_curve import nested_subsets
from geoner.pipeline.patterns import build_patterns
from helpers import task

TRIGGERS = {"sanction_heads": [["sanctions"]], "sanction_premodifiers": ["fresh"],
            "summit_heads": [["summit"]], "summit_premodifiers": ["annual"]}
SENTENCE = "NATO leaders backed fresh sanctions at the Vilnius summit."


def _scores(f, per=None):
    per = per or {}
    return {"f": f, "per_label": {l: {"f": per.get(l, 0.0)} for l in LABELS}}


def test_benchmark_table_shows_f_per_label_size_and_speed_relative_to_the_baseline():
    results = {
        "default": {"test": _scores(0.8125, {"BLOC": 0.9, "SUMMIT": 0.75}), "size_mb": 4.25, "speed": {"wps": 30000.0}},
        "baseline: en_core_web_sm mapped": {"test": _scores(0.1), "size_mb": 12.0, "speed": {"wps": 10000.0}},
    }
    lines = benchmark_table(results, ["test"]).splitlines()
    assert lines[0] == "| variant | test F | test OFF/BLOC/SANC/SUM | MB | words/s | × sm |"
    assert lines[2] == "| default | 0.812 | 0.00/0.90/0.00/0.75 | 4.2 | 30,000 | 3.0 |"
    assert lines[3].endswith("| 12.0 | 10,000 | 1.0 |")


def test_benchmark_table_without_the_baseline_leaves_the_ratio_empty():
    table = benchmark_table({"a": {"test": _scores(0.5), "size_mb": 1.0, "speed": {"wps": 5.0}}}, ["test"])
    assert table.splitlines()[-1].endswith("| 5 | - |")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A pipeline with an untrained NER and rule components, and a pattern file."""
    root = tmp_path_factory.mktemp("tiny")
    patterns, _ = build_patterns("NATO | North Atlantic Treaty Organization\nASEAN\n", TRIGGERS)
    srsly.write_jsonl(root / "patterns.jsonl", patterns)
    nlp = spacy.blank("en")
    nlp.add_pipe("ner")
    ruler = nlp.add_pipe("entity_ruler")
    nlp.add_pipe("span_edge_rules")
    example = Example.from_dict(nlp.make_doc("Kaja Kallas spoke."), {"entities": [(0, 11, "OFFICIAL")]})
    nlp.initialize(lambda: [example])
    ruler.add_patterns([{"label": "OFFICIAL", "pattern": "leaders"}])  # phrase patterns run the NER
    nlp.to_disk(root / "model")
    return root


@pytest.mark.parametrize("rules,pipes", [
    ([], ["ner"]),
    (["ruler_bloc", "edges"], ["ner", "entity_ruler", "span_edge_rules"]),
    (["ruler_bloc_first", "edges"], ["entity_ruler", "ner", "span_edge_rules"]),
])
def test_compose_replaces_the_rule_components(tiny, rules, pipes):
    out = compose(tiny / "model", rules, tiny / "patterns.jsonl", tiny / "rows" / "-".join(rules or ["none"]))
    assert spacy.load(out).pipe_names == pipes


def test_compose_bloc_ruler_keeps_only_bloc_patterns(tiny):
    out = compose(tiny / "model", ["ruler_bloc"], tiny / "patterns.jsonl", tiny / "rows" / "bloc")
    ruler = spacy.load(out).get_pipe("entity_ruler")
    assert {p["label"] for p in ruler.patterns} == {"BLOC"} and len(ruler.patterns) == 3


def test_compose_refuses_an_unknown_rule_set(tiny):
    with pytest.raises(ValueError, match="unknown rule set 'ruler_everything'"):
        compose(tiny / "model", ["ruler_everything"], tiny / "patterns.jsonl", tiny / "rows" / "x")


def test_patterns_only_baseline_finds_blocs_measures_and_summits(tiny):
    doc = patterns_only(tiny / "patterns.jsonl")(SENTENCE)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("NATO", "BLOC"), ("fresh sanctions", "SANCTION"), ("Vilnius summit", "SUMMIT")]


def _texts(n):
    return [task(f"Paragraph {i} on the trade talks number {i}.", []) for i in range(n)]


def test_kfold_tests_every_task_exactly_once_and_keeps_twins_together():
    tasks = _texts(20)
    tasks.append(task("Paragraph 3 on the trade talks number 3!", []))  # a near-duplicate of task 3
    folds = list(kfold_indices(tasks, 4, seed=0))
    tested = sorted(i for _, test in folds for i in test)
    assert tested == list(range(21))
    for train, test in folds:
        assert not set(train) & set(test)
        assert (3 in test) == (20 in test)


def test_kfold_folds_follow_the_seed():
    tasks = _texts(20)
    same = [sorted(t) for _, t in kfold_indices(tasks, 4, seed=1)]
    assert same == [sorted(t) for _, t in kfold_indices(tasks, 4, seed=1)]
    assert same != [sorted(t) for _, t in kfold_indices(tasks, 4, seed=2)]


def test_summarize_runs_gives_mean_and_sample_deviation():
    runs = [_scores(0.5, {"BLOC": 0.25}), _scores(0.7, {"BLOC": 0.75})]
    summary = summarize_runs(runs)
    assert math.isclose(summary["mean_f"], 0.6) and math.isclose(summary["stdev_f"], math.sqrt(0.02))
    assert math.isclose(summary["per_label"]["BLOC"]["mean_f"], 0.5)
    assert math.isclose(summary["per_label"]["BLOC"]["stdev_f"], math.sqrt(0.125))
    assert summarize_runs(runs[:1])["stdev_f"] == 0.0


def test_nested_subsets_grow_and_each_contains_the_smaller_ones():
    subsets = nested_subsets(10, [0.25, 0.5, 1.0], seed=0)
    assert [len(s) for s in subsets] == [2, 5, 10]
    assert set(subsets[0]) < set(subsets[1]) < set(subsets[2]) == set(range(10))
    assert nested_subsets(10, [0.25], seed=0) == subsets[:1]
    assert nested_subsets(10, [0.5], seed=1) != [subsets[1]]
    assert nested_subsets(3, [0.01], seed=0)[0] != []
