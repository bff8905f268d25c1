"""Strict span scoring (exact start, end and label), per label and overall."""
import time
from collections import Counter
from typing import Dict, Iterable, List, Optional, Tuple

from spacy.tokens import Doc

from geoner import LABELS
from geoner.data.tasks import Span3


def prf(tp: int, fp: int, fn: int) -> Dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f": f, "tp": tp, "fp": fp, "fn": fn}


def strict_scores(gold: Iterable[Iterable[Span3]], pred: Iterable[Iterable[Span3]]) -> dict:
    """P/R/F per label and micro-averaged over all labels, from (start, end, label) sets."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in zip(gold, pred):
        g, p = set(g), set(p)
        for s in g & p:
            tp[s[2]] += 1
        for s in p - g:
            fp[s[2]] += 1
        for s in g - p:
            fn[s[2]] += 1
    out = {"per_label": {label: prf(tp[label], fp[label], fn[label]) for label in LABELS}}
    out.update(prf(sum(tp[l] for l in LABELS), sum(fp[l] for l in LABELS), sum(fn[l] for l in LABELS)))
    return out


def doc_spans(doc: Doc, mapping: Optional[Dict[str, str]] = None) -> List[Span3]:
    spans = []
    for e in doc.ents:
        label = mapping.get(e.label_) if mapping is not None else e.label_
        if label in LABELS:
            spans.append((e.start_char, e.end_char, label))
    return spans


def score_pipeline(nlp, texts: List[str], gold: List[List[Span3]], mapping=None) -> Tuple[dict, List[Doc]]:
    """Run ``nlp`` over texts and score it; also reports words per second of the run."""
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts))
    seconds = time.perf_counter() - t0
    scores = strict_scores(gold, [doc_spans(d, mapping) for d in docs])
    words = sum(len(d) for d in docs)
    scores.update({"words": words, "seconds": seconds, "wps": words / seconds if seconds else 0.0})
    return scores, docs


def format_table(scores: dict) -> str:
    lines = [f"{'label':9s} {'P':>6s} {'R':>6s} {'F':>6s} {'tp':>5s} {'fp':>5s} {'fn':>5s}"]
    rows = list(scores["per_label"].items()) + [("ALL", scores)]
    for label, s in rows:
        lines.append(f"{label:9s} {s['p']:6.3f} {s['r']:6.3f} {s['f']:6.3f} {s['tp']:5d} {s['fp']:5d} {s['fn']:5d}")
    return "\n".join(lines)
