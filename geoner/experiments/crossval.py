"""k-fold cross-validation, folds grouped by near-duplicate text."""
import statistics
from pathlib import Path
from typing import List

import spacy

from geoner import LABELS
from geoner.data.corpus import tasks_to_docbin
from geoner.data.split import kfold_indices, split_tasks
from geoner.data.tasks import task_spans
from geoner.evaluate.scoring import score_pipeline
from geoner.experiments.training import train_pipeline


def summarize_runs(runs: List[dict]) -> dict:
    """Mean and sample standard deviation of F, overall and per label, over scored runs."""
    def spread(values):
        return statistics.stdev(values) if len(values) > 1 else 0.0

    fs = [r["f"] for r in runs]
    return {"mean_f": statistics.mean(fs), "stdev_f": spread(fs),
            "per_label": {l: {"mean_f": statistics.mean(r["per_label"][l]["f"] for r in runs),
                              "stdev_f": spread([r["per_label"][l]["f"] for r in runs])} for l in LABELS}}


def run_crossval(config: Path, tasks: List[dict], k: int, seed: int, max_steps: int, work_dir: Path,
                 log=print) -> dict:
    """Train one model per fold and score it on the fold it never saw.

    config: training config.
    tasks: validated corpus tasks.
    k: number of folds.
    seed: seed for the folds, the inner dev split and training.
    max_steps: training steps per fold.
    work_dir: where fold data and models go.
    log: where progress lines go.
    """
    folds = []
    for i, (train_idx, test_idx) in enumerate(kfold_indices(tasks, k, seed)):
        log(f"fold {i + 1}/{k}: training on {len(train_idx)} paragraphs ...")
        inner = split_tasks([tasks[j] for j in train_idx], {"train": 0.85, "dev": 0.15, "test": 0.0}, seed)
        fold_dir = Path(work_dir) / f"fold{i}"
        fold_dir.mkdir(parents=True, exist_ok=True)
        for name in ("train", "dev"):
            tasks_to_docbin(inner[name]).to_disk(fold_dir / f"{name}.spacy")
        best = train_pipeline(config, fold_dir / "model", fold_dir / "train.spacy", fold_dir / "dev.spacy",
                              {"system.seed": seed, "training.max_steps": max_steps})
        held = [tasks[j] for j in test_idx]
        scores, _ = score_pipeline(spacy.load(best), [t["text"] for t in held], [task_spans(t) for t in held])
        folds.append(scores)
        log(f"fold {i + 1}/{k}: {len(held)} paragraphs, F={scores['f']:.3f}")
    return {"k": k, "seed": seed, "folds": folds, **summarize_runs(folds)}
