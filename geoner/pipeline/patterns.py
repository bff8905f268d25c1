"""Match patterns in spaCy/Prodigy pattern JSONL form: building them from the bloc list and
trigger words, and reading them back."""
from typing import List, Optional, Tuple

from geoner.data.jsonl import iter_lines

# Ordinals and years are premodifiers of measures and summits ("14th sanctions package",
# "2024 BRICS summit"); upper-case tokens cover bloc acronyms ("BRICS summit").
ORDINAL = {"LOWER": {"REGEX": r"^\d+(st|nd|rd|th)$"}}
YEAR = {"SHAPE": "dddd"}
DETERMINERS = ["the", "a", "an"]


def bloc_patterns(text: str) -> Tuple[List[dict], int]:
    patterns, n = [], 0
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        n += 1
        forms = [f.strip() for f in line.split("|") if f.strip()]
        slug = forms[0].lower().replace(" ", "-")
        patterns.extend({"label": "BLOC", "pattern": form, "id": slug} for form in forms)
    return patterns, n


def _trigger_patterns(label: str, heads: List[List[str]], premods: List[str], capitalised: bool) -> List[dict]:
    pre = [{"LOWER": {"IN": premods}, "OP": "*"}]
    if capitalised:
        # Title-case premodifiers ("Kazan summit", "BRICS summit") but never a determiner.
        pre.append({"IS_TITLE": True, "LOWER": {"NOT_IN": DETERMINERS}, "OP": "*"})
        pre.append({"IS_UPPER": True, "OP": "*"})
    out = []
    for head in heads:
        tail = [{"LOWER": w} for w in head]
        for lead in ([], [ORDINAL], [YEAR]):
            out.append({"label": label, "pattern": lead + pre + tail})
    return out


def build_patterns(blocs_text: str, triggers: dict) -> Tuple[List[dict], int]:
    """Return (patterns, number of blocs)."""
    patterns, n = bloc_patterns(blocs_text)
    patterns += _trigger_patterns("SANCTION", triggers["sanction_heads"], triggers["sanction_premodifiers"], False)
    patterns += _trigger_patterns("SUMMIT", triggers["summit_heads"], triggers["summit_premodifiers"], True)
    return patterns, n


def read_patterns(path, labels: Optional[List[str]] = None) -> List[dict]:
    """Pattern JSONL as a list (the entity ruler wants a sequence, not a generator).

    path: pattern JSONL file.
    labels: keep only patterns with these labels; None keeps all.
    """
    return [obj for _, obj in iter_lines(path) if labels is None or obj.get("label") in labels]
