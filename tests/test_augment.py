"""Training augmenters: headline case, quote/dash variants on an untagged corpus, chaining,
and the augmenter chain as configs/ner.cfg wires it."""
import random

import spacy
import srsly
from spacy.tokens import Span
from spacy.training import Example
from spacy.training.augment import create_orth_variants_augmenter
from spacy.util import load_config, registry

from geoner.data.noise import same_length_case, title_case
from geoner.pipeline.registry import (create_chain_augmenter, create_tagged_orth_variants_augmenter,
                                      create_upper_case_augmenter, punctuation_tags)
from conftest import ROOT

TEXT = 'NATO chief Mark Rutte said “no” — and "maybe" - to EU sanctions.'
VARIANTS = srsly.read_json(ROOT / "configs/orth_variants.json")


MARKS = (("NATO", "BLOC"), ("Mark Rutte", "OFFICIAL"), ("EU sanctions", "SANCTION"))


def example(text=TEXT, marks=MARKS):
    nlp = spacy.blank("en")
    doc = nlp(text)
    doc.ents = [doc.char_span(text.index(s), text.index(s) + len(s), label=l) for s, l in marks]
    return nlp, Example(nlp.make_doc(text), doc)


def ents(ex):
    return [(e.text, e.label_) for e in ex.reference.ents]


def test_upper_case_augmenter_writes_all_caps_and_keeps_entities_on_their_words():
    nlp, ex = example()
    (out,) = create_upper_case_augmenter(level=1.0)(nlp, ex)
    assert out.text == TEXT.upper()
    assert ents(out) == [("NATO", "BLOC"), ("MARK RUTTE", "OFFICIAL"), ("EU SANCTIONS", "SANCTION")]


def test_upper_case_augmenter_in_title_mode_keeps_acronyms():
    nlp, ex = example("the EU imposed sanctions on iran", [("EU", "BLOC")])
    (out,) = create_upper_case_augmenter(level=1.0, title=1.0)(nlp, ex)
    assert out.text == "The EU Imposed Sanctions On Iran"


def test_upper_case_augmenter_at_level_zero_passes_examples_through():
    nlp, ex = example()
    (out,) = create_upper_case_augmenter(level=0.0)(nlp, ex)
    assert out is ex


def test_case_changes_keep_offsets_when_a_letter_would_grow():
    assert same_length_case("Straße", upper=True) == "STRAßE"
    assert title_case('said "sanctions" (new)') == 'Said "Sanctions" (New)'


def test_punctuation_tags_tell_opening_from_closing_quotes_and_dashes_from_hyphens():
    nlp = spacy.blank("en")
    doc = nlp('a "b" — c - d Russian-origin')
    tagged = {t.text + str(t.i): tag for t, tag in zip(doc, punctuation_tags(doc)) if tag}
    assert tagged == {'"1': "``", '"3': "''", "—4": ":", "-6": ":"}


def test_spacy_orth_variants_change_nothing_without_tags_but_the_tagged_version_does():
    nlp, ex = example()
    random.seed(0)
    (plain,) = create_orth_variants_augmenter(level=1.0, lower=0.0, orth_variants=VARIANTS)(nlp, ex)
    assert plain.text == TEXT
    texts = set()
    for seed in range(20):
        random.seed(seed)
        (out,) = create_tagged_orth_variants_augmenter(1.0, 0.0, VARIANTS)(nlp, ex)
        assert ents(out) == ents(ex)
        texts.add(out.text)
    assert any("“maybe”" in t for t in texts) and any('"no"' in t for t in texts)


def test_chain_applies_every_step_in_order():
    nlp, ex = example()
    lower = registry.augmenters.get("spacy.lower_case.v1")(level=1.0)
    upper = create_upper_case_augmenter(level=1.0)
    (out,) = create_chain_augmenter({"upper": upper, "lower": lower})(nlp, ex)
    assert out.text == TEXT.lower()
    assert ents(out)[1] == ("mark rutte", "OFFICIAL")


def test_training_config_builds_the_augmenter_chain_from_its_levels():
    config = load_config(ROOT / "configs/ner.cfg", overrides={
        "paths.orth_variants": str(ROOT / "configs/orth_variants.json"),
        "corpora.train.augmenter.steps.lower.level": 0.0,
        "corpora.train.augmenter.steps.upper.level": 1.0,
        "corpora.train.augmenter.steps.upper.title": 0.0,
        "corpora.train.augmenter.steps.punct.level": 0.0}, interpolate=True)
    augment = registry.resolve({"a": config["corpora"]["train"]["augmenter"]})["a"]
    nlp, ex = example()
    (out,) = augment(nlp, ex)
    assert out.text == TEXT.upper()
