"""Merge reviewed annotation files into the corpus; disagreements go to a conflicts file."""
from pathlib import Path
from typing import List

import typer

from geoner import DataError, ValidationFailed
from geoner.jsonl import iter_lines, write_jsonl_atomic
from geoner.merge import merge, read_reviewed
from geoner.validate import check_task


def _expand(paths: List[Path]) -> List[Path]:
    out = []
    for p in paths:
        out.extend(sorted(p.glob("*.jsonl")) if p.is_dir() else [p])
    return out


def main(
    reviewed: List[Path] = typer.Argument(..., help="Reviewed JSONL files, or folders of them (db-out exports, hand edits)."),
    target: Path = typer.Option(Path("corpus/reviewed.jsonl"), help="Corpus file the accepted tasks go into."),
    corpus: List[Path] = typer.Option([], help="Other corpus files, read only to find known texts; repeatable."),
    conflicts: Path = typer.Option(Path("corpus/conflicts.jsonl"), help="Where disagreeing versions are kept."),
    update: bool = typer.Option(False, "--update", help="Let an agreed review replace a differing entry of TARGET."),
):
    """Keep accepted tasks, count rejects and ignores, deduplicate by _input_hash, and never
    overwrite silently: disagreements are written to CONFLICTS and the corpus keeps its version."""
    try:
        incoming = read_reviewed(_expand(reviewed))
        current = [t for _, t in iter_lines(target)] if target.exists() else []
        others = {t["_input_hash"]: t for p in corpus for _, t in iter_lines(p)}
        result, new_conflicts, counts = merge(current, others, incoming, update=update)
        old_conflicts = [c for _, c in iter_lines(conflicts)] if conflicts.exists() else []
    except (ValidationFailed, DataError) as err:
        typer.echo(str(err), err=True)
        typer.echo("✘ nothing was merged; the corpus is unchanged", err=True)
        raise typer.Exit(1)
    # Validate what would be written before touching the corpus.
    problems = [f"{target}: task {i + 1}: {reason}" for i, t in enumerate(result) for reason in check_task(t)]
    if problems:
        typer.echo("\n".join(problems), err=True)
        raise typer.Exit(1)
    write_jsonl_atomic(target, result)
    if new_conflicts:
        write_jsonl_atomic(conflicts, old_conflicts + new_conflicts)
    typer.echo(f"✔ Merged {len(incoming):,} reviewed tasks into {target}: added {counts['added']}, "
               f"updated {counts['updated']}, unchanged {counts['unchanged']}, conflicts {counts['conflicts']} "
               f"(to {conflicts}), rejected {counts['rejected']}, ignored {counts['ignored']}")


if __name__ == "__main__":
    typer.run(main)
