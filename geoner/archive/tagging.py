"""Tagging one chunk of documents: paragraphs in, mention rows out, offsets into each document's
original text. Shared by every engine, so the engines differ only in where a chunk runs."""
import os
import re
from typing import Dict, Iterator, List, Sequence, Tuple

import spacy

from geoner.archive.canonical import bloc_names, canonical_names
from geoner.archive.parts import chunk_hash, write_part
from geoner.archive.readers import ArchiveDoc

# A paragraph longer than this is cut at line breaks, then at spaces: the model's cost and memory
# grow with the text it is given at once, and spaCy refuses texts over nlp.max_length.
MAX_PARAGRAPH_CHARS = 10_000
BLANK_LINES = re.compile(r"\n[ \t\r\f\v]*\n\s*")

# One pipeline per process and model path, loaded on first use: a worker process loads it once
# and keeps it for every chunk it is given, so no task ever carries the pipeline.
_PIPELINES: Dict[Tuple[str, str], Tuple[object, Dict[str, str], str]] = {}
LOADS = {"count": 0}


def paragraphs(text: str, max_chars: int = MAX_PARAGRAPH_CHARS) -> List[Tuple[int, int]]:
    """(start, end) of each paragraph of TEXT, surrounding whitespace left out. Paragraphs are
    separated by blank lines; a longer piece is cut at single line breaks and, failing those,
    at the last space before MAX_CHARS."""
    out = []
    pos = 0
    for sep in list(BLANK_LINES.finditer(text)) + [None]:
        end = sep.start() if sep else len(text)
        out.extend(_cut(text, pos, end, max_chars))
        pos = sep.end() if sep else len(text)
    return out


def _cut(text: str, start: int, end: int, max_chars: int) -> Iterator[Tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return
    if end - start <= max_chars:
        yield start, end
        return
    window = text[start:start + max_chars]
    cut = window.rfind("\n")
    if cut <= 0:
        cut = window.rfind(" ")
    if cut <= 0:
        cut = max_chars
    yield from _cut(text, start, start + cut, max_chars)
    yield from _cut(text, start + cut, end, max_chars)


def model_name(nlp) -> str:
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}-{meta.get('version', '0')}"


def load_pipeline(model: str, blocs_path: str):
    """(nlp, bloc table, model name) for this process, loaded once."""
    key = (str(model), str(blocs_path))
    if key not in _PIPELINES:
        nlp = spacy.load(model)
        LOADS["count"] += 1
        _PIPELINES[key] = (nlp, bloc_names(blocs_path), model_name(nlp))
    return _PIPELINES[key]


def preload_pipeline(model: str, blocs_path: str) -> None:
    """Worker start-up hook (pool initializer, Dask plugin): load the pipeline before the first
    chunk arrives. A failure is left for that chunk, which loads again and sends the original
    error back to the caller, instead of a traceback in a worker's log and a pool that breaks."""
    try:
        load_pipeline(model, blocs_path)
    except Exception:  # noqa: BLE001 (reported by the first chunk, see above)
        pass


def tag_docs(nlp, docs: Sequence[ArchiveDoc], blocs: Dict[str, str], model: str,
             batch_size: int = 256) -> Tuple[List[dict], dict]:
    """Mention rows for DOCS and the chunk's counts (docs, docs without a mention, mentions,
    words, paragraphs). Rows are in document, then text order."""
    spans = [(i, p, s, e) for i, doc in enumerate(docs) for p, (s, e) in enumerate(paragraphs(doc.text))]
    found: List[List[Tuple[int, int, int, str, str]]] = [[] for _ in docs]
    words = 0
    texts = ((docs[i].text[s:e], (i, p, s)) for i, p, s, e in spans)
    for pdoc, (i, p, offset) in nlp.pipe(texts, as_tuples=True, batch_size=batch_size):
        words += len(pdoc)
        found[i].extend((p, offset + e.start_char, offset + e.end_char, e.text, e.label_) for e in pdoc.ents)
    rows = []
    for doc, mentions in zip(docs, found):
        names = canonical_names([(m[3], m[4]) for m in mentions], blocs)
        rows.extend({"doc_id": doc.doc_id, "paragraph": p, "start": s, "end": e, "text": t, "label": label,
                     "canonical": name, "model": model, **doc.meta}
                    for (p, s, e, t, label), name in zip(mentions, names))
    stats = {"docs": len(docs), "docs_without_mentions": sum(1 for m in found if not m), "mentions": len(rows),
             "words": words, "paragraphs": len(spans), "pid": os.getpid(), "model_loads": LOADS["count"]}
    return rows, stats


def process_chunk(k: int, docs: List[ArchiveDoc], cfg: dict) -> dict:
    """Tag chunk K and write its part file; the unit of work of every engine. The pipeline comes
    from this process's cache, so only paths travel with the task."""
    nlp, blocs, name = load_pipeline(cfg["model"], cfg["blocs"])
    rows, stats = tag_docs(nlp, docs, blocs, name, cfg["batch_size"])
    stats.update(chunk=k, first_doc_id=docs[0].doc_id, last_doc_id=docs[-1].doc_id, input_hash=chunk_hash(docs))
    meta_keys = list(dict.fromkeys(key for doc in docs for key in doc.meta))
    write_part(cfg["out_dir"], k, rows, stats, cfg["format"], meta_keys)
    return stats
