"""Score a trained pipeline on DocBin test splits and write metrics plus an HTML report."""
from pathlib import Path
from typing import List

import spacy
import srsly
import typer
from spacy.tokens import DocBin

from geoner.report import side_by_side
from geoner.scoring import doc_spans, format_table, score_pipeline


def evaluate(model: str, data: Path):
    """Return (scores, gold docs, predicted docs) for one DocBin."""
    nlp = spacy.load(model)
    gold = list(DocBin().from_disk(data).get_docs(nlp.vocab))
    scores, pred = score_pipeline(nlp, [d.text for d in gold], [doc_spans(d) for d in gold])
    return scores, gold, pred


def main(
    model: str = typer.Argument(..., help="Pipeline path or installed package name."),
    data: List[Path] = typer.Argument(..., help="DocBin files; each gets metrics/<stem>.json."),
    metrics_dir: Path = typer.Option(Path("metrics"), help="Where the JSON files go."),
    html: Path = typer.Option(Path("metrics/report.html"), help="Side-by-side report of the first file."),
):
    """Strict P/R/F per label and overall; gold and predicted entities side by side in HTML."""
    metrics_dir.mkdir(parents=True, exist_ok=True)
    for i, path in enumerate(data):
        scores, gold, pred = evaluate(model, path)
        srsly.write_json(metrics_dir / f"{path.stem}.json", scores)
        typer.echo(f"== {path.stem} ({len(gold)} texts)\n{format_table(scores)}")
        if i == 0:
            html.parent.mkdir(parents=True, exist_ok=True)
            html.write_text(side_by_side(gold, pred, f"{model} on {path}"), encoding="utf-8")
    typer.echo(f"✔ Wrote {len(data)} metrics files to {metrics_dir} and the report to {html}")


if __name__ == "__main__":
    typer.run(main)
