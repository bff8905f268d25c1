import srsly

from geoner import LABELS
from geoner.loop.consistency import unmarked_mentions
from geoner.pipeline.packaging import build_meta
from geoner.evaluate.scoring import strict_scores
from helpers import task


def test_build_meta_carries_labels_sources_and_measured_scores(tmp_path):
    scores = strict_scores([[(0, 4, "BLOC"), (9, 11, "OFFICIAL")]], [[(0, 4, "BLOC")]])
    srsly.write_json(tmp_path / "test.json", scores)
    meta = build_meta("geopolitics_ner", "0.1.0", [tmp_path / "test.json"], ["seed article"])
    assert meta["labels"] == {"ner": list(LABELS)}
    assert abs(meta["performance"]["ents_f"] - scores["f"]) < 1e-9 and meta["performance"]["test_ents_r"] == 0.5
    assert meta["license"] and meta["description"] and meta["sources"] == [{"name": "seed article"}]


def test_strict_scores_count_boundary_errors_as_both_fp_and_fn():
    s = strict_scores([[(0, 10, "SUMMIT")]], [[(4, 10, "SUMMIT")]])
    assert (s["tp"], s["fp"], s["fn"]) == (0, 1, 1) and s["f"] == 0.0


def test_unmarked_mentions_finds_a_bare_repeat_of_an_annotated_name():
    tasks = [task("Kaja Kallas spoke.", [("Kaja Kallas", "OFFICIAL")]), task("Later Kaja Kallas left.", [])]
    hits = unmarked_mentions(tasks)
    assert [(form, t["text"]) for form, _, t in hits] == [("Kaja Kallas", "Later Kaja Kallas left.")]
