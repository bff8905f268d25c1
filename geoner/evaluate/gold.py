"""Gold annotations from the formats this project scores on, and scoring a model on them."""
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import spacy
from spacy.tokens import Doc, DocBin

from geoner import DataError
from geoner.data.jsonl import iter_lines
from geoner.data.tasks import Span3, task_spans
from geoner.data.validate import field_problems
from geoner.evaluate.errors import bootstrap_f, error_table
from geoner.evaluate.scoring import doc_spans, score_pipeline

Gold = Tuple[List[str], List[List[Span3]]]


def docbin_docs(path, vocab=None) -> List[Doc]:
    """The gold Docs of a DocBin file."""
    return list(DocBin().from_disk(path).get_docs(vocab or spacy.blank("en").vocab))


def docbin_gold(path) -> Gold:
    """(texts, gold spans) from a DocBin."""
    docs = docbin_docs(path)
    return [d.text for d in docs], [doc_spans(d) for d in docs]


GOLD_TYPES = {"text": str, "spans": list}
GOLD_SPAN_TYPES = {"start": int, "end": int, "label": str}


def jsonl_gold(path) -> Gold:
    """(texts, gold spans) from a JSONL file of {"text", "spans"} records (tasks or an eval set)."""
    texts, gold = [], []
    for line, row in iter_lines(path):
        problems = field_problems(row, GOLD_TYPES, "record")
        problems = problems or [p for j, s in enumerate(row["spans"]) for p in field_problems(s, GOLD_SPAN_TYPES, f"span {j}")]
        if problems:
            raise DataError(path, line, "; ".join(problems))
        texts.append(row["text"])
        gold.append(task_spans(row))
    return texts, gold


def existing_sets(paths: Dict[str, Path], log=print) -> Dict[str, Path]:
    """The named files that exist. Held-out sets live outside this repository, so an absent one
    is reported through ``log`` and left out, never an error.

    paths: set name -> file.
    log: where the line for each absent file goes.
    """
    present = {}
    for name, path in paths.items():
        if Path(path).exists():
            present[name] = Path(path)
        else:
            log(f"ℹ {name}: {path} is absent; skipped")
    return present


def load_gold(path) -> Gold:
    """(texts, gold spans) from a .spacy DocBin or a .jsonl file, chosen by suffix."""
    return docbin_gold(path) if Path(path).suffix == ".spacy" else jsonl_gold(path)


def measure(nlp, sets: Dict[str, Gold], mapping: Optional[Dict[str, str]] = None) -> Dict[str, dict]:
    """Strict scores of ``nlp`` on each named (texts, gold) set."""
    return {name: score_pipeline(nlp, texts, gold, mapping)[0] for name, (texts, gold) in sets.items()}


def analyse(nlp, texts: List[str], gold: List[List[Span3]], resamples: int = 1000, seed: int = 0,
            top: int = 15) -> Tuple[dict, dict, List[Doc]]:
    """(scores with a 95% bootstrap interval for micro F under "ci95", per-label error table,
    predicted docs) of ``nlp`` on one gold set."""
    scores, pred = score_pipeline(nlp, texts, gold)
    pred_spans = [doc_spans(d) for d in pred]
    scores["ci95"] = bootstrap_f(gold, pred_spans, resamples, seed)
    return scores, error_table(texts, gold, pred_spans, top), pred
