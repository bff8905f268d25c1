"""Commands that train several pipelines: benchmark, cross-validation, learning curve, seeds."""
from pathlib import Path
from typing import List, Optional

import srsly
import typer

from geoner.cli import app
from geoner.cli._util import fails_cleanly, named_paths
from geoner.data.corpus import load_corpus
from geoner.data.jsonl import write_text_atomic
from geoner.experiments.benchmark import benchmark_table, run_benchmark
from geoner.experiments.crossval import run_crossval
from geoner.experiments.learning_curve import plot_curve, run_learning_curve
from geoner.experiments.seeds import DEFAULT, evaluation_sets, parse_variant, run_seeds, seeds_table

CONFIG = typer.Argument(..., help="Training config.", exists=True, dir_okay=False)
DATA_DIR = typer.Argument(..., help="Folder with the train/dev/test .spacy files of `convert`.", exists=True, file_okay=False)


@app.command("benchmark")
@fails_cleanly
def benchmark_cmd(
    config: Path = CONFIG,
    data_dir: Path = DATA_DIR,
    shared_dev: Optional[Path] = typer.Option(None, help="Held-out JSONL ({text, spans}) to score on too; skipped when absent."),
    output: Path = typer.Option(Path("metrics/benchmark.json"), help="JSON results.", dir_okay=False),
    patterns: Path = typer.Option(Path("patterns/patterns.jsonl"), help="Entity-ruler patterns.", exists=True, dir_okay=False),
    seed: int = typer.Option(0, help="Training seed, the same for every variant."),
    max_steps: int = typer.Option(2000, help="Training steps per trained model."),
    work_dir: Path = typer.Option(Path("training/benchmark"), help="Where variant pipelines are saved.", file_okay=False),
    reuse: bool = typer.Option(False, "--reuse", help="Measure the models already trained in WORK_DIR."),
):
    """Pipeline variants and baselines side by side: P/R/F per label, size, words per second."""
    result = run_benchmark(config, data_dir, work_dir, patterns, seed, max_steps, shared_dev, reuse, log=typer.echo)
    write_text_atomic(output, srsly.json_dumps(result, indent=2))
    typer.echo(benchmark_table(result["results"], result["sets"]))
    typer.echo(f"✔ Wrote {len(result['results'])} rows to {output}")


@app.command("crossval")
@fails_cleanly
def crossval_cmd(
    config: Path = CONFIG,
    inputs: List[Path] = typer.Argument(..., help="Corpus JSONL files.", exists=True, dir_okay=False),
    k: int = typer.Option(5, help="Number of folds.", min=2),
    seed: int = typer.Option(0, help="Seed for folds, inner dev split and training."),
    max_steps: int = typer.Option(2000, help="Training steps per fold."),
    output: Path = typer.Option(Path("metrics/crossval.json"), help="JSON results.", dir_okay=False),
    work_dir: Path = typer.Option(Path("training/crossval"), help="Where fold data and models go.", file_okay=False),
):
    """k-fold F (mean and spread); each fold is scored by a model that never saw it."""
    summary = run_crossval(config, load_corpus(inputs), k, seed, max_steps, work_dir, log=typer.echo)
    write_text_atomic(output, srsly.json_dumps(summary, indent=2))
    typer.echo(f"✔ {k}-fold F = {summary['mean_f']:.3f} ± {summary['stdev_f']:.3f} (mean ± sd); wrote {output}")


@app.command("learning-curve")
@fails_cleanly
def learning_curve_cmd(
    config: Path = CONFIG,
    data_dir: Path = DATA_DIR,
    output: Path = typer.Option(Path("metrics/learning_curve.json"), help="JSON results.", dir_okay=False),
    plot_path: Path = typer.Option(Path("metrics/learning_curve.png"), "--plot", help="PNG plot.", dir_okay=False),
    shares: str = typer.Option("0.25,0.5,0.75,1.0", help="Comma-separated shares of the training split."),
    seed: int = typer.Option(0, help="Seed for the subsets and for training."),
    max_steps: int = typer.Option(2000, help="Training steps per point."),
    work_dir: Path = typer.Option(Path("training/curve"), help="Where subsets and models go.", file_okay=False),
):
    """Train on growing, nested shares of the training split; F per label as JSON and a PNG plot."""
    values = [float(s) for s in shares.split(",")]
    if not all(0 < v <= 1 for v in values):
        raise ValueError(f"--shares must lie in (0, 1], got {shares}")
    result = run_learning_curve(config, data_dir, values, seed, max_steps, work_dir, log=typer.echo)
    write_text_atomic(output, srsly.json_dumps(result, indent=2))
    plot_curve(result["points"], plot_path)
    typer.echo(f"✔ Wrote {len(result['points'])} points to {output} and the plot to {plot_path}")


@app.command("seeds")
@fails_cleanly
def seeds_cmd(
    config: Path = CONFIG,
    data_dir: Path = DATA_DIR,
    seeds: str = typer.Option("0,1,2", help="Comma-separated training seeds, the same for every variant."),
    variant: List[str] = typer.Option([], help="NAME=path=value path=value ...: config overrides trained next to the default; repeat."),
    extra: List[str] = typer.Option([], help="NAME=PATH of a {text, spans} JSONL set scored too; skipped with a message when absent; repeat."),
    max_steps: int = typer.Option(2000, help="Training steps per model."),
    patterns: Optional[Path] = typer.Option(None, help="Entity-ruler patterns, if not the config's.", exists=True, dir_okay=False),
    output: Path = typer.Option(Path("metrics/seeds.json"), help="JSON results (also written after each model).", dir_okay=False),
    table: Path = typer.Option(Path("metrics/seeds.md"), help="Markdown table of means and spreads.", dir_okay=False),
    work_dir: Path = typer.Option(Path("training/seeds"), help="Models go to WORK_DIR/<variant>/seed<N>.", file_okay=False),
    reuse: bool = typer.Option(False, "--reuse", help="Score models already in WORK_DIR instead of training them again."),
):
    """One model per seed for the default config and each variant, scored on the test splits and
    the extra sets; every figure as mean ± sd, and whether a variant's gain exceeds the spread."""
    seed_list = [int(s) for s in seeds.split(",") if s.strip()]
    if not seed_list:
        raise ValueError("--seeds needs at least one seed")
    variants = {DEFAULT: {}}
    for spec in variant:
        name, overrides = parse_variant(spec)
        if name in variants:
            raise ValueError(f"variant {name!r} given twice")
        variants[name] = overrides
    sets = evaluation_sets(data_dir, named_paths(extra), log=typer.echo)
    result = run_seeds(config, data_dir, variants, seed_list, max_steps, work_dir, sets, patterns, reuse,
                       checkpoint=lambda partial: write_text_atomic(output, srsly.json_dumps(partial, indent=2)),
                       log=typer.echo)
    write_text_atomic(output, srsly.json_dumps(result, indent=2))
    text = seeds_table(result)
    write_text_atomic(table, text + "\n")
    typer.echo(text)
    typer.echo(f"✔ Wrote {output} and {table}")
