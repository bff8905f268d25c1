"""Pre-annotate raw articles with a trained pipeline, as Prodigy ner_manual tasks."""
from pathlib import Path
from typing import List, Optional

import spacy
import typer
from tqdm import tqdm

from geoner import DataError
from geoner.jsonl import iter_lines, write_jsonl_atomic
from geoner.preannotate import iter_texts, preannotate
from geoner.training import read_patterns


def main(
    model: str = typer.Argument(..., help="Installed package name (en_geopolitics_ner) or pipeline path."),
    source: Path = typer.Argument(..., help="Folder of .txt articles, or JSONL with a 'text' per line."),
    output: Path = typer.Option(..., "--output", "-o", help="Task JSONL to write (for prodigy db-in / ner.manual)."),
    corpus: List[Path] = typer.Option([], help="Corpus JSONL whose texts are skipped; repeatable."),
    batch_size: int = typer.Option(64, help="Texts per nlp.pipe batch."),
    patterns: Optional[Path] = typer.Option(None, help="Pattern JSONL whose matches are added where the model found nothing."),
):
    """Suggest entities for every new paragraph; texts already in the corpus are skipped."""
    try:
        known = {t["_input_hash"] for path in corpus for _, t in iter_lines(path)}
        nlp = spacy.load(model)
        if patterns:
            ruler = nlp.add_pipe("entity_ruler", name="extra_patterns", config={"overwrite_ents": False},
                                 before="span_edge_rules" if "span_edge_rules" in nlp.pipe_names else None)
            ruler.add_patterns(read_patterns(str(patterns)))
        stats = {"tasks": 0, "spans": 0, "skipped": 0}
        # Streamed straight to disk: nothing is held in memory but the current batch.
        tasks = preannotate(nlp, iter_texts(source), known, stats, batch_size)
        write_jsonl_atomic(output, tqdm(tasks, desc="pre-annotating", unit=" tasks"))
    except DataError as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(1)
    typer.echo(f"✔ Wrote {stats['tasks']:,} tasks ({stats['spans']:,} suggested spans) to {output}; "
               f"skipped {stats['skipped']:,} already in the corpus")


if __name__ == "__main__":
    typer.run(main)
