"""Learning curve: train on growing, nested shares of the training split."""
import random
from pathlib import Path
from typing import List

import spacy
from spacy.tokens import DocBin

from geoner import LABELS
from geoner.evaluate.gold import docbin_docs, docbin_gold
from geoner.evaluate.scoring import score_pipeline
from geoner.experiments.training import train_pipeline


def nested_subsets(n_docs: int, shares: List[float], seed: int) -> List[List[int]]:
    """Index lists for each share; each subset contains every smaller one."""
    order = list(range(n_docs))
    random.Random(seed).shuffle(order)
    return [sorted(order[:max(1, round(share * n_docs))]) for share in shares]


def run_learning_curve(config: Path, data_dir: Path, shares: List[float], seed: int, max_steps: int,
                       work_dir: Path, log=print) -> dict:
    """Same seed and config at every point; F per label on the test split.

    config: training config.
    data_dir: folder with train/dev/test .spacy files.
    shares: shares of the training split, in (0, 1].
    seed: seed for the subsets and for training.
    max_steps: training steps per point.
    work_dir: where subsets and models go.
    log: where progress lines go.
    """
    docs = docbin_docs(Path(data_dir) / "train.spacy")
    texts, gold = docbin_gold(Path(data_dir) / "test.spacy")
    points = []
    for share, idx in zip(shares, nested_subsets(len(docs), shares, seed)):
        log(f"{share:4.0%}: training on {len(idx)} paragraphs ...")
        subset = Path(work_dir) / f"train_{share:.2f}.spacy"
        subset.parent.mkdir(parents=True, exist_ok=True)
        DocBin(docs=[docs[i] for i in idx]).to_disk(subset)
        best = train_pipeline(config, Path(work_dir) / f"model_{share:.2f}", subset, Path(data_dir) / "dev.spacy",
                              {"system.seed": seed, "training.max_steps": max_steps})
        scores, _ = score_pipeline(spacy.load(best), texts, gold)
        points.append({"share": share, "train_docs": len(idx), "scores": scores})
        log(f"{share:4.0%} ({len(idx)} paragraphs): F={scores['f']:.3f} " +
            " ".join(f"{l}={scores['per_label'][l]['f']:.3f}" for l in LABELS))
    return {"seed": seed, "max_steps": max_steps, "points": points}


def plot_curve(points: List[dict], path: Path) -> None:
    """F per label and overall against training paragraphs, as a PNG."""
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
    plt.close(fig)
