"""Model suggestions as Prodigy ner_manual tasks, streamed."""
from pathlib import Path
from typing import Iterable, Iterator, Optional, Set, Tuple

import spacy
from tqdm import tqdm

from geoner import DataError
from geoner.data.hashing import input_hash
from geoner.data.jsonl import iter_lines, write_jsonl_atomic
from geoner.data.markup import raw_paragraphs
from geoner.data.tasks import make_task
from geoner.data.validate import load_valid_tasks
from geoner.pipeline.patterns import read_patterns


def iter_texts(source) -> Iterator[Tuple[str, int, str]]:
    """Yield (file, paragraph index, text) from a folder of .txt articles or a JSONL file of
    {"text": ...} records, one at a time so memory does not grow with the input."""
    source = Path(source)
    if source.is_dir():
        for path in sorted(source.glob("*.txt")):
            for i, text in enumerate(raw_paragraphs(path)):
                yield str(path), i, text.strip()
    else:
        for line, obj in iter_lines(source):
            text = obj.get("text")
            if not isinstance(text, str) or not text.strip():
                raise DataError(source, line, "record has no non-empty 'text' string")
            meta = obj.get("meta")
            yield str(source), meta.get("paragraph", line - 1) if isinstance(meta, dict) else line - 1, text


def preannotate(nlp, records: Iterable[Tuple[str, int, str]], known: Set[int], stats: dict,
                batch_size: int = 64) -> Iterator[dict]:
    """Yield tasks for texts whose input hash is not in ``known``; counts go into ``stats``.

    nlp: the pipeline that suggests entities.
    records: (file, paragraph, text) triples, e.g. from iter_texts.
    known: input hashes already in the corpus (and grows with each emitted task).
    """
    version = f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'pipeline')}-{nlp.meta.get('version', '0')}"

    def fresh():
        for file, idx, text in records:
            h = input_hash(text)
            if h in known:
                stats["skipped"] += 1
                continue
            known.add(h)
            yield text, (file, idx)

    for doc, (file, idx) in nlp.pipe(fresh(), as_tuples=True, batch_size=batch_size):
        spans = [{"start": e.start_char, "end": e.end_char, "label": e.label_} for e in doc.ents]
        task = make_task(doc.text, spans, {"source": "preannotated", "file": file, "paragraph": idx,
                                           "model": version}, doc=doc)
        stats["tasks"] += 1
        stats["spans"] += len(spans)
        yield task


def preannotate_file(model: str, source: Path, output: Path, corpus: Iterable = (), patterns: Optional[Path] = None,
                     batch_size: int = 64) -> dict:
    """Pre-annotate every new paragraph of ``source`` into ``output``; returns the counts.

    model: installed package name or pipeline path.
    source: folder of .txt articles, or JSONL with a 'text' per line.
    output: task JSONL to write (streamed to a temporary file, renamed at the end).
    corpus: corpus JSONL files whose texts are skipped.
    patterns: pattern JSONL whose matches are added where the model found nothing.
    batch_size: texts per nlp.pipe batch.
    """
    known = {t["_input_hash"] for _, _, t in load_valid_tasks(corpus)}
    nlp = spacy.load(model)
    if patterns:
        ruler = nlp.add_pipe("entity_ruler", name="extra_patterns", config={"overwrite_ents": False},
                             before="span_edge_rules" if "span_edge_rules" in nlp.pipe_names else None)
        ruler.add_patterns(read_patterns(patterns))
    stats = {"tasks": 0, "spans": 0, "skipped": 0}
    tasks = preannotate(nlp, iter_texts(source), known, stats, batch_size)
    write_jsonl_atomic(output, tqdm(tasks, desc="pre-annotating", unit=" tasks"))
    return stats
