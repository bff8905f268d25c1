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


# Files written by this project carry the hashes above. Files that come in from other tools
# (a real `prodigy db-out`, Label Studio, doccano) carry their own numbers: Prodigy hashes with a
# function of its own and ``ner.manual`` rehashes what it streams. For those the hashes are only
# identifiers; the text is what identifies a task.
PROJECT, FOREIGN, NONE = "project", "foreign", "none"


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def hash_scheme(task: dict) -> str:
    """Which scheme a task's hashes follow: "project" when both are this project's, "foreign"
    when either is another tool's, "none" when it carries no usable hashes."""
    ih, th, text = task.get("_input_hash"), task.get("_task_hash"), task.get("text")
    if not (_is_int(ih) and _is_int(th) and isinstance(text, str)):
        return NONE
    spans = task.get("spans")
    # Spans whose fields have the wrong types cannot be hashed; validation reports them.
    if not isinstance(spans, list) or not all(isinstance(s, dict) and _is_int(s.get("start")) and _is_int(s.get("end"))
                                              and isinstance(s.get("label"), str) for s in spans):
        return FOREIGN if ih != input_hash(text) else PROJECT
    return PROJECT if ih == input_hash(text) and th == task_hash(ih, spans) else FOREIGN


def file_scheme(counts: dict) -> str:
    """One word for a whole file from the per-task scheme counts: project, foreign, mixed or none."""
    used = [k for k in (PROJECT, FOREIGN) if counts.get(k)]
    if not used:
        return NONE
    return used[0] if len(used) == 1 and not counts.get(NONE) else "mixed"


def adopt_hashes(task: dict) -> dict:
    """A copy of an incoming task with this project's hashes, derived from its text and spans.

    Hashes that differ from the project's are kept in ``meta["foreign_hashes"]`` so that the
    task can still be traced back in the tool that made it. A task whose hashes already are the
    project's comes back unchanged. The task must have a text and a list of spans with start,
    end and label; the caller validates the rest.
    """
    ih = input_hash(task["text"])
    th = task_hash(ih, task["spans"])
    if task.get("_input_hash") == ih and task.get("_task_hash") == th:
        return task
    out = dict(task, _input_hash=ih, _task_hash=th)
    original = {k: task[k] for k in ("_input_hash", "_task_hash") if k in task}
    if original:
        meta = dict(task.get("meta") or {})
        # A task that passed through twice keeps the first tool's numbers.
        meta.setdefault("foreign_hashes", original)
        out["meta"] = meta
    return out
