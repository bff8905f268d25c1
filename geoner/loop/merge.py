"""Merging reviewed annotations into the corpus without losing or overwriting anything.

Reviewed files may come from ``prodigy db-out``, from the annotation page, from an import, from
several annotators or from hand edits. Their hashes are identifiers of the tool that wrote them:
Prodigy hashes with its own function, rehashes what ``ner.manual`` streams and keeps a task's
``_task_hash`` when an annotator edits its spans. So incoming tasks are matched by their text;
what is merged gets this project's hashes, and different incoming values are kept in
``meta["foreign_hashes"]``.

Within one file, the answers of one annotator (``_annotator_id``) to one text form a history:
the last one counts, and an ``"undo"`` answer (written by the annotation page) withdraws the
answer before it. Earlier answers stay in the file; they are counted as superseded, never merged.
Records without an annotator id are each a version of their own.
"""
from collections import OrderedDict
from pathlib import Path
from typing import Dict, Iterable, List, Tuple

import srsly

from geoner import DataError, ValidationFailed
from geoner.data.hashing import adopt_hashes, task_hash
from geoner.data.jsonl import atomic_paths, iter_lines
from geoner.data.tasks import task_spans
from geoner.data.validate import UNDO, check_task, load_valid_tasks


def span_key(task: dict) -> tuple:
    return tuple(sorted(task_spans(task)))


def read_incoming(path, problems: list) -> List[Tuple[int, dict]]:
    """(line, task) for each valid task of a file from any tool, with this project's hashes (see
    geoner.data.hashing.adopt_hashes); each problem is appended to ``problems`` as FILE:LINE: reason."""
    out = []
    try:
        for line, task in iter_lines(path):
            reasons = check_task(task, incoming=True)
            if task.get("answer") == UNDO and not isinstance(task.get("_annotator_id"), str):
                reasons.append("an 'undo' answer needs the _annotator_id whose answer it withdraws")
            problems.extend(f"{path}:{line}: {r}" for r in reasons)
            if not reasons:
                out.append((line, adopt_hashes(task)))
    except DataError as err:  # a truncated line or a bad byte ends that file
        problems.append(str(err))
    return out


def read_reviewed(paths) -> List[Tuple[str, dict]]:
    """All tasks of the reviewed files as (FILE:LINE, task) with this project's hashes; every
    invalid one is an error (ValidationFailed lists them all)."""
    out, problems = [], []
    for path in paths:
        out.extend((f"{path}:{line}", task) for line, task in read_incoming(path, problems))
    if problems:
        raise ValidationFailed(problems)
    return out


def latest_answers(reviewed: List[Tuple[str, dict]]) -> Tuple[List[Tuple[str, dict]], dict]:
    """Keep each annotator's last answer per text and file; drop those withdrawn by an undo.

    reviewed: (FILE:LINE, task) pairs from read_reviewed, in file order.
    Returns (the answers that count, in their original order; counts of superseded and
    withdrawn answers).
    """
    last: Dict[tuple, int] = {}
    for i, (origin, task) in enumerate(reviewed):
        annotator = task.get("_annotator_id")
        if isinstance(annotator, str):
            last[(origin.rsplit(":", 1)[0], annotator, task["_input_hash"])] = i
    counts = {"superseded": 0, "withdrawn": 0}
    kept = []
    for i, (origin, task) in enumerate(reviewed):
        annotator = task.get("_annotator_id")
        if isinstance(annotator, str) and last[(origin.rsplit(":", 1)[0], annotator, task["_input_hash"])] != i:
            counts["superseded"] += 1
        elif task["answer"] == UNDO:
            counts["withdrawn"] += 1
        else:
            kept.append((origin, task))
    return kept, counts


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
        elif task["answer"] == "accept":
            by_input.setdefault(task["_input_hash"], []).append((origin, task))
        else:  # an undo must have been resolved by latest_answers
            raise ValueError(f"{origin}: answer {task['answer']!r} cannot be merged")
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


def reviewed_files(paths: Iterable) -> List[Path]:
    """Files named by ``paths``: files as given, folders as their sorted .jsonl files.

    A folder that holds other files a user may think are reviews (.json) is an error, so that
    nothing in it is skipped without a word.
    """
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            stray = sorted(p.glob("*.json"))
            if stray:
                raise DataError(stray[0], 1, "a .json file in a review folder is not read; "
                                              "convert it to JSONL (one task a line) or move it out")
            out.extend(sorted(p.glob("*.jsonl")))
        else:
            out.append(p)
    return out


def merge_files(reviewed: Iterable, target: Path, corpus: Iterable = (), conflicts: Path = Path("corpus/conflicts.jsonl"),
                update: bool = False) -> dict:
    """Merge reviewed JSONL files into ``target``; disagreements are appended to ``conflicts``.

    reviewed: reviewed JSONL files or folders of them.
    target: corpus file the accepted tasks go into.
    corpus: other corpus files, read only to find known texts.
    conflicts: where disagreeing versions are kept.
    update: let an agreed review replace a differing entry of ``target``.
    Both files are written to temporaries and renamed together, so a failure changes neither.
    Returns the counts.
    """
    incoming = read_reviewed(reviewed_files(reviewed))
    foreign = sum(1 for _, t in incoming if "foreign_hashes" in t.get("meta", {}))
    answers, history = latest_answers(incoming)
    target, conflicts = Path(target), Path(conflicts)
    # The corpus files are read as tasks, so they must be valid ones; a broken line there is
    # named like one in the reviewed files instead of failing inside the merge.
    current = [t for _, _, t in load_valid_tasks([target])] if target.exists() else []
    others = {t["_input_hash"]: t for _, _, t in load_valid_tasks(corpus)}
    result, new_conflicts, counts = merge(current, others, answers, update=update)
    old_conflicts = [c for _, c in iter_lines(conflicts)] if conflicts.exists() else []
    # A conflict already on record (the same folder merged twice) is not written again.
    known = {srsly.json_dumps(c, sort_keys=True) for c in old_conflicts}
    fresh = [c for c in new_conflicts if srsly.json_dumps(c, sort_keys=True) not in known]
    problems = [f"{target}: task {i + 1}: {reason}" for i, t in enumerate(result) for reason in check_task(t)]
    if problems:
        raise ValidationFailed(problems)
    with atomic_paths(target, conflicts) as (tmp_target, tmp_conflicts):
        srsly.write_jsonl(tmp_target, result)
        srsly.write_jsonl(tmp_conflicts, old_conflicts + fresh)
    counts.update(reviewed=len(incoming), conflicts_written=len(fresh), foreign_hashes=foreign, **history)
    return counts
