"""Build the entity-ruler / Prodigy pattern file from the bloc list and trigger words."""
from pathlib import Path

import srsly
import typer

from geoner.jsonl import write_jsonl_atomic
from geoner.patterns import build_patterns


def main(
    blocs: Path = typer.Argument(..., help="Bloc list: one bloc a line, forms separated by ' | '."),
    triggers: Path = typer.Argument(..., help="JSON with SANCTION and SUMMIT heads and premodifiers."),
    output: Path = typer.Option(Path("patterns/patterns.jsonl"), "--output", "-o", help="Pattern JSONL."),
):
    """Write spaCy/Prodigy match patterns: phrase patterns for BLOC, token patterns for the rest."""
    patterns, n_blocs = build_patterns(blocs.read_text(encoding="utf-8"), srsly.read_json(triggers))
    write_jsonl_atomic(output, patterns)
    typer.echo(f"✔ Wrote {len(patterns)} patterns ({n_blocs} blocs) to {output}")


if __name__ == "__main__":
    typer.run(main)
