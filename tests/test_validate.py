import subprocess
import sys

import pytest

from geoner.data.validate import validate_files
from conftest import FIXTURES, ROOT

# (fixture, line, words the reason must contain)
BAD = [
    ("bad_truncated.jsonl", 2, "not valid JSON"),
    ("bad_not_utf8.jsonl", 2, "not valid UTF-8"),
    ("bad_missing_field.jsonl", 2, "task lacks required field 'tokens'"),
    ("bad_missing_hash.jsonl", 2, "task lacks required field '_input_hash'"),
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


def _bloc_task(text, surface):
    from geoner.data.tasks import make_task

    start = text.index(surface)
    return make_task(text, [{"start": start, "end": start + len(surface), "label": "BLOC"}], {"source": "test"})


@pytest.mark.parametrize("text,surface", [
    ("The trade bloc (Mercosur) met.", "(Mercosur)"),
    ("Leaders of the \u201cQuad\u201d met.", "\u201cQuad\u201d"),
    ("The group [G7] met.", "[G7]"),
])
def test_validate_refuses_a_span_wrapped_in_its_own_brackets(text, surface):
    from geoner.data.validate import check_task

    assert [p for p in check_task(_bloc_task(text, surface)) if "is wrapped in its own" in p], surface


def test_validate_keeps_brackets_that_belong_to_the_phrase():
    from geoner.data.validate import check_task

    assert check_task(_bloc_task("Members of the (Arab) League met.", "(Arab) League")) == []


def test_validate_reports_wrong_types_in_json_terms():
    from geoner.data.validate import check_task

    t = _bloc_task("NATO met.", "NATO")
    t["spans"][0]["start"], t["tokens"][1]["ws"] = "0", 1
    assert check_task(t) == ["token 1 field 'ws' is an integer (1), expected a boolean",
                             "span 0 field 'start' is a string (\"0\"), expected an integer"]
