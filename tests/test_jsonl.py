import pytest

from geoner import DataError
from geoner.data.jsonl import atomic_paths, iter_lines, write_jsonl_atomic


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


def test_iter_lines_refuses_a_byte_order_mark_instead_of_reading_it_into_the_text(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_bytes(b'\xef\xbb\xbf{"text": "NATO"}\n')
    with pytest.raises(DataError, match=r"a.jsonl:1: starts with a UTF-8 byte-order mark"):
        list(iter_lines(p))


def test_iter_lines_names_a_folder_given_as_a_file(tmp_path):
    with pytest.raises(DataError) as err:
        list(iter_lines(tmp_path))
    assert (err.value.path, err.value.line, err.value.reason) == (str(tmp_path), 0, "is a folder; expected a file")


@pytest.mark.parametrize("line,reason", [
    ('{"text": "a\\ud800b"}', "lone surrogate escape \\ud800"),
    ('{"meta": {"scores": [1e400]}}', "too large to be stored"),
])
def test_iter_lines_refuses_values_that_could_not_be_written_back(tmp_path, line, reason):
    p = tmp_path / "a.jsonl"
    p.write_text('{"ok": 1}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        list(iter_lines(p))
    assert err.value.line == 2 and reason in err.value.reason


def test_atomic_paths_refuses_a_folder_before_replacing_any_file(tmp_path):
    first, folder = tmp_path / "a.jsonl", tmp_path / "b"
    write_jsonl_atomic(first, [{"a": 1}])
    folder.mkdir()
    with pytest.raises(DataError, match="b:0: is a folder"):
        with atomic_paths(first, folder) as (tmp_a, _):
            tmp_a.write_text('{"a": 2}\n', encoding="utf-8")
    assert [o for _, o in iter_lines(first)] == [{"a": 1}]
