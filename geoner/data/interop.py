"""Label Studio and doccano, both ways.

Export writes pre-annotated tasks in each tool's import format: Label Studio JSON with the
model's spans as ``predictions`` (plus the labeling config that matches them), and doccano's
sequence-labeling JSONL (``{"text", "label": [[start, end, "LABEL"], ...]}``). The task's
``meta`` and ``_input_hash`` ride along in the tool's data, which both tools keep and export.

Import reads what the tools export and writes ner_manual tasks with this project's tokens and
hashes, ready for ``merge``. Spans are placed on the project's tokens: leading or trailing
whitespace is trimmed (both tools let a selection take in a space, and this is counted), and a
span whose edge falls inside a token is an error at FILE:LINE, since placing it would change its
text. Nothing is dropped without a word: overlaps, unknown labels, a ``text`` that disagrees
with the offsets, and result types that are not text spans are errors too.
"""
import json
from datetime import datetime
from pathlib import Path
from typing import Iterable, Iterator, List, Optional, Tuple
from xml.sax.saxutils import quoteattr

from geoner import LABELS, DataError, ValidationFailed
from geoner.data.jsonl import iter_lines
from geoner.data.tasks import make_task, tokenizer
from geoner.data.validate import check_task

TOOLS = ("labelstudio", "doccano")
FROM_NAME, TO_NAME = "label", "text"  # the names in the labeling config below
COLOURS = {"OFFICIAL": "#ffd27f", "BLOC": "#9fd3ff", "SANCTION": "#ffa3a3", "SUMMIT": "#b9f2a1"}


class SpanError(ValueError):
    """A span that cannot be placed on the tokens as it is."""


# ---- export ---------------------------------------------------------------------------------------

def labelstudio_config(labels: Iterable[str] = LABELS) -> str:
    """The labeling config XML whose names the exported predictions use."""
    items = "\n".join(f"    <Label value={quoteattr(l)} background={quoteattr(COLOURS.get(l, '#dddddd'))}/>"
                      for l in labels)
    return (f'<View>\n  <Labels name="{FROM_NAME}" toName="{TO_NAME}">\n{items}\n  </Labels>\n'
            f'  <Text name="{TO_NAME}" value="$text"/>\n</View>\n')


def to_labelstudio(task: dict) -> dict:
    """One Label Studio import task: data.text, and the task's spans as one prediction."""
    result = [{"id": f"g{i}", "from_name": FROM_NAME, "to_name": TO_NAME, "type": "labels",
               "value": {"start": s["start"], "end": s["end"], "text": task["text"][s["start"]:s["end"]],
                         "labels": [s["label"]]}}
              for i, s in enumerate(task["spans"])]
    model = task.get("meta", {}).get("model", "geoner")
    return {"data": {"text": task["text"], "meta": task.get("meta", {}), "_input_hash": task["_input_hash"]},
            "predictions": [{"model_version": model, "result": result}]}


def to_doccano(task: dict) -> dict:
    """One line of doccano's sequence-labeling JSONL; meta is carried as an extra column."""
    return {"text": task["text"], "label": [[s["start"], s["end"], s["label"]] for s in task["spans"]],
            "meta": task.get("meta", {}), "_input_hash": task["_input_hash"]}


# ---- placing spans --------------------------------------------------------------------------------

def place(text: str, doc, start, end, label) -> Tuple[dict, bool]:
    """A span on the tokens of ``doc``; returns (span, whether whitespace was trimmed).
    Raises SpanError naming the span when it cannot be placed without changing its text."""
    if not (isinstance(start, int) and isinstance(end, int) and not isinstance(start, bool)):
        raise SpanError(f"span offsets {start!r}-{end!r} are not integers")
    if not 0 <= start < end <= len(text):
        raise SpanError(f"span {start}-{end} lies outside the text (length {len(text)})")
    if label not in LABELS:
        raise SpanError(f"span {text[start:end]!r} has unknown label {label!r} (expected one of {', '.join(LABELS)})")
    s, e = start, end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if s == e:
        raise SpanError(f"span {start}-{end} ({label}) holds only whitespace")
    if doc.char_span(s, e) is None:
        widened = doc.char_span(s, e, alignment_mode="expand")
        inside = [t.text for t in doc if t.idx < s < t.idx + len(t) or t.idx < e < t.idx + len(t)]
        raise SpanError(f"span {text[s:e]!r} ({label}) at {s}-{e} cuts the token(s) {', '.join(map(repr, inside))}; "
                        f"placing it on the tokens would change its text to {widened.text!r}")
    return {"start": s, "end": e, "label": label}, (s, e) != (start, end)


def build_task(text, spans: List[Tuple[int, int, str]], meta: dict, extra: dict) -> Tuple[dict, int]:
    """A ner_manual task from a tool's text and spans; returns (task, spans trimmed).
    Raises SpanError for the first span that cannot be placed, or for overlapping spans."""
    if not isinstance(text, str) or not text.strip():
        raise SpanError("record has no non-empty 'text' string")
    doc = tokenizer()(text)
    placed, trimmed = [], 0
    for start, end, label in spans:
        span, cut = place(text, doc, start, end, label)
        placed.append(span)
        trimmed += cut
    placed.sort(key=lambda s: (s["start"], s["end"]))
    for a, b in zip(placed, placed[1:]):
        if b["start"] < a["end"]:
            raise SpanError(f"spans {text[a['start']:a['end']]!r} and {text[b['start']:b['end']]!r} overlap")
    task = make_task(text, placed, meta, doc=doc)
    task.update(extra)
    problems = check_task(task)  # the guidelines' edge rules, which merge would refuse later
    if problems:
        raise SpanError("; ".join(problems))
    return task, trimmed


def carried_meta(meta, default: dict) -> dict:
    """The task's own meta when the tool carried it back, else where the record came from."""
    return dict(meta) if isinstance(meta, dict) and "source" in meta else dict(default)


def with_foreign(task: dict, foreign_hash) -> dict:
    """Keep an input hash the tool carried that is not the project's (another tool made it)."""
    if isinstance(foreign_hash, int) and foreign_hash != task["_input_hash"]:
        task["meta"].setdefault("foreign_hashes", {"_input_hash": foreign_hash})
    return task


def keep(out: list, counts: dict, task: dict, trimmed: int) -> None:
    out.append(task)
    counts["tasks"] += 1
    counts["spans"] += len(task["spans"])
    counts["trimmed"] += trimmed


def epoch(stamp) -> Optional[int]:
    """Seconds since 1970 from Label Studio's ISO timestamps ("2021-03-09T22:16:08.728353Z")."""
    if not isinstance(stamp, str):
        return None
    try:
        return int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return None


# ---- Label Studio import --------------------------------------------------------------------------

def json_array_items(path: Path) -> Iterator[Tuple[int, object]]:
    """(line where it starts, item) for each item of a JSON array file, so that errors can name
    the line of the task, not just its index."""
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise DataError(path, raw_line(path, err.start), f"not valid UTF-8 ({err.reason})") from None
    decoder = json.JSONDecoder()
    pos = _skip(raw, 0)
    if pos >= len(raw) or raw[pos] != "[":
        raise DataError(path, raw.count("\n", 0, pos) + 1, "expected a JSON array of tasks (Label Studio's JSON export)")
    pos = _skip(raw, pos + 1)
    if pos < len(raw) and raw[pos] == "]":
        return
    while True:
        line = raw.count("\n", 0, pos) + 1
        try:
            item, pos = decoder.raw_decode(raw, pos)
        except json.JSONDecodeError as err:
            raise DataError(path, err.lineno, f"not valid JSON ({err.msg})") from None
        yield line, item
        pos = _skip(raw, pos)
        if pos < len(raw) and raw[pos] == ",":
            pos = _skip(raw, pos + 1)
            continue
        if pos < len(raw) and raw[pos] == "]":
            return
        raise DataError(path, raw.count("\n", 0, pos) + 1, "expected ',' or ']' between tasks")


def _skip(raw: str, pos: int) -> int:
    while pos < len(raw) and raw[pos] in " \t\r\n":
        pos += 1
    return pos


def raw_line(path: Path, byte: int) -> int:
    return path.read_bytes()[:byte].count(b"\n") + 1


def labelstudio_spans(results, text: str) -> List[Tuple[int, int, str]]:
    """(start, end, label) of each text-span result; anything else is a SpanError."""
    if not isinstance(results, list):
        raise SpanError("'result' is not a list")
    spans = []
    for r in results:
        if not isinstance(r, dict) or r.get("type") != "labels":
            kind = r.get("type") if isinstance(r, dict) else type(r).__name__
            raise SpanError(f"result of type {kind!r} is not a text span (expected 'labels' from the exported config)")
        value = r.get("value") or {}
        labels = value.get("labels")
        if not isinstance(labels, list) or len(labels) != 1:
            raise SpanError(f"span {value.get('start')}-{value.get('end')} has labels {labels!r}; expected exactly one")
        start, end = value.get("start"), value.get("end")
        if "text" in value and isinstance(start, int) and isinstance(end, int) and text[start:end] != value["text"]:
            raise SpanError(f"span {start}-{end} says its text is {value['text']!r} but the text there is {text[start:end]!r}")
        spans.append((start, end, labels[0]))
    return spans


def labelstudio_annotator(annotation: dict) -> str:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("id")
    return f"labelstudio-{who if who is not None else 'unknown'}"


def from_labelstudio(path) -> Tuple[List[dict], dict]:
    """Tasks from a Label Studio JSON export: one per annotation (a cancelled, i.e. skipped, one
    becomes an ignore); tasks without annotations are counted, not imported. Also reads the
    JSON-MIN export ({"text", "label": [{start, end, text, labels}]}).
    Returns (tasks, counts); raises ValidationFailed with every FILE:LINE problem."""
    path = Path(path)
    out, problems = [], []
    counts = {"records": 0, "tasks": 0, "spans": 0, "trimmed": 0, "unannotated": 0, "cancelled": 0}
    for line, item in json_array_items(path):
        counts["records"] += 1
        where = f"{path}:{line}"
        if not isinstance(item, dict):
            problems.append(f"{where}: task is not a JSON object")
            continue
        data = item.get("data") if isinstance(item.get("data"), dict) else item
        text = data.get("text")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}: task {item.get('id', counts['records'])} has no non-empty data.text string")
            continue
        default = {"source": "labelstudio", "file": path.name, "task": item.get("id")}
        meta = carried_meta(data.get("meta"), default)
        meta["labelstudio"] = {"task": item.get("id")}
        if "data" not in item and FROM_NAME in item:  # JSON-MIN: one annotation, flattened
            annotations = [{"result": [{"type": "labels", "value": v} for v in item[FROM_NAME] or []],
                            "completed_by": item.get("annotator"), "id": item.get("annotation_id"),
                            "updated_at": item.get("updated_at")}]
        else:
            annotations = item.get("annotations") or []
        if not annotations:
            counts["unannotated"] += 1
            continue
        for n, ann in enumerate(annotations):
            label = f"task {item.get('id', counts['records'])}, annotation {ann.get('id', n)}"
            cancelled = bool(ann.get("was_cancelled"))
            counts["cancelled"] += cancelled
            try:
                spans = labelstudio_spans(ann.get("result", []), text)
                extra = {"answer": "ignore" if cancelled else "accept", "_annotator_id": labelstudio_annotator(ann)}
                stamp = epoch(ann.get("updated_at") or ann.get("created_at"))
                if stamp is not None:
                    extra["_timestamp"] = stamp
                task, trimmed = build_task(text, spans, dict(meta, labelstudio=dict(meta["labelstudio"], annotation=ann.get("id"))), extra)
            except SpanError as err:
                problems.append(f"{where}: {label}: {err}")
                continue
            keep(out, counts, with_foreign(task, data.get("_input_hash")), trimmed)
    if problems:
        raise ValidationFailed(problems)
    return out, counts


# ---- doccano import -------------------------------------------------------------------------------

def doccano_spans(record: dict) -> List[Tuple[int, int, str]]:
    """Spans of a doccano record: "label": [[start, end, "LABEL"]] (sequence labeling), or
    "entities": [{start_offset, end_offset, label}] (a project with relations)."""
    if "entities" in record and "label" not in record:
        items = record["entities"]
        if not isinstance(items, list) or not all(isinstance(e, dict) for e in items):
            raise SpanError("'entities' must be a list of {start_offset, end_offset, label}")
        return [(e.get("start_offset"), e.get("end_offset"), e.get("label")) for e in items]
    items = record.get("label", [])
    if not isinstance(items, list) or not all(isinstance(e, list) and len(e) == 3 for e in items):
        raise SpanError("'label' must be a list of [start, end, \"LABEL\"] (a sequence-labeling project)")
    return [tuple(e) for e in items]


def from_doccano(path, annotator: Optional[str] = None) -> Tuple[List[dict], dict]:
    """Tasks from doccano's sequence-labeling JSONL export (one record a line, each accepted;
    doccano exports one file per user, so the annotator defaults to doccano-FILE_STEM).
    Returns (tasks, counts); raises ValidationFailed with every FILE:LINE problem."""
    path = Path(path)
    who = annotator or f"doccano-{path.stem}"
    out, problems = [], []
    counts = {"records": 0, "tasks": 0, "spans": 0, "trimmed": 0}
    try:
        for line, record in iter_lines(path):
            counts["records"] += 1
            default = {"source": "doccano", "file": path.name, "line": line}
            meta = carried_meta(record.get("meta"), default)
            meta["doccano"] = {"id": record.get("id")}
            try:
                task, trimmed = build_task(record.get("text"), doccano_spans(record), meta,
                                           {"answer": "accept", "_annotator_id": who})
            except SpanError as err:
                problems.append(f"{path}:{line}: {err}")
                continue
            keep(out, counts, with_foreign(task, record.get("_input_hash")), trimmed)
    except DataError as err:
        problems.append(str(err))
    if problems:
        raise ValidationFailed(problems)
    return out, counts
