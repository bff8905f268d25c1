"""The tasks of one annotation session and its append-only answer file.

Every answer is one line appended to ``OUTPUT_DIR/NAME.jsonl`` in Prodigy's ``ner_manual`` form
(with ``_annotator_id``, ``_session_id`` and ``_timestamp``), flushed and fsynced before the page
hears back, so a closed browser or a killed server loses nothing. Lines are never rewritten: an
undo appends a copy of the withdrawn answer with ``"answer": "undo"``, and readers (merge, a
restarted page) take the annotator's last line per text. Restarting resumes at the first task
without a standing answer.
"""
import os
import re
import threading
import time
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import srsly

from geoner import LABELS, DataError, ValidationFailed
from geoner.data.hashing import task_hash
from geoner.data.validate import ANSWERS, UNDO, check_task
from geoner.loop.merge import read_incoming

# A name becomes a file name and an id in the corpus, so it is kept to a safe alphabet.
ANNOTATOR_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class Refused(Exception):
    """A request the page must not act on: an HTTP status and a reason shown to the user."""

    def __init__(self, status: int, reason: str):
        self.status, self.reason = status, reason
        super().__init__(f"{status}: {reason}")


def check_annotator(name: str) -> str:
    if not ANNOTATOR_NAME.match(name):
        raise ValueError(f"annotator name {name!r} must be 1-64 letters, digits, '_', '.' or '-', "
                         "starting with a letter or digit")
    return name


def read_valid(path) -> List[Tuple[int, dict]]:
    """(line, task) for each task of a file from any tool, with this project's hashes; raises
    ValidationFailed with every FILE:LINE problem."""
    problems: list = []
    tasks = read_incoming(path, problems)
    if problems:
        raise ValidationFailed(problems)
    return tasks


class AnswerLog:
    """An append-only JSONL file whose every line is on disk before ``append`` returns."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        created = not self.path.exists()
        self.fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        size = os.fstat(self.fd).st_size
        if size:
            with self.path.open("rb") as f:
                f.seek(size - 1)
                if f.read(1) != b"\n":  # a hand-edited file without a final newline
                    self._write(b"\n")
        if created:  # the new name must survive a crash too
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view):]
        os.fsync(self.fd)

    def append(self, record: dict) -> None:
        self._write((srsly.json_dumps(record) + "\n").encode("utf-8"))

    def close(self) -> None:
        os.close(self.fd)


def shown_path(path: Path) -> str:
    """A path as the page header shows it: relative to the working folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return f".../{Path(path).parent.name}/{Path(path).name}"


def task_view(task: dict, current: Optional[dict]) -> dict:
    """What the page needs of a task, compactly: 10,000 of them are sent at once."""
    shown = current if current is not None and current["answer"] != UNDO else task
    return {"h": task["_input_hash"], "text": task["text"],
            "tok": [x for t in task["tokens"] for x in (t["start"], t["end"])],
            "spans": [[s["start"], s["end"], s["label"]] for s in shown["spans"]],
            "answer": current["answer"] if current is not None and current["answer"] != UNDO else None}


def place_spans(task: dict, spans) -> List[dict]:
    """The page's spans as task spans on the task's tokens; Refused (422) for one that is not on
    token boundaries, has an unknown label, or overlaps another."""
    if not isinstance(spans, list):
        raise Refused(400, "'spans' must be a list")
    text, starts = task["text"], {t["start"]: t["id"] for t in task["tokens"]}
    ends = {t["end"]: t["id"] for t in task["tokens"]}
    out = []
    for s in spans:
        if not (isinstance(s, dict) and isinstance(s.get("start"), int) and isinstance(s.get("end"), int)
                and isinstance(s.get("label"), str)):
            raise Refused(400, "each span needs integer 'start' and 'end' and a string 'label'")
        start, end, label = s["start"], s["end"], s["label"]
        if label not in LABELS:
            raise Refused(422, f"unknown label {label!r} (expected one of {', '.join(LABELS)})")
        if start not in starts or end not in ends or start >= end:
            raise Refused(422, f"span {start}-{end} {text[max(start, 0):max(end, 0)]!r} is not on token boundaries")
        out.append({"start": start, "end": end, "token_start": starts[start], "token_end": ends[end], "label": label})
    out.sort(key=lambda s: s["start"])
    for a, b in zip(out, out[1:]):
        if b["start"] < a["end"]:
            raise Refused(422, f"spans {text[a['start']:a['end']]!r} and {text[b['start']:b['end']]!r} overlap")
    return out


def json_body_field(body, key: str, kind):
    if not isinstance(body, dict) or not isinstance(body.get(key), kind) or isinstance(body.get(key), bool):
        raise Refused(400, f"the request needs a {kind.__name__} {key!r}")
    return body[key]


class PageSession:
    """What the server asks of a session: named GET resources and POST actions, by route."""

    gets: Dict[str, str] = {}
    posts: Dict[str, str] = {}
    log: AnswerLog

    def get(self, route: str) -> dict:
        if route not in self.gets:
            raise Refused(404, f"no such resource {route}")
        return getattr(self, self.gets[route])()

    def post(self, route: str, body) -> dict:
        if route not in self.posts:
            raise Refused(404, f"no such action {route}")
        return getattr(self, self.posts[route])(body)

    def close(self) -> None:
        self.log.close()


class AnnotationSession(PageSession):
    """The tasks of TASKS.jsonl and one annotator's answers to them."""

    mode = "tasks"
    gets = {"/api/state": "state", "/api/tasks": "task_views"}
    posts = {"/api/answer": "answer", "/api/undo": "undo"}

    def __init__(self, tasks_path, annotator: str, output_dir):
        self.annotator = check_annotator(annotator)
        self.tasks_path = Path(tasks_path)
        self.tasks = [t for _, t in read_valid(tasks_path)]
        self.index: Dict[int, int] = {}
        problems = []
        for i, t in enumerate(self.tasks):
            if t["_input_hash"] in self.index:
                problems.append(f"{tasks_path}: task {i + 1} repeats the text of task {self.index[t['_input_hash']] + 1}")
            self.index.setdefault(t["_input_hash"], i)
        if problems:
            raise ValidationFailed(problems)
        self.path = Path(output_dir) / f"{annotator}.jsonl"
        self.latest: Dict[int, dict] = {}
        self.order: List[int] = []  # input hashes with a standing answer, oldest first
        if self.path.exists():
            for line, record in read_valid(self.path):
                if record.get("_annotator_id") != annotator:
                    raise DataError(self.path, line, f"answer by {record.get('_annotator_id')!r} in {annotator}'s file")
                self._note(record)
        self.log = AnswerLog(self.path)
        self.lock = threading.Lock()

    def _note(self, record: dict) -> None:
        key = record["_input_hash"]
        self.latest[key] = record
        if key in self.order:
            self.order.remove(key)
        if record["answer"] != UNDO:
            self.order.append(key)

    def answered(self) -> int:
        return sum(1 for key in self.order if key in self.index)

    def first_open(self) -> int:
        standing = set(self.order)
        return next((i for i, t in enumerate(self.tasks) if t["_input_hash"] not in standing), len(self.tasks))

    def state(self) -> dict:
        return {"mode": self.mode, "annotator": self.annotator, "labels": list(LABELS), "file": shown_path(self.path),
                "tasks_file": shown_path(self.tasks_path), "total": len(self.tasks), "answered": self.answered(),
                "first_open": self.first_open()}

    def task_views(self) -> dict:
        with self.lock:
            views = [task_view(t, self.latest.get(t["_input_hash"])) for t in self.tasks]
            order = [self.index[k] for k in self.order if k in self.index]
        return {"tasks": views, "order": order}

    def _task(self, body) -> dict:
        key = json_body_field(body, "input_hash", int)
        if key not in self.index:
            raise Refused(404, f"no task with input hash {key} in {self.tasks_path}")
        return self.tasks[self.index[key]]

    def answer(self, body) -> dict:
        """Check and append one answer; returns the progress."""
        task = self._task(body)
        answer = json_body_field(body, "answer", str)
        if answer not in ANSWERS:
            raise Refused(400, f"answer {answer!r} is not one of {', '.join(sorted(ANSWERS))}")
        spans = place_spans(task, body.get("spans"))
        now = int(time.time())
        record = dict(task, spans=spans, answer=answer, _task_hash=task_hash(task["_input_hash"], spans),
                      _annotator_id=self.annotator, _session_id=self.annotator, _timestamp=now)
        problems = check_task(record)
        if problems:  # the guidelines' edge rules, which merge would refuse later
            raise Refused(422, "; ".join(problems))
        with self.lock:
            self.log.append(record)
            self._note(record)
            return {"answered": self.answered(), "total": len(self.tasks)}

    def undo(self, body) -> dict:
        """Withdraw the standing answer to a task by appending an undo line; returns its spans."""
        task = self._task(body)
        with self.lock:
            current = self.latest.get(task["_input_hash"])
            if current is None or current["answer"] == UNDO:
                raise Refused(409, "this task has no answer to undo")
            record = dict(current, answer=UNDO, _timestamp=int(time.time()))
            self.log.append(record)
            self._note(record)
            return {"answered": self.answered(), "total": len(self.tasks),
                    "spans": [[s["start"], s["end"], s["label"]] for s in current["spans"]]}
