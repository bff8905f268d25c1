"""Robustness benchmark: the same gold paragraphs in the shapes real copy takes (lower case, all
caps, other quotes and dashes, long documents), scored strictly, with the drop against the
original. Every change keeps the gold spans on the same characters."""
import statistics
from typing import Callable, Dict, List, Tuple

from geoner import LABELS

from geoner.data.tasks import Span3
from geoner.evaluate.scoring import score_pipeline
from geoner.data.noise import same_length_case, swap_punctuation

Gold = Tuple[List[str], List[List[Span3]]]

def recase(gold: Gold, change: Callable[[str], str]) -> Gold:
    texts, spans = gold
    out = [change(t) for t in texts]
    if any(len(a) != len(b) for a, b in zip(out, texts)):
        raise ValueError("a text change must keep every character offset")
    return out, spans


def join_paragraphs(gold: Gold, per_doc: int, sep: str = "\n\n") -> Gold:
    """Consecutive paragraphs joined into documents of ``per_doc`` paragraphs, spans shifted."""
    texts, spans = gold
    out_texts, out_spans = [], []
    for i in range(0, len(texts), per_doc):
        parts, shifted, offset = [], [], 0
        for text, sp in zip(texts[i:i + per_doc], spans[i:i + per_doc]):
            shifted.extend((s + offset, e + offset, label) for s, e, label in sp)
            parts.append(text)
            offset += len(text) + len(sep)
        out_texts.append(sep.join(parts))
        out_spans.append(shifted)
    return out_texts, out_spans


def perturbations(per_doc: int = 10) -> Dict[str, Callable[[Gold], Gold]]:
    """The named cases of the benchmark, each a function of (texts, gold spans)."""
    return {
        "original": lambda g: g,
        "lower": lambda g: recase(g, lambda t: same_length_case(t, upper=False)),
        "upper": lambda g: recase(g, lambda t: same_length_case(t, upper=True)),
        "punctuation": lambda g: recase(g, swap_punctuation),
        f"joined_{per_doc}": lambda g: join_paragraphs(g, per_doc),
    }


def run_robustness(nlp, sets: Dict[str, Gold], per_doc: int = 10) -> dict:
    """Strict scores of ``nlp`` on every case of every set, and the drop in F against the original.

    nlp: the pipeline.
    sets: named (texts, gold spans).
    per_doc: paragraphs per document in the joined case.
    Returns {set: {case: {"f", "p", "r", "drop", "per_label": {label: {"f", "drop"}}, "texts"}}}.
    """
    out = {}
    for name, gold in sets.items():
        cases = {}
        for case, change in perturbations(per_doc).items():
            texts, spans = change(gold)
            scores, _ = score_pipeline(nlp, texts, spans)
            cases[case] = {"f": scores["f"], "p": scores["p"], "r": scores["r"], "texts": len(texts),
                           "per_label": {l: {"f": s["f"]} for l, s in scores["per_label"].items()}}
        base = cases["original"]
        for scores in cases.values():
            scores["drop"] = base["f"] - scores["f"]
            for label, s in scores["per_label"].items():
                s["drop"] = base["per_label"][label]["f"] - s["f"]
        out[name] = cases
    return out


def summarize_robustness(results: List[dict]) -> dict:
    """Mean and sample sd over several models' run_robustness results (one per training seed):
    {set: {case: {"texts", "mean_f", "sd_f", "mean_drop", "sd_drop", "per_label": {label: {...}}}}}."""
    def mean_sd(values):
        return statistics.mean(values), statistics.stdev(values) if len(values) > 1 else 0.0

    out = {}
    for name, cases in results[0].items():
        out[name] = {}
        for case in cases:
            runs = [r[name][case] for r in results]
            row = {"texts": runs[0]["texts"], "per_label": {}}
            row["mean_f"], row["sd_f"] = mean_sd([r["f"] for r in runs])
            row["mean_drop"], row["sd_drop"] = mean_sd([r["drop"] for r in runs])
            for label in runs[0]["per_label"]:
                m_f, _ = mean_sd([r["per_label"][label]["f"] for r in runs])
                m_drop, sd_drop = mean_sd([r["per_label"][label]["drop"] for r in runs])
                row["per_label"][label] = {"mean_f": m_f, "mean_drop": m_drop, "sd_drop": sd_drop}
            out[name][case] = row
    return out


def robustness_table(summary: dict, n_models: int) -> str:
    """Markdown: F and its drop against the original per set and case (mean ± sd over the
    models), with mean F and drop per label."""
    lines = [f"Mean ± sd over {n_models} model(s).", "",
             "| set | case | texts | F | drop | " + " | ".join(LABELS) + " |",
             "| --- " * (5 + len(LABELS)) + "|"]
    for name, cases in summary.items():
        for case, s in cases.items():
            per = " | ".join(f"{v['mean_f']:.3f} ({v['mean_drop']:+.3f})" for v in s["per_label"].values())
            lines.append(f"| {name} | {case} | {s['texts']} | {s['mean_f']:.3f} ± {s['sd_f']:.3f} | "
                         f"{s['mean_drop']:+.3f} ± {s['sd_drop']:.3f} | {per} |")
    return "\n".join(lines)
