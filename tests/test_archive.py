"""Tagging an archive: readers, paragraphs and offsets, canonical names, part files, resuming
after a kill, the local pool and Dask engines giving the same rows, and the summary."""
import csv
import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import psutil
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import spacy
import srsly

import geoner.pipeline.components  # noqa: F401  (registers span_edge_rules)
from geoner.archive.bench import make_archive, watched
from geoner.archive.canonical import bloc_names, canonical_names
from geoner.archive.engine import run_tag
from geoner.archive.parts import ERRORS, MANIFEST
from geoner.archive.readers import ArchiveDoc, BadRecord, iter_archive
from geoner.archive.summary import summarize
from geoner.archive.tagging import paragraphs
from conftest import ROOT

BLOCS = ROOT / "patterns" / "blocs.txt"
PATTERNS = [
    *({"label": "OFFICIAL", "pattern": p} for p in ("Vladimir Putin", "Putin", "Joe Biden", "Hunter Biden", "Biden",
                                                    "Emmanuel Macron", "Macron")),
    *({"label": "BLOC", "pattern": p} for p in ("EU", "European Union", "Group of Seven", "G7", "SCO")),
    {"label": "SANCTION", "pattern": [{"LOWER": "sanctions"}]},
    {"label": "SUMMIT", "pattern": [{"LOWER": "summit"}]},
]


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """A deterministic stand-in for the trained pipeline: rules only, loaded by path."""
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(PATTERNS)
    nlp.add_pipe("span_edge_rules")
    nlp.meta.update(name="tiny", version="1.0.0")
    path = tmp_path_factory.mktemp("model") / "tiny"
    nlp.to_disk(path)
    return str(path)


def archive(path, n, start=0):
    """N JSONL articles of two paragraphs each, with a date and a source as metadata."""
    records = [{"id": f"a{i:05d}", "date": f"2024-{i % 3 + 1:02d}-10", "source": "wire",
                "text": f"Vladimir Putin met Emmanuel Macron at the summit number {i}.\n\n"
                        f"Putin said the EU sanctions failed; Macron disagreed."}
               for i in range(start, start + n)]
    srsly.write_jsonl(path, records)
    return path


def rows(out_dir):
    df = pd.concat([pd.read_parquet(p) for p in sorted(out_dir.glob("part-*.parquet"))], ignore_index=True)
    return df.sort_values(["doc_id", "start", "end"]).reset_index(drop=True)


def test_paragraph_offsets_point_into_the_original_text():
    text = "  First paragraph.\n \n\nSecond one\nwith a line break.\r\n\r\nThird   "
    got = [text[s:e] for s, e in paragraphs(text)]
    assert got == ["First paragraph.", "Second one\nwith a line break.", "Third"]


def test_long_paragraphs_are_cut_at_line_breaks_then_spaces():
    text = "aaaa bbbb\ncccc dddd eeee"
    spans = paragraphs(text, max_chars=10)
    assert [text[s:e] for s, e in spans] == ["aaaa bbbb", "cccc dddd", "eeee"]


def test_bloc_variants_take_the_first_form_whatever_their_case():
    blocs = bloc_names(BLOCS)
    names = canonical_names([("EU", "BLOC"), ("Group of Seven", "BLOC"), ("the SCO", "BLOC"),
                             ("e.u.", "BLOC"), ("Visegrad Group", "BLOC")], blocs)
    assert names == ["European Union", "G7", "Shanghai Cooperation Organization", "European Union", "Visegrad Group"]


def test_surname_takes_the_one_earlier_full_name():
    mentions = [("Putin", "OFFICIAL"), ("Vladimir Putin", "OFFICIAL"), ("Putin", "OFFICIAL"), ("PUTIN", "OFFICIAL"),
                ("Joe Biden", "OFFICIAL"), ("Hunter Biden", "OFFICIAL"), ("Biden", "OFFICIAL")]
    assert canonical_names(mentions, {}) == ["Putin", "Vladimir Putin", "Vladimir Putin", "Vladimir Putin",
                                             "Joe Biden", "Hunter Biden", "Biden"]


def test_readers_keep_metadata_and_report_bad_records_without_stopping(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_text("NATO met.\n", encoding="utf-8")
    (tmp_path / "notes" / "b.txt").write_bytes(b"line one\nbad \xff byte\n")
    (tmp_path / "notes" / "c.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "wire.jsonl").write_bytes(b'{"id": 7, "text": "One.", "date": "2024-01-02", "tags": ["x"]}\n'
                                          b'{"text": "Two.", "label": "kept"}\nnot json\n{"title": "no text"}\n'
                                          b'{"text": "caf\xe9"}\n\n{"text": "Three."}\n')
    with (tmp_path / "table.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["body", "date"])
        w.writerow(["Line\n\nwith paragraphs", "2024-02-03"])
        w.writerow(["", "2024-02-04"])
    got = list(iter_archive(tmp_path, text_column="body"))
    # The folder's files are read in name order; JSONL needs "text" under --text-column body.
    # The JSON parser's own wording is left out.
    bad = [str(r).split(" (")[0] if "JSON" in str(r) else str(r) for r in got if isinstance(r, BadRecord)]
    assert bad == [
        f"{tmp_path / 'notes' / 'b.txt'}:2: not valid UTF-8 (invalid start byte at byte 5 of the line)",
        f"{tmp_path / 'notes' / 'c.txt'}:1: no text",
        f"{tmp_path / 'table.csv'}:5: no text in 'body'",
    ] + [f"{tmp_path / 'wire.jsonl'}:{n}: no 'body' string" for n in (1, 2)] + [
        f"{tmp_path / 'wire.jsonl'}:3: line is not valid JSON",
        f"{tmp_path / 'wire.jsonl'}:4: no 'body' string",
        f"{tmp_path / 'wire.jsonl'}:5: not valid UTF-8 (invalid continuation byte at byte 14 of the line)",
        f"{tmp_path / 'wire.jsonl'}:7: no 'body' string"]
    assert [r for r in got if isinstance(r, ArchiveDoc)] == [
        ArchiveDoc("notes/a.txt", "NATO met.\n", {}),
        ArchiveDoc("table.csv:2", "Line\n\nwith paragraphs", {"date": "2024-02-03"})]
    docs = [r for r in iter_archive(tmp_path / "wire.jsonl") if isinstance(r, ArchiveDoc)]
    assert docs == [ArchiveDoc("7", "One.", {"date": "2024-01-02", "tags": '["x"]'}),
                    ArchiveDoc("wire.jsonl:2", "Two.", {"meta_label": "kept"}),
                    ArchiveDoc("wire.jsonl:7", "Three.", {})]


def test_parquet_input_streams_rows_with_their_columns(tmp_path):
    table = pa.table({"id": ["x1", None], "body": ["Putin spoke.", None], "published": ["2024-05-01", "2024-05-02"]})
    pq.write_table(table, tmp_path / "in.parquet")
    got = list(iter_archive(tmp_path / "in.parquet", text_column="body"))
    assert got == [ArchiveDoc("x1", "Putin spoke.", {"published": "2024-05-01"}),
                   BadRecord(str(tmp_path / "in.parquet"), 2, "no 'body' string")]


def test_tag_writes_mentions_with_offsets_canonical_names_and_metadata(tmp_path, model):
    src = archive(tmp_path / "in.jsonl", 2)
    with (tmp_path / "in.jsonl").open("a", encoding="utf-8") as f:
        f.write('{"id": "quiet", "text": "Nothing to see here."}\n{"id": "broken"\n')
    summary = run_tag(model, src, tmp_path / "out", chunk_size=2, blocs=BLOCS, progress=False)
    df = rows(tmp_path / "out")
    text = "Vladimir Putin met Emmanuel Macron at the summit number 0.\n\nPutin said the EU sanctions failed; Macron disagreed."
    first = df[df.doc_id == "a00000"]
    assert [text[s:e] for s, e in zip(first.start, first.end)] == list(first.text)
    assert list(zip(first.paragraph, first.text, first.label, first.canonical)) == [
        (0, "Vladimir Putin", "OFFICIAL", "Vladimir Putin"), (0, "Emmanuel Macron", "OFFICIAL", "Emmanuel Macron"),
        (0, "summit", "SUMMIT", "summit"), (1, "Putin", "OFFICIAL", "Vladimir Putin"),
        (1, "EU sanctions", "SANCTION", "EU sanctions"), (1, "Macron", "OFFICIAL", "Emmanuel Macron")]
    assert set(df.model) == {"en_tiny-1.0.0"} and set(df.date) == {"2024-01-10", "2024-02-10"}
    assert {k: summary[k] for k in ("docs", "docs_without_mentions", "mentions", "errors", "parts")} == {
        "docs": 3, "docs_without_mentions": 1, "mentions": 12, "errors": 1, "parts": 2}
    errors = [json.loads(line) for line in (tmp_path / "out" / ERRORS).read_text().splitlines()]
    assert [e["error"].split(" (")[0] for e in errors] == [f"{src}:4: line is not valid JSON"]
    # Readers that take OUTPUT_DIR as one dataset skip the _ files.
    assert len(pd.read_parquet(tmp_path / "out")) == 12


def test_rerun_skips_finished_parts(tmp_path, model):
    src = archive(tmp_path / "in.jsonl", 6)
    run_tag(model, src, tmp_path / "out", chunk_size=2, blocs=BLOCS, progress=False)
    before = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out").glob("part-*")}
    again = run_tag(model, src, tmp_path / "out", chunk_size=2, blocs=BLOCS, progress=False)
    assert again["parts_resumed"] == 3 and again["docs"] == 6 and again["mentions"] == 36
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out").glob("part-*")} == before


def test_rerun_with_another_chunk_size_or_input_is_refused(tmp_path, model):
    src = archive(tmp_path / "in.jsonl", 4)
    run_tag(model, src, tmp_path / "out", chunk_size=2, blocs=BLOCS, progress=False)
    run = subprocess.run([sys.executable, "-m", "geoner", "tag", model, str(src), str(tmp_path / "out"),
                          "--chunk-size", "3", "--blocs", str(BLOCS)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert f"{tmp_path / 'out' / MANIFEST}:0: this output was written with chunk_size 2, not 3" in run.stderr
    other = archive(tmp_path / "other.jsonl", 4, start=100)
    with pytest.raises(Exception, match="part-00000.parquet:0: written from other input"):
        run_tag(model, other, tmp_path / "out", chunk_size=2, blocs=BLOCS, progress=False)


def test_missing_text_column_fails_before_any_output(tmp_path, model):
    with (tmp_path / "in.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["text", "date"], ["Putin spoke.", "2024-01-01"]])
    run = subprocess.run([sys.executable, "-m", "geoner", "tag", model, str(tmp_path / "in.csv"), str(tmp_path / "out"),
                          "--text-column", "body", "--blocs", str(BLOCS)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert f"{tmp_path / 'in.csv'}:1: no column 'body' (columns: text, date)" in run.stderr
    assert not (tmp_path / "out").exists()


def test_jsonl_parts_hold_the_same_rows_as_parquet(tmp_path, model):
    src = archive(tmp_path / "in.jsonl", 5)
    run_tag(model, src, tmp_path / "pq", chunk_size=2, blocs=BLOCS, progress=False)
    run_tag(model, src, tmp_path / "js", chunk_size=2, fmt="jsonl", blocs=BLOCS, progress=False)
    js = pd.concat([pd.read_json(p, lines=True, dtype=False) for p in sorted((tmp_path / "js").glob("part-*.jsonl"))])
    js = js.sort_values(["doc_id", "start", "end"]).reset_index(drop=True)
    assert js.astype(str).equals(rows(tmp_path / "pq").astype(str))


def test_process_pool_loads_the_model_once_per_process_and_matches_one_process(tmp_path, model):
    src = archive(tmp_path / "in.jsonl", 300)
    one = run_tag(model, src, tmp_path / "one", chunk_size=20, blocs=BLOCS, progress=False)
    two = run_tag(model, src, tmp_path / "two", n_process=2, chunk_size=20, blocs=BLOCS, progress=False)
    # Which of the two workers take chunks depends on scheduling (on a loaded machine one worker
    # may take all 15 before the other has started); each that did must have loaded the model once.
    loads = two["model_loads_per_process"]
    assert 1 <= len(loads) <= 2 and set(loads) == {1} and two["parts"] == one["parts"] == 15
    assert os.getpid() not in two["worker_pids"] and not any(map(psutil.pid_exists, two["worker_pids"]))
    assert rows(tmp_path / "two").equals(rows(tmp_path / "one"))


def test_dask_local_cluster_gives_the_rows_of_one_process(tmp_path, model):
    src = archive(tmp_path / "in.jsonl", 300)
    run_tag(model, src, tmp_path / "one", chunk_size=20, blocs=BLOCS, progress=False)
    dask = run_tag(model, src, tmp_path / "dask", n_process=2, engine="dask", chunk_size=20, blocs=BLOCS, progress=False)
    loads = dask["model_loads_per_process"]  # as for the pool: each worker that took chunks loaded once
    assert 1 <= len(loads) <= 2 and set(loads) == {1}
    assert os.getpid() not in dask["worker_pids"] and not any(map(psutil.pid_exists, dask["worker_pids"]))
    one, two = rows(tmp_path / "one"), rows(tmp_path / "dask")
    assert len(one) == 300 * 6 and not two.duplicated().any()
    assert two.equals(one)


def test_killed_run_resumes_to_the_rows_of_an_uninterrupted_run(tmp_path, model):
    src = archive(tmp_path / "in.jsonl", 8000)
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "geoner", "tag", model, str(src), str(out), "--chunk-size", "40", "--blocs", str(BLOCS)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    while not (out / "part-00000.parquet").exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(list(out.glob("part-*.parquet")))
    assert 1 <= done < 200, "the run must be killed halfway for this test to mean anything"
    run = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert f"({done:,} kept from an earlier run)" in run.stdout
    run_tag(model, src, tmp_path / "whole", chunk_size=40, blocs=BLOCS, progress=False)
    resumed, whole = rows(out), rows(tmp_path / "whole")
    assert len(whole) == 8000 * 6 and not resumed.duplicated().any()
    assert resumed.equals(whole)
    assert not list(out.glob(".*.tmp"))


def test_summarize_counts_names_months_and_co_mentions(tmp_path, model):
    src = tmp_path / "in.jsonl"
    srsly.write_jsonl(src, [
        {"id": "1", "date": "2024-01-05", "text": "Vladimir Putin went to the summit.\n\nThe EU and the SCO met."},
        {"id": "2", "date": "2024-01-20", "text": "Vladimir Putin, at the summit, praised the Group of Seven sanctions."},
        {"id": "3", "date": "2024-03-01", "text": "European Union sanctions on the SCO. Joe Biden was absent."},
    ])
    run_tag(model, src, tmp_path / "out", chunk_size=2, blocs=BLOCS, progress=False)
    s = summarize(tmp_path / "out", tmp_path / "report")
    assert s["mentions_per_label"] == {"OFFICIAL": 3, "BLOC": 3, "SANCTION": 2, "SUMMIT": 2}
    assert s["top"]["BLOC"] == [{"name": "Shanghai Cooperation Organization", "mentions": 2},
                                {"name": "European Union", "mentions": 1}]
    assert s["top"]["OFFICIAL"][0] == {"name": "Vladimir Putin", "mentions": 2}
    assert s["per_month"] == {"2024-01": {"OFFICIAL": 2, "BLOC": 2, "SANCTION": 1, "SUMMIT": 2},
                              "2024-03": {"OFFICIAL": 1, "BLOC": 1, "SANCTION": 1, "SUMMIT": 0}}
    # Putin and the summit share a paragraph in documents 1 and 2; the EU
    # of document 1 and the sanctions of document 3 never share a paragraph.
    assert s["co_mentions"]["officials_x_summits"] == [{"official": "Vladimir Putin", "summit": "summit", "paragraphs": 2}]
    assert s["co_mentions"]["blocs_x_sanctions"] == [
        {"bloc": "Shanghai Cooperation Organization", "sanction": "European Union sanctions", "paragraphs": 1}]
    assert s["run"] == {"docs": 3, "docs_without_mentions": 0, "mentions": 10, "errors": 0}
    for chart in s["charts"].values():
        assert (tmp_path / "report" / chart).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(s["charts"]) == 4
    assert json.loads((tmp_path / "report" / "summary.json").read_text()) == s


def test_summarize_reads_jsonl_parts_like_parquet(tmp_path, model):
    src = archive(tmp_path / "in.jsonl", 7)
    run_tag(model, src, tmp_path / "pq", chunk_size=3, blocs=BLOCS, progress=False)
    run_tag(model, src, tmp_path / "js", chunk_size=3, fmt="jsonl", blocs=BLOCS, progress=False)
    a, b = summarize(tmp_path / "pq", tmp_path / "ra"), summarize(tmp_path / "js", tmp_path / "rb")
    assert a == b and a["mentions"] == 42 and len(a["per_month"]) == 3


def _hold_memory(results, mb):
    """Benchmark target: half a CPU-second of work, then MB held in this process and about as
    much in a child process."""
    start = time.process_time()
    while time.process_time() - start < 0.5:
        pass
    block = b"x" * (mb * 2 ** 20)
    child = subprocess.Popen([sys.executable, "-c", f"import time; b = b'y' * ({mb} * 2 ** 20); time.sleep(1.5)"])
    child.wait()
    results.put({"held": len(block)})


def test_watched_run_reports_the_peak_memory_of_the_process_and_its_children():
    out = watched(_hold_memory, (150,), interval=0.05)
    assert out["held"] == 150 * 2 ** 20
    assert 150 <= out["peak_rss_mb_main"] < 450
    assert 150 <= out["peak_rss_mb_children"][0] < 300
    assert 0.5 <= out["cpu_seconds"] < 10


def test_generated_archive_has_the_asked_paragraphs_in_a_seeded_order(tmp_path):
    texts = ["Alpha.", "Beta.", "Gamma."]
    make_archive(texts, tmp_path / "a.jsonl", 10, seed=1, per_doc=4)
    make_archive(texts, tmp_path / "b.jsonl", 10, seed=1, per_doc=4)
    make_archive(texts, tmp_path / "c.jsonl", 10, seed=2, per_doc=4)
    docs = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text().splitlines()]
    paras = [p for d in docs for p in d["text"].split("\n\n")]
    assert [len(d["text"].split("\n\n")) for d in docs] == [4, 4, 2]
    assert sorted(paras.count(t) for t in texts) == [3, 3, 4]
    # every pass over the texts holds each text once
    assert sorted(paras[:3]) == sorted(paras[3:6]) == sorted(paras[6:9]) == sorted(texts)
    assert (tmp_path / "a.jsonl").read_text() == (tmp_path / "b.jsonl").read_text()
    assert (tmp_path / "a.jsonl").read_text() != (tmp_path / "c.jsonl").read_text()


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_workers_that_cannot_load_the_model_fail_the_run_instead_of_hanging(tmp_path, engine):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.cfg").write_text("[nlp\n", encoding="utf-8")
    src = archive(tmp_path / "in.jsonl", 3)
    run = subprocess.run([sys.executable, "-m", "geoner", "tag", str(broken), str(src), str(tmp_path / "out"), "-n", "2",
                          "--engine", engine, "--blocs", str(BLOCS)], capture_output=True, text=True, cwd=ROOT, timeout=180)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert f"Could not read meta.json from {broken}" in run.stderr
    assert not list((tmp_path / "out").glob("part-*"))


def test_restart_if_changed_retags_from_the_first_changed_chunk_and_drops_stale_parts(tmp_path, model):
    src = archive(tmp_path / "in.jsonl", 6)
    out = tmp_path / "out"
    run_tag(model, src, out, chunk_size=2, blocs=BLOCS, progress=False)
    lines = src.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("Macron disagreed", "Biden disagreed")  # same ids, other text in chunk 1
    src.write_text("\n".join(lines[:5]) + "\n", encoding="utf-8")  # and one document fewer
    with pytest.raises(Exception, match="part-00001.parquet:0: written from other input"):
        run_tag(model, src, out, chunk_size=2, blocs=BLOCS, progress=False)
    again = run_tag(model, src, out, chunk_size=2, blocs=BLOCS, progress=False, restart_if_changed=True)
    assert again["parts_resumed"] == 1 and again["parts"] == 3
    run_tag(model, src, tmp_path / "fresh", chunk_size=2, blocs=BLOCS, progress=False)
    assert rows(out).equals(rows(tmp_path / "fresh"))
    assert sorted(p.name for p in out.glob("part-*")) == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    assert "Biden" in set(rows(out).text)


def test_a_shorter_input_is_refused_without_restart_if_changed(tmp_path, model):
    src = archive(tmp_path / "in.jsonl", 6)
    run_tag(model, src, tmp_path / "out", chunk_size=2, blocs=BLOCS, progress=False)
    archive(src, 4)
    with pytest.raises(Exception, match="part-00002.parquet:0: left from a longer input"):
        run_tag(model, src, tmp_path / "out", chunk_size=2, blocs=BLOCS, progress=False)
