"""Commands over a news archive: tag, summarize, bench-tag."""
from pathlib import Path
from typing import List, Optional

import srsly
import typer

from geoner.archive.bench import bench_table, run_bench
from geoner.archive.engine import run_tag
from geoner.archive.parts import ERRORS, MANIFEST
from geoner.archive.summary import summarize
from geoner.cli import app
from geoner.cli._util import fails_cleanly
from geoner.data.jsonl import write_text_atomic

MODEL = typer.Argument(..., help="Pipeline path (training/model-best) or installed package name.")
BLOCS = typer.Option(Path("patterns/blocs.txt"), help="Bloc list that gives BLOC mentions their canonical names.",
                     exists=True, dir_okay=False)


@app.command("tag")
@fails_cleanly
def tag_cmd(
    model: str = MODEL,
    source: Path = typer.Argument(..., help="Folder of .txt articles (and/or .jsonl/.parquet/.csv files), or one such file.", exists=True),
    output_dir: Path = typer.Argument(..., help="Folder for part-NNNNN files, _manifest.json and _errors.jsonl; finished parts there are kept.", file_okay=False),
    n_process: int = typer.Option(1, "--n-process", "-n", help="Processes of this machine, or LocalCluster workers with --engine dask.", min=1),
    engine: str = typer.Option("local", help="local (this machine) or dask (a Dask cluster)."),
    scheduler: Optional[str] = typer.Option(None, help="Address of a running Dask scheduler, tcp://HOST:8786; without it --engine dask starts a LocalCluster."),
    fmt: str = typer.Option("parquet", "--format", help="Part file format: parquet or jsonl."),
    chunk_size: int = typer.Option(500, help="Documents per part file; a resumed run must use the same value.", min=1),
    text_column: str = typer.Option("text", help="Field or column with the article text."),
    id_column: str = typer.Option("id", help="Field or column with the document id (else FILE:LINE)."),
    blocs: Path = BLOCS,
    batch_size: int = typer.Option(256, help="Paragraphs per nlp.pipe batch.", min=1),
    restart_if_changed: bool = typer.Option(False, "--restart-if-changed", help="Where the settings, the model or the input differ from the run that wrote OUTPUT_DIR, delete the parts concerned and tag them again (default: stop)."),
):
    """Tag every article of an archive: one row per mention (doc_id, paragraph, start, end, text,
    label, canonical, model and the input's other fields) in numbered part files. Rerunning into
    the same OUTPUT_DIR skips finished parts; bad records go to OUTPUT_DIR/_errors.jsonl."""
    s = run_tag(model, source, output_dir, n_process, engine, scheduler, fmt, chunk_size, text_column, id_column,
                blocs, batch_size, restart_if_changed=restart_if_changed)
    typer.echo(f"✔ Tagged {s['docs']:,} documents ({s['docs_without_mentions']:,} without a mention, "
               f"{s['words']:,} words): {s['mentions']:,} mentions in {s['parts']:,} part files in {output_dir} "
               f"({s['parts_resumed']:,} kept from an earlier run); {s['errors']:,} bad records"
               + (f" in {output_dir / ERRORS}" if s["errors"] else "") + f"; counts in {output_dir / MANIFEST}")


@app.command("summarize")
@fails_cleanly
def summarize_cmd(
    output_dir: Path = typer.Argument(..., help="OUTPUT_DIR of `tag`.", exists=True, file_okay=False),
    report_dir: Path = typer.Option(..., "--report-dir", "-o", help="Where summary.json and the PNG charts go.", file_okay=False),
    top: int = typer.Option(15, help="Names per label in the top lists, and per side of the co-mention tables.", min=1),
    date_column: str = typer.Option("date", help="Metadata column with the article date (mentions per month)."),
):
    """Top canonical names per label, mentions per month, and co-mentions (officials x summits,
    blocs x sanctions) within one paragraph, as JSON and PNG charts."""
    s = summarize(output_dir, report_dir, top, date_column)
    typer.echo(f"✔ {s['mentions']:,} mentions in {s['docs_with_mentions']:,} documents; "
               + ", ".join(f"{label} {n:,}" for label, n in s["mentions_per_label"].items()))
    for label, items in s["top"].items():
        typer.echo(f"  {label}: " + ", ".join(f"{i['name']} ({i['mentions']})" for i in items[:5]))
    typer.echo(f"✔ Wrote {report_dir / 'summary.json'} and {len(s['charts'])} charts: {', '.join(s['charts'].values())}")


@app.command("bench-tag")
@fails_cleanly
def bench_tag_cmd(
    model: str = MODEL,
    corpus: List[Path] = typer.Argument(..., help="Corpus JSONL files whose texts make up the generated archive.", exists=True, dir_okay=False),
    output: Path = typer.Option(Path("metrics/bench_tag.json"), help="JSON results.", dir_okay=False),
    paragraphs: int = typer.Option(200_000, help="Paragraphs in the generated archive.", min=1),
    small: int = typer.Option(10_000, help="Paragraphs of the smaller archive, to compare peak memory with.", min=1),
    seed: int = typer.Option(0, help="Seed of the shuffling."),
    chunk_size: int = typer.Option(500, help="Documents per part file.", min=1),
    batch_size: int = typer.Option(256, help="Paragraphs per nlp.pipe batch, the same for every run.", min=1),
    blocs: Path = BLOCS,
    work_dir: Path = typer.Option(Path("training/bench_tag"), help="Where the archives and the temporary outputs go.", file_okay=False),
):
    """Words per second of plain nlp.pipe, tag on 1 and 2 processes and Dask on 1 and 2 workers,
    peak memory of every process, and the scaling efficiency."""
    result = run_bench(model, corpus, work_dir, paragraphs, small, seed, chunk_size, blocs, batch_size, log=typer.echo)
    write_text_atomic(output, srsly.json_dumps(result, indent=2))
    typer.echo(bench_table(result))
    r, m = result["ratios"], result["memory"]
    typer.echo(f"tag 1 process / nlp.pipe: {r['tag_1_vs_plain_pipe']:.2f}; 2 processes: {r['tag_2_speedup']:.2f}x "
               f"(efficiency {r['tag_2_efficiency']:.0%}); Dask 2 workers: {r['dask_2_speedup']:.2f}x "
               f"(efficiency {r['dask_2_efficiency']:.0%}); peak RSS {m['small_peak_rss_mb']:,.0f} MB at "
               f"{m['small_paragraphs']:,} paragraphs, {m['full_peak_rss_mb']:,.0f} MB at {m['full_paragraphs']:,}")
    typer.echo(f"✔ Wrote {output} (load average {result['load_average_before']} before, {result['load_average_after']} after)")
