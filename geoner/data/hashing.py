"""Prodigy-style task hashes.

Both hashes are signed 32-bit MurmurHash3 values (seed 0), like Prodigy's, computed over a
canonical JSON string so that they do not depend on key order or on Python's hash seed:

* ``_input_hash`` = murmur3(json({"text": text}))
* ``_task_hash``  = murmur3(json({"input": _input_hash, "spans": [[start, end, label], ...]}))
  with the spans sorted. Two annotations of the same text therefore share ``_input_hash`` and
  differ in ``_task_hash`` exactly when their spans differ.
"""
import json
from typing import Iterable

from murmurhash.mrmr import hash as murmur3


def _canonical(obj) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def input_hash(text: str) -> int:
    """The ``_input_hash`` of a text."""
    return murmur3(_canonical({"text": text}))


def task_hash(in_hash: int, spans: Iterable[dict]) -> int:
    """The ``_task_hash`` of an annotation: its input hash plus its spans."""
    key = sorted((s["start"], s["end"], s["label"]) for s in spans)
    return murmur3(_canonical({"input": in_hash, "spans": key}))


def set_hashes(task: dict) -> dict:
    """Set both hashes on a task in place and return it."""
    task["_input_hash"] = input_hash(task["text"])
    task["_task_hash"] = task_hash(task["_input_hash"], task.get("spans", []))
    return task
