import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
# A tiny training budget: the workflow tests check the plumbing, not the model's quality.
TINY = ["--vars.max_steps", "6", "--vars.eval_frequency", "3"]
SKIP_DIRS = {".git", "training", "packages", "metrics", "__pycache__", ".pytest_cache"}


@pytest.fixture
def fixtures():
    return FIXTURES


def spacy_project(project: Path, *args) -> str:
    """Run `spacy project run ARGS` in a project copy with the tiny budget; returns stdout."""
    run = subprocess.run([sys.executable, "-m", "spacy", "project", "run", *args, str(project), *TINY],
                         capture_output=True, text=True, cwd=project)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return run.stdout


def copy_project(dest: Path) -> Path:
    """This project without its generated files, as a user who clones it has it."""
    shutil.copytree(ROOT, dest, ignore=lambda d, names: [n for n in names if n in SKIP_DIRS or n == "spacy"])
    (dest / "training").mkdir()
    (dest / "training" / "README.md").write_text("models", encoding="utf-8")
    return dest


@pytest.fixture(scope="session")
def built_project(tmp_path_factory):
    """A copy of the project after one `spacy project run all`, shared by the whole session so
    that the workflow trains once. Tests that change it copy it first, except the annotation
    loop test, which extends the corpus as a user would."""
    project = copy_project(tmp_path_factory.mktemp("project") / "p")
    spacy_project(project, "all")
    return project
