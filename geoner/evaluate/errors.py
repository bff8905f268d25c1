"""Error analysis a reader can act on: the most frequent wrong and missed surface forms per
label, and a bootstrap confidence interval for micro F."""
import random
from collections import Counter
from typing import Dict, List, Sequence

from geoner import LABELS
from geoner.data.tasks import Span3
from geoner.evaluate.scoring import prf


def _kind(span: Span3, others: Sequence[Span3]) -> str:
    """How a wrong span relates to the spans on the other side: the same extent with another
    label ("label"), an overlapping extent ("boundary"), or nothing at all."""
    start, end, label = span
    overlapping = [o for o in others if o[0] < end and start < o[1]]
    if any(o[0] == start and o[1] == end for o in overlapping):
        return "label"
    return "boundary" if overlapping else "none"


def error_table(texts: List[str], gold: List[List[Span3]], pred: List[List[Span3]], top: int = 15) -> dict:
    """Per label, false positives and false negatives grouped by surface form, most frequent first.

    texts, gold, pred: the texts and their gold and predicted (start, end, label) spans.
    top: how many surface forms to keep per list.
    Each entry: {"text", "count", "kinds"}; kinds counts how the errors relate to the other side
    ("none": spurious or wholly missed, "boundary": overlaps a span there, "label": same extent,
    another label), which says whether the fix is more data, edge rules or the label guidelines.
    """
    # label -> surface form -> Counter of kinds, for false positives and for false negatives
    found = {side: {label: {} for label in LABELS} for side in ("false_positives", "false_negatives")}
    for text, g, p in zip(texts, gold, pred):
        g, p = set(g), set(p)
        for side, wrong, other in (("false_positives", p - g, g), ("false_negatives", g - p, p)):
            for span in wrong:
                if span[2] in LABELS:
                    by_form = found[side][span[2]].setdefault(text[span[0]:span[1]], Counter())
                    by_form[_kind(span, list(other))] += 1

    def listed(forms: Dict[str, Counter]) -> List[dict]:
        rows = [{"text": surface, "count": sum(k.values()), "kinds": dict(k)} for surface, k in forms.items()]
        return sorted(rows, key=lambda r: (-r["count"], r["text"]))[:top]

    out = {}
    for label in LABELS:
        out[label] = {side: listed(found[side][label]) for side in found}
        for side in found:
            kinds = sum(found[side][label].values(), Counter())
            out[label][f"n_{side}"] = sum(kinds.values())
            out[label][f"kinds_{side}"] = dict(sorted(kinds.items()))
    return out


def _kinds(counts: Dict[str, int]) -> str:
    return ", ".join(f"{k} {n}" for k, n in sorted(counts.items())) or "-"


def errors_markdown(errors: dict, title: str, top: int = 10) -> str:
    """The error table as markdown: per label, the commonest false positives and negatives."""
    lines = [f"# Errors: {title}", "",
             "Kinds: none = spurious or wholly missed, boundary = overlaps a span on the other side, "
             "label = same extent with another label.", ""]
    for label, e in errors.items():
        lines.append(f"## {label}: {e['n_false_positives']} false positives ({_kinds(e['kinds_false_positives'])}), "
                     f"{e['n_false_negatives']} false negatives ({_kinds(e['kinds_false_negatives'])})")
        for name, key in (("False positives", "false_positives"), ("False negatives", "false_negatives")):
            lines.append(f"\n{name}:\n")
            rows = e[key][:top]
            if not rows:
                lines.append("- none")
            for r in rows:
                lines.append(f"- {r['count']}× `{r['text']}` ({_kinds(r['kinds'])})")
        lines.append("")
    return "\n".join(lines)


def bootstrap_f(gold: List[List[Span3]], pred: List[List[Span3]], resamples: int = 1000, seed: int = 0,
                level: float = 0.95) -> dict:
    """Percentile bootstrap interval for micro F, resampling whole paragraphs with replacement.

    Paragraphs, not mentions, are the unit because mentions in one paragraph share its context
    and its errors. Returns {"low", "high", "level", "resamples", "seed"}.
    """
    counts = []
    for g, p in zip(gold, pred):
        g, p = set(g), set(p)
        counts.append((len(g & p), len(p - g), len(g - p)))
    if not counts:
        raise ValueError("no paragraphs to resample")
    rng = random.Random(seed)
    fs = []
    for _ in range(resamples):
        tp = fp = fn = 0
        for i in rng.choices(range(len(counts)), k=len(counts)):
            tp, fp, fn = tp + counts[i][0], fp + counts[i][1], fn + counts[i][2]
        fs.append(prf(tp, fp, fn)["f"])
    fs.sort()
    tail = (1 - level) / 2
    return {"low": fs[int(tail * resamples)], "high": fs[min(resamples - 1, int((1 - tail) * resamples))],
            "level": level, "resamples": resamples, "seed": seed}
