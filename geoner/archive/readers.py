"""Archive input, streamed one record at a time: a folder of .txt articles, JSONL, Parquet or
CSV. Every yield is either an ArchiveDoc or a BadRecord, in input order, so that a bad record
is counted and reported without stopping the run, and memory does not grow with the archive."""
import csv
import json
import math
import sys
from pathlib import Path
from typing import Iterator, List, NamedTuple, Optional, Union

import pyarrow.parquet as pq

from geoner import DataError
from geoner.data.jsonl import iter_lines_lenient

SUFFIXES = (".txt", ".jsonl", ".ndjson", ".parquet", ".csv")
# The columns of a mention row; input fields with these names are kept as meta_<name>.
COLUMNS = ("doc_id", "paragraph", "start", "end", "text", "label", "canonical", "model")
# Rows of a Parquet file read at a time: small enough that a batch of long articles stays cheap.
PARQUET_BATCH = 256


class ArchiveDoc(NamedTuple):
    doc_id: str
    text: str
    meta: dict


class BadRecord(NamedTuple):
    path: str
    line: int
    reason: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.reason}"


Record = Union[ArchiveDoc, BadRecord]


def archive_files(source: Path) -> List[Path]:
    """The input files of SOURCE in a fixed order (which fixes the chunks, hence the part files)."""
    source = Path(source)
    if not source.exists():
        raise DataError(source, 0, "input not found")
    if source.is_file():
        if source.suffix.lower() not in SUFFIXES:
            raise DataError(source, 0, f"unsupported input; expected a folder or one of {', '.join(SUFFIXES)}")
        return [source]
    files = sorted(p for p in source.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                   and not any(part.startswith(".") for part in p.relative_to(source).parts))
    if not files:
        raise DataError(source, 0, f"no input files ({', '.join(SUFFIXES)}) in this folder")
    return files


def check_columns(files: List[Path], text_column: str) -> None:
    """Fail before any work when a table has no text column or is not readable at all: that is
    a wrong option or a wrong file, not a bad record."""
    for path in files:
        suffix = path.suffix.lower()
        if suffix == ".parquet":
            try:
                names = pq.ParquetFile(path).schema_arrow.names
            except Exception as err:  # pyarrow raises several unrelated types for a broken file
                raise DataError(path, 0, f"not a readable Parquet file ({err})") from None
        elif suffix == ".csv":
            with path.open(newline="", encoding="utf-8", errors="replace") as f:
                names = next(csv.reader(f), [])
        else:
            continue
        if text_column not in names:
            raise DataError(path, 1 if suffix == ".csv" else 0,
                            f"no column {text_column!r} (columns: {', '.join(names) or 'none'}); see --text-column")


def iter_archive(source, text_column: str = "text", id_column: str = "id") -> Iterator[Record]:
    """Yield ArchiveDoc or BadRecord for every record of SOURCE, in a fixed order.

    source: folder (searched recursively) or one .txt, .jsonl, .parquet or .csv file.
    text_column: the field or column holding the article text (JSONL, Parquet, CSV).
    id_column: the field or column holding the document id; where absent the id is FILE:LINE.
    """
    source = Path(source)
    files = archive_files(source)
    check_columns(files, text_column)
    root = source if source.is_dir() else source.parent
    for path in files:
        name = path.relative_to(root).as_posix()
        suffix = path.suffix.lower()
        if suffix == ".txt":
            yield _read_txt(path, name)
        elif suffix == ".parquet":
            yield from _read_parquet(path, name, text_column, id_column)
        elif suffix == ".csv":
            yield from _read_csv(path, name, text_column, id_column)
        else:
            for line, obj, reason in iter_lines_lenient(path):
                yield BadRecord(str(path), line, reason) if reason else _record(path, name, line, obj, text_column, id_column)


def _read_txt(path: Path, name: str) -> Record:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        column = err.start - raw.rfind(b"\n", 0, err.start)
        return BadRecord(str(path), line, f"not valid UTF-8 ({err.reason} at byte {column} of the line)")
    if not text.strip():
        return BadRecord(str(path), 1, "no text")
    return ArchiveDoc(name, text, {})


def _record(path: Path, name: str, line: int, row: dict, text_column: str, id_column: str) -> Record:
    text = row.get(text_column)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as err:
            return BadRecord(str(path), line, f"{text_column!r} is not valid UTF-8 ({err.reason} at byte {err.start})")
    if not isinstance(text, str):
        return BadRecord(str(path), line, f"no {text_column!r} string")
    if not text.strip():
        return BadRecord(str(path), line, f"no text in {text_column!r}")
    ident = row.get(id_column)
    doc_id = f"{name}:{line}" if _missing(ident) else str(ident)
    meta = {(f"meta_{k}" if k in COLUMNS else k): _meta_value(v) for k, v in row.items()
            if k not in (text_column, id_column)}
    return ArchiveDoc(doc_id, text, meta)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _meta_value(value) -> Optional[str]:
    """Metadata is kept as text, so every part file has the same column types whatever the
    records hold; summarize parses dates back."""
    if _missing(value):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _read_parquet(path: Path, name: str, text_column: str, id_column: str) -> Iterator[Record]:
    line = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=PARQUET_BATCH):
        for row in batch.to_pylist():
            line += 1
            yield _record(path, name, line, row, text_column, id_column)


def _read_csv(path: Path, name: str, text_column: str, id_column: str) -> Iterator[Record]:
    # Articles are longer than the csv module's default field limit of 128 KiB.
    csv.field_size_limit(min(sys.maxsize, 2 ** 31 - 1))
    # surrogateescape keeps a bad byte as a marker in its own record instead of failing the file.
    with path.open(newline="", encoding="utf-8", errors="surrogateescape") as f:
        reader = csv.DictReader(f)
        start = 2
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                yield BadRecord(str(path), start, f"not valid CSV ({err})")
                start = reader.line_num + 1
                continue
            line, start = start, reader.line_num + 1
            bad = next((k for k, v in row.items() if isinstance(v, str) and not _encodable(v)), None)
            if bad is not None:
                yield BadRecord(str(path), line, f"{bad!r} is not valid UTF-8")
            elif None in row:
                yield BadRecord(str(path), line, f"more fields than the {len(reader.fieldnames)} columns of the header")
            else:
                yield _record(path, name, line, row, text_column, id_column)


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
