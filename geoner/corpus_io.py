"""Loading the corpus and turning it into DocBins."""
from collections import Counter
from pathlib import Path
from typing import Dict, Iterable, List

from spacy.tokens import DocBin
from spacy.vocab import Vocab

from . import LABELS, ValidationFailed
from .tasks import task_to_doc
from .validate import load_valid_tasks


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
