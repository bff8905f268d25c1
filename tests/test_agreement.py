import pytest

from geoner import DataError
from geoner.loop.agreement import agreement, token_labels
from helpers import task

TEXT = "Xi and Putin met at the SCO summit in Astana."


def pairs(*tasks):
    return [(f"f:{i}", t) for i, t in enumerate(tasks)]


def test_identical_annotations_agree_fully():
    t = task(TEXT, [("Xi", "OFFICIAL"), ("Putin", "OFFICIAL"), ("SCO summit", "SUMMIT")])
    result = agreement(pairs(t), pairs(t))
    assert result["span_f1"]["f"] == 1.0 and result["token_kappa"] == 1.0


def test_a_boundary_difference_lowers_span_f1_and_kappa():
    a = task(TEXT, [("Xi", "OFFICIAL"), ("Putin", "OFFICIAL"), ("SCO summit", "SUMMIT")])
    b = task(TEXT, [("Xi", "OFFICIAL"), ("Putin", "OFFICIAL"), ("summit", "SUMMIT")])
    result = agreement(pairs(a), pairs(b))
    assert result["span_f1"]["per_label"]["OFFICIAL"]["f"] == 1.0
    assert result["span_f1"]["per_label"]["SUMMIT"]["f"] == 0.0
    assert 0.0 < result["token_kappa"] < 1.0


def test_token_labels_follow_spans():
    t = task(TEXT, [("SCO summit", "SUMMIT")])
    labels = token_labels(t["text"], t["spans"])
    assert labels.count("SUMMIT") == 2 and labels.count("O") == len(labels) - 2


def test_agreement_needs_shared_texts():
    with pytest.raises(DataError, match="share no texts"):
        agreement(pairs(task(TEXT, [])), pairs(task("Other text.", [])))
