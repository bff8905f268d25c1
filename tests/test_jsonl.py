import pytest

from geoner import DataError
from geoner.data.jsonl import iter_lines, write_jsonl_atomic


def test_iter_lines_reports_the_line_of_a_truncated_record(fixtures):
    with pytest.raises(DataError) as err:
        list(iter_lines(fixtures / "bad_truncated.jsonl"))
    assert err.value.line == 2 and "bad_truncated.jsonl:2:" in str(err.value)


def test_iter_lines_reports_a_non_utf8_line(fixtures):
    with pytest.raises(DataError, match=r"bad_not_utf8.jsonl:2: not valid UTF-8"):
        list(iter_lines(fixtures / "bad_not_utf8.jsonl"))


def test_iter_lines_skips_blank_lines_but_keeps_numbers(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_text('{"a": 1}\n\n{"a": 2}\n', encoding="utf-8")
    assert [(n, o["a"]) for n, o in iter_lines(p)] == [(1, 1), (3, 2)]


def test_write_jsonl_atomic_leaves_old_file_when_writing_fails(tmp_path):
    p = tmp_path / "corpus.jsonl"
    write_jsonl_atomic(p, [{"a": 1}])

    def broken():
        yield {"a": 2}
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_jsonl_atomic(p, broken())
    assert [o for _, o in iter_lines(p)] == [{"a": 1}]
    assert list(tmp_path.iterdir()) == [p]
