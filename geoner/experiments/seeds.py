"""Variance over training seeds: one model per seed and variant, every figure as mean ± sd."""
import json
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

import spacy

from geoner import LABELS
from geoner.evaluate.gold import Gold, docbin_gold, existing_sets, jsonl_gold
from geoner.evaluate.scoring import score_pipeline
from geoner.experiments.crossval import summarize_runs
from geoner.experiments.training import dir_size_mb, train_pipeline

DEFAULT = "default"


def parse_value(text: str):
    """A config value as spaCy's CLI reads overrides: JSON where it parses, else a string."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def parse_variant(spec: str) -> Tuple[str, Dict[str, object]]:
    """``NAME=path=value path=value`` -> (NAME, {path: value}); overrides are space-separated
    config dot-paths, as after ``spacy train``'s ``--``."""
    name, sep, rest = spec.partition("=")
    if not sep or not name.strip():
        raise ValueError(f"variant {spec!r}: expected NAME=path=value [path=value ...]")
    overrides = {}
    for item in rest.split():
        path, sep, value = item.partition("=")
        if not sep or not path:
            raise ValueError(f"variant {name!r}: override {item!r} is not path=value")
        overrides[path] = parse_value(value)
    if name == DEFAULT and overrides:
        raise ValueError(f"the name {DEFAULT!r} is kept for the config as it is")
    return name.strip(), overrides


def evaluation_sets(data_dir: Path, extras: Dict[str, Path], log=print) -> Dict[str, Gold]:
    """The test split, each source's test split, and the extra JSONL sets that exist."""
    sets = {"test": docbin_gold(Path(data_dir) / "test.spacy")}
    for path in sorted(Path(data_dir).glob("test_*.spacy")):
        sets[path.stem] = docbin_gold(path)
    for name, path in existing_sets(extras, log).items():
        sets[name] = jsonl_gold(path)
    return sets


def run_seeds(config: Path, data_dir: Path, variants: Dict[str, Dict[str, object]], seeds: List[int],
              max_steps: int, work_dir: Path, sets: Dict[str, Gold], patterns: Optional[Path] = None,
              reuse: bool = False, checkpoint: Optional[Callable[[dict], None]] = None, log=print) -> dict:
    """Train one model per variant and seed and score each on every set.

    config: the default training config; each variant is a set of overrides of it.
    data_dir: folder with train.spacy and dev.spacy.
    variants: {name: overrides}; the default is {}.
    seeds: training seeds (system.seed), the same for every variant.
    max_steps: training steps per model.
    work_dir: models go to WORK_DIR/<variant>/seed<N>.
    sets: named (texts, gold spans) to score on.
    patterns: entity-ruler pattern file passed to training, if not the config's.
    reuse: score a model already in work_dir instead of training it again.
    checkpoint: called with the partial result after each model, so a long run can be resumed.
    Returns {"seeds", "max_steps", "sets", "variants", "runs": {variant: {seed: {...}}},
    "summary": {variant: {set: mean/sd}}}.
    """
    result = {"seeds": seeds, "max_steps": max_steps, "sets": list(sets),
              "variants": dict(variants), "runs": {}}
    for name, overrides in variants.items():
        result["runs"][name] = {}
        for seed in seeds:
            out = Path(work_dir) / name / f"seed{seed}"
            if not (reuse and (out / "model-best").exists()):
                log(f"Training {name}, seed {seed} ({max_steps} steps) ...")
                extra = {"paths.patterns": str(patterns)} if patterns else {}
                train_pipeline(config, out, Path(data_dir) / "train.spacy", Path(data_dir) / "dev.spacy",
                               {**overrides, **extra, "system.seed": seed, "training.max_steps": max_steps})
            nlp = spacy.load(out / "model-best")
            run = {"size_mb": dir_size_mb(out / "model-best")}
            for set_name, (texts, gold) in sets.items():
                run[set_name], _ = score_pipeline(nlp, texts, gold)
            log(f"{name} seed {seed}: " + ", ".join(f"{s} F={run[s]['f']:.3f}" for s in sets))
            result["runs"][name][str(seed)] = run
            if checkpoint:
                checkpoint(result)
    result["summary"] = summarize(result["runs"], list(sets))
    return result


def summarize(runs: Dict[str, Dict[str, dict]], sets: List[str]) -> dict:
    """Mean and sample sd of F (overall and per label) and of precision and recall, per variant
    and set; words per second and size as means."""
    out = {}
    for name, by_seed in runs.items():
        scored = list(by_seed.values())
        out[name] = {}
        for s in sets:
            summary = summarize_runs([r[s] for r in scored])
            for key in ("p", "r"):
                summary[f"mean_{key}"] = sum(r[s][key] for r in scored) / len(scored)
            out[name][s] = summary
        out[name]["size_mb"] = sum(r["size_mb"] for r in scored) / len(scored)
        out[name]["wps"] = sum(r["test"]["wps"] for r in scored) / len(scored)
    return out


def beyond_spread(summary: dict, variant: str, set_name: str) -> Tuple[float, bool]:
    """(difference in mean F from the default, whether it is larger than the larger of the two
    standard deviations): the rule for letting a variant replace the default."""
    a, b = summary[DEFAULT][set_name], summary[variant][set_name]
    diff = b["mean_f"] - a["mean_f"]
    return diff, abs(diff) > max(a["stdev_f"], b["stdev_f"])


def seeds_table(result: dict) -> str:
    """Markdown: per variant and set, F mean ± sd and per-label means, and the difference from
    the default with whether it exceeds the spread."""
    summary, sets = result["summary"], result["sets"]
    n = len(result["seeds"])
    lines = [f"Mean ± sd over {n} seeds ({', '.join(map(str, result['seeds']))}), "
             f"{result['max_steps']} steps each.", "",
             "| variant | set | F | P | R | " + " | ".join(LABELS) + " | Δ F vs default | beyond spread |",
             "| --- " * (7 + len(LABELS)) + "|"]
    for name, by_set in summary.items():
        for s in sets:
            m = by_set[s]
            per = " | ".join(f"{m['per_label'][l]['mean_f']:.3f} ± {m['per_label'][l]['stdev_f']:.3f}" for l in LABELS)
            if name == DEFAULT or DEFAULT not in summary:
                delta = "-", "-"
            else:
                diff, beyond = beyond_spread(summary, name, s)
                delta = f"{diff:+.3f}", "yes" if beyond else "no"
            lines.append(f"| {name} | {s} | {m['mean_f']:.3f} ± {m['stdev_f']:.3f} | {m['mean_p']:.3f} | "
                         f"{m['mean_r']:.3f} | {per} | {delta[0]} | {delta[1]} |")
    lines += ["", "| variant | MB | words/s (test, mean; shared machine) |", "| --- | --- | --- |"]
    lines += [f"| {name} | {v['size_mb']:.1f} | {v['wps']:,.0f} |" for name, v in summary.items()]
    return "\n".join(lines)
