"""Loading the corpus and turning it into DocBins."""
from collections import Counter
from pathlib import Path
from typing import Dict, Iterable, List, Optional

import srsly
from spacy.tokens import DocBin
from spacy.vocab import Vocab

from geoner import LABELS, ValidationFailed
from geoner.data.tasks import task_to_doc
from geoner.data.jsonl import atomic_paths
from geoner.data.split import split_tasks
from geoner.data.validate import load_valid_tasks


def load_corpus(paths: Iterable, places: Optional[Dict[int, str]] = None) -> List[dict]:
    """Validated accepted tasks of the given files. Anything else is an error, never skipped.

    paths: corpus JSONL files.
    places: a dict to fill with _input_hash -> "FILE:LINE" (the hash is unique in a valid
        corpus), so that later steps can name the line a task came from.
    """
    tasks, problems = [], []
    for path, line, task in load_valid_tasks(paths):
        if task["answer"] != "accept":
            problems.append(f"{path}:{line}: answer is {task['answer']!r}; the corpus holds accepted tasks only")
        if places is not None:
            places[task["_input_hash"]] = f"{path}:{line}"
        tasks.append(task)
    if problems:
        raise ValidationFailed(problems)
    return tasks


def tasks_to_docbin(tasks: List[dict], vocab=None, places: Optional[Dict[int, str]] = None) -> DocBin:
    """A DocBin of the tasks' gold Docs; every task that cannot become a Doc is reported.

    places: _input_hash -> "FILE:LINE" from load_corpus, to name each failing task's line.
    """
    vocab = vocab or Vocab()
    db, problems = DocBin(store_user_data=False), []
    for task in tasks:
        try:
            db.add(task_to_doc(vocab, task))
        except ValueError as err:
            where = (places or {}).get(task["_input_hash"])
            problems.append(f"{where}: {err}" if where else
                            f"task with _input_hash {task['_input_hash']} ({task['text'][:40]!r}): {err}")
    if problems:
        raise ValidationFailed(problems)
    return db


def label_counts(tasks: Iterable[dict]) -> Dict[str, int]:
    c = Counter(s["label"] for t in tasks for s in t["spans"])
    return {label: c.get(label, 0) for label in LABELS}


def split_corpus(paths: Iterable, ratios: dict, seed: int, places: Optional[Dict[int, str]] = None) -> Dict[str, List[dict]]:
    """Return {split: tasks} plus {"test_<source>": tasks} for each source.

    Each source (the seed article, the authored corpus, reviewed additions) is split on its own,
    so the seed's real text keeps its own test split and can be reported apart.
    places: filled as in load_corpus.
    """
    tasks = load_corpus(paths, places)
    by_source = {}
    for t in tasks:
        by_source.setdefault(t["meta"]["source"], []).append(t)
    out = {"train": [], "dev": [], "test": []}
    for source in sorted(by_source):
        parts = split_tasks(by_source[source], ratios, seed)
        for name, part in parts.items():
            out[name].extend(part)
        out[f"test_{source}"] = parts["test"]
    return out


def write_splits(paths: Iterable, output_dir, ratios: dict, seed: int) -> Dict[str, dict]:
    """Split the corpus and write one DocBin per split plus ``splits.json``.

    paths: corpus JSONL files.
    output_dir: folder for the .spacy files.
    ratios: shares for train, dev and test.
    seed: random seed for the grouped split.
    Every DocBin is built before anything is written, and all files are written to temporaries
    and renamed together, so a bad task (named by FILE:LINE) leaves the folder as it was.
    Returns the manifest: tasks and label counts per split.
    """
    places: Dict[int, str] = {}
    parts = split_corpus(paths, ratios, seed, places)
    bins = {name: tasks_to_docbin(tasks, places=places) for name, tasks in parts.items()}
    manifest = {name: {"tasks": len(tasks), "labels": label_counts(tasks),
                       "input_hashes": [t["_input_hash"] for t in tasks]} for name, tasks in parts.items()}
    output_dir = Path(output_dir)
    names = list(bins)
    with atomic_paths(*[output_dir / f"{name}.spacy" for name in names], output_dir / "splits.json") as tmps:
        for name, tmp in zip(names, tmps):
            bins[name].to_disk(tmp)
        srsly.write_json(tmps[-1], manifest)
    return manifest
