"""Learning curve: train on growing shares of the training split and score each model."""
import random
from pathlib import Path
from typing import List

import spacy
import srsly
import typer
from spacy.tokens import DocBin

from geoner import LABELS
from geoner.train_utils import docbin_gold, train_pipeline
from geoner.scoring import score_pipeline


def plot(points: List[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display on servers and CI
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    xs = [p["train_docs"] for p in points]
    for label in LABELS:
        ax.plot(xs, [p["scores"]["per_label"][label]["f"] for p in points], marker="o", label=label)
    ax.plot(xs, [p["scores"]["f"] for p in points], marker="s", color="black", linewidth=2, label="ALL")
    ax.set(xlabel="training paragraphs", ylabel="strict F (test split)", ylim=(0, 1), title="Learning curve")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main(
    config: Path = typer.Argument(..., help="Training config."),
    data_dir: Path = typer.Argument(..., help="Folder with train/dev/test .spacy files."),
    output: Path = typer.Option(Path("metrics/learning_curve.json"), help="JSON results."),
    plot_path: Path = typer.Option(Path("metrics/learning_curve.png"), "--plot", help="PNG plot."),
    shares: str = typer.Option("0.25,0.5,0.75,1.0", help="Comma-separated shares of the training split."),
    seed: int = typer.Option(0, help="Seed for the subsets and for training."),
    max_steps: int = typer.Option(2000, help="Training steps per point."),
    work_dir: Path = typer.Option(Path("training/curve"), help="Where subsets and models go."),
):
    """Same seed and config at every point; F per label on the test split."""
    nlp = spacy.blank("en")
    docs = list(DocBin().from_disk(data_dir / "train.spacy").get_docs(nlp.vocab))
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)  # nested subsets: each share contains the smaller ones
    texts, gold = docbin_gold(data_dir / "test.spacy")
    points = []
    for share in [float(s) for s in shares.split(",")]:
        n = max(1, round(share * len(docs)))
        subset = work_dir / f"train_{share:.2f}.spacy"
        subset.parent.mkdir(parents=True, exist_ok=True)
        DocBin(docs=[docs[i] for i in order[:n]]).to_disk(subset)
        best = train_pipeline(config, work_dir / f"model_{share:.2f}", subset, data_dir / "dev.spacy",
                              {"system.seed": seed, "training.max_steps": max_steps})
        scores, _ = score_pipeline(spacy.load(best), texts, gold)
        points.append({"share": share, "train_docs": n, "scores": scores})
        typer.echo(f"{share:4.0%} ({n} paragraphs): F={scores['f']:.3f} " +
                   " ".join(f"{l}={scores['per_label'][l]['f']:.3f}" for l in LABELS))
    srsly.write_json(output, {"seed": seed, "max_steps": max_steps, "points": points})
    plot(points, plot_path)
    typer.echo(f"✔ Wrote {len(points)} points to {output} and the plot to {plot_path}")


if __name__ == "__main__":
    typer.run(main)
