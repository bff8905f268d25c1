"""Validate Prodigy ner_manual JSONL files against the annotation guidelines."""
from pathlib import Path
from typing import List, Optional

import srsly
import typer

from geoner.validate import validate_files


def main(
    inputs: List[Path] = typer.Argument(..., help="JSONL files to check together."),
    report: Optional[Path] = typer.Option(None, help="Write the counts as JSON here when all is valid."),
):
    """Check encoding, JSON, fields, labels, offsets, token alignment, span edges, overlaps,
    hashes and duplicates. Prints FILE:LINE: reason for each problem; exits 1 if any."""
    problems, counts = validate_files(inputs)
    for p in problems:
        typer.echo(p, err=True)
    if problems:
        typer.echo(f"✘ {len(problems)} problem(s) in {counts['files']} file(s)", err=True)
        raise typer.Exit(1)
    if report:
        report.parent.mkdir(parents=True, exist_ok=True)
        srsly.write_json(report, {"files": [str(p) for p in inputs], **counts})
    typer.echo(f"✔ {counts['tasks']:,} tasks ({counts['spans']:,} spans) in {counts['files']} file(s) are valid")


if __name__ == "__main__":
    typer.run(main)
