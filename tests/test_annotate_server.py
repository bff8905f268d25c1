"""The annotation server over plain HTTP on loopback: what it stores, and every request it must
refuse with a 4xx while writing nothing."""
import http.client
import json

import pytest
import srsly

from geoner.data.jsonl import iter_lines
from geoner.data.validate import check_task
from geoner.loop.annotate.conflicts import ConflictSession
from geoner.loop.annotate.server import AnnotationServer, check_loopback, serve_in_thread
from geoner.loop.annotate.session import AnnotationSession
from geoner.loop.merge import merge_files
from helpers import task
from conftest import FIXTURES

TASKS = FIXTURES / "annotate_tasks.jsonl"
FIRST = next(t for _, t in iter_lines(TASKS))  # "Kaja Kallas met Marco Rubio in Brussels before the NATO summit."


def span(text, surface, label):
    i = FIRST["text"].index(surface) if text is None else text.index(surface)
    return {"start": i, "end": i + len(surface), "label": label}


@pytest.fixture
def server(tmp_path):
    session = AnnotationSession(TASKS, "alice", tmp_path / "done")
    srv = AnnotationServer(session, "127.0.0.1", 0)
    serve_in_thread(srv)
    yield srv
    srv.shutdown()
    srv.server_close()
    session.close()


def request(srv, method, path, body=None, headers=None, raw=None):
    """One request with http.client; returns (status, parsed JSON or raw bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    hdrs = {"Content-Type": "application/json"} if body is not None or raw is not None else {}
    hdrs.update(headers or {})
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    conn.request(method, path, body=data, headers=hdrs)
    res = conn.getresponse()
    payload = res.read()
    conn.close()
    try:
        return res.status, json.loads(payload)
    except ValueError:
        return res.status, payload


def answer(spans, answer="accept", key=None):
    return {"input_hash": FIRST["_input_hash"] if key is None else key, "answer": answer, "spans": spans}


GOOD = [span(None, "Kaja Kallas", "OFFICIAL"), span(None, "Marco Rubio", "OFFICIAL"), span(None, "NATO summit", "SUMMIT")]


def test_answer_is_appended_in_ner_manual_form(server):
    status, body = request(server, "POST", "/api/answer", answer(GOOD))
    assert status == 200 and body == {"answered": 1, "total": 3}
    [record] = [t for _, t in iter_lines(server.session.path)]
    assert check_task(record) == []
    assert (record["answer"], record["_annotator_id"], record["_view_id"]) == ("accept", "alice", "ner_manual")
    assert [record["text"][s["start"]:s["end"]] for s in record["spans"]] == ["Kaja Kallas", "Marco Rubio", "NATO summit"]


def test_page_and_tasks_are_served(server):
    status, page = request(server, "GET", "/")
    assert status == 200 and b"/static/app.js" in page
    status, data = request(server, "GET", "/api/tasks")
    assert status == 200 and len(data["tasks"]) == 3 and data["tasks"][0]["h"] == FIRST["_input_hash"]
    assert request(server, "GET", "/static/style.css")[0] == 200


# (name, method, path, body, extra headers, status, words in the error)
HOST = "127.0.0.1:{port}"
REFUSALS = [
    ("unknown task", "POST", "/api/answer", answer([], key=12345), {}, 404, "no task"),
    ("span off the tokens", "POST", "/api/answer", answer([{"start": 1, "end": 6, "label": "OFFICIAL"}]), {}, 422, "token boundaries"),
    ("overlapping spans", "POST", "/api/answer", answer([span(None, "Kaja Kallas", "OFFICIAL"), span(None, "Kallas", "OFFICIAL")]), {}, 422, "overlap"),
    ("unknown label", "POST", "/api/answer", answer([span(None, "Marco Rubio", "PERSON")]), {}, 422, "unknown label"),
    ("determiner at an edge", "POST", "/api/answer", answer([span(None, "the NATO summit", "SUMMIT")]), {}, 422, "determiner"),
    ("unknown answer", "POST", "/api/answer", answer([], answer="maybe"), {}, 400, "answer"),
    ("spans not a list", "POST", "/api/answer", {"input_hash": FIRST["_input_hash"], "answer": "accept", "spans": "x"}, {}, 400, "list"),
    ("body not JSON", "POST", "/api/answer", b"{not json", {}, 400, "not JSON"),
    ("form post", "POST", "/api/answer", answer(GOOD), {"Content-Type": "text/plain"}, 415, "application/json"),
    ("foreign Host", "POST", "/api/answer", answer(GOOD), {"Host": "evil.example:{port}"}, 403, "Host"),
    ("Host of another port", "GET", "/api/tasks", None, {"Host": "127.0.0.1:1"}, 403, "Host"),
    ("rebound name", "GET", "/api/tasks", None, {"Host": "attacker.test"}, 403, "Host"),
    ("foreign Origin", "POST", "/api/answer", answer(GOOD), {"Origin": "http://evil.example"}, 403, "Origin"),
    ("null Origin", "POST", "/api/answer", answer(GOOD), {"Origin": "null"}, 403, "Origin"),
    ("cross-site fetch", "POST", "/api/answer", answer(GOOD), {"Sec-Fetch-Site": "cross-site"}, 403, "cross-site"),
    ("undo without an answer", "POST", "/api/undo", {"input_hash": FIRST["_input_hash"]}, {}, 409, "no answer"),
    ("unknown action", "POST", "/api/delete", {"input_hash": FIRST["_input_hash"]}, {}, 404, "no such action"),
    ("PUT", "PUT", "/api/answer", answer(GOOD), {}, 405, "not allowed"),
    ("traversal", "GET", "/static/../session.py", None, {}, 404, "not found"),
    ("encoded traversal", "GET", "/static/%2e%2e/session.py", None, {}, 404, "not found"),
    ("encoded slash", "GET", "/static/..%2f..%2fmerge.py", None, {}, 404, "not found"),
    ("absolute path", "GET", "/static//etc/passwd", None, {}, 404, "not found"),
    ("outside static", "GET", "/../../../etc/passwd", None, {}, 404, "not found"),
]


@pytest.mark.parametrize("name,method,path,body,headers,status,reason", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_server_refuses_and_writes_nothing(server, tmp_path, name, method, path, body, headers, status, reason):
    request(server, "POST", "/api/answer", answer([], key=server.session.tasks[2]["_input_hash"]))
    before, tasks_before = server.session.path.read_bytes(), TASKS.read_bytes()
    headers = {k: v.format(port=server.port) for k, v in headers.items()}
    raw = body if isinstance(body, bytes) else None
    got, payload = request(server, method, path, body=None if raw else body, headers=headers, raw=raw)
    assert got == status, payload
    assert reason in payload["error"]
    assert server.session.path.read_bytes() == before
    assert TASKS.read_bytes() == tasks_before


def test_oversized_body_is_refused_unread(server):
    before = server.session.path.read_bytes()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.putrequest("POST", "/api/answer")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", str(5_000_000))
    conn.endheaders()  # the body is never sent: the server must answer without waiting for it
    res = conn.getresponse()
    assert res.status == 413 and b"limit" in res.read()
    conn.close()
    assert server.session.path.read_bytes() == before


def test_missing_content_length_is_refused(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.putrequest("POST", "/api/answer")
    conn.putheader("Content-Type", "application/json")
    conn.endheaders()
    assert conn.getresponse().status == 411
    conn.close()


def test_own_origin_is_accepted(server):
    status, _ = request(server, "POST", "/api/answer", answer(GOOD),
                        {"Origin": f"http://127.0.0.1:{server.port}", "Sec-Fetch-Site": "same-origin"})
    assert status == 200


def test_undo_appends_and_restart_resumes_at_first_open_task(tmp_path):
    session = AnnotationSession(TASKS, "alice", tmp_path)
    second = session.tasks[1]
    session.answer(answer(GOOD))
    session.answer({"input_hash": second["_input_hash"], "answer": "reject", "spans": []})
    session.undo({"input_hash": second["_input_hash"]})
    session.close()
    lines = [t["answer"] for _, t in iter_lines(tmp_path / "alice.jsonl")]
    assert lines == ["accept", "reject", "undo"]
    again = AnnotationSession(TASKS, "alice", tmp_path)
    assert again.state()["answered"] == 1 and again.state()["first_open"] == 1
    again.close()


def test_server_will_not_bind_beyond_loopback():
    with pytest.raises(ValueError, match="loopback"):
        check_loopback("0.0.0.0")
    assert check_loopback("127.0.0.1") == "127.0.0.1"


def test_annotator_name_cannot_leave_the_output_folder(tmp_path):
    with pytest.raises(ValueError, match="annotator name"):
        AnnotationSession(TASKS, "../evil", tmp_path)


# ---- conflicts mode ---------------------------------------------------------------------------------

TEXT = "Kallas met Rubio in Brussels."


def conflicted(tmp_path):
    """A target with one version, two reviewers who disagree with it and each other, merged."""
    target, conflicts = tmp_path / "reviewed.jsonl", tmp_path / "conflicts.jsonl"
    srsly.write_jsonl(target, [task(TEXT, [("Kallas", "OFFICIAL")])])
    srsly.write_jsonl(tmp_path / "a.jsonl", [dict(task(TEXT, [("Kallas", "OFFICIAL"), ("Rubio", "OFFICIAL")]), _annotator_id="a")])
    srsly.write_jsonl(tmp_path / "b.jsonl", [dict(task(TEXT, [("Rubio", "OFFICIAL")]), _annotator_id="b")])
    merge_files([tmp_path / "a.jsonl", tmp_path / "b.jsonl"], target, conflicts=conflicts)
    return target, conflicts


def test_choosing_a_version_merges_it_with_update_and_keeps_the_replaced(tmp_path):
    target, conflicts = conflicted(tmp_path)
    session = ConflictSession(conflicts, "carol", tmp_path / "resolved", target)
    [view] = session.views()["conflicts"]
    assert [c["title"].split(" ")[0] for c in view["columns"]] == ["corpus", "a", "b"]
    result = session.resolve({"conflict": view["id"], "choice": 1})
    assert result["counts"]["updated"] == 1
    [merged] = [t for _, t in iter_lines(target)]
    assert [TEXT[s["start"]:s["end"]] for s in merged["spans"]] == ["Kallas", "Rubio"]
    records = [c for _, c in iter_lines(conflicts)]
    assert records[-1]["reason"].startswith("replaced") and records[-1]["corpus_version"]["spans"][0]["end"] == 6
    session.close()
    again = ConflictSession(conflicts, "carol", tmp_path / "resolved", target)
    assert again.views()["conflicts"][0]["chosen"] == 1 and again.state()["answered"] == 1
    again.close()


def test_a_text_from_a_compiled_corpus_file_is_not_changed_here(tmp_path):
    target, conflicts = tmp_path / "reviewed.jsonl", tmp_path / "conflicts.jsonl"
    seed = tmp_path / "seed.jsonl"
    srsly.write_jsonl(seed, [task(TEXT, [("Kallas", "OFFICIAL")])])
    srsly.write_jsonl(tmp_path / "a.jsonl", [task(TEXT, [("Rubio", "OFFICIAL")])])
    merge_files([tmp_path / "a.jsonl"], target, corpus=[seed], conflicts=conflicts)
    session = ConflictSession(conflicts, "carol", tmp_path / "resolved", target, [seed])
    srv = AnnotationServer(session, "127.0.0.1", 0)
    serve_in_thread(srv)
    try:
        cid = session.views()["conflicts"][0]["id"]
        before = (conflicts.read_bytes(), target.read_bytes() if target.exists() else b"")
        status, body = request(srv, "POST", "/api/resolve", {"conflict": cid, "choice": 1})
        assert status == 409 and "corpus/src" in body["error"]
        assert (conflicts.read_bytes(), target.read_bytes() if target.exists() else b"") == before
        assert session.path.read_bytes() == b""
    finally:
        srv.shutdown()
        srv.server_close()
        session.close()
