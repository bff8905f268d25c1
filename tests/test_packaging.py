import srsly

from geoner import LABELS
from geoner.loop.consistency import unmarked_mentions
from geoner.pipeline.packaging import SOURCES, build_meta, pipeline_labels
from geoner.evaluate.scoring import strict_scores
from helpers import task
from conftest import ROOT


def test_build_meta_carries_labels_sources_and_measured_scores(tmp_path):
    scores = strict_scores([[(0, 4, "BLOC"), (9, 11, "OFFICIAL")]], [[(0, 4, "BLOC")]])
    srsly.write_json(tmp_path / "test.json", scores)
    labels = {"ner": list(LABELS), "entity_ruler": ["BLOC"], "span_edge_rules": []}
    meta = build_meta("geopolitics_ner", "0.1.0", [tmp_path / "test.json"], SOURCES, labels, "README.md")
    assert meta["labels"] == labels and meta["url"] == "README.md"
    assert abs(meta["performance"]["ents_f"] - scores["f"]) < 1e-9 and meta["performance"]["test_ents_r"] == 0.5
    assert meta["license"] and meta["description"]


def test_every_source_names_its_url_and_licence_and_the_seed_is_not_mit():
    assert all(s["name"] and s["url"] and s["license"] for s in SOURCES)
    seed = next(s for s in SOURCES if s["url"].startswith("seeds/"))
    assert "not covered by the MIT licence" in seed["license"]
    assert (ROOT / seed["url"]).exists() and (ROOT / "seeds/README.md").exists()


def test_pipeline_labels_lists_every_component_including_rules():
    import spacy

    import geoner.pipeline.components  # noqa: F401  (span_edge_rules factory)

    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "BLOC", "pattern": "NATO"},
                                               {"label": "SUMMIT", "pattern": "G20 summit"}])
    nlp.add_pipe("span_edge_rules")
    assert pipeline_labels(nlp) == {"entity_ruler": ["BLOC", "SUMMIT"], "span_edge_rules": []}


def test_strict_scores_count_boundary_errors_as_both_fp_and_fn():
    s = strict_scores([[(0, 10, "SUMMIT")]], [[(4, 10, "SUMMIT")]])
    assert (s["tp"], s["fp"], s["fn"]) == (0, 1, 1) and s["f"] == 0.0


def test_unmarked_mentions_finds_a_bare_repeat_of_an_annotated_name():
    tasks = [task("Kaja Kallas spoke.", [("Kaja Kallas", "OFFICIAL")]), task("Later Kaja Kallas left.", [])]
    hits = unmarked_mentions(tasks)
    assert [(form, t["text"]) for form, _, t in hits] == [("Kaja Kallas", "Later Kaja Kallas left.")]
