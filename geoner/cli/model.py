"""Commands on a trained pipeline: evaluate and package metadata."""
from pathlib import Path
from typing import List

import spacy
import srsly
import typer

from geoner.cli import app
from geoner.cli._util import fails_cleanly
from geoner.data.jsonl import write_text_atomic
from geoner.evaluate.gold import evaluate_docbin
from geoner.evaluate.report import side_by_side
from geoner.evaluate.scoring import format_table
from geoner.pipeline.packaging import SOURCES, build_meta, pipeline_labels


@app.command("evaluate")
@fails_cleanly
def evaluate_cmd(
    model: str = typer.Argument(..., help="Pipeline path or installed package name."),
    data: List[Path] = typer.Argument(..., help="DocBin files; each gets METRICS_DIR/<stem>.json.", exists=True, dir_okay=False),
    metrics_dir: Path = typer.Option(Path("metrics"), help="Where the JSON files go.", file_okay=False),
    html: Path = typer.Option(Path("metrics/report.html"), help="Side-by-side report of the first file.", dir_okay=False),
):
    """Strict P/R/F per label and overall; gold and predicted entities side by side in HTML."""
    nlp = spacy.load(model)
    for i, path in enumerate(data):
        scores, gold, pred = evaluate_docbin(nlp, path)
        write_text_atomic(Path(metrics_dir) / f"{path.stem}.json", srsly.json_dumps(scores, indent=2))
        typer.echo(f"== {path.stem} ({len(gold)} texts)\n{format_table(scores)}")
        if i == 0:
            write_text_atomic(html, side_by_side(gold, pred, f"{model} on {path}"))
    typer.echo(f"✔ Wrote {len(data)} metrics files to {metrics_dir} and the report to {html}")


@app.command("package-meta")
@fails_cleanly
def package_meta_cmd(
    output: Path = typer.Argument(..., help="meta.json to write.", dir_okay=False),
    metrics: List[Path] = typer.Argument(..., help="metrics/*.json files from evaluate.", exists=True, dir_okay=False),
    model: Path = typer.Option(..., help="The trained pipeline being packaged; its components give the labels.",
                               exists=True, file_okay=False),
    name: str = typer.Option("geopolitics_ner", help="Package name without the language prefix."),
    version: str = typer.Option("0.1.0", help="Package version."),
    url: str = typer.Option(..., help="Where the project lives (its repository address once published)."),
):
    """Collect labels, licence, sources and measured scores into the meta that `spacy package` uses."""
    labels = pipeline_labels(spacy.load(model))
    meta = build_meta(name, version, metrics, SOURCES, labels, url)
    write_text_atomic(output, srsly.json_dumps(meta, indent=2))
    typer.echo(f"✔ Wrote package meta for en_{name} {version} ({len(metrics)} metrics files; labels of "
               f"{', '.join(labels)}) to {output}")
