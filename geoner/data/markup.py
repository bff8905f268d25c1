"""Inline markup for authoring annotated paragraphs: ``[Vladimir Putin](OFFICIAL) said``.

One paragraph per line; ``#`` starts a comment line; ``\\[``, ``\\]`` and ``\\\\`` are literal
characters. Compiling checks every span against the guidelines, so an authoring slip surfaces
as ``FILE:LINE: reason`` instead of a quietly wrong offset.
"""
import re
import unicodedata
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from geoner import LABELS, DataError, ValidationFailed
from geoner.data.jsonl import iter_text_lines
from geoner.data.tasks import make_task
from geoner.data.validate import check_task

LABEL_RE = re.compile(r"\(([A-Z_]+)\)")


def parse_markup(line: str) -> Tuple[str, List[dict]]:
    """Turn one markup line into (plain text, spans). Raises ValueError with the column."""
    out, spans, i, open_at = [], [], 0, None
    while i < len(line):
        ch = line[i]
        if ch == "\\" and i + 1 < len(line) and line[i + 1] in "[]\\":
            out.append(line[i + 1])
            i += 2
            continue
        if ch == "\\":
            raise ValueError(f"column {i + 1}: lone backslash (write \\\\ for a literal one)")
        if ch == "\ufeff" or unicodedata.category(ch) in ("Cc", "Zl", "Zp"):
            raise ValueError(f"column {i + 1}: invisible character U+{ord(ch):04X} (a paragraph is one line of "
                             "printable text; write a space)")
        if ch == "[":
            if open_at is not None:
                raise ValueError(f"column {i + 1}: '[' inside a span (spans never nest; write \\[ for a literal bracket)")
            open_at = (len("".join(out)), i)
        elif ch == "]":
            if open_at is None:
                raise ValueError(f"column {i + 1}: ']' without an opening '[' (write \\] for a literal bracket)")
            m = LABEL_RE.match(line, i + 1)
            if not m:
                raise ValueError(f"column {i + 1}: span must be followed by (LABEL)")
            if m.group(1) not in LABELS:
                raise ValueError(f"column {i + 2}: unknown label {m.group(1)!r} (expected one of {', '.join(LABELS)})")
            start, end = open_at[0], len("".join(out))
            if start == end:
                raise ValueError(f"column {open_at[1] + 1}: empty span")
            spans.append({"start": start, "end": end, "label": m.group(1)})
            open_at = None
            i = m.end()
            continue
        else:
            out.append(ch)
        i += 1
    if open_at is not None:
        raise ValueError(f"column {open_at[1] + 1}: '[' is never closed")
    return "".join(out), spans


def read_markup(path) -> List[Tuple[int, str]]:
    """(line number, line) for each paragraph line, skipping comments and blank lines."""
    return [(n, l) for n, l in iter_text_lines(path) if l.strip() and not l.lstrip().startswith("#")]


def raw_lines(path) -> List[Tuple[int, str]]:
    """(line number, paragraph) of a raw article: every non-empty line, as in the seed."""
    return [(n, l) for n, l in iter_text_lines(path) if l.strip()]


def raw_paragraphs(path) -> List[str]:
    """Paragraphs of a raw article: every non-empty line, as in the seed."""
    return [l for _, l in raw_lines(path)]


def compile_markup(path, source: str = "authored", raw: Optional[str] = None) -> Tuple[List[dict], Dict[str, int]]:
    """Compile a markup file into tasks; identical paragraphs are kept once.

    path: the markup file.
    source: the value of meta.source.
    raw: an optional raw article whose paragraphs the markup must reproduce in order.
    Returns (tasks, counts); raises ValidationFailed with every problem found.
    """
    placed, counts, problems = _compile(path, source, raw)
    if problems:
        raise ValidationFailed(problems)
    return [task for _, task in placed], counts


def _compile(path, source: str, raw: Optional[str]) -> Tuple[List[Tuple[int, dict]], Dict[str, int], List[str]]:
    """(markup line, task) pairs, counts and problems of one markup file."""
    problems, placed, first_seen = [], [], {}
    counts = {"paragraphs": 0, "duplicates": 0}
    lines = read_markup(path)
    originals = raw_lines(raw) if raw else None
    if originals is not None and len(originals) != len(lines):
        problems.append(f"{path}:1: has {len(lines)} paragraphs but {raw} has {len(originals)}")
    for idx, (n, line) in enumerate(lines):
        counts["paragraphs"] += 1
        try:
            text, spans = parse_markup(line)
        except ValueError as err:
            problems.append(f"{path}:{n}: {err}")
            continue
        if text != text.strip():
            problems.append(f"{path}:{n}: paragraph has leading or trailing whitespace")
            continue
        if originals is not None and idx < len(originals) and text != originals[idx][1]:
            problems.append(f"{path}:{n}: text differs from paragraph {idx} of {raw} (its line {originals[idx][0]})")
            continue
        meta = {"source": source, "file": str(raw or path), "paragraph": idx}
        try:
            task = make_task(text, spans, meta)
        except ValueError as err:
            problems.append(f"{path}:{n}: {err}")
            continue
        problems.extend(f"{path}:{n}: {reason}" for reason in check_task(task))
        key = task["_input_hash"]
        if key in first_seen:
            prev_line, prev = first_seen[key]
            if prev["_task_hash"] != task["_task_hash"]:
                problems.append(f"{path}:{n}: same text as line {prev_line} but annotated differently")
            else:
                prev["meta"].setdefault("also_at", []).append(idx)
                counts["duplicates"] += 1
            continue
        first_seen[key] = (n, task)
        placed.append((n, task))
    return placed, counts, problems


def markup_files(inputs) -> List[Path]:
    """The markup files named by ``inputs``: files as given, folders as their sorted .txt files."""
    return [f for p in map(Path, inputs) for f in (sorted(p.glob("*.txt")) if p.is_dir() else [p])]


def compile_sources(inputs, source: str = "authored", raw: Optional[str] = None) -> Tuple[List[dict], Dict[str, int]]:
    """Compile several markup files (or folders of them) into one list of tasks.

    inputs: markup files or folders of .txt files.
    source: the value of meta.source.
    raw: a raw article that a single markup file must reproduce.
    Returns (tasks, counts); raises ValidationFailed with every problem of every file, including
    a paragraph that repeats one of another file.
    """
    tasks, problems, seen = [], [], {}
    counts = {"files": 0, "paragraphs": 0, "duplicates": 0}
    for path in markup_files(inputs):
        counts["files"] += 1
        try:
            placed, file_counts, file_problems = _compile(path, source, raw)
        except DataError as err:
            problems.append(str(err))
            continue
        problems.extend(file_problems)
        counts["paragraphs"] += file_counts["paragraphs"]
        counts["duplicates"] += file_counts["duplicates"]
        for n, task in placed:
            here = f"{path}:{n}"
            if task["_input_hash"] in seen:
                problems.append(f"{here}: same text as {seen[task['_input_hash']]}")
                continue
            seen[task["_input_hash"]] = here
            tasks.append(task)
    if problems:
        raise ValidationFailed(problems)
    return tasks, counts
