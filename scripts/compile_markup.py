"""Compile inline-markup paragraphs into validated Prodigy ner_manual JSONL."""
from pathlib import Path
from typing import List, Optional

import typer

from geoner import ValidationFailed, DataError
from geoner.jsonl import write_jsonl_atomic
from geoner.markup import compile_markup


def main(
    inputs: List[Path] = typer.Argument(..., help="Markup files (or folders of .txt files), one paragraph per line."),
    output: Path = typer.Option(..., "--output", "-o", help="JSONL file to write."),
    source: str = typer.Option("authored", help="Value of meta.source for these tasks."),
    raw: Optional[Path] = typer.Option(None, help="Raw article the (single) markup file must reproduce."),
):
    """Compile inline span markup into hashed, tokenized, validated tasks."""
    tasks, problems, dups = [], [], 0
    files = [f for p in inputs for f in (sorted(p.glob("*.txt")) if p.is_dir() else [p])]
    for path in files:
        try:
            file_tasks, counts = compile_markup(path, source=source, raw=str(raw) if raw else None)
        except (ValidationFailed, DataError) as err:
            problems.extend(getattr(err, "problems", [str(err)]))
            continue
        tasks.extend(file_tasks)
        dups += counts["duplicates"]
    seen = {}
    for t in tasks:
        if t["_input_hash"] in seen:
            problems.append(f"{t['meta']['file']}:{t['meta']['paragraph']}: same text as {seen[t['_input_hash']]}")
        seen.setdefault(t["_input_hash"], f"{t['meta']['file']} paragraph {t['meta']['paragraph']}")
    if problems:
        for p in problems:
            typer.echo(p, err=True)
        typer.echo(f"✘ {len(problems)} problem(s); nothing written", err=True)
        raise typer.Exit(1)
    n = write_jsonl_atomic(output, tasks)
    spans = sum(len(t["spans"]) for t in tasks)
    typer.echo(f"✔ Wrote {n:,} tasks ({spans:,} spans, {dups} repeated paragraphs kept once) to {output}")


if __name__ == "__main__":
    typer.run(main)
