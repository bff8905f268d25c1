"""The default architecture can learn all four labels, and a saved pipeline predicts the same
after reloading."""
import random

import spacy
from spacy.training import Example
from spacy.util import load_config, load_model_from_config

import geoner.pipeline.registry  # noqa: F401  (registers the config callbacks)
from geoner import LABELS
from helpers import task
from conftest import ROOT

TRAIN = [
    ("Finnish President Alexander Stubb urged fresh sanctions before the Vilnius summit of NATO.",
     [("Alexander Stubb", "OFFICIAL"), ("fresh sanctions", "SANCTION"), ("Vilnius summit", "SUMMIT"), ("NATO", "BLOC")]),
    ("ASEAN envoys met Penny Wong after the oil embargo and the Jakarta summit.",
     [("ASEAN", "BLOC"), ("Penny Wong", "OFFICIAL"), ("oil embargo", "SANCTION"), ("Jakarta summit", "SUMMIT")]),
]


def test_overfit_learns_all_four_labels_and_survives_save_and_load(tmp_path):
    config = load_config(ROOT / "configs/ner.cfg", overrides={
        "nlp.pipeline": ["ner"], "paths.init_model": None, "paths.train": None, "paths.dev": None})
    nlp = load_model_from_config(config, auto_fill=True, validate=True)
    examples = []
    for text, marks in TRAIN:
        t = task(text, marks)
        examples.append(Example.from_dict(nlp.make_doc(text), {
            "entities": [(s["start"], s["end"], s["label"]) for s in t["spans"]]}))
    random.seed(0)
    spacy.util.fix_random_seed(0)
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(60):
        random.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.0)
    predicted = [[(e.text, e.label_) for e in doc.ents] for doc in nlp.pipe(t for t, _ in TRAIN)]
    assert predicted == [marks for _, marks in TRAIN]
    assert {label for p in predicted for _, label in p} == set(LABELS)
    nlp.to_disk(tmp_path / "model")
    reloaded = spacy.load(tmp_path / "model")
    assert [[(e.text, e.label_) for e in doc.ents] for doc in reloaded.pipe(t for t, _ in TRAIN)] == predicted
