"""Pipeline component that applies the span-edge rules of the guidelines to predicted entities.

Self-contained on purpose: `spacy package --code geoner/components.py` copies this file into
the wheel, so the packaged pipeline loads without this project installed.
"""
from typing import List

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

MEASURE_LABELS = ("SANCTION", "SUMMIT")
# Premodifiers of measures and summits that a model trained on little data tends to leave out.
PREMODIFIERS = {
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "next", "last", "latest", "final", "new", "fresh", "further", "additional", "tough", "tougher",
    "toughest", "harsh", "harsher", "harshest", "sweeping", "annual", "yearly", "landmark", "emergency",
    "extraordinary", "virtual", "informal", "upcoming", "planned", "historic", "inaugural", "special",
    "bilateral", "trilateral", "regional", "punitive", "crippling", "targeted", "secondary", "sectoral",
    "economic", "financial", "western", "international", "unprecedented", "broad", "broader",
}
# A predicted BLOC that ends in one of these heads is really the measure or the summit it
# names (ruling 2 of the guidelines: "[AU summit]", "[UN sanctions]").
HEAD_LABELS = {"summit": "SUMMIT", "summits": "SUMMIT", "sanctions": "SANCTION", "embargo": "SANCTION",
               "embargoes": "SANCTION"}
# The head nouns the guidelines allow at the end of each measure label; a predicted span that
# ends elsewhere ("three-day visit seen as ...") is not a mention of that kind.
HEADS = {
    "SUMMIT": {"summit", "summits"},
    "SANCTION": {"sanction", "sanctions", "embargo", "embargoes", "freeze", "freezes", "controls", "cap",
                 "caps", "ban", "bans", "package", "packages", "regime", "regimes"},
}
PAIRS = {"[": "]", "(": ")"}
STOP = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "of",
        "in", "on", "at", "for", "to", "from", "by", "with", "and", "or", "as", "after", "before"}


def _is_premodifier(tok) -> bool:
    low = tok.lower_
    if low in STOP:
        return False
    if low in PREMODIFIERS:
        return True
    if tok.like_num or (low[:-2].isdigit() and low[-2:] in ("st", "nd", "rd", "th")):
        return True
    return False


def _balance(doc: Doc, ent: Span) -> Span:
    """Extend a span by one token on a side where its brackets are unbalanced."""
    start, end = ent.start, ent.end
    for opener, closer in PAIRS.items():
        texts = [t.text for t in ent]
        if texts.count(closer) > texts.count(opener) and start > 0 and doc[start - 1].text == opener:
            start -= 1
        if texts.count(opener) > texts.count(closer) and end < len(doc) and doc[end].text == closer:
            end += 1
    return ent if (start, end) == (ent.start, ent.end) else Span(doc, start, end, label=ent.label_)


def make_span_edge_rules(nlp: Language, name: str, merge_blocs: bool, extend_premodifiers: bool):
    return SpanEdgeRules(merge_blocs, extend_premodifiers)


# The same file is imported as geoner.components here and as a copy inside the packaged model;
# registering only once lets both live in one process without spaCy's duplicate-factory error.
if not Language.has_factory("span_edge_rules"):
    Language.factory("span_edge_rules", default_config={"merge_blocs": True, "extend_premodifiers": True})(
        make_span_edge_rules)


class SpanEdgeRules:
    """Rules from the guidelines, applied after the statistical NER:

    * a bracket closed (or opened) inside a span takes its partner along ("[Western] sanctions");
    * a BLOC span that ends in "summit" or "sanctions" is relabelled SUMMIT or SANCTION;
    * a SUMMIT or SANCTION span that does not end in an allowed head noun is dropped;
    * a BLOC directly in front of a SANCTION or SUMMIT is part of it ("[G7 price cap]");
    * premodifiers (ordinals, numbers, adjectives such as "latest" or "annual") directly in
      front of a SANCTION or SUMMIT are part of it ("[next Quad summit]").
    A possessive or a determiner stops both rules, so "[African Union]'s [annual summit]" stays two spans.
    """

    def __init__(self, merge_blocs: bool = True, extend_premodifiers: bool = True):
        self.merge_blocs = merge_blocs
        self.extend_premodifiers = extend_premodifiers

    def __call__(self, doc: Doc) -> Doc:
        ents: List[Span] = [
            Span(doc, e.start, e.end, label=HEAD_LABELS[e[-1].lower_])
            if e.label_ == "BLOC" and len(e) > 1 and e[-1].lower_ in HEAD_LABELS else e
            for e in doc.ents]
        ents = [e for e in ents if e.label_ not in HEADS or e[-1].lower_ in HEADS[e.label_]]
        ents = filter_spans([_balance(doc, e) for e in ents])
        if not any(e.label_ in MEASURE_LABELS for e in ents):
            doc.ents = ents
            return doc
        by_end = {e.end: e for e in ents}
        taken = {i for e in ents for i in range(e.start, e.end)}
        out = []
        for ent in ents:
            if ent.label_ not in MEASURE_LABELS:
                out.append(ent)
                continue
            start = ent.start
            changed = True
            while changed and start > 0:
                changed = False
                prev = by_end.get(start)
                if self.merge_blocs and prev is not None and prev.label_ == "BLOC":
                    start, changed = prev.start, True
                elif self.extend_premodifiers and start - 1 not in taken and _is_premodifier(doc[start - 1]):
                    start, changed = start - 1, True
            out.append(Span(doc, start, ent.end, label=ent.label_) if start != ent.start else ent)
        doc.ents = filter_spans(out)
        return doc
