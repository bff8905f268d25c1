import spacy

import geoner.pipeline.components  # noqa: F401
from geoner.pipeline.patterns import build_patterns


def pipeline(patterns):
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(patterns)
    nlp.add_pipe("span_edge_rules")
    return nlp


BASIC = [{"label": "BLOC", "pattern": "African Union"}, {"label": "BLOC", "pattern": "G7"},
         {"label": "SUMMIT", "pattern": "summit"}, {"label": "SANCTION", "pattern": "sanctions"},
         {"label": "SANCTION", "pattern": [{"LOWER": "price"}, {"LOWER": "cap"}]}]


def ents(nlp, text):
    return [(e.text, e.label_) for e in nlp(text).ents]


def test_span_edge_rules_merge_a_bloc_into_the_following_measure():
    assert ents(pipeline(BASIC), "They agreed a G7 price cap.") == [("G7 price cap", "SANCTION")]


def test_span_edge_rules_keep_possessive_blocs_apart():
    assert ents(pipeline(BASIC), "The African Union's annual summit opened.") == [
        ("African Union", "BLOC"), ("annual summit", "SUMMIT")]


def test_span_edge_rules_take_in_premodifiers_but_not_determiners():
    nlp = pipeline(BASIC)
    assert ents(nlp, "the yearly African Union summit") == [("yearly African Union summit", "SUMMIT")]
    assert ents(nlp, "They imposed tough new sanctions.") == [("tough new sanctions", "SANCTION")]
    assert ents(nlp, "the 14th sanctions") == [("14th sanctions", "SANCTION")]


def test_build_patterns_makes_bloc_phrases_and_trigger_token_patterns():
    blocs = "# comment\nEuropean Union | EU\nNATO\n"
    triggers = {"sanction_heads": [["sanctions"]], "sanction_premodifiers": ["fresh"],
                "summit_heads": [["summit"]], "summit_premodifiers": ["annual"]}
    patterns, n = build_patterns(blocs, triggers)
    assert n == 2
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(patterns)
    assert ents(nlp, "The EU imposed fresh sanctions before the annual summit.") == [
        ("EU", "BLOC"), ("fresh sanctions", "SANCTION"), ("annual summit", "SUMMIT")]
    assert ents(nlp, "The Kazan summit.") == [("Kazan summit", "SUMMIT")]


def test_span_edge_rules_relabel_a_bloc_that_ends_in_summit():
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "BLOC", "pattern": "Arab League summit"}])
    nlp.add_pipe("span_edge_rules")
    assert ents(nlp, "The Arab League summit opened.") == [("Arab League summit", "SUMMIT")]


def test_span_edge_rules_take_the_partner_of_a_bracket_closed_inside():
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "SANCTION", "pattern": [{"LOWER": "western"}, {"ORTH": "]"}, {"LOWER": "sanctions"}]}])
    nlp.add_pipe("span_edge_rules")
    assert ents(nlp, "the impact of [Western] sanctions.") == [("[Western] sanctions", "SANCTION")]


def test_span_edge_rules_drop_a_summit_without_its_head_noun():
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "SUMMIT", "pattern": "three-day visit"},
                                              {"label": "SANCTION", "pattern": "oil embargo"}])
    nlp.add_pipe("span_edge_rules")
    assert ents(nlp, "A three-day visit ended the oil embargo.") == [("oil embargo", "SANCTION")]
