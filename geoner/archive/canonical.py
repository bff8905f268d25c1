"""Canonical names for mentions: blocs from the gazetteer, surnames from the full name given
earlier in the same document. What cannot be resolved keeps its own text."""
from pathlib import Path
from typing import Dict, List, Tuple

from geoner import DataError


def bloc_names(path) -> Dict[str, str]:
    """Every written form of a bloc (case-folded) -> its canonical name, the first form on its
    line of patterns/blocs.txt ("EU" -> "European Union", "Group of Seven" -> "G7")."""
    path = Path(path)
    if not path.exists():
        raise DataError(path, 0, "bloc list not found")
    table: Dict[str, str] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        forms = [f.strip() for f in line.split("|") if f.strip()]
        for form in forms:
            key = _key(form)
            if key in table and table[key] != forms[0]:
                raise DataError(path, n, f"{form!r} already names {table[key]!r}")
            table[key] = forms[0]
    return table


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _words(text: str) -> List[str]:
    return _key(text).split(" ")


def canonical_names(mentions: List[Tuple[str, str]], blocs: Dict[str, str]) -> List[str]:
    """The canonical name of each (text, label) mention of one document, in document order.

    BLOC: the gazetteer's name for the form, compared without case and with a leading "the"
    dropped. OFFICIAL: a mention of fewer words than an earlier OFFICIAL mention whose last
    words it matches ("Putin" after "Vladimir Putin", "KULEBA" after "Dmytro Kuleba") takes
    that name, when exactly one distinct earlier name fits; otherwise its own text.
    """
    out = []
    full_names: Dict[str, str] = {}  # case-folded name -> first spelling seen
    for text, label in mentions:
        name = text
        if label == "BLOC":
            key = _key(text)
            name = blocs.get(key) or (blocs.get(key[4:]) if key.startswith("the ") else None) or text
        elif label == "OFFICIAL":
            words = _words(text)
            fits = {full for key, full in full_names.items()
                    if len(key.split(" ")) > len(words) and key.split(" ")[-len(words):] == words}
            if len(fits) == 1:
                name = fits.pop()
            elif len(words) > 1:
                full_names.setdefault(_key(text), text)
        out.append(name)
    return out
