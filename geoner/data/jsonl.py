"""JSONL reading and atomic writing. Every read reports problems as FILE:LINE."""
import contextlib
import math
import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator, Optional, Tuple

import srsly

from geoner import DataError


BOM = b"\xef\xbb\xbf"


def iter_text_lines(path) -> Iterator[Tuple[int, str]]:
    """Yield (line_number, line without its line break) for each line of a UTF-8 text file.

    Decoding is done line by line so that a bad byte is reported at its own line, and the
    file is streamed so that memory does not grow with its size. A byte-order mark is refused
    rather than stripped: it is invisible, and kept it would become part of the first text.
    """
    for n, line, problem in _decoded_lines(path):
        if problem is not None:
            raise DataError(path, n, problem)
        yield n, line


def _decoded_lines(path) -> Iterator[Tuple[int, Optional[str], Optional[str]]]:
    """(line_number, line, None) for each line that decodes, (line_number, None, reason) for
    each that does not; the callers decide whether a bad line stops the read."""
    path = Path(path)
    if path.is_dir():
        raise DataError(path, 0, "is a folder; expected a file")
    if not path.exists():
        raise DataError(path, 0, "file not found")
    with path.open("rb") as f:
        for n, raw in enumerate(f, start=1):
            if n == 1 and raw.startswith(BOM):
                yield n, None, "starts with a UTF-8 byte-order mark (U+FEFF); save the file as UTF-8 without a BOM"
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                yield n, None, f"not valid UTF-8 ({err.reason} at byte {err.start + 1} of the line)"
                continue
            yield n, line.rstrip("\r\n"), None


def iter_lines(path) -> Iterator[Tuple[int, object]]:
    """Yield (line_number, parsed_object) for each non-blank line of a JSONL file; the first
    bad line stops the read with a DataError."""
    for n, obj, problem in iter_lines_lenient(path):
        if problem is not None:
            raise DataError(path, n, problem)
        yield n, obj


def iter_lines_lenient(path) -> Iterator[Tuple[int, Optional[dict], Optional[str]]]:
    """Yield (line_number, object, None) for each good non-blank line and (line_number, None,
    reason) for each bad one, and go on reading: for archives, where one bad record must not
    stop the run."""
    for n, line, problem in _decoded_lines(path):
        if problem is None:
            if not line.strip():
                continue
            obj, problem = parse_line(line)
        yield n, (obj if problem is None else None), problem


def parse_line(line: str) -> Tuple[Optional[dict], Optional[str]]:
    """(object, None) for a line holding a JSON object that can be written back, else (None, reason)."""
    try:
        obj = srsly.json_loads(line)
    except ValueError as err:
        return None, f"line is not valid JSON ({err})"
    if not isinstance(obj, dict):
        return None, f"expected a JSON object, got {json_type(obj)}"
    problem = unwritable_value(obj)
    return (None, problem) if problem else (obj, None)


JSON_TYPES = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "an array",
              dict: "an object", type(None): "null"}


def json_type(value) -> str:
    """The JSON name of a parsed value's type, for messages a user of the file understands."""
    return JSON_TYPES.get(type(value), type(value).__name__)


def unwritable_value(obj) -> Optional[str]:
    """Why a parsed record could not be written back as JSON, or None.

    JSON lets a string hold a lone surrogate escape ("\\ud800") and a number overflow to
    infinity (1e400); Python reads both, but no UTF-8 file or JSON writer can hold them, so a
    later step would crash on them instead of naming the line.
    """
    stack = [obj]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as err:
                return (f"string {value[max(0, err.start - 20):err.start + 20]!r} holds a lone surrogate escape "
                        f"\\u{ord(value[err.start]):04x}; JSON text must be valid Unicode")
        elif isinstance(value, float) and not math.isfinite(value):
            return "a number is too large to be stored (it overflows to infinity)"
        elif isinstance(value, dict):
            stack.extend(value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return None


@contextlib.contextmanager
def atomic_path(path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block succeeds it replaces ``path`` by a
    rename, so a reader never sees a half-written file and a crash leaves the old one intact."""
    with atomic_paths(path) as (tmp,):
        yield tmp


@contextlib.contextmanager
def atomic_paths(*paths) -> Iterator[Tuple[Path, ...]]:
    """Temporary paths beside several files, renamed over them only when the whole block
    succeeds: a step that writes two files fails with neither changed."""
    paths = [Path(p) for p in paths]
    # Checked before anything is written: a rename onto a folder would fail only after the
    # files before it had been replaced.
    for path in paths:
        if path.is_dir():
            raise DataError(path, 0, "is a folder; expected a file to write")
        if path.parent.exists() and not path.parent.is_dir():
            raise DataError(path.parent, 0, "is a file; expected a folder")
    tmps = []
    try:
        for path in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            os.close(fd)
            tmps.append(Path(tmp))
        yield tuple(tmps)
        for tmp, path in zip(tmps, paths):
            os.chmod(tmp, _file_mode(path))
        for tmp, path in zip(tmps, paths):
            os.replace(tmp, path)
    finally:
        for tmp in tmps:
            if tmp.exists():
                tmp.unlink()


def write_jsonl_atomic(path, records: Iterable[dict]) -> int:
    """Stream records to ``path`` atomically (see atomic_path). Returns the count."""
    count = 0

    def counted():
        nonlocal count
        for record in records:
            count += 1
            yield record

    with atomic_path(path) as tmp:
        srsly.write_jsonl(tmp, counted())
    return count


def write_text_atomic(path, text: str) -> None:
    """Replace a text file atomically (see atomic_path)."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _file_mode(path: Path) -> int:
    """Keep an existing file's permissions; new files get the usual umask-derived mode
    (mkstemp would otherwise leave them private)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
