"""Numbered part files, each written whole or not at all.

Chunk K of the input becomes OUTPUT_DIR/part-K.parquet (or .jsonl) and its counts
OUTPUT_DIR/_parts/part-K.json. The counts are renamed into place first and the part last, so a
part that exists is finished: a rerun after a kill skips it and duplicates nothing. Names that
start with "_" or "." are skipped by pyarrow and pandas when they read OUTPUT_DIR as a dataset.
"""
import hashlib
from pathlib import Path
from typing import List, Optional

import pyarrow as pa
import pyarrow.parquet as pq
import srsly

from geoner.data.jsonl import atomic_paths

FORMATS = ("parquet", "jsonl")
MANIFEST = "_manifest.json"
ERRORS = "_errors.jsonl"
STATS_DIR = "_parts"
SCHEMA = [("doc_id", pa.string()), ("paragraph", pa.int32()), ("start", pa.int64()), ("end", pa.int64()),
          ("text", pa.string()), ("label", pa.string()), ("canonical", pa.string()), ("model", pa.string())]


def part_path(out_dir, k: int, fmt: str) -> Path:
    return Path(out_dir) / f"part-{k:05d}.{fmt}"


def stats_path(out_dir, k: int) -> Path:
    return Path(out_dir) / STATS_DIR / f"part-{k:05d}.json"


def part_files(out_dir) -> List[Path]:
    """The finished part files of OUTPUT_DIR, in chunk order, whichever format."""
    out_dir = Path(out_dir)
    return sorted(p for fmt in FORMATS for p in out_dir.glob(f"part-*.{fmt}"))


def chunk_hash(docs) -> str:
    """Fingerprint of a chunk's documents (ids, texts, metadata): a rerun keeps a finished part
    only when its chunk is still exactly the same input."""
    digest = hashlib.sha1()
    for doc in docs:
        digest.update(srsly.json_dumps([doc.doc_id, doc.text, doc.meta], sort_keys=True).encode("utf-8"))
    return digest.hexdigest()


def chunk_number(path: Path) -> int:
    return int(path.name.split(".")[0].split("-")[1])


def remove_parts(out_dir, first: int = 0) -> int:
    """Delete the part files (either format) and counts of chunk FIRST and every later one;
    returns how many parts went."""
    gone = 0
    for path in part_files(out_dir):
        k = chunk_number(path)
        if k >= first:
            path.unlink()
            stats_path(out_dir, k).unlink(missing_ok=True)
            gone += 1
    return gone


def read_stats(out_dir, k: int, fmt: str) -> Optional[dict]:
    """The counts of a finished chunk, or None when chunk K still has to be tagged."""
    if not part_path(out_dir, k, fmt).exists():
        return None
    return srsly.read_json(stats_path(out_dir, k))


def write_part(out_dir, k: int, rows: List[dict], stats: dict, fmt: str, meta_keys: List[str]) -> None:
    """Write chunk K's rows and counts atomically. META_KEYS are the chunk's metadata columns,
    in a fixed order so that the same input always gives the same file."""
    part, counts = part_path(out_dir, k, fmt), stats_path(out_dir, k)
    with atomic_paths(counts, part) as (tmp_counts, tmp_part):
        srsly.write_json(tmp_counts, stats)
        if fmt == "jsonl":
            srsly.write_jsonl(tmp_part, rows)
        else:
            schema = pa.schema(SCHEMA + [(key, pa.string()) for key in meta_keys])
            pq.write_table(pa.Table.from_pylist(rows, schema=schema), tmp_part)
