"""Train pipeline variants and compare them with two baselines on the same texts."""
from pathlib import Path
from typing import Optional

import spacy
import srsly
import typer

from geoner.bench import BASELINE_MAP, BASELINE_MODEL, benchmark_table, compose, patterns_only
from geoner.train_utils import dir_size_mb, docbin_gold, jsonl_gold, measure, measure_speed, train_pipeline

# Two statistical models are trained (with the default pipeline, so model selection sees the
# rules); each row then adds or removes rule components on one of them.
TRAINED = {"scratch": {"paths.init_model": None}, "pretrained": {}}
ROWS = {
    "a_scratch": ("scratch", []),
    "b_scratch_patterns": ("scratch", ["ruler_all", "edges"]),
    "c_pretrained": ("pretrained", []),
    "c_pretrained_bloc_ruler": ("pretrained", ["ruler_bloc"]),
    "c_pretrained_all_patterns": ("pretrained", ["ruler_all"]),
    "c_pretrained_edges": ("pretrained", ["edges"]),
    "c_pretrained_all_patterns_edges": ("pretrained", ["ruler_all", "edges"]),
    "c_pretrained_bloc_ruler_first_edges": ("pretrained", ["ruler_bloc_first", "edges"]),
    "default (c + bloc ruler + edges)": ("pretrained", ["ruler_bloc", "edges"]),
}


def main(
    config: Path = typer.Argument(..., help="Default training config; variants are built from it."),
    data_dir: Path = typer.Argument(..., help="Folder with train/dev/test/test_seed .spacy files."),
    shared_dev: Optional[Path] = typer.Option(None, help="Held-out JSONL ({text, spans}) to score on, if present."),
    output: Path = typer.Option(Path("metrics/benchmark.json"), help="JSON results."),
    patterns: Path = typer.Option(Path("patterns/patterns.jsonl"), help="Entity-ruler patterns."),
    seed: int = typer.Option(0, help="Training seed, the same for every variant."),
    max_steps: int = typer.Option(2000, help="Training steps per trained model."),
    work_dir: Path = typer.Option(Path("training/benchmark"), help="Where variant pipelines are saved."),
    reuse: bool = typer.Option(False, "--reuse", help="Measure the models already trained in WORK_DIR."),
):
    """P/R/F per label on each evaluation set, model size and words per second, one row each."""
    sets = {"test": docbin_gold(data_dir / "test.spacy"), "test_seed": docbin_gold(data_dir / "test_seed.spacy")}
    if shared_dev and shared_dev.exists():
        sets = {"shared_dev": jsonl_gold(shared_dev), **sets}
    speed_texts = [t for texts, _ in sets.values() for t in texts] * 2
    trained = {}
    for name, overrides in TRAINED.items():
        if reuse and (work_dir / name / "model-best").exists():
            trained[name] = work_dir / name / "model-best"
            continue
        typer.echo(f"Training {name} (max_steps={max_steps}, seed={seed}) ...")
        trained[name] = train_pipeline(config, work_dir / name, data_dir / "train.spacy", data_dir / "dev.spacy",
                                       {**overrides, "paths.patterns": str(patterns), "system.seed": seed,
                                        "training.max_steps": max_steps}, quiet=False)
    pipelines, results, mapping = {}, {}, {}
    for row, (base, rules) in ROWS.items():
        path = compose(trained[base], rules, patterns, work_dir / "rows" / row.split(" ")[0])
        pipelines[row], results[row] = spacy.load(path), {"size_mb": dir_size_mb(path)}
    pipelines["baseline: patterns only"] = patterns_only(patterns)
    results["baseline: patterns only"] = {"size_mb": 0.0}
    sm = spacy.load(BASELINE_MODEL)
    pipelines["baseline: en_core_web_sm mapped"] = sm
    results["baseline: en_core_web_sm mapped"] = {"size_mb": dir_size_mb(Path(sm.path))}
    mapping["baseline: en_core_web_sm mapped"] = BASELINE_MAP
    for row, nlp in pipelines.items():
        results[row].update(measure(nlp, sets, mapping.get(row)))
    typer.echo(f"Timing {len(pipelines)} pipelines on {len(speed_texts)} texts, in turns ...")
    for row, speed in measure_speed(pipelines, speed_texts).items():
        results[row]["speed"] = speed
    srsly.write_json(output, {"sets": list(sets), "max_steps": max_steps, "seed": seed, "results": results})
    typer.echo(benchmark_table(results, list(sets)))
    typer.echo(f"✔ Wrote {len(results)} rows to {output}")


if __name__ == "__main__":
    typer.run(main)
