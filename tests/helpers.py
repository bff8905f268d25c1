"""Small builders shared by the tests."""
from geoner.data.tasks import make_task


def task(text, marks, source="test", paragraph=0, answer="accept"):
    """A task from (surface, label) pairs, each matched at its first occurrence."""
    spans, pos = [], 0
    for surface, label in marks:
        i = text.index(surface, pos)
        spans.append({"start": i, "end": i + len(surface), "label": label})
        pos = i + len(surface)
    t = make_task(text, spans, {"source": source, "file": "test", "paragraph": paragraph})
    t["answer"] = answer
    return t


def start_annotate(tasks_path, output_dir, *args, annotator="alice"):
    """Start `python -m geoner annotate` on a free loopback port; returns (process, base URL).
    The command prints its URL on its first line."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "geoner", "annotate", str(tasks_path), "--annotator", annotator,
                             "--port", "0", "--output-dir", str(output_dir), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = proc.stdout.readline()
    if not first.startswith("Serving "):
        proc.kill()
        raise RuntimeError(f"annotate did not start: {first}{proc.stderr.read()}")
    return proc, first.split()[1]
