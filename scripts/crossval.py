"""k-fold cross-validated F, folds grouped by near-duplicate text."""
import statistics
from pathlib import Path
from typing import List

import spacy
import srsly
import typer

from geoner import LABELS, DataError, ValidationFailed
from geoner.corpus_io import load_corpus, tasks_to_docbin
from geoner.scoring import score_pipeline, task_spans
from geoner.split import kfold_indices, split_tasks
from geoner.train_utils import train_pipeline


def main(
    config: Path = typer.Argument(..., help="Training config."),
    inputs: List[Path] = typer.Argument(..., help="Corpus JSONL files."),
    k: int = typer.Option(5, help="Number of folds."),
    seed: int = typer.Option(0, help="Seed for folds, inner dev split and training."),
    max_steps: int = typer.Option(2000, help="Training steps per fold."),
    output: Path = typer.Option(Path("metrics/crossval.json"), help="JSON results."),
    work_dir: Path = typer.Option(Path("training/crossval"), help="Where fold data and models go."),
):
    """Each fold is scored by a model that never saw it; model selection uses an inner dev split."""
    try:
        tasks = load_corpus(inputs)
    except (ValidationFailed, DataError) as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(1)
    folds = []
    for i, (train_idx, test_idx) in enumerate(kfold_indices(tasks, k, seed)):
        inner = split_tasks([tasks[j] for j in train_idx], {"train": 0.85, "dev": 0.15, "test": 0.0}, seed)
        fold_dir = work_dir / f"fold{i}"
        fold_dir.mkdir(parents=True, exist_ok=True)
        for name in ("train", "dev"):
            tasks_to_docbin(inner[name]).to_disk(fold_dir / f"{name}.spacy")
        best = train_pipeline(config, fold_dir / "model", fold_dir / "train.spacy", fold_dir / "dev.spacy",
                              {"system.seed": seed, "training.max_steps": max_steps})
        held = [tasks[j] for j in test_idx]
        scores, _ = score_pipeline(spacy.load(best), [t["text"] for t in held], [task_spans(t) for t in held])
        folds.append(scores)
        typer.echo(f"fold {i}: {len(held)} paragraphs, F={scores['f']:.3f}")
    summary = {"k": k, "seed": seed, "folds": folds, "mean_f": statistics.mean(f["f"] for f in folds),
               "stdev_f": statistics.stdev(f["f"] for f in folds) if k > 1 else 0.0,
               "per_label": {l: {"mean_f": statistics.mean(f["per_label"][l]["f"] for f in folds),
                                 "stdev_f": statistics.stdev(f["per_label"][l]["f"] for f in folds) if k > 1 else 0.0}
                             for l in LABELS}}
    srsly.write_json(output, summary)
    typer.echo(f"✔ {k}-fold F = {summary['mean_f']:.3f} ± {summary['stdev_f']:.3f} (mean ± sd); wrote {output}")


if __name__ == "__main__":
    typer.run(main)
