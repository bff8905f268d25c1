"""How fast the page answers a key press with many tasks loaded (a benchmark, not a test).

It loads N tasks into the page (corpus paragraphs, repeated with a numbered tag so that every
text is distinct), then, for each of a number of rounds, selects a word with the mouse, presses a label
key and accepts. The page itself times each key press to the first frame drawn after the
change (performance.now in the page); accept includes saving the answer (fsync) and drawing the
next task.
"""
import re
import shutil
import statistics
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path
from typing import Iterable, Optional

import srsly
from tqdm import tqdm

from geoner.data.jsonl import iter_lines
from geoner.data.tasks import make_task, tokenizer
from geoner.loop.annotate.server import AnnotationServer, serve_in_thread
from geoner.loop.annotate.session import AnnotationSession

# The first plain word outside every span, where a person would select. A
# plain word labelled alone breaks no edge rule, so the answer is never refused.
FREE_TOKEN = """() => {
  const el = [...document.querySelectorAll('#text .tok')].find((t) => !t.closest('.ent')
    && /^[A-Za-z]{3,}$/.test(t.textContent) && !/^(the|an)$/i.test(t.textContent));
  if (!el) return null;
  const r = el.getBoundingClientRect();
  return {x0: r.x + 2, x1: r.x + r.width - 2, y: r.y + r.height / 2};
}"""


def synthetic_tasks(corpus: Iterable, n: int) -> Iterable[dict]:
    """n distinct tasks from the corpus paragraphs: the k-th repeat of a text gets " [k]"."""
    base = [t for path in corpus for _, t in iter_lines(path)]
    nlp_tok = tokenizer()
    for i, t in enumerate(islice(cycle(base), n)):
        k = i // len(base)
        text = t["text"] if k == 0 else f"{t['text']} [{k}]"
        spans = [{"start": s["start"], "end": s["end"], "label": s["label"]} for s in t["spans"]]
        yield make_task(text, spans, {"source": "bench", "of": t["_input_hash"]}, doc=nlp_tok(text))


def summary(values) -> dict:
    values = sorted(values)
    if not values:
        return {"n": 0}
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    return {"n": len(values), "median_ms": round(statistics.median(values), 1), "p95_ms": round(p95, 1),
            "max_ms": round(values[-1], 1)}


def find_chromium(path: Optional[str] = None) -> str:
    found = path or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found or not Path(found).exists():
        raise FileNotFoundError("no Chromium binary: apt-get install chromium, or pass --chromium PATH")
    return found


def drive(page, url: str, rounds: int):
    """Open the page and play the rounds; returns (load seconds, tasks loaded, latencies)."""
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']", timeout=120_000)
    load_s = time.perf_counter() - start
    for i in tqdm(range(rounds), desc="key presses"):
        spot = page.evaluate(FREE_TOKEN)
        if spot:
            # A drag inside the word: a double-click would take in a following "'s".
            page.mouse.move(spot["x0"], spot["y"])
            page.mouse.down()
            page.mouse.move(spot["x1"], spot["y"], steps=3)
            page.mouse.up()
            page.keyboard.press("1")
        page.keyboard.press("a")
        saved = page.locator("#progress").filter(has_text=re.compile(rf"^{i + 1} of "))
        saved.or_(page.locator("#status.error")).wait_for()
        if not saved.count():
            raise ValueError(f"round {i + 1}: the page refused the answer: {page.inner_text('#status')}")
    page.wait_for_timeout(200)  # let the last frame's timing land
    return load_s, page.evaluate("window.__geoner.tasks.length"), page.evaluate("window.__geoner.latencies")


def bench_annotate(corpus: Iterable, n_tasks: int = 10_000, rounds: int = 200, chromium: Optional[str] = None) -> dict:
    """Load n_tasks into the page and time `rounds` label and accept key presses.

    corpus: corpus JSONL files whose paragraphs make up the tasks.
    n_tasks: tasks loaded in the page.
    rounds: each is a mouse selection, a label key and an accept.
    chromium: the browser binary (default: chromium on PATH).
    Returns the figures (milliseconds per kind of key press).
    """
    try:  # only the benchmark and the tests need it
        from playwright.sync_api import Error as BrowserError, sync_playwright
    except ImportError:
        raise ValueError("Playwright's Python package is missing: pip install -r requirements.txt") from None
    browser_path = find_chromium(chromium)
    with tempfile.TemporaryDirectory() as tmp:
        tasks_path = Path(tmp) / "tasks.jsonl"
        srsly.write_jsonl(tasks_path, tqdm(synthetic_tasks(corpus, n_tasks), total=n_tasks, desc="building tasks"))
        session = AnnotationSession(tasks_path, "bench", Path(tmp) / "done")
        server = AnnotationServer(session, "127.0.0.1", 0)
        serve_in_thread(server)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=browser_path, headless=True)
                try:
                    load_s, loaded, latencies = drive(browser.new_page(viewport={"width": 1280, "height": 800}),
                                                      server.url, rounds)
                finally:
                    browser.close()
        except BrowserError as err:
            raise ValueError(f"the browser stopped the benchmark: {err.message}") from None
        finally:
            server.shutdown()
            server.server_close()
            session.close()
    by_kind = {}
    for kind, ms in latencies:
        by_kind.setdefault(kind, []).append(ms)
    return {"tasks_loaded": loaded, "load_seconds": round(load_s, 2), "rounds": rounds,
            "keys": {kind: summary(v) for kind, v in sorted(by_kind.items())}}
