"""Merging reviewed annotations into the corpus without losing or overwriting anything.

Reviewed files may come from ``prodigy db-out``, from several annotators or from hand edits.
Prodigy keeps a task's ``_task_hash`` when an annotator edits its spans (the hash names the
question, not the answer), so incoming task hashes are not checked; the merged record gets the
task hash of its accepted spans.
"""
from collections import OrderedDict
from typing import Dict, List, Tuple

from . import DataError, ValidationFailed
from .hashing import task_hash
from .jsonl import iter_lines
from .scoring import task_spans
from .validate import check_task


def span_key(task: dict) -> tuple:
    return tuple(sorted(task_spans(task)))


def read_reviewed(paths) -> List[Tuple[str, dict]]:
    """All tasks of the reviewed files as (FILE:LINE, task); every invalid one is an error."""
    out, problems = [], []
    for path in paths:
        try:
            for line, task in iter_lines(path):
                where = f"{path}:{line}"
                problems.extend(f"{where}: {r}" for r in check_task(task, check_task_hash=False))
                out.append((where, task))
        except DataError as err:  # a truncated line or a bad byte ends that file
            problems.append(str(err))
    if problems:
        raise ValidationFailed(problems)
    return out


def merge(target: List[dict], others: Dict[int, dict], reviewed: List[Tuple[str, dict]],
          update: bool = False) -> Tuple[List[dict], List[dict], dict]:
    """Merge reviewed tasks into the target corpus file's tasks.

    target: tasks of the file being merged into (they may be updated only with ``update``).
    others: input hash -> task for the rest of the corpus (never changed here).
    reviewed: (origin, task) pairs from read_reviewed.
    update: let an agreed reviewed version replace a differing target entry; the replaced
        version goes to the conflicts list, so it is kept.
    Returns (new target tasks, conflict records, counts).
    """
    counts = {"added": 0, "updated": 0, "unchanged": 0, "conflicts": 0, "rejected": 0, "ignored": 0}
    by_input: "OrderedDict[int, List[Tuple[str, dict]]]" = OrderedDict()
    for origin, task in reviewed:
        if task["answer"] == "reject":
            counts["rejected"] += 1
        elif task["answer"] == "ignore":
            counts["ignored"] += 1
        else:
            by_input.setdefault(task["_input_hash"], []).append((origin, task))
    result = list(target)
    index = {t["_input_hash"]: i for i, t in enumerate(result)}
    conflicts = []
    for key, versions in by_input.items():
        current = result[index[key]] if key in index else others.get(key)
        if len({span_key(t) for _, t in versions}) > 1:
            conflicts.append(_conflict("reviewed versions disagree", versions, current))
            counts["conflicts"] += 1
            continue
        origin, task = versions[0]
        task = dict(task, _task_hash=task_hash(key, task["spans"]))
        if current is None:
            index[key] = len(result)
            result.append(task)
            counts["added"] += 1
        elif span_key(current) == span_key(task):
            counts["unchanged"] += 1
        elif update and key in index:
            conflicts.append(_conflict("replaced by a reviewed version (--update)", [], current))
            result[index[key]] = task
            counts["updated"] += 1
        else:
            conflicts.append(_conflict("reviewed version differs from the corpus", versions, current))
            counts["conflicts"] += 1
    return result, conflicts, counts


def _conflict(reason: str, versions, current) -> dict:
    text = current["text"] if current else versions[0][1]["text"]
    record = {"reason": reason, "text": text,
              "_input_hash": current["_input_hash"] if current else versions[0][1]["_input_hash"],
              "versions": [dict(t, _origin=origin) for origin, t in versions]}
    if current is not None:
        record["corpus_version"] = current
    return record
