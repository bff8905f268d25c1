import pytest

from geoner import ValidationFailed
from geoner.data.markup import compile_markup, parse_markup


def test_parse_markup_gives_plain_text_and_offsets():
    text, spans = parse_markup("[Xi](OFFICIAL) left the [SCO summit](SUMMIT).")
    assert text == "Xi left the SCO summit."
    assert [(text[s["start"]:s["end"]], s["label"]) for s in spans] == [("Xi", "OFFICIAL"), ("SCO summit", "SUMMIT")]


def test_parse_markup_keeps_escaped_brackets_literal():
    text, spans = parse_markup(r"the impact of [\[Western\] sanctions](SANCTION)")
    assert text == "the impact of [Western] sanctions"
    assert text[spans[0]["start"]:spans[0]["end"]] == "[Western] sanctions"


@pytest.mark.parametrize("line,reason", [
    ("[NATO](ORG) met", "unknown label 'ORG'"),
    ("[NATO met", "never closed"),
    ("NATO] met", "without an opening"),
    ("[NATO] met", "followed by (LABEL)"),
    ("[[NATO](BLOC)](BLOC)", "spans never nest"),
])
def test_parse_markup_rejects_malformed_lines_with_column(line, reason):
    with pytest.raises(ValueError, match="column"):
        parse_markup(line)
    with pytest.raises(ValueError) as err:
        parse_markup(line)
    assert reason in str(err.value)


def test_compile_markup_keeps_identical_paragraphs_once(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("# comment\n[NATO](BLOC) met.\n\nNo mention here.\n[NATO](BLOC) met.\n", encoding="utf-8")
    tasks, counts = compile_markup(src)
    assert [t["text"] for t in tasks] == ["NATO met.", "No mention here."]
    assert counts["duplicates"] == 1 and tasks[0]["meta"]["also_at"] == [2]


def test_compile_markup_rejects_twins_annotated_differently(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("[NATO](BLOC) met.\nNATO met.\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match=r"a.txt:2: same text as line 1 but annotated differently"):
        compile_markup(src)


def test_compile_markup_reports_guideline_violations_at_source_line(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Fine line.\nThey met at [the summit](SUMMIT).\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as err:
        compile_markup(src)
    assert err.value.problems == [f"{src}:2: span 'the summit' (SUMMIT) starts with the determiner 'the'"]


def test_compile_markup_checks_text_against_raw_article(tmp_path):
    raw = tmp_path / "raw.txt"
    raw.write_text("NATO met.\n\nBRICS met.", encoding="utf-8")
    src = tmp_path / "a.txt"
    src.write_text("[NATO](BLOC) met.\n[BRICS](BLOC) meets.\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="a.txt:2: text differs from paragraph 1"):
        compile_markup(src, raw=str(raw))


def test_compile_markup_rejects_span_off_token_boundaries(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("The [NAT](BLOC)O summit.\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="does not align with token boundaries"):
        compile_markup(src)
