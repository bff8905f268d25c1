"""The side-by-side HTML report marks exactly the texts where prediction and gold differ."""
import re

import spacy
from spacy.tokens import Span

from geoner.evaluate.report import side_by_side

NLP = spacy.blank("en")


def doc(text, ents):
    d = NLP.make_doc(text)
    d.ents = [Span(d, s, e, label=l) for s, e, l in ents]
    return d


def test_side_by_side_flags_only_the_rows_that_differ():
    gold = [doc("NATO met.", [(0, 1, "BLOC")]), doc("G7 leaders met.", [(0, 1, "BLOC")]),
            doc("Xi spoke.", [(0, 1, "OFFICIAL")])]
    pred = [doc("NATO met.", [(0, 1, "BLOC")]), doc("G7 leaders met.", []),
            doc("Xi spoke.", [(0, 1, "BLOC")])]
    page = side_by_side(gold, pred, "model <on> test")
    rows = re.findall(r"<tr( class=\"diff\")?><td>(\d+)</td>", page)
    assert [(int(i), bool(mark)) for mark, i in rows] == [(0, False), (1, True), (2, True)]
    assert "3 texts, 2 with differences" in page
    assert "<title>model &lt;on&gt; test</title>" in page


def test_side_by_side_renders_gold_and_predicted_labels_in_their_cells():
    page = side_by_side([doc("Xi spoke.", [(0, 1, "OFFICIAL")])], [doc("Xi spoke.", [(0, 1, "BLOC")])], "t")
    gold_cell, pred_cell = re.findall(r"<td>(<div.*?</div>)</td>", page, flags=re.S)
    assert "OFFICIAL" in gold_cell and "BLOC" not in gold_cell
    assert "BLOC" in pred_cell and "OFFICIAL" not in pred_cell
