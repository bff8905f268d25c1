"""The `tag` run: the input stream cut into chunks of a fixed number of documents, each chunk
tagged by an engine (this process, a pool of local processes, or Dask workers) into its own
part file, and the counts gathered into OUTPUT_DIR/_manifest.json.

Chunk boundaries depend only on the input order and --chunk-size, never on the engine or the
number of workers, which is why every engine writes the same part files row for row.
"""
import collections
import hashlib
import importlib.metadata
import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable, Iterable, Iterator, List, Optional, Tuple

import spacy
import srsly
from tqdm import tqdm

from geoner import DataError
from geoner.archive.parts import (ERRORS, FORMATS, MANIFEST, STATS_DIR, chunk_hash, chunk_number, part_files,
                                  read_stats, remove_parts)
from geoner.archive.readers import ArchiveDoc, BadRecord, iter_archive
from geoner.archive.tagging import load_pipeline, preload_pipeline, process_chunk
from geoner.data.jsonl import atomic_path, write_text_atomic

ENGINES = ("local", "dask")
# Settings that decide what the part files hold; a rerun into the same OUTPUT_DIR must keep them.
FIXED = ("model", "model_fingerprint", "chunk_size", "format", "text_column", "id_column", "blocs")

Chunk = Tuple[int, List[ArchiveDoc]]


def chunks(records: Iterable, size: int, on_error: Callable[[BadRecord], None]) -> Iterator[Chunk]:
    """Cut the record stream into chunks of SIZE documents; bad records go to ON_ERROR and do not
    count towards a chunk, so they never shift the boundaries of the chunks after them."""
    k, docs = 0, []
    for record in records:
        if isinstance(record, BadRecord):
            on_error(record)
            continue
        docs.append(record)
        if len(docs) == size:
            yield k, docs
            k, docs = k + 1, []
    if docs:
        yield k, docs


def _run_pool(jobs: Iterator[Chunk], cfg: dict, n_process: int) -> Iterator[dict]:
    """Chunks on N_PROCESS processes of this machine, each loading the pipeline once in its
    initializer. forkserver (spawn where it does not exist) starts them from a clean interpreter:
    forking a process that already holds a pipeline and threads is one way `n_process` runs
    hang. A ProcessPoolExecutor, unlike multiprocessing.Pool, fails the run when a worker dies
    or its initializer raises, instead of starting replacements forever."""
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    pool = ProcessPoolExecutor(n_process, mp_context=multiprocessing.get_context(method),
                               initializer=preload_pipeline, initargs=(cfg["model"], cfg["blocs"]))
    try:
        window = collections.deque()
        for k, docs in jobs:
            window.append(pool.submit(process_chunk, k, docs, cfg))
            # Two chunks in flight per process keep every process busy while the input is read
            # no further ahead than that: memory stays flat however long the archive.
            while len(window) >= 2 * n_process:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
    except BrokenProcessPool as err:
        raise OSError(f"a tagging process died: out of memory, killed, or the pipeline failed to load ({err})") from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _check_manifest(out_dir: Path, cfg: dict, restart: bool) -> None:
    path = out_dir / MANIFEST
    if not path.exists():
        return
    old = srsly.read_json(path).get("config", {})
    for key in FIXED:
        if key in old and old[key] != cfg[key]:
            if restart:
                remove_parts(out_dir)
                return
            raise DataError(path, 0, f"this output was written with {key} {old[key]!r}, not {cfg[key]!r}; "
                                     f"rerun with the same settings to resume, or add --restart-if-changed")


def _remove_temporaries(out_dir: Path) -> None:
    """Leftovers of a killed run (atomic_paths names them .NAME.*.tmp): never finished, never read."""
    for pattern in (".*.tmp", f"{STATS_DIR}/.*.tmp"):
        for tmp in out_dir.glob(pattern):
            tmp.unlink()


def _stale_parts(out_dir: Path, n_chunks: int, restart: bool) -> None:
    """Parts past the input's last chunk come from a longer input: never part of this output."""
    stale = [p for p in part_files(out_dir) if chunk_number(p) >= n_chunks]
    if stale and not restart:
        raise DataError(stale[0], 0, f"left from a longer input ({len(stale)} such parts); "
                                     f"add --restart-if-changed to remove them")
    remove_parts(out_dir, n_chunks)


def _model_ref(model: str) -> str:
    path = Path(model)
    return str(path.resolve()) if path.exists() else model


def _model_fingerprint(model: str) -> Optional[str]:
    """Changes when the pipeline is retrained at the same path (or upgraded under the same
    package name), so that a rerun never mixes parts from two models."""
    path = Path(model)
    if path.is_dir():
        digest = hashlib.sha1()
        for f in sorted(p for p in path.rglob("*") if p.is_file()):
            st = f.stat()
            digest.update(f"{f.relative_to(path)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
        return digest.hexdigest()[:16]
    try:
        return importlib.metadata.version(model)
    except importlib.metadata.PackageNotFoundError:
        return None


def run_tag(model: str, source, out_dir, n_process: int = 1, engine: str = "local", scheduler: Optional[str] = None,
            fmt: str = "parquet", chunk_size: int = 500, text_column: str = "text", id_column: str = "id",
            blocs="patterns/blocs.txt", batch_size: int = 256, progress: bool = True,
            restart_if_changed: bool = False) -> dict:
    """Tag every document of SOURCE into part files in OUT_DIR; returns the run's counts.

    model: pipeline path or installed package name.
    source: folder of .txt/.jsonl/.parquet/.csv files, or one such file.
    out_dir: where part-NNNNN files, _manifest.json and _errors.jsonl go; parts already there are kept.
    n_process: processes (local engine) or LocalCluster workers (dask engine without a scheduler).
    engine: "local" or "dask".
    scheduler: address of a running Dask scheduler (tcp://HOST:8786); workers must see the same paths.
    fmt: "parquet" or "jsonl".
    chunk_size: documents per part file; a rerun must use the same value.
    text_column, id_column: fields holding the text and the document id.
    blocs: the bloc gazetteer that gives BLOC mentions their canonical names.
    batch_size: paragraphs per nlp.pipe batch.
    restart_if_changed: where the settings, the model or a chunk's input differ from the run that
        wrote OUT_DIR, delete the parts concerned and tag again, instead of stopping.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if n_process < 1 or chunk_size < 1:
        raise ValueError("--n-process and --chunk-size must be at least 1")
    if not Path(model).exists() and not spacy.util.is_package(model):
        raise DataError(model, 0, "no pipeline at this path and no installed package of this name")
    out_dir = Path(out_dir).resolve()
    blocs = Path(blocs)
    if not blocs.exists():
        raise DataError(blocs, 0, "bloc list not found (see --blocs)")
    cfg = {"model": _model_ref(model), "model_fingerprint": _model_fingerprint(model), "chunk_size": chunk_size,
           "format": fmt, "text_column": text_column, "id_column": id_column, "blocs": str(blocs.resolve()),
           "batch_size": batch_size, "out_dir": str(out_dir)}
    records = iter_archive(source, text_column, id_column)
    first = next(records, None)  # reads the input's header: a wrong column fails before any output
    records = _chain(first, records) if first is not None else iter(())
    out_dir.mkdir(parents=True, exist_ok=True)
    _check_manifest(out_dir, cfg, restart_if_changed)
    _remove_temporaries(out_dir)
    write_text_atomic(out_dir / MANIFEST, srsly.json_dumps({"config": cfg, "complete": False}, indent=2))
    if engine == "local" and n_process == 1:
        load_pipeline(cfg["model"], cfg["blocs"])

    totals = collections.Counter()
    loads = {}

    def count(stats: dict) -> None:
        totals["parts"] += 1
        for key in ("docs", "docs_without_mentions", "mentions", "words", "paragraphs"):
            totals[key] += stats[key]
    bar = tqdm(desc=f"tagging ({engine}, {n_process} {'process' if n_process == 1 else 'processes'})",
               unit=" docs", disable=not progress, file=sys.stderr, smoothing=0.1)
    t0 = time.perf_counter()

    with bar, atomic_path(out_dir / ERRORS) as errors_tmp, errors_tmp.open("w", encoding="utf-8") as errors:

        def on_error(bad: BadRecord):
            totals["errors"] += 1
            errors.write(srsly.json_dumps({"error": str(bad), "file": bad.path, "line": bad.line,
                                           "reason": bad.reason}) + "\n")

        def pending() -> Iterator[Chunk]:
            for k, docs in chunks(records, chunk_size, on_error):
                totals["chunks"] += 1
                stats = read_stats(out_dir, k, fmt)
                if stats is not None and stats.get("input_hash") != chunk_hash(docs):
                    if not restart_if_changed:
                        raise DataError(out_dir / f"part-{k:05d}.{fmt}", 0,
                                        f"written from other input (documents {stats['first_doc_id']!r} to "
                                        f"{stats['last_doc_id']!r}, now {docs[0].doc_id!r} to {docs[-1].doc_id!r} "
                                        f"or their texts changed); add --restart-if-changed to tag them again")
                    remove_parts(out_dir, k)  # the input stream differs from here on
                    stats = None
                if stats is None:
                    yield k, docs
                    continue
                count(stats)
                totals["parts_resumed"] += 1

        if engine == "dask":
            from geoner.archive.dask_engine import run_dask

            results = run_dask(pending(), cfg, n_process, scheduler)
        elif n_process > 1:
            results = _run_pool(pending(), cfg, n_process)
        else:
            results = (process_chunk(k, docs, cfg) for k, docs in pending())
        for stats in results:
            count(stats)
            loads[stats["pid"]] = max(loads.get(stats["pid"], 0), stats["model_loads"])
            totals["tagged_docs"] += stats["docs"]
            totals["tagged_words"] += stats["words"]
            bar.update(stats["docs"])
            elapsed = time.perf_counter() - t0
            bar.set_postfix_str(f"{totals['tagged_words'] / elapsed:,.0f} words/s")
    _stale_parts(out_dir, totals["chunks"], restart_if_changed)
    seconds = time.perf_counter() - t0
    summary = {key: totals[key] for key in ("docs", "docs_without_mentions", "mentions", "words", "paragraphs",
                                            "errors", "parts", "parts_resumed")}
    summary.update(seconds=round(seconds, 3),
                   docs_per_s=round(totals["tagged_docs"] / seconds, 1) if seconds else None,
                   words_per_s=round(totals["tagged_words"] / seconds, 1) if seconds else None,
                   engine=engine, n_process=n_process, worker_pids=sorted(loads),
                   model_loads_per_process=[loads[pid] for pid in sorted(loads)])
    write_text_atomic(out_dir / MANIFEST, srsly.json_dumps({"config": cfg, "complete": True, "summary": summary},
                                                           indent=2))
    return summary


def _chain(first, rest):
    yield first
    yield from rest
