"""Commands of the correction page: annotate (tasks or conflicts) and bench-annotate."""
import sys
from pathlib import Path
from typing import List, Optional

import typer

from geoner.cli import app
from geoner.cli._util import fails_cleanly
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
