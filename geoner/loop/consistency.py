"""Find surface forms that are annotated in one paragraph but left bare in another.

Such pairs are either a missed mention or a deliberate negative (a company named after a
person, "Summit" in a brand); the report lists them so that an annotator decides each once.
"""
import re
from typing import Dict, List, Tuple


def unmarked_mentions(tasks: List[dict], labels=("OFFICIAL", "BLOC")) -> List[Tuple[str, str, dict]]:
    """(surface form, label, task) for every bare occurrence of a form marked elsewhere."""
    forms: Dict[str, str] = {}
    for t in tasks:
        for s in t["spans"]:
            if s["label"] in labels:
                forms.setdefault(t["text"][s["start"]:s["end"]], s["label"])
    patterns = {f: re.compile(r"(?<![\w-])" + re.escape(f) + r"(?![\w-])") for f in forms}
    out = []
    for t in tasks:
        covered = [(s["start"], s["end"]) for s in t["spans"]]
        for form, rx in patterns.items():
            for m in rx.finditer(t["text"]):
                if not any(a <= m.start() and m.end() <= b for a, b in covered):
                    out.append((form, forms[form], t))
                    break
    return out
