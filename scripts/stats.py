"""Print and write corpus statistics, and refresh the figures in the data card."""
from pathlib import Path
from typing import List, Optional

import srsly
import typer

from geoner import DataError, ValidationFailed
from geoner.corpus_io import load_corpus
from geoner.jsonl import write_text_atomic
from geoner.stats import corpus_stats, replace_block, stats_markdown


def main(
    inputs: List[Path] = typer.Argument(..., help="Corpus JSONL files."),
    output: Path = typer.Option(Path("metrics/corpus_stats.json"), help="JSON file for the figures."),
    card: Optional[Path] = typer.Option(None, help="Data card whose stats block is regenerated."),
    agreement: Optional[Path] = typer.Option(Path("metrics/agreement_seed.json"), help="Agreement JSON to cite."),
):
    """Tasks, words, mentions and distinct forms per label, negatives: overall and per source."""
    try:
        stats = corpus_stats(load_corpus(inputs))
    except (ValidationFailed, DataError) as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(1)
    agree = srsly.read_json(agreement) if agreement and agreement.exists() else None
    table = stats_markdown(stats, agree)
    output.parent.mkdir(parents=True, exist_ok=True)
    srsly.write_json(output, stats)
    typer.echo(table)
    if card:
        write_text_atomic(card, replace_block(card.read_text(encoding="utf-8"), table))
    a = stats["all"]
    typer.echo(f"✔ {a['tasks']:,} tasks, {a['words']:,} words, {sum(a['mentions'].values()):,} mentions "
               f"written to {output}" + (f" and {card}" if card else ""))


if __name__ == "__main__":
    typer.run(main)
