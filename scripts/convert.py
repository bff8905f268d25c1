"""Split the corpus (seeded, grouped) and write train/dev/test DocBins."""
from pathlib import Path
from typing import List

import srsly
import typer

from geoner import DataError, ValidationFailed
from geoner.corpus_io import label_counts, split_corpus, tasks_to_docbin


def main(
    inputs: List[Path] = typer.Argument(..., help="Corpus JSONL files."),
    output_dir: Path = typer.Option(..., "--output-dir", "-o", help="Folder for the .spacy files."),
    train: float = typer.Option(0.7, help="Share of each source for training."),
    dev: float = typer.Option(0.15, help="Share of each source for the dev split."),
    test: float = typer.Option(0.15, help="Share of each source for the test split."),
    seed: int = typer.Option(0, help="Random seed for the grouped split."),
):
    """Split corpus tasks by source and write one DocBin per split."""
    try:
        parts = split_corpus(inputs, {"train": train, "dev": dev, "test": test}, seed)
    except (ValidationFailed, DataError, ValueError) as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(1)
    output_dir.mkdir(parents=True, exist_ok=True)
    manifest = {}
    typer.echo(f"{'split':16s} {'tasks':>6s} " + " ".join(f"{l:>9s}" for l in label_counts([])))
    for name, tasks in parts.items():
        tasks_to_docbin(tasks).to_disk(output_dir / f"{name}.spacy")
        counts = label_counts(tasks)
        typer.echo(f"{name:16s} {len(tasks):6d} " + " ".join(f"{v:9d}" for v in counts.values()))
        manifest[name] = {"tasks": len(tasks), "labels": counts, "input_hashes": [t["_input_hash"] for t in tasks]}
    srsly.write_json(output_dir / "splits.json", manifest)
    typer.echo(f"✔ Wrote {len(parts)} DocBins ({sum(len(parts[s]) for s in ('train', 'dev', 'test'))} tasks) to {output_dir}")


if __name__ == "__main__":
    typer.run(main)
