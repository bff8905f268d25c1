"""A battery of malformed inputs run through the real command line: each must end with exit
code 1, `FILE:LINE: reason` on stderr at the right line, no traceback, and no file changed.
tests/fixtures/bad/README.md says what is wrong with each file."""
import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
import srsly

from conftest import FIXTURES
from helpers import task

BAD = FIXTURES / "bad"

# (argument under tests/fixtures/bad, command, "FILE:LINE" of the refusal under bad/, words of the reason)
CASES = [
    # Wrong value types in otherwise well-formed tasks
    ("type_offset_string.jsonl", "validate", "type_offset_string.jsonl:2", "span 0 field 'start' is a string"),
    ("type_offset_string.jsonl", "merge", "type_offset_string.jsonl:2", "span 0 field 'start' is a string"),
    ("type_offset_float.jsonl", "validate", "type_offset_float.jsonl:2", "span 1 field 'end' is a number"),
    ("type_offset_bool.jsonl", "validate", "type_offset_bool.jsonl:2", "field 'token_start' is a boolean"),
    ("type_token_start_string.jsonl", "merge", "type_token_start_string.jsonl:2", "token 3 field 'start' is a string"),
    ("type_token_text_number.jsonl", "merge", "type_token_text_number.jsonl:2", "token 5 field 'text' is an integer"),
    ("type_ws_string.jsonl", "validate", "type_ws_string.jsonl:2", "token 0 field 'ws' is a string"),
    ("type_token_not_object.jsonl", "merge", "type_token_not_object.jsonl:2", "token 2 is a string, expected an object"),
    ("type_token_id_float.jsonl", "validate", "type_token_id_float.jsonl:2", "token 7 field 'id' is a number"),
    ("type_tokens_null.jsonl", "validate", "type_tokens_null.jsonl:2", "field 'tokens' is null"),
    ("type_spans_number.jsonl", "validate", "type_spans_number.jsonl:2", "field 'spans' is an integer"),
    ("type_spans_number.jsonl", "merge", "type_spans_number.jsonl:2", "field 'spans' is an integer"),
    ("type_span_not_object.jsonl", "merge", "type_span_not_object.jsonl:2", "span 0 is a string"),
    ("type_label_number.jsonl", "validate", "type_label_number.jsonl:2", "field 'label' is an integer"),
    ("type_meta_string.jsonl", "merge", "type_meta_string.jsonl:2", "field 'meta' is a string"),
    ("type_source_number.jsonl", "convert", "type_source_number.jsonl:2", "meta field 'source' is an integer"),
    ("type_text_number.jsonl", "validate", "type_text_number.jsonl:2", "field 'text' is an integer"),
    ("type_input_hash_string.jsonl", "merge", "type_input_hash_string.jsonl:2", "field '_input_hash' is a string"),
    # Values that Python reads but no JSON writer can write back
    ("lone_surrogate.jsonl", "validate", "lone_surrogate.jsonl:2", "lone surrogate escape"),
    ("lone_surrogate.jsonl", "merge", "lone_surrogate.jsonl:2", "lone surrogate escape"),
    ("number_overflows.jsonl", "merge", "number_overflows.jsonl:2", "too large to be stored"),
    ("number_too_big.jsonl", "validate", "number_too_big.jsonl:2", "not valid JSON"),
    # Tokens that do not rebuild the text
    ("cover_double_space.jsonl", "validate", "cover_double_space.jsonl:2", "' ' at offset 23, before token 3"),
    ("cover_double_space.jsonl", "convert", "cover_double_space.jsonl:2", "is covered by no token"),
    ("cover_newline.jsonl", "convert", "cover_newline.jsonl:2", "'\\n' at offset 45"),
    ("cover_newline.jsonl", "merge", "cover_newline.jsonl:2", "'\\n' at offset 45"),
    ("cover_leading_space.jsonl", "convert", "cover_leading_space.jsonl:2", "' ' at offset 0, before token 0"),
    ("cover_no_break_space.jsonl", "validate", "cover_no_break_space.jsonl:2", "'\\xa0' at offset 22"),
    ("cover_no_break_space.jsonl", "convert", "cover_no_break_space.jsonl:2", "'\\xa0' at offset 22"),
    ("cover_tab.jsonl", "validate", "cover_tab.jsonl:2", "'\\t' at offset 33"),
    ("cover_trailing_spaces.jsonl", "convert", "cover_trailing_spaces.jsonl:2", "after the last token"),
    ("cover_ws_before_punct.jsonl", "validate", "cover_ws_before_punct.jsonl:2", "has ws=true but is followed by '.'"),
    ("cover_no_tokens.jsonl", "validate", "cover_no_tokens.jsonl:2", "at offset 0 is covered by no token"),
    ("cover_overlap.jsonl", "validate", "cover_overlap.jsonl:2", "overlaps the token before it"),
    ("bom_in_text.jsonl", "validate", "bom_in_text.jsonl:2", "byte-order mark (U+FEFF) at offset 0"),
    # Problems of the file itself
    ("bom.jsonl", "validate", "bom.jsonl:1", "starts with a UTF-8 byte-order mark"),
    ("bom.jsonl", "merge", "bom.jsonl:1", "starts with a UTF-8 byte-order mark"),
    ("bom.jsonl", "convert", "bom.jsonl:1", "starts with a UTF-8 byte-order mark"),
    ("not_utf8_line4.jsonl", "validate", "not_utf8_line4.jsonl:4", "not valid UTF-8"),
    ("not_an_object.jsonl", "merge", "not_an_object.jsonl:2", "expected a JSON object, got an array"),
    ("nested_too_deep.jsonl", "validate", "nested_too_deep.jsonl:2", "not valid JSON"),
    ("truncated_line3.jsonl", "merge", "truncated_line3.jsonl:3", "not valid JSON"),
    ("answer_rejected.jsonl", "convert", "answer_rejected.jsonl:2", "the corpus holds accepted tasks only"),
    ("corpus_missing_hash.jsonl", "merge --corpus", "corpus_missing_hash.jsonl:2", "lacks required field '_input_hash'"),
    # Brackets and quotes around a mention stay outside its span
    ("span_wrapped_brackets.jsonl", "validate", "span_wrapped_brackets.jsonl:2", "is wrapped in its own ()"),
    ("span_wrapped_quotes.jsonl", "merge", "span_wrapped_quotes.jsonl:2", 'is wrapped in its own ""'),
    # Markup sources
    ("markup_bom.txt", "compile", "markup_bom.txt:1", "starts with a UTF-8 byte-order mark"),
    ("markup_not_utf8_line3.txt", "compile", "markup_not_utf8_line3.txt:3", "not valid UTF-8"),
    ("markup_surrogate_bytes.txt", "compile", "markup_surrogate_bytes.txt:2", "not valid UTF-8"),
    ("markup_twin_line5.txt", "compile", "markup_twin_line5.txt:5", "same text as line 2 but annotated differently"),
    ("markup_twin_across", "compile", "markup_twin_across/b.txt:3", "same text as"),
    ("markup_wrapped.txt", "compile", "markup_wrapped.txt:2", "is wrapped in its own ()"),
    ("markup_tab.txt", "compile", "markup_tab.txt:2", "column 13: invisible character U+0009"),
    ("markup_line_separator.txt", "compile", "markup_line_separator.txt:2", "invisible character U+2028"),
    ("markup_unclosed.txt", "compile", "markup_unclosed.txt:3", "'[' is never closed"),
    ("markup_unknown_label.txt", "compile", "markup_unknown_label.txt:2", "unknown label 'ORG'"),
    ("markup_determiner.txt", "compile", "markup_determiner.txt:2", "starts with the determiner 'the'"),
    # Review folders holding something that is not a JSONL file
    ("review_with_json", "merge", "review_with_json/export.json:1", "a .json file in a review folder is not read"),
    ("review_with_folder", "merge", "review_with_folder/nested.jsonl:0", "is a folder; expected a file"),
]


def folder_hash(folder: Path) -> str:
    """One hash over every file's relative path and bytes: any change, new file or leftover
    temporary shows."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        h.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture
def work(tmp_path):
    """Output files a command could overwrite, each already holding something."""
    srsly.write_jsonl(tmp_path / "reviewed.jsonl", [task("Kaja Kallas met Marco Rubio.", [("Kaja Kallas", "OFFICIAL")])])
    srsly.write_jsonl(tmp_path / "conflicts.jsonl", [{"reason": "earlier conflict", "text": "x", "versions": []}])
    (tmp_path / "out.jsonl").write_text("earlier output\n", encoding="utf-8")
    spacy_dir = tmp_path / "spacy"
    spacy_dir.mkdir()
    for name in ("train", "dev", "test", "test_test"):
        (spacy_dir / f"{name}.spacy").write_bytes(f"earlier {name}".encode())
    (spacy_dir / "splits.json").write_text("{}", encoding="utf-8")
    return tmp_path


def command_line(command: str, arg: Path, work: Path) -> list:
    merge_files = ["--target", str(work / "reviewed.jsonl"), "--conflicts", str(work / "conflicts.jsonl")]
    return {
        "validate": ["validate", str(arg)],
        "merge": ["merge", str(arg), *merge_files],
        "merge --corpus": ["merge", str(FIXTURES / "good.jsonl"), "--corpus", str(arg), *merge_files],
        "convert": ["convert", str(arg), "--output-dir", str(work / "spacy")],
        "compile": ["compile", str(arg), "--output", str(work / "out.jsonl")],
    }[command]


def test_battery_has_at_least_thirty_inputs():
    assert len({arg for arg, *_ in CASES}) >= 30
    assert {p.name for p in BAD.iterdir() if p.name != "README.md"} == {arg for arg, *_ in CASES}


@pytest.mark.parametrize("arg,command,where,reason", CASES, ids=[f"{c[1]}:{c[0]}" for c in CASES])
def test_bad_input_is_refused_at_its_line_without_traceback_or_change(work, arg, command, where, reason):
    before = folder_hash(work), folder_hash(BAD)
    run = subprocess.run([sys.executable, "-m", "geoner", *command_line(command, BAD / arg, work)],
                         capture_output=True, text=True)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    lines = [l for l in run.stderr.splitlines() if l.startswith(f"{BAD / where}: ")]
    assert any(reason in l for l in lines), run.stderr
    assert (folder_hash(work), folder_hash(BAD)) == before


@pytest.mark.parametrize("args,words", [
    (["validate", "bad"], "'bad' is a directory"),
    (["merge", "good.jsonl", "--target", "bad"], "'bad' is a directory"),
    (["compile", "bad/markup_tab.txt", "--output", "bad"], "'bad' is a directory"),
    (["convert", "good.jsonl", "--output-dir", "good.jsonl"], "'good.jsonl' is a file"),
])
def test_a_folder_where_a_file_belongs_is_a_usage_error(args, words):
    before = folder_hash(FIXTURES)
    run = subprocess.run([sys.executable, "-m", "geoner", *args], capture_output=True, text=True, cwd=FIXTURES)
    # typer's own path checks: exit code 2, as for every usage error, and the path named.
    assert run.returncode == 2 and "Traceback" not in run.stdout + run.stderr
    assert words in " ".join(run.stderr.replace("│", " ").split())
    assert folder_hash(FIXTURES) == before
