"""JSONL reading and atomic writing. Every read reports problems as FILE:LINE."""
import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator, List, Optional, Tuple

import srsly

from geoner import DataError


def iter_lines(path) -> Iterator[Tuple[int, object]]:
    """Yield (line_number, parsed_object) for each non-blank line of a JSONL file; the first
    bad line stops the read with a DataError.

    Decoding is done line by line so that a bad byte is reported at its own line, and the
    file is streamed so that memory does not grow with its size.
    """
    for n, obj, reason in iter_lines_lenient(path):
        if reason is not None:
            raise DataError(path, n, reason)
        yield n, obj


def iter_lines_lenient(path) -> Iterator[Tuple[int, Optional[dict], Optional[str]]]:
    """Yield (line_number, object, None) for each good non-blank line and (line_number, None,
    reason) for each bad one, and go on reading: for archives, where one bad record must not
    stop the run."""
    path = Path(path)
    if not path.exists():
        raise DataError(path, 0, "file not found")
    with path.open("rb") as f:
        for n, raw in enumerate(f, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                yield n, None, f"not valid UTF-8 ({err.reason} at byte {err.start})"
                continue
            if not line.strip():
                continue
            try:
                obj = srsly.json_loads(line)
            except ValueError as err:
                yield n, None, f"line is not valid JSON ({err})"
                continue
            if not isinstance(obj, dict):
                yield n, None, f"expected a JSON object, got {type(obj).__name__}"
                continue
            yield n, obj, None


def read_tasks(path) -> List[Tuple[int, dict]]:
    """Read a whole JSONL file as (line_number, task) pairs."""
    return list(iter_lines(path))


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
