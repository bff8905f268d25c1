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
