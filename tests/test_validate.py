import subprocess
import sys

import pytest

from geoner.data.validate import validate_files
from conftest import FIXTURES, ROOT

# (fixture, line, words the reason must contain)
BAD = [
    ("bad_truncated.jsonl", 2, "not valid JSON"),
    ("bad_not_utf8.jsonl", 2, "not valid UTF-8"),
    ("bad_missing_field.jsonl", 2, "missing required field 'tokens'"),
    ("bad_missing_hash.jsonl", 2, "missing required field '_input_hash'"),
    ("bad_unknown_label.jsonl", 2, "unknown label 'ORG'"),
    ("bad_offsets.jsonl", 2, "lie outside the text"),
    ("bad_misaligned.jsonl", 2, "does not align with tokens"),
    ("bad_overlap.jsonl", 2, "overlap"),
    ("bad_determiner.jsonl", 2, "starts with the determiner 'the'"),
    ("bad_possessive.jsonl", 2, "ends with a possessive"),
    ("bad_punctuation.jsonl", 2, "ends with punctuation '.'"),
    ("bad_task_hash.jsonl", 2, "_task_hash"),
    ("bad_input_hash.jsonl", 2, "_input_hash"),
    ("bad_duplicate.jsonl", 3, "duplicate of"),
    ("bad_tokens.jsonl", 2, "does not match the text"),
]


def test_validate_accepts_good_file():
    problems, counts = validate_files([FIXTURES / "good.jsonl"])
    assert problems == []
    assert counts == {"files": 1, "tasks": 2, "spans": 4}


@pytest.mark.parametrize("name,line,reason", BAD)
def test_validate_reports_file_line_and_reason(name, line, reason):
    path = FIXTURES / name
    problems, _ = validate_files([path])
    assert any(p.startswith(f"{path}:{line}: ") and reason in p for p in problems), problems


@pytest.mark.parametrize("name,line,reason", BAD)
def test_validate_cli_exits_non_zero_on_bad_file(name, line, reason):
    path = FIXTURES / name
    run = subprocess.run([sys.executable, "-m", "geoner", "validate", str(path)],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert f"{path}:{line}: " in run.stderr


def test_validate_finds_duplicates_across_files():
    good = FIXTURES / "good.jsonl"
    problems, _ = validate_files([good, good])
    assert len(problems) == 2 and all("duplicate of" in p for p in problems)


def test_validate_allows_brackets_closed_inside_span():
    from geoner.data.tasks import make_task
    from geoner.data.validate import check_task

    text = "the impact of [Western] sanctions."
    task = make_task(text, [{"start": 14, "end": 33, "label": "SANCTION"}], {"source": "test"})
    assert check_task(task) == []
    bad = make_task(text, [{"start": 14, "end": 22, "label": "SANCTION"}], {"source": "test"})
    assert any("starts with punctuation" in p for p in check_task(bad))


def test_seed_corpus_validates_clean():
    problems, counts = validate_files([ROOT / "corpus/seed.jsonl", ROOT / "corpus/authored.jsonl"])
    assert problems == []
    assert counts["tasks"] > 300
