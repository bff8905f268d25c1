"""Seed variance: variant parsing, orchestration over seeds and sets, and the spread rule."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

import geoner.experiments.seeds as seeds_mod
from geoner.data.corpus import tasks_to_docbin
from geoner.experiments.seeds import (beyond_spread, evaluation_sets, parse_variant, run_seeds, seeds_table,
                                      summarize)
from helpers import task


def test_parse_variant_reads_json_values_and_strings():
    name, overrides = parse_variant("wide=components.ner.model.tok2vec.embed.width=256 "
                                    "paths.init_model=null training.optimizer.learn_rate=0.002 x.y=abc")
    assert name == "wide"
    assert overrides == {"components.ner.model.tok2vec.embed.width": 256, "paths.init_model": None,
                         "training.optimizer.learn_rate": 0.002, "x.y": "abc"}


@pytest.mark.parametrize("spec", ["wide", "=a.b=1", "wide=a.b", "default=a.b=1"])
def test_parse_variant_rejects_malformed_specs(spec):
    with pytest.raises(ValueError):
        parse_variant(spec)


def scores(f, per=None):
    per = per or {}
    return {"f": f, "p": f, "r": f, "wps": 1000.0,
            "per_label": {l: {"f": per.get(l, f)} for l in ("OFFICIAL", "BLOC", "SANCTION", "SUMMIT")}}


def test_summary_gives_mean_and_sd_and_the_spread_rule_decides():
    runs = {"default": {"0": {"size_mb": 6.0, "test": scores(0.90)}, "1": {"size_mb": 6.0, "test": scores(0.92)}},
            "close": {"0": {"size_mb": 6.0, "test": scores(0.91)}, "1": {"size_mb": 6.0, "test": scores(0.93)}},
            "far": {"0": {"size_mb": 9.0, "test": scores(0.95)}, "1": {"size_mb": 9.0, "test": scores(0.96)}}}
    summary = summarize(runs, ["test"])
    assert summary["default"]["test"]["mean_f"] == pytest.approx(0.91)
    assert summary["default"]["test"]["stdev_f"] == pytest.approx(0.01414, abs=1e-4)
    assert beyond_spread(summary, "close", "test")[1] is False
    diff, beyond = beyond_spread(summary, "far", "test")
    assert diff == pytest.approx(0.045) and beyond is True
    table = seeds_table({"summary": summary, "sets": ["test"], "seeds": [0, 1], "max_steps": 5})
    assert "| far | test | 0.955 ± 0.007 |" in table and "| +0.045 | yes |" in table


def write_split(folder: Path):
    folder.mkdir()
    data = [task("NATO met Xi.", [("NATO", "BLOC"), ("Xi", "OFFICIAL")])]
    for name in ("train", "dev", "test", "test_wire"):
        tasks_to_docbin(data).to_disk(folder / f"{name}.spacy")


def test_evaluation_sets_take_source_splits_and_skip_absent_extras(tmp_path):
    write_split(tmp_path / "d")
    logged = []
    sets = evaluation_sets(tmp_path / "d", {"dev2": tmp_path / "absent.jsonl"}, log=logged.append)
    assert list(sets) == ["test", "test_wire"]
    assert "absent" in logged[0] and "dev2" in logged[0]


def test_run_seeds_trains_each_variant_with_each_seed_and_scores_every_set(tmp_path, monkeypatch):
    write_split(tmp_path / "d")
    calls = []

    def fake_train(config, output, train, dev, overrides):
        calls.append((Path(output).relative_to(tmp_path / "w").as_posix(), overrides))
        nlp = spacy.blank("en")
        if overrides.get("rules"):
            nlp.add_pipe("entity_ruler").add_patterns([{"label": "BLOC", "pattern": "NATO"}])
        Path(output).mkdir(parents=True)
        nlp.to_disk(Path(output) / "model-best")
        return Path(output) / "model-best"

    monkeypatch.setattr(seeds_mod, "train_pipeline", fake_train)
    checkpoints = []
    sets = evaluation_sets(tmp_path / "d", {})
    result = run_seeds(Path("cfg"), tmp_path / "d", {"default": {}, "ruled": {"rules": True}}, [0, 1], 7,
                       tmp_path / "w", sets, checkpoint=lambda r: checkpoints.append(len(r["runs"])), log=lambda m: None)
    assert [c[0] for c in calls] == ["default/seed0", "default/seed1", "ruled/seed0", "ruled/seed1"]
    assert calls[1][1] == {"system.seed": 1, "training.max_steps": 7}
    assert len(checkpoints) == 4
    assert result["summary"]["default"]["test"]["mean_f"] == 0.0
    assert result["summary"]["ruled"]["test_wire"]["mean_f"] == pytest.approx(2 / 3)
    assert result["summary"]["ruled"]["test_wire"]["per_label"]["BLOC"]["mean_f"] == 1.0
    # reuse scores the saved models without training again
    calls.clear()
    run_seeds(Path("cfg"), tmp_path / "d", {"default": {}}, [0], 7, tmp_path / "w", sets, reuse=True, log=lambda m: None)
    assert calls == []


def test_seeds_command_rejects_a_malformed_variant_without_a_traceback(tmp_path):
    write_split(tmp_path / "d")
    cfg = tmp_path / "c.cfg"
    cfg.write_text("[x]\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "geoner", "seeds", str(cfg), str(tmp_path / "d"),
                          "--variant", "wide=width256", "--output", str(tmp_path / "s.json")],
                         capture_output=True, text=True)
    assert run.returncode == 1 and "not path=value" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "s.json").exists()
