"""displaCy HTML page with gold and predicted entities side by side."""
import html
from typing import List

from spacy import displacy
from spacy.tokens import Doc

from geoner import LABELS
from geoner.evaluate.scoring import doc_spans

COLORS = {"OFFICIAL": "#fdd49e", "BLOC": "#a6d96a", "SANCTION": "#f4a582", "SUMMIT": "#92c5de"}


def _render(doc: Doc) -> str:
    ents = [{"start": e.start_char, "end": e.end_char, "label": e.label_} for e in doc.ents]
    data = {"text": doc.text, "ents": ents, "title": None}
    return displacy.render(data, style="ent", manual=True, page=False,
                           options={"ents": list(LABELS), "colors": COLORS})


def side_by_side(gold: List[Doc], pred: List[Doc], title: str) -> str:
    """One table row per text: gold on the left, prediction on the right; rows that differ
    are flagged so reviewers can jump to the errors."""
    rows = []
    for i, (g, p) in enumerate(zip(gold, pred)):
        same = set(doc_spans(g)) == set(doc_spans(p))
        mark = "" if same else ' class="diff"'
        rows.append(f"<tr{mark}><td>{i}</td><td>{_render(g)}</td><td>{_render(p)}</td></tr>")
    n_diff = sum('class="diff"' in r for r in rows)
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>"
        "body{font-family:sans-serif} td{vertical-align:top;border-bottom:1px solid #ddd;padding:4px;width:48%}"
        "tr.diff td:first-child{background:#f66;color:#fff}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{len(rows)} texts, {n_diff} with differences (red).</p>"
        "<table><tr><th>#</th><th>gold</th><th>predicted</th></tr>" + "".join(rows) + "</table></body></html>"
    )
