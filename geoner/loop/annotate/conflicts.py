"""The page's second mode: walk corpus/conflicts.jsonl and settle each conflict by choosing a version.

A chosen version goes into the target corpus file through merge's ``--update`` path, so the
version it replaces is kept in the conflicts file. Each choice is also appended (fsynced) to
``RESOLVED_DIR/NAME.jsonl`` as an accepted ner_manual task whose ``meta.resolves`` names the
conflict: that file is the record of who chose what, and tells a restarted page what is settled.
"""
import hashlib
import os
import tempfile
import time
from pathlib import Path
from typing import Dict, Iterable, List

import srsly

from geoner import LABELS, DataError, ValidationFailed
from geoner.data.jsonl import iter_lines
from geoner.data.validate import UNDO
from geoner.loop.annotate.session import (AnswerLog, PageSession, Refused, check_annotator, json_body_field,
                                          read_valid, shown_path)
from geoner.loop.merge import merge_files, span_key

# Fields that a conflict record adds to the tasks it holds; they are not part of a task.
CONFLICT_ONLY = ("_origin",)


def conflict_id(record: dict) -> str:
    """A stable name for a conflict: its text and the reviewed versions, not the corpus version,
    so that merging the same review folder again after a choice finds it settled."""
    versions = sorted((v.get("_origin", ""), span_key(v)) for v in record["versions"])
    key = srsly.json_dumps([record["_input_hash"], versions], sort_keys=True)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def columns(record: dict, target: Path) -> List[dict]:
    """The versions shown side by side: the corpus version first (when there is one), then each
    reviewed version with where it came from."""
    out = []
    if record.get("corpus_version"):
        out.append({"title": f"corpus ({target.name})", "task": record["corpus_version"], "corpus": True})
    for v in record["versions"]:
        who = v.get("_annotator_id") or v.get("_session_id") or "reviewer"
        out.append({"title": f"{who} ({v.get('_origin', '?')})", "task": v, "corpus": False})
    return out


class ConflictSession(PageSession):
    """Open conflicts of a conflicts file, and the choices one annotator makes."""

    mode = "conflicts"
    gets = {"/api/state": "state", "/api/conflicts": "views"}
    posts = {"/api/resolve": "resolve"}

    def __init__(self, conflicts_path, annotator: str, output_dir, target, corpus: Iterable = ()):
        self.annotator = check_annotator(annotator)
        self.conflicts_path, self.target = Path(conflicts_path), Path(target)
        self.corpus = [Path(p) for p in corpus]
        # Texts of the other corpus files come from compiled sources (corpus/src); a choice
        # cannot change them here, only their markup can.
        self.elsewhere: Dict[int, str] = {t["_input_hash"]: str(p) for p in self.corpus for _, t in iter_lines(p)}
        self.records: List[dict] = []
        for line, record in iter_lines(self.conflicts_path):
            if not isinstance(record.get("versions"), list) or "_input_hash" not in record:
                raise DataError(self.conflicts_path, line, "not a conflict record (needs _input_hash and versions)")
            if record["versions"]:  # records of replacements made by --update are history, not open
                self.records.append(record)
        self.ids = [conflict_id(r) for r in self.records]
        self.output_dir = Path(output_dir)
        self.path = self.output_dir / f"{annotator}.jsonl"
        self.resolved: Dict[str, int] = {}
        for path in sorted(self.output_dir.glob("*.jsonl")) if self.output_dir.exists() else []:
            for _, record in read_valid(path):
                if record["answer"] != UNDO and "resolves" in record.get("meta", {}):
                    self.resolved[record["meta"]["resolves"]] = record["meta"].get("choice", -1)
        self.log = AnswerLog(self.path)

    def state(self) -> dict:
        done = sum(1 for i in self.ids if i in self.resolved)
        return {"mode": self.mode, "annotator": self.annotator, "labels": list(LABELS), "file": shown_path(self.path),
                "tasks_file": shown_path(self.conflicts_path), "total": len(self.records), "answered": done,
                "first_open": next((n for n, i in enumerate(self.ids) if i not in self.resolved), len(self.ids))}

    def views(self) -> dict:
        out = []
        for cid, record in zip(self.ids, self.records):
            cols = columns(record, self.target)
            first = cols[0]["task"]
            out.append({"id": cid, "reason": record["reason"], "text": record["text"],
                        "tok": [x for t in first["tokens"] for x in (t["start"], t["end"])],
                        "columns": [{"title": c["title"], "corpus": c["corpus"],
                                     "spans": [[s["start"], s["end"], s["label"]] for s in c["task"]["spans"]]}
                                    for c in cols],
                        "chosen": self.resolved.get(cid)})
        return {"conflicts": out}

    def resolve(self, body) -> dict:
        """Merge the chosen version into the target with --update and record the choice."""
        cid = json_body_field(body, "conflict", str)
        choice = json_body_field(body, "choice", int)
        if cid not in self.ids:
            raise Refused(404, f"no open conflict {cid} in {self.conflicts_path}")
        record = self.records[self.ids.index(cid)]
        cols = columns(record, self.target)
        if not 0 <= choice < len(cols):
            raise Refused(400, f"choice {choice} is not one of the {len(cols)} versions")
        chosen = cols[choice]
        key = record["_input_hash"]
        task = {k: v for k, v in chosen["task"].items() if k not in CONFLICT_ONLY}
        meta = dict(task.get("meta") or {}, resolves=cid, choice=choice, chosen=chosen["title"])
        resolution = dict(task, meta=meta, answer="accept", _annotator_id=self.annotator,
                          _session_id=self.annotator, _timestamp=int(time.time()))
        counts = None
        if key in self.elsewhere and not chosen["corpus"]:
            raise Refused(409, f"this text is in {self.elsewhere[key]}, which is compiled from corpus/src: "
                               "change its markup source instead")
        if not chosen["corpus"]:
            try:
                counts = self._merge(resolution)
            except ValidationFailed as err:
                raise Refused(422, "; ".join(err.problems)) from None
        self.log.append(resolution)
        self.resolved[cid] = choice
        return {"counts": counts, **self.state()}

    def _merge(self, resolution: dict) -> dict:
        fd, tmp = tempfile.mkstemp(dir=self.output_dir, prefix=".resolution.", suffix=".jsonl")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(srsly.json_dumps(resolution) + "\n")
            return merge_files([tmp], self.target, self.corpus, self.conflicts_path, update=True)
        finally:
            os.unlink(tmp)
