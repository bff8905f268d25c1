import pytest

from geoner.data.stats import CARD_END, CARD_START, corpus_stats, replace_block
from helpers import task


def test_corpus_stats_counts_mentions_forms_and_negatives():
    tasks = [task("Xi met Xi Jinping fans.", [("Xi", "OFFICIAL"), ("Xi Jinping", "OFFICIAL")], source="seed"),
             task("Xi spoke.", [("Xi", "OFFICIAL")], source="authored"),
             task("Nothing to mark here.", [], source="authored")]
    s = corpus_stats(tasks)
    assert s["all"]["tasks"] == 3 and s["all"]["negatives"] == 1
    assert s["all"]["mentions"]["OFFICIAL"] == 3 and s["all"]["distinct_forms"]["OFFICIAL"] == 2
    assert s["by_source"]["authored"]["words"] == 6
    assert s["all"]["distinct_multiword_officials"] == 1


def test_replace_block_only_touches_the_marked_part():
    doc = f"intro\n{CARD_START}\nold\n{CARD_END}\noutro\n"
    assert replace_block(doc, "new") == f"intro\n{CARD_START}\nnew\n{CARD_END}\noutro\n"
    with pytest.raises(ValueError):
        replace_block("no markers", "new")


def test_hard_negative_cues_count_bare_triggers_and_non_official_roles():
    tasks = [task("Xi met Putin.", [("Xi", "OFFICIAL"), ("Putin", "OFFICIAL")]),
             task("Climbers reached the summit of K2.", []),
             task("Xi met the analyst Jane Roe.", [("Xi", "OFFICIAL")]),
             task("The fresh sanctions bit.", [("fresh sanctions", "SANCTION")])]
    assert corpus_stats(tasks)["all"]["hard_negative_cues"] == 2
