"""End-to-end smoke tests: the `all` workflow with a tiny training budget, the packaged wheel
installed by name, and the annotation loop (pre-annotate, correct, merge, validate, retrain)."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import srsly

from geoner import LABELS
from geoner.data.jsonl import iter_lines
from geoner.data.tasks import make_task
from conftest import FIXTURES, ROOT

TINY = ["--vars.max_steps", "6", "--vars.eval_frequency", "3"]
SKIP_DIRS = {".git", "training", "packages", "metrics", "__pycache__", ".pytest_cache"}


def spacy_project(project: Path, *args) -> str:
    run = subprocess.run([sys.executable, "-m", "spacy", "project", "run", *args, str(project), *TINY],
                         capture_output=True, text=True, cwd=project)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return run.stdout


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    dest = tmp_path_factory.mktemp("project") / "p"
    shutil.copytree(ROOT, dest, ignore=lambda d, names: [n for n in names if n in SKIP_DIRS or n == "spacy"])
    (dest / "training").mkdir()
    (dest / "training" / "README.md").write_text("models", encoding="utf-8")
    return dest


def test_all_workflow_builds_metrics_report_and_wheel(project):
    spacy_project(project, "all")
    for name in ("test", "test_seed", "test_authored"):
        scores = json.loads((project / "metrics" / f"{name}.json").read_text())
        assert set(scores["per_label"]) == set(LABELS) and 0.0 <= scores["f"] <= 1.0
    assert "<table>" in (project / "metrics/report.html").read_text(encoding="utf-8")
    wheels = list((project / "packages").rglob("en_geopolitics_ner-0.1.0-py3-none-any.whl"))
    assert len(wheels) == 1


def test_second_run_skips_every_step(project):
    out = spacy_project(project, "all")
    assert out.count("nothing changed") == 7, out


def test_wheel_installs_and_loads_by_name(project, tmp_path):
    wheel = next((project / "packages").rglob("*.whl"))
    site = tmp_path / "site"
    run = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--target",
                          str(site), str(wheel)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    code = ("import json, spacy; nlp = spacy.load('en_geopolitics_ner'); "
            "doc = nlp('Chancellor Friedrich Merz joined NATO leaders at the summit on new sanctions.'); "
            "print(json.dumps({'labels': list(nlp.get_pipe('ner').labels), 'path': str(nlp.path), "
            "'ents': [(e.text, e.label_) for e in doc.ents]}))")
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert sorted(result["labels"]) == sorted(LABELS)
    assert result["path"].startswith(str(site))
    assert all(label in LABELS for _, label in result["ents"])


def _corrected(task, marks):
    """A human correction as Prodigy exports it: new spans, the question's _task_hash kept."""
    spans, pos = [], 0
    for surface, label in marks:
        i = task["text"].index(surface, pos)
        spans.append({"start": i, "end": i + len(surface), "label": label})
        pos = i + len(surface)
    fixed = make_task(task["text"], spans, task["meta"])
    return dict(fixed, _task_hash=task["_task_hash"], _annotator_id="test")


GOLD = [
    [("New Sanctions", "SANCTION"), ("Helsinki Summit", "SUMMIT")],
    [("Alexander Stubb", "OFFICIAL"), ("Nordic Council", "BLOC"), ("fresh EU sanctions", "SANCTION")],
    [("Ulf Kristersson", "OFFICIAL")],
    [],
]


def test_annotation_loop_preannotates_merges_and_retrains(project):
    shutil.copy(FIXTURES / "new_article.txt", project / "seeds" / "new_article.txt")
    out = spacy_project(project, "preannotate")
    assert "skipped 37 already in the corpus" in out
    suggested = [t for _, t in iter_lines(project / "corpus/review/preannotated.jsonl")]
    assert [t["meta"]["paragraph"] for t in suggested] == [0, 1, 2, 3]
    first = [_corrected(t, marks) for t, marks in zip(suggested, GOLD)]
    second = [first[0], _corrected(suggested[1], GOLD[1][:2]), dict(first[3], answer="reject")]
    done = project / "corpus/review/done"
    srsly.write_jsonl(done / "annotator_a.jsonl", first)
    srsly.write_jsonl(done / "annotator_b.jsonl", second)
    out = spacy_project(project, "loop")
    assert "added 3, updated 0, unchanged 0, conflicts 1" in out and "rejected 1" in out
    merged = {t["text"] for _, t in iter_lines(project / "corpus/reviewed.jsonl")}
    conflicts = [c for _, c in iter_lines(project / "corpus/conflicts.jsonl")]
    assert conflicts[0]["text"] == suggested[1]["text"] and len(conflicts[0]["versions"]) == 2
    # Nothing lost: each input is in the corpus, in the conflicts file, or counted as rejected.
    assert merged | {c["text"] for c in conflicts} == {t["text"] for t in suggested}
    assert (project / "training/model-best").exists()
