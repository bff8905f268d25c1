"""Commands of the correction page: annotate (tasks or conflicts) and bench-annotate."""
import sys
from pathlib import Path
from typing import List, Optional

import srsly
import typer

from geoner.cli import app
from geoner.cli._util import fails_cleanly
from geoner.data.jsonl import write_text_atomic
from geoner.loop.annotate.bench import bench_annotate
from geoner.loop.annotate.conflicts import ConflictSession
from geoner.loop.annotate.server import AnnotationServer
from geoner.loop.annotate.session import AnnotationSession


@app.command("annotate")
@fails_cleanly
def annotate_cmd(
    tasks: Path = typer.Argument(..., help="Pre-annotated task JSONL (corpus/review/preannotated.jsonl), or with --conflicts the conflicts file.", exists=True, dir_okay=False),
    annotator: str = typer.Option(..., help="Your name: answers go to OUTPUT_DIR/NAME.jsonl (letters, digits, _ . -)."),
    host: str = typer.Option("127.0.0.1", help="Loopback address to serve on."),
    port: int = typer.Option(8080, help="Port to serve on (0 picks a free one).", min=0, max=65535),
    output_dir: Optional[Path] = typer.Option(None, help="Folder for NAME.jsonl [default: corpus/review/done, or corpus/review/resolved with --conflicts].", file_okay=False),
    conflicts: bool = typer.Option(False, "--conflicts", help="TASKS is corpus/conflicts.jsonl: show each conflict's versions side by side and merge the chosen one with --update."),
    target: Path = typer.Option(Path("corpus/reviewed.jsonl"), help="With --conflicts: the corpus file chosen versions are merged into.", dir_okay=False),
    corpus: List[Path] = typer.Option([], help="With --conflicts: other corpus files, read only to find known texts; repeatable.", exists=True, dir_okay=False),
    verbose: bool = typer.Option(False, "--verbose", help="Log every request on stderr."),
):
    """Serve the correction page on 127.0.0.1: one paragraph at a time with its suggested spans;
    every answer is appended and fsynced to OUTPUT_DIR/NAME.jsonl at once. Stop with Ctrl+C."""
    if conflicts:
        session = ConflictSession(tasks, annotator, output_dir or Path("corpus/review/resolved"), target, corpus)
    else:
        session = AnnotationSession(tasks, annotator, output_dir or Path("corpus/review/done"))
    server = AnnotationServer(session, host, port, verbose)
    state = session.state()
    # The first line names the URL; tests and scripts read the port from it.
    typer.echo(f"Serving {server.url} ({state['answered']} of {state['total']} done; answers go to {session.path})", nl=True)
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        typer.echo("✔ Stopped; every answer was already on disk")
    finally:
        server.server_close()
        session.close()


@app.command("bench-annotate")
@fails_cleanly
def bench_annotate_cmd(
    corpus: List[Path] = typer.Argument(..., help="Corpus JSONL files whose paragraphs make up the tasks.", exists=True, dir_okay=False),
    tasks: int = typer.Option(10_000, help="Tasks loaded in the page.", min=1),
    rounds: int = typer.Option(200, help="Rounds of mouse selection, label key and accept.", min=1),
    chromium: Optional[str] = typer.Option(None, help="Chromium binary [default: chromium on PATH]."),
    output: Optional[Path] = typer.Option(None, help="Also write the figures as JSON here.", dir_okay=False),
):
    """Time the page's answer to key presses with many tasks loaded, in headless Chromium: median
    and 95th percentile from key press to the next drawn frame (a benchmark, not a test)."""
    result = bench_annotate(corpus, tasks, rounds, chromium)
    if output:
        write_text_atomic(output, srsly.json_dumps(result, indent=2))
    typer.echo(f"{result['tasks_loaded']:,} tasks loaded in the page in {result['load_seconds']} s")
    for kind, s in result["keys"].items():
        typer.echo(f"{kind:>8s} key: median {s['median_ms']} ms, p95 {s['p95_ms']} ms, max {s['max_ms']} ms (n={s['n']})")
