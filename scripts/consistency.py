"""List forms annotated somewhere in the corpus but left unannotated elsewhere."""
from pathlib import Path
from typing import List

import typer

from geoner import DataError, ValidationFailed
from geoner.consistency import unmarked_mentions
from geoner.corpus_io import load_corpus


def main(inputs: List[Path] = typer.Argument(..., help="Corpus JSONL files.")):
    """Each line: FILE:PARAGRAPH: form (LABEL) | text. Review each: a miss or a real negative."""
    try:
        tasks = load_corpus(inputs)
    except (ValidationFailed, DataError) as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(1)
    hits = unmarked_mentions(tasks)
    for form, label, t in hits:
        typer.echo(f"{t['meta']['file']}:{t['meta']['paragraph']}: {form!r} ({label}) | {t['text'][:150]}")
    typer.echo(f"✔ {len(hits)} bare occurrences of annotated forms in {len(tasks)} tasks")


if __name__ == "__main__":
    typer.run(main)
