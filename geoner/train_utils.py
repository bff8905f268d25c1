"""Training and measuring pipelines from Python, for the benchmark, k-fold and curve commands."""
import contextlib
import io
import time
from pathlib import Path
from typing import Dict, List, Optional

import spacy
from spacy.cli.train import train as spacy_train
from spacy.tokens import DocBin

import geoner.training  # noqa: F401  (registers the config callbacks and readers)

from .jsonl import iter_lines
from .scoring import doc_spans, score_pipeline, task_spans


def train_pipeline(config: Path, output: Path, train: Path, dev: Path, overrides: Optional[Dict] = None,
                   quiet: bool = True) -> Path:
    """Train with spaCy's own loop and return the model-best path. Overrides use config dot-paths."""
    overrides = {"paths.train": str(train), "paths.dev": str(dev), **(overrides or {})}
    sink = io.StringIO() if quiet else None
    with contextlib.redirect_stdout(sink) if quiet else contextlib.nullcontext():
        spacy_train(config, output, use_gpu=-1, overrides=overrides)
    return output / "model-best"


def docbin_gold(path: Path):
    """(texts, gold spans) from a DocBin."""
    docs = list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))
    return [d.text for d in docs], [doc_spans(d) for d in docs]


def jsonl_gold(path: Path):
    """(texts, gold spans) from a plain {"text", "spans"} JSONL file such as a shared eval set."""
    rows = [obj for _, obj in iter_lines(path)]
    return [r["text"] for r in rows], [task_spans(r) for r in rows]


def dir_size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 1e6


def measure(nlp, sets: Dict[str, tuple], mapping=None) -> dict:
    """Strict scores on each named (texts, gold) set."""
    return {name: score_pipeline(nlp, texts, gold, mapping)[0] for name, (texts, gold) in sets.items()}


def measure_speed(pipelines: Dict[str, object], texts: List[str], rounds: int = 7) -> Dict[str, dict]:
    """Words per second of each pipeline on the same texts.

    The pipelines take turns, round after round, and each keeps its median round, so a slow
    spell on a shared machine hits all of them alike instead of deciding one row.
    """
    runs: Dict[str, List[dict]] = {name: [] for name in pipelines}
    for nlp in pipelines.values():
        list(nlp.pipe(texts[:20]))  # warm-up
    for _ in range(rounds):
        for name, nlp in pipelines.items():
            t0 = time.perf_counter()
            words = sum(len(doc) for doc in nlp.pipe(texts))
            runs[name].append({"words": words, "seconds": time.perf_counter() - t0})
    out = {}
    for name, rs in runs.items():
        mid = sorted(rs, key=lambda r: r["seconds"])[len(rs) // 2]
        out[name] = {**mid, "wps": mid["words"] / mid["seconds"], "rounds": rounds}
    return out
