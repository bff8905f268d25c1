"""Loading the corpus and turning it into DocBins."""
from collections import Counter
from pathlib import Path
from typing import Dict, Iterable, List

import srsly
from spacy.tokens import DocBin
from spacy.vocab import Vocab

from geoner import LABELS, ValidationFailed
from geoner.data.tasks import task_to_doc
from geoner.data.jsonl import atomic_path
from geoner.data.split import split_tasks
from geoner.data.validate import load_valid_tasks


def corpus_files(corpus_dir) -> List[Path]:
    """The corpus JSONL files, in a stable order."""
    return sorted(Path(corpus_dir).glob("*.jsonl"))


def load_corpus(paths: Iterable) -> List[dict]:
    """Validated accepted tasks of the given files. Anything else is an error, never skipped."""
    tasks, problems = [], []
    for path, line, task in load_valid_tasks(paths):
        if task["answer"] != "accept":
            problems.append(f"{path}:{line}: answer is {task['answer']!r}; the corpus holds accepted tasks only")
        tasks.append(task)
    if problems:
        raise ValidationFailed(problems)
    return tasks


def tasks_to_docbin(tasks: List[dict], vocab=None) -> DocBin:
    vocab = vocab or Vocab()
    db = DocBin(store_user_data=False)
    for task in tasks:
        try:
            db.add(task_to_doc(vocab, task))
        except ValueError as err:
            meta = task.get("meta", {})
            raise ValidationFailed([f"{meta.get('file', '?')}:{meta.get('paragraph', '?')}: {err}"]) from None
    return db


def label_counts(tasks: Iterable[dict]) -> Dict[str, int]:
    c = Counter(s["label"] for t in tasks for s in t["spans"])
    return {label: c.get(label, 0) for label in LABELS}


def split_corpus(paths: Iterable, ratios: dict, seed: int) -> Dict[str, List[dict]]:
    """Return {split: tasks} plus {"test_<source>": tasks} for each source.

    Each source (the seed article, the authored corpus, reviewed additions) is split on its own,
    so the seed's real text keeps its own test split and can be reported apart.
    """
    tasks = load_corpus(paths)
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
    Every DocBin is built before anything is written, and each file is replaced by a rename, so a
    bad task leaves the folder as it was. Returns the manifest: tasks and label counts per split.
    """
    parts = split_corpus(paths, ratios, seed)
    bins = {name: tasks_to_docbin(tasks) for name, tasks in parts.items()}
    manifest = {name: {"tasks": len(tasks), "labels": label_counts(tasks),
                       "input_hashes": [t["_input_hash"] for t in tasks]} for name, tasks in parts.items()}
    output_dir = Path(output_dir)
    for name, db in bins.items():
        with atomic_path(output_dir / f"{name}.spacy") as tmp:
            db.to_disk(tmp)
    with atomic_path(output_dir / "splits.json") as tmp:
        srsly.write_json(tmp, manifest)
    return manifest
