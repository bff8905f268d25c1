"""Checks for Prodigy-compatible ner_manual JSONL. Every problem names its FILE:LINE."""
import json
from typing import Dict, Iterable, List, Optional, Tuple

from geoner import LABELS, DataError, ValidationFailed
from geoner.data.hashing import file_scheme, hash_scheme, input_hash, task_hash
from geoner.data.jsonl import JSON_TYPES, iter_lines, json_type

DETERMINERS = {"the", "a", "an"}
POSSESSIVES = {"'s", "’s", "'", "’"}
OPENERS = {"(": ")", "[": "]", "{": "}", "“": "”", "‘": "’", '"': '"', "'": "'"}
ANSWERS = {"accept", "reject", "ignore"}
# The annotation page appends this answer to withdraw the annotator's previous answer to a text;
# it is allowed only in incoming review files (see geoner/loop/merge.py).
UNDO = "undo"
# The value type of each field, as Prodigy writes them; a wrong type is reported, never coerced.
TASK_TYPES = {"text": str, "meta": dict, "tokens": list, "spans": list, "_input_hash": int, "_task_hash": int,
              "_view_id": str, "answer": str}
TOKEN_TYPES = {"text": str, "start": int, "end": int, "id": int, "ws": bool}
SPAN_TYPES = {"start": int, "end": int, "token_start": int, "token_end": int, "label": str}


# A currency sign opens an amount that belongs to the mention ("[$60-per-barrel price cap]").
CURRENCY = set("$€£¥₽₹")


def _is_punct(s: str) -> bool:
    return all(not ch.isalnum() and ch not in CURRENCY for ch in s)


def _clip(s: str, n: int = 40) -> str:
    return repr(s if len(s) <= n else s[:n] + "…")


def field_problems(obj, types: Dict[str, type], what: str) -> List[str]:
    """Missing fields and wrong value types of one JSON object; bool never passes for int,
    although Python counts it as one, because true is not an offset."""
    if not isinstance(obj, dict):
        return [f"{what} is {json_type(obj)}, expected an object"]
    problems = []
    for key, kind in types.items():
        if key not in obj:
            problems.append(f"{what} lacks required field {key!r}")
            continue
        value = obj[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            shown = json.dumps(value, ensure_ascii=False)
            shown = shown if len(shown) <= 30 else shown[:30] + "…"
            problems.append(f"{what} field {key!r} is {json_type(value)} ({shown}), expected {JSON_TYPES[kind]}")
    return problems


def check_tokens(task: dict) -> List[str]:
    """Tokens must rebuild the text exactly, as spaCy's Doc does from words and spaces: each
    token's text sits at its offsets, and between two tokens lies nothing but the single space
    of a token with ws=true. Anything else (a double space, a newline, a no-break space) would
    stop conversion later, so it is refused here."""
    text, tokens = task["text"], task["tokens"]
    for i, tok in enumerate(tokens):
        problems = field_problems(tok, TOKEN_TYPES, f"token {i}")
        if problems:
            return problems
    problems, pos = [], 0
    for i, tok in enumerate(tokens):
        if tok["id"] != i:
            problems.append(f"token {i} has id {tok['id']}")
        start, end = tok["start"], tok["end"]
        if not (0 <= start < end <= len(text)) or text[start:end] != tok["text"]:
            return problems + [f"token {i} {_clip(tok['text'])} does not match the text at {start}-{end}"]
        if start < pos:
            return problems + [f"token {i} {_clip(tok['text'])} overlaps the token before it"]
        if start > pos:
            return problems + [f"text {_clip(text[pos:start])} at offset {pos}, before token {i}, is covered by "
                               "no token (only the single space after a token with ws=true may lie between tokens)"]
        pos = end
        if tok["ws"]:
            if text[end:end + 1] != " ":
                follows = f"is followed by {_clip(text[end:end + 1])}" if end < len(text) else "ends the text"
                return problems + [f"token {i} {_clip(tok['text'])} has ws=true but {follows}, not a space"]
            pos += 1
    if pos < len(text):
        after = ", after the last token," if tokens else ""
        problems.append(f"text {_clip(text[pos:])} at offset {pos}{after} is covered by no token")
    return problems


def _wrapped(inner: str) -> bool:
    """True when the first character opens a bracket or quote that the last character closes:
    "(Mercosur)" is wrapped, "[Western] sanctions" and "(EU) sanctions (2024)" are not."""
    closer = OPENERS.get(inner[0])
    if closer is None or len(inner) < 2:
        return False
    depth = 0
    for k, ch in enumerate(inner):
        if ch == closer and k > 0:
            depth -= 1
            if depth == 0:
                return k == len(inner) - 1
        elif ch == inner[0]:
            depth += 1
    return False


def check_span_edges(text: str, span: dict, tokens: List[dict]) -> List[str]:
    """Edge rules of the guidelines: no determiner, possessive or stray punctuation at an edge."""
    first, last = tokens[span["token_start"]]["text"], tokens[span["token_end"]]["text"]
    inner = text[span["start"]:span["end"]]
    where = f"span {inner!r} ({span['label']})"
    problems = []
    if inner != inner.strip():
        problems.append(f"{where} has whitespace at an edge")
    if first.lower() in DETERMINERS and span["token_end"] > span["token_start"]:
        problems.append(f"{where} starts with the determiner {first!r}")
    if last in POSSESSIVES:
        problems.append(f"{where} ends with a possessive {last!r}")
    if _wrapped(inner):
        problems.append(f"{where} is wrapped in its own {inner[0]}{OPENERS[inner[0]]}; they stay outside the span")
        return problems
    # Punctuation at an edge is allowed only when it is an opener or closer paired inside the
    # span, as in "[Western] sanctions"; anything else is punctuation around the mention.
    if _is_punct(first) and not (first in OPENERS and OPENERS[first] in inner[len(first):]):
        problems.append(f"{where} starts with punctuation {first!r}")
    if _is_punct(last) and last not in POSSESSIVES:
        opener = next((o for o, c in OPENERS.items() if c == last), None)
        if opener is None or opener not in inner[: -len(last)]:
            problems.append(f"{where} ends with punctuation {last!r}")
    return problems


def check_spans(task: dict) -> List[str]:
    text, tokens, problems = task["text"], task["tokens"], []
    by_start = {t["start"]: t["id"] for t in tokens}
    by_end = {t["end"]: t["id"] for t in tokens}
    placed = []
    for j, s in enumerate(task["spans"]):
        malformed = field_problems(s, SPAN_TYPES, f"span {j}")
        if malformed:
            problems.extend(malformed)
            continue
        if s["label"] not in LABELS:
            problems.append(f"span {j} has unknown label {s['label']!r} (expected one of {', '.join(LABELS)})")
        if not (0 <= s["start"] < s["end"] <= len(text)):
            problems.append(f"span {j} offsets {s['start']}-{s['end']} lie outside the text (length {len(text)})")
            continue
        if by_start.get(s["start"]) != s["token_start"] or by_end.get(s["end"]) != s["token_end"]:
            problems.append(f"span {j} {text[s['start']:s['end']]!r} does not align with tokens "
                            f"{s['token_start']}-{s['token_end']}")
            continue
        problems.extend(check_span_edges(text, s, tokens))
        placed.append(s)
    placed.sort(key=lambda s: (s["start"], s["end"]))
    for a, b in zip(placed, placed[1:]):
        if b["start"] < a["end"]:
            problems.append(f"spans {text[a['start']:a['end']]!r} and {text[b['start']:b['end']]!r} overlap")
    return problems


def check_task(task: dict, incoming: bool = False) -> List[str]:
    """All problems of one task, as reasons without a place.

    task: the task to check.
    incoming: the task comes from another tool (a review export, an import): its hashes may
        follow that tool's scheme (Prodigy's own function; the question's _task_hash kept after
        an edit) and are not compared, and the page's "undo" answer is allowed.
    """
    problems = field_problems(task, TASK_TYPES, "task")
    if problems:
        return problems
    if not task["text"].strip():
        problems.append("text is empty")
    if "\ufeff" in task["text"]:
        problems.append(f"text holds a byte-order mark (U+FEFF) at offset {task['text'].index(chr(0xFEFF))}; remove it")
    if not isinstance(task["meta"].get("source"), str):
        problems.append("meta lacks required field 'source'" if "source" not in task["meta"] else
                        f"meta field 'source' is {json_type(task['meta']['source'])}, expected a string")
    if task["_view_id"] != "ner_manual":
        problems.append(f"_view_id is {task['_view_id']!r}, expected 'ner_manual'")
    answers = ANSWERS | {UNDO} if incoming else ANSWERS
    if task["answer"] not in answers:
        problems.append(f"answer is {task['answer']!r}, expected one of {', '.join(sorted(answers))}")
    token_problems = check_tokens(task)
    problems.extend(token_problems)
    if not token_problems:
        problems.extend(check_spans(task))
    else:  # spans cannot be placed on broken tokens, but their own fields can still be wrong
        problems.extend(p for j, s in enumerate(task["spans"]) for p in field_problems(s, SPAN_TYPES, f"span {j}"))
    if incoming:
        return problems
    if task["_input_hash"] != input_hash(task["text"]):
        problems.append(f"_input_hash {task['_input_hash']} does not match the text (expected {input_hash(task['text'])})")
    elif not any(field_problems(s, SPAN_TYPES, "") for s in task["spans"]):
        expected = task_hash(task["_input_hash"], task["spans"])
        if task["_task_hash"] != expected:
            problems.append(f"_task_hash {task['_task_hash']} does not match the spans (expected {expected})")
    return problems


def validate_files(paths: Iterable, incoming: bool = False, schemes: Optional[dict] = None
                   ) -> Tuple[List[str], Dict[str, int]]:
    """Validate JSONL files together; duplicates are looked for across all of them.

    paths: the files.
    incoming: review files or imports (see check_task): foreign hashes are accepted, and one
        text may appear several times (several annotators, later answers superseding earlier).
    schemes: when a dict, filled with path -> (scheme word, per-task scheme counts).
    Returns (problems as 'FILE:LINE: reason', counts). A file that cannot be read to the end
    reports where it stopped. Tasks are not kept, so memory does not grow with the files.
    """
    return _validate(paths, keep=None, incoming=incoming, schemes=schemes)


SCHEME_NOTES = {
    "project": "this project's (text and spans give both)",
    "foreign": "another tool's (Prodigy, Label Studio...); merge and import match by text and re-derive them",
    "mixed": "partly this project's, partly another tool's; merge and import re-derive the others",
    "none": "absent",
}


def describe_scheme(scheme: str, per_task: Dict[str, int]) -> str:
    """One line on a file's hash scheme: 'foreign (12 foreign tasks): another tool's ...'."""
    parts = ", ".join(f"{n} {k}" for k, n in sorted(per_task.items())) or "no"
    return f"{scheme} ({parts} tasks): {SCHEME_NOTES[scheme]}"


def load_valid_tasks(paths: Iterable) -> List[Tuple[str, int, dict]]:
    """Read tasks from files that must validate; raise ValidationFailed listing every problem."""
    kept: List[Tuple[str, int, dict]] = []
    problems, _ = _validate(paths, keep=kept)
    if problems:
        raise ValidationFailed(problems)
    return kept


def _validate(paths: Iterable, keep: Optional[list], incoming: bool = False,
              schemes: Optional[dict] = None) -> Tuple[List[str], Dict[str, int]]:
    """One pass over the files; appends (path, line, task) to ``keep`` when it is a list."""
    problems, seen = [], {}
    counts = {"files": 0, "tasks": 0, "spans": 0}
    for path in paths:
        counts["files"] += 1
        per_task: Dict[str, int] = {}
        try:
            for line, task in iter_lines(path):
                counts["tasks"] += 1
                spans = task.get("spans")
                counts["spans"] += len(spans) if isinstance(spans, list) else 0
                scheme = hash_scheme(task)
                per_task[scheme] = per_task.get(scheme, 0) + 1
                problems.extend(f"{path}:{line}: {reason}" for reason in check_task(task, incoming=incoming))
                # Review files may hold one text several times (annotators, answers superseded
                # by later ones), so only corpus files are checked for duplicates.
                key = None if incoming else task.get("_input_hash")
                if isinstance(key, int) and not isinstance(key, bool):
                    if key in seen:
                        problems.append(f"{path}:{line}: duplicate of {seen[key]} (same _input_hash {key})")
                    else:
                        seen[key] = f"{path}:{line}"
                if keep is not None:
                    keep.append((str(path), line, task))
        except DataError as err:
            problems.append(str(err))
        if schemes is not None:
            schemes[str(path)] = (file_scheme(per_task), per_task)
    return problems, counts
