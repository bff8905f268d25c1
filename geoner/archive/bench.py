"""The tagging benchmark: a generated archive (corpus paragraphs repeated and shuffled, seeded),
words per second of plain nlp.pipe against `tag` on 1 and 2 processes and Dask on 1 and 2
workers, and peak RSS of every process. Each run is a fresh process, watched from outside, so
that one run's memory and warm caches never flatter the next."""
import json
import os
import queue
import random
import shutil
import time
from pathlib import Path
from typing import Callable, Dict, Iterable, Iterator, List

import psutil
import spacy

from geoner.archive.engine import chunks, run_tag
from geoner.data.jsonl import iter_lines

MONTHS = [f"{y}-{m:02d}-15" for y in (2023, 2024) for m in range(1, 13)]
# (name, engine, processes) of the timed runs; the first is plain nlp.pipe.
RUNS = [("nlp.pipe", "pipe", 1), ("tag, 1 process", "local", 1), ("tag, 2 processes", "local", 2),
        ("dask, 1 worker", "dask", 1), ("dask, 2 workers", "dask", 2)]


def corpus_texts(paths: Iterable) -> List[str]:
    return [t["text"] for path in paths for _, t in iter_lines(path) if t.get("text", "").strip()]


def bench_paragraphs(texts: List[str], n: int, seed: int) -> Iterator[str]:
    """N paragraphs: the corpus texts shuffled again for every pass over them."""
    rng = random.Random(seed)
    order = list(range(len(texts)))
    made = 0
    while made < n:
        rng.shuffle(order)
        for i in order[:n - made]:
            yield texts[i]
        made += min(len(order), n - made)


def make_archive(texts: List[str], path: Path, paragraphs: int, seed: int, per_doc: int = 4) -> dict:
    """Write a JSONL archive of PARAGRAPHS paragraphs, PER_DOC to a document, with a date and a
    source as metadata like a wire archive."""
    rng = random.Random(seed + 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    docs = 0
    with path.open("w", encoding="utf-8") as f:
        for _, batch in chunks(bench_paragraphs(texts, paragraphs, seed), per_doc, on_error=print):
            docs += 1
            f.write(json.dumps({"id": f"bench-{docs:07d}", "text": "\n\n".join(batch), "date": rng.choice(MONTHS),
                                "source": "generated"}) + "\n")
    return {"paragraphs": paragraphs, "docs": docs}


def _plain_pipe(results, model: str, archive: str, batch_size: int) -> None:
    """Plain nlp.pipe over the archive's paragraphs: the ceiling `tag` is measured against."""
    nlp = spacy.load(model)
    with open(archive, encoding="utf-8") as f:
        texts = (p for line in f for p in json.loads(line)["text"].split("\n\n"))
        t0 = time.perf_counter()
        words = sum(len(doc) for doc in nlp.pipe(texts, batch_size=batch_size))
        seconds = time.perf_counter() - t0
    results.put({"words": words, "seconds": seconds})


def _tag(results, model: str, archive: str, out_dir: str, n: int, engine: str, chunk_size: int, blocs: str,
         batch_size: int) -> None:
    summary = run_tag(model, archive, out_dir, n_process=n, engine=engine, chunk_size=chunk_size, blocs=blocs,
                      batch_size=batch_size, progress=False)
    results.put({"words": summary["words"], "seconds": summary["seconds"], "docs": summary["docs"],
                 "mentions": summary["mentions"]})


def watched(target: Callable, args: tuple, interval: float = 0.2) -> dict:
    """Run TARGET(results, *ARGS) in a fresh process and sample the resident memory and CPU time
    of it and of every process it starts; returns what it put in results, with the memory peaks
    in MB and the CPU seconds of all those processes together (what a shared machine's load
    does not inflate, unlike wall-clock time)."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    proc = ctx.Process(target=target, args=(results,) + args)
    proc.start()
    peaks: Dict[int, int] = {}
    cpu: Dict[int, float] = {}
    root = psutil.Process(proc.pid)
    while True:
        for p in [root] + _children(root):
            try:
                with p.oneshot():
                    peaks[p.pid] = max(peaks.get(p.pid, 0), p.memory_info().rss)
                    times = p.cpu_times()
                    cpu[p.pid] = max(cpu.get(p.pid, 0.0), times.user + times.system)
            except psutil.Error:
                pass
        try:
            out = results.get(timeout=interval)
            break
        except queue.Empty:
            if not proc.is_alive():
                raise RuntimeError(f"benchmark run {target.__name__} exited with code {proc.exitcode}")
    proc.join()
    main = peaks.pop(proc.pid)
    out["peak_rss_mb_main"] = round(main / 2 ** 20, 1)
    out["peak_rss_mb_children"] = sorted((round(v / 2 ** 20, 1) for v in peaks.values()), reverse=True)
    out["cpu_seconds"] = round(sum(cpu.values()), 2)
    return out


def _children(root) -> list:
    try:
        return root.children(recursive=True)
    except psutil.Error:
        return []


def run_bench(model: str, corpus: List[Path], work_dir: Path, paragraphs: int = 200_000, small: int = 10_000,
              seed: int = 0, chunk_size: int = 500, blocs="patterns/blocs.txt", batch_size: int = 256,
              log: Callable[[str], None] = print) -> dict:
    """Measure every run of RUNS on a generated archive of PARAGRAPHS paragraphs, and `tag` on one
    process over its first SMALL paragraphs for the memory comparison.

    model: pipeline path or package name.
    corpus: corpus JSONL files whose texts make up the archive.
    work_dir: where the archives and the (deleted after each run) outputs go.
    """
    work_dir = Path(work_dir)
    texts = corpus_texts(corpus)
    archives = {}
    for size in sorted({small, paragraphs}):
        archives[size] = work_dir / f"archive-{size}.jsonl"
        info = make_archive(texts, archives[size], size, seed)
        log(f"generated {archives[size]}: {info['paragraphs']:,} paragraphs in {info['docs']:,} documents")
    blocs = str(Path(blocs).resolve())
    runs = []
    load_before = os.getloadavg()[0]
    for name, engine, n in RUNS:
        log(f"running {name} over {paragraphs:,} paragraphs ...")
        runs.append(dict(name=name, engine=engine, processes=n,
                         **_one_run(model, archives[paragraphs], work_dir, engine, n, chunk_size, blocs, batch_size)))
        log(f"  {runs[-1]['words_per_s']:,.0f} words/s, peak RSS {runs[-1]['peak_rss_mb_main']:,.0f} MB main")
    log(f"running tag, 1 process over {small:,} paragraphs (memory at a smaller size) ...")
    small_run = _one_run(model, archives[small], work_dir, "local", 1, chunk_size, blocs, batch_size)
    by = {r["name"]: r for r in runs}
    wps = {name: r["words_per_s"] for name, r in by.items()}
    ratios = {
        "tag_1_vs_plain_pipe": wps["tag, 1 process"] / wps["nlp.pipe"],
        "tag_2_speedup": wps["tag, 2 processes"] / wps["tag, 1 process"],
        "dask_2_speedup": wps["dask, 2 workers"] / wps["dask, 1 worker"],
        "dask_1_vs_tag_1": wps["dask, 1 worker"] / wps["tag, 1 process"],
    }
    cpu = {name: r["words_per_cpu_s"] for name, r in by.items()}
    ratios["tag_1_vs_plain_pipe_cpu"] = cpu["tag, 1 process"] / cpu["nlp.pipe"]
    # Words per CPU-second of 2 processes over 1: the share of the second core's work that is not
    # spent on parallel overhead, which is the speed-up a machine with two free cores would see, halved.
    ratios["tag_2_cpu_efficiency"] = cpu["tag, 2 processes"] / cpu["tag, 1 process"]
    ratios["dask_2_cpu_efficiency"] = cpu["dask, 2 workers"] / cpu["dask, 1 worker"]
    ratios["tag_2_efficiency"] = ratios["tag_2_speedup"] / 2
    ratios["dask_2_efficiency"] = ratios["dask_2_speedup"] / 2
    return {
        "model": model, "paragraphs": paragraphs, "seed": seed, "chunk_size": chunk_size, "batch_size": batch_size,
        "cpu_count": os.cpu_count(), "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2), "runs": runs,
        "ratios": {k: round(v, 3) for k, v in ratios.items()},
        "memory": {"small_paragraphs": small, "small_peak_rss_mb": small_run["peak_rss_mb_main"],
                   "full_paragraphs": paragraphs, "full_peak_rss_mb": by["tag, 1 process"]["peak_rss_mb_main"]},
    }


def _one_run(model, archive: Path, work_dir: Path, engine: str, n: int, chunk_size: int, blocs: str,
             batch_size: int) -> dict:
    if engine == "pipe":
        out = watched(_plain_pipe, (model, str(archive), batch_size))
    else:
        out_dir = work_dir / f"out-{engine}-{n}"
        shutil.rmtree(out_dir, ignore_errors=True)
        out = watched(_tag, (model, str(archive), str(out_dir), n, engine, chunk_size, blocs, batch_size))
        shutil.rmtree(out_dir, ignore_errors=True)
    out["words_per_s"] = round(out["words"] / out["seconds"], 1)
    out["words_per_cpu_s"] = round(out["words"] / out["cpu_seconds"], 1)
    out["seconds"] = round(out["seconds"], 2)
    return out


def bench_table(result: dict) -> str:
    """The benchmark as a Markdown table, as it goes into the README."""
    base = {r["engine"]: r["words_per_s"] for r in result["runs"] if r["processes"] == 1}
    lines = ["| run | words | seconds | words/s | vs 1 process | CPU s | words/CPU-s | peak RSS main (MB) "
             "| peak RSS children (MB) |", "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in result["runs"]:
        rel = r["words_per_s"] / base.get(r["engine"], r["words_per_s"])
        children = ", ".join(f"{v:,.0f}" for v in r["peak_rss_mb_children"][:r["processes"] + 2]) or "-"
        lines.append(f"| {r['name']} | {r['words']:,} | {r['seconds']:,.1f} | {r['words_per_s']:,.0f} | {rel:.2f}x "
                     f"| {r['cpu_seconds']:,.1f} | {r['words_per_cpu_s']:,.0f} | {r['peak_rss_mb_main']:,.0f} | {children} |")
    return "\n".join(lines)
