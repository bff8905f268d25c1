"""Building Prodigy ``ner_manual`` tasks from text and character-offset spans."""
from functools import lru_cache
from typing import Iterable, List, Optional, Tuple

import spacy
from spacy.tokens import Doc

from geoner import GUIDELINES_VERSION
from geoner.data.hashing import set_hashes


Span3 = Tuple[int, int, str]


def task_spans(task: dict) -> List[Span3]:
    """(start, end, label) for each span of a task."""
    return [(s["start"], s["end"], s["label"]) for s in task["spans"]]


@lru_cache(maxsize=1)
def tokenizer():
    """The project tokenizer: spaCy's English rules, the same ones the pipeline uses."""
    return spacy.blank("en").tokenizer


def tokens_from_doc(doc: Doc) -> List[dict]:
    return [
        {"text": t.text, "start": t.idx, "end": t.idx + len(t.text), "id": t.i, "ws": bool(t.whitespace_)}
        for t in doc
    ]


def make_task(text: str, spans: Iterable[dict], meta: dict, doc: Optional[Doc] = None) -> dict:
    """Build a hashed task; ``spans`` need start, end and label. Raises ValueError if a span
    does not line up with token boundaries, naming the span."""
    doc = doc if doc is not None else tokenizer()(text)
    out = []
    for s in sorted(spans, key=lambda s: (s["start"], s["end"])):
        span = doc.char_span(s["start"], s["end"])
        if span is None:
            raise ValueError(f"span {text[s['start']:s['end']]!r} ({s['start']}-{s['end']}) does not align with token boundaries")
        out.append({"start": s["start"], "end": s["end"], "token_start": span.start,
                    "token_end": span.end - 1, "label": s["label"]})
    task = {"text": text, "meta": {"guidelines": GUIDELINES_VERSION, **meta},
            "tokens": tokens_from_doc(doc), "spans": out, "_view_id": "ner_manual", "answer": "accept"}
    return set_hashes(task)


def task_to_doc(vocab, task: dict) -> Doc:
    """Rebuild a Doc from a task's own tokens and set its gold entities.

    Uses the task tokens rather than re-tokenizing so that annotations made with another
    tokenizer (a Prodigy export, say) keep their boundaries. Raises ValueError for a span
    that cannot be placed: conversion must never drop an annotation quietly.
    """
    words = [t["text"] for t in task["tokens"]]
    spaces = [bool(t["ws"]) for t in task["tokens"]]
    doc = Doc(vocab, words=words, spaces=spaces)
    if doc.text != task["text"]:
        raise ValueError("tokens do not rebuild the text")
    ents = []
    for s in task.get("spans", []):
        span = doc.char_span(s["start"], s["end"], label=s["label"])
        if span is None:
            raise ValueError(f"span {task['text'][s['start']:s['end']]!r} cannot be placed on the tokens")
        ents.append(span)
    doc.set_ents(ents, default="outside")
    return doc
