"""The correction page in a real browser: headless Chromium from Debian's packages, driven by
Playwright's Python package (pointed at the system browser; nothing is downloaded).

The test selects a name with the mouse, labels it with a key, accepts, reloads, removes a wrong
suggestion by clicking it, undoes, and kills the server with SIGKILL: the answer file on disk
must hold every answer, and a restarted server must resume at the first open task.
"""
import os
import shutil
import signal
from pathlib import Path

import pytest

from geoner.data.jsonl import iter_lines
from geoner.data.validate import check_task
from helpers import start_annotate
from conftest import FIXTURES, ROOT

TASKS = FIXTURES / "annotate_tasks.jsonl"
SCREENSHOT = ROOT / "docs" / "annotate.png"


def chromium_path():
    for candidate in (os.environ.get("GEONER_CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright's Python package is not installed "
                                                             "(pip install -r requirements.txt)")
expect = sync_api.expect
CHROMIUM = chromium_path()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium binary found: install Debian's "
                                                         "'chromium' package (.ci/run does) or set GEONER_CHROMIUM")


@pytest.fixture
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield b
        b.close()


def open_page(browser, url):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")
    return page


def token(page, word):
    return page.locator("#text .tok", has_text=word).first


def drag_select(page, first_word, last_word):
    """Press the mouse inside the first word and release it inside the last one, as a person
    would: the selection does not cover either word exactly and must be snapped to tokens."""
    a, b = token(page, first_word).bounding_box(), token(page, last_word).bounding_box()
    page.mouse.move(a["x"] + 3, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, steps=8)
    page.mouse.move(b["x"] + b["width"] - 3, b["y"] + b["height"] / 2, steps=2)
    page.mouse.up()


def answers(path):
    return [t for _, t in iter_lines(path)] if path.exists() else []


def spans_of(record):
    return sorted((record["text"][s["start"]:s["end"]], s["label"]) for s in record["spans"])


def test_page_labels_a_mouse_selection_saves_at_once_and_survives_a_killed_server(browser, tmp_path):
    done = tmp_path / "done"
    out = done / "alice.jsonl"
    proc, url = start_annotate(TASKS, done)
    try:
        page = open_page(browser, url)
        assert page.inner_text("#progress") == "0 of 3 answered"
        # The suggestions are shown, coloured by label.
        assert page.locator("#text mark.ent.OFFICIAL").inner_text().startswith("Kallas")
        assert page.locator("#text mark.ent.SUMMIT").count() == 1

        drag_select(page, "Marco", "Rubio")
        assert page.locator("#text .tok.sel").all_inner_texts() == ["Marco", "Rubio"]
        page.keyboard.press("1")
        assert page.locator("#text mark.ent.OFFICIAL").count() == 2
        assert "Marco Rubio" in page.locator("#text mark.ent.OFFICIAL").nth(1).inner_text()
        page.mouse.move(5, 700)  # no hover effect in the picture
        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))

        page.keyboard.press("a")
        expect(page.locator("#progress")).to_have_text("1 of 3 answered")
        on_disk = answers(out)  # written before the page heard back: no waiting needed
        assert len(on_disk) == 1
        assert on_disk[0]["answer"] == "accept" and on_disk[0]["_annotator_id"] == "alice"
        assert isinstance(on_disk[0]["_timestamp"], int)
        assert spans_of(on_disk[0]) == [("Kallas", "OFFICIAL"), ("Marco Rubio", "OFFICIAL"), ("NATO summit", "SUMMIT")]
        assert check_task(on_disk[0]) == []  # valid ner_manual with the project's hashes

        page.reload()
        page.wait_for_selector("body[data-ready='1']")
        assert page.inner_text("#progress") == "1 of 3 answered"
        assert page.inner_text("#text").startswith("G7")  # resumes at the first open task

        page.locator("#text mark.ent.BLOC", has_text="Russian").click()  # a wrong suggestion
        assert page.locator("#text mark.ent.BLOC").count() == 1
        page.keyboard.press("a")
        expect(page.locator("#progress")).to_have_text("2 of 3 answered")
        page.keyboard.press("u")  # undo the G7 answer: it is withdrawn by an appended line
        expect(page.locator("#progress")).to_have_text("1 of 3 answered")
        assert page.inner_text("#text").startswith("G7")
        page.keyboard.press("x")
        expect(page.locator("#progress")).to_have_text("2 of 3 answered")
        latencies = page.evaluate("window.__geoner.latencies")
        assert {kind for kind, _ in latencies} >= {"accept", "undo", "reject"}  # timed since the reload
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()

    # Killed without warning: every answer is on disk, whole.
    lines = answers(out)
    assert [r["answer"] for r in lines] == ["accept", "accept", "undo", "reject"]
    assert spans_of(lines[1]) == [("G7", "BLOC")]
    assert out.read_bytes().endswith(b"\n")

    proc, url = start_annotate(TASKS, done)
    try:
        page = open_page(browser, url)
        assert page.inner_text("#progress") == "2 of 3 answered"
        assert page.inner_text("#text").startswith("Photo:")
    finally:
        proc.terminate()
        proc.wait()


def test_conflicts_page_shows_versions_side_by_side_and_merges_the_chosen(browser, tmp_path):
    import srsly

    from geoner.loop.merge import merge_files
    from helpers import task

    text = "Kallas met Rubio in Brussels."
    target, conflicts = tmp_path / "reviewed.jsonl", tmp_path / "conflicts.jsonl"
    srsly.write_jsonl(target, [task(text, [("Kallas", "OFFICIAL")])])
    srsly.write_jsonl(tmp_path / "a.jsonl", [dict(task(text, [("Kallas", "OFFICIAL"), ("Rubio", "OFFICIAL")]), _annotator_id="a")])
    merge_files([tmp_path / "a.jsonl"], target, conflicts=conflicts)
    proc, url = start_annotate(conflicts, tmp_path / "resolved", "--conflicts", "--target", str(target), annotator="carol")
    try:
        page = open_page(browser, url)
        expect(page.locator("#progress")).to_have_text("0 of 1 conflicts settled")
        assert page.locator(".column").count() == 2
        assert page.locator(".column").nth(1).locator("mark.ent.OFFICIAL").count() == 2
        page.keyboard.press("2")
        expect(page.locator("#progress")).to_have_text("1 of 1 conflicts settled")
    finally:
        proc.terminate()
        proc.wait()
    [merged] = [t for _, t in iter_lines(target)]
    assert [text[s["start"]:s["end"]] for s in merged["spans"]] == ["Kallas", "Rubio"]
    assert [c["reason"] for _, c in iter_lines(conflicts)][-1].startswith("replaced")
    [resolution] = [t for _, t in iter_lines(tmp_path / "resolved" / "carol.jsonl")]
    assert resolution["meta"]["choice"] == 1 and resolution["_annotator_id"] == "carol"
