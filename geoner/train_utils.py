"""Training and measuring pipelines from Python, for the benchmark, k-fold and curve commands."""
import contextlib
import io
from pathlib import Path
from typing import Dict, List, Optional

import spacy
from spacy.cli.train import train as spacy_train
from spacy.tokens import DocBin

import geoner.training  # noqa: F401  (registers the config callbacks and readers)

from .scoring import score_pipeline


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
    return [d.text for d in docs], [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in docs]


def jsonl_gold(path: Path):
    """(texts, gold spans) from a plain {"text", "spans"} JSONL file such as a shared eval set."""
    from .jsonl import iter_lines

    rows = [obj for _, obj in iter_lines(path)]
    return [r["text"] for r in rows], [[(s["start"], s["end"], s["label"]) for s in r["spans"]] for r in rows]


def dir_size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 1e6


def measure(nlp, sets: Dict[str, tuple], speed_texts: List[str], mapping=None, repeats: int = 5) -> dict:
    """Scores on each named (texts, gold) set, plus words per second on speed_texts (best of
    ``repeats`` runs, after a warm-up, so one slow run on a busy machine does not decide)."""
    out = {name: score_pipeline(nlp, texts, gold, mapping)[0] for name, (texts, gold) in sets.items()}
    list(nlp.pipe(speed_texts[:20]))
    runs = [score_pipeline(nlp, speed_texts, [[] for _ in speed_texts], mapping)[0] for _ in range(repeats)]
    best = max(runs, key=lambda r: r["wps"])
    out["speed"] = {"words": best["words"], "seconds": best["seconds"], "wps": best["wps"]}
    return out
