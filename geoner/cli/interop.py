"""Commands that trade tasks with Label Studio and doccano: export and import."""
from pathlib import Path
from typing import List, Optional

import srsly
import typer

from geoner.cli import app
from geoner.cli._util import fails_cleanly
from geoner.data.interop import TOOLS, from_doccano, from_labelstudio, labelstudio_config, to_doccano, to_labelstudio
from geoner.data.jsonl import atomic_paths, write_jsonl_atomic
from geoner.loop.annotate.session import read_valid


def _tool(value: str) -> str:
    if value not in TOOLS:
        raise typer.BadParameter(f"expected one of {', '.join(TOOLS)}")
    return value


@app.command("export")
@fails_cleanly
def export_cmd(
    inputs: List[Path] = typer.Argument(..., help="Task or corpus JSONL files (pre-annotated tasks, corpus files).", exists=True, dir_okay=False),
    to: str = typer.Option(..., "--to", help="labelstudio (JSON tasks with predictions, plus the labeling config) or doccano (sequence-labeling JSONL).", callback=_tool),
    output: Path = typer.Option(..., "--output", "-o", help="File to write: Label Studio JSON, or doccano JSONL.", dir_okay=False),
    config: Optional[Path] = typer.Option(None, help="With --to labelstudio: where the labeling config XML goes [default: OUTPUT with .xml].", dir_okay=False),
):
    """Write tasks in the other tool's import format, the spans as suggestions to correct there."""
    tasks = [t for path in inputs for _, t in read_valid(path)]
    spans = sum(len(t["spans"]) for t in tasks)
    if to == "doccano":
        write_jsonl_atomic(output, (to_doccano(t) for t in tasks))
        typer.echo(f"✔ Wrote {len(tasks):,} tasks ({spans:,} spans) to {output}: import it into a "
                   f"sequence-labeling project (JSONL, column 'label')")
        return
    config = config or output.with_suffix(".xml")
    with atomic_paths(output, config) as (tmp_out, tmp_config):
        tmp_out.write_text(srsly.json_dumps([to_labelstudio(t) for t in tasks], indent=1), encoding="utf-8")
        tmp_config.write_text(labelstudio_config(), encoding="utf-8")
    typer.echo(f"✔ Wrote {len(tasks):,} tasks ({spans:,} spans as predictions) to {output} and the labeling "
               f"config to {config}")


@app.command("import")
@fails_cleanly
def import_cmd(
    source: Path = typer.Argument(..., help="Label Studio JSON export (JSON or JSON-MIN), or doccano JSONL export.", exists=True, dir_okay=False),
    from_: str = typer.Option(..., "--from", help="labelstudio or doccano.", callback=_tool),
    output: Path = typer.Option(..., "--output", "-o", help="ner_manual JSONL to write, e.g. corpus/review/done/NAME.jsonl.", dir_okay=False),
    annotator: Optional[str] = typer.Option(None, help="doccano: the _annotator_id [default: doccano-FILE_STEM]; Label Studio names its own."),
):
    """Read the tool's export as ner_manual tasks on the project's tokens, ready for merge. A span
    that cannot be placed on the tokens without changing its text stops the import at FILE:LINE."""
    if from_ == "labelstudio":
        tasks, counts = from_labelstudio(source)
    else:
        tasks, counts = from_doccano(source, annotator)
    write_jsonl_atomic(output, tasks)
    notes = []
    if counts.get("trimmed"):
        notes.append(f"{counts['trimmed']} span edge(s) trimmed of whitespace")
    if counts.get("unannotated"):
        notes.append(f"{counts['unannotated']} task(s) without annotations not imported")
    if counts.get("cancelled"):
        notes.append(f"{counts['cancelled']} skipped annotation(s) imported as ignore")
    typer.echo(f"✔ Wrote {counts['tasks']:,} tasks ({counts['spans']:,} spans) from {counts['records']:,} "
               f"records to {output}" + (f"; {'; '.join(notes)}" if notes else ""))
