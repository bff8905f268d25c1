"""Commands along the data's path: compile, validate, convert, stats, patterns."""
from pathlib import Path
from typing import List, Optional

import srsly
import typer

from geoner.cli import app
from geoner.cli._util import fails_cleanly
from geoner.data.corpus import label_counts, load_corpus, write_splits
from geoner.data.jsonl import write_jsonl_atomic, write_text_atomic
from geoner.data.markup import compile_sources
from geoner.data.stats import corpus_stats, replace_block, stats_markdown
from geoner.data.validate import describe_scheme, validate_files
from geoner.pipeline.patterns import build_patterns

EXISTING = dict(exists=True, dir_okay=True, readable=True)
EXISTING_FILE = dict(exists=True, dir_okay=False, readable=True)


@app.command("compile")
@fails_cleanly
def compile_cmd(
    inputs: List[Path] = typer.Argument(..., help="Markup files, or folders of .txt files, one paragraph per line.", **EXISTING),
    output: Path = typer.Option(..., "--output", "-o", help="JSONL file to write.", dir_okay=False),
    source: str = typer.Option("authored", help="Value of meta.source for these tasks."),
    raw: Optional[Path] = typer.Option(None, help="Raw article that a single markup file must reproduce.", **EXISTING_FILE),
):
    """Compile inline span markup into hashed, tokenized, validated ner_manual tasks."""
    tasks, counts = compile_sources(inputs, source=source, raw=str(raw) if raw else None)
    n = write_jsonl_atomic(output, tasks)
    spans = sum(len(t["spans"]) for t in tasks)
    typer.echo(f"✔ Wrote {n:,} tasks ({spans:,} spans, {counts['duplicates']} repeated paragraphs kept once) to {output}")


@app.command("validate")
@fails_cleanly
def validate_cmd(
    inputs: List[Path] = typer.Argument(..., help="JSONL files to check together.", **EXISTING_FILE),
    report: Optional[Path] = typer.Option(None, help="Write the counts as JSON here when all is valid.", dir_okay=False),
    incoming: bool = typer.Option(False, "--incoming", help="Files from another tool (a db-out export, an import, the page's answers): accept their hashes and repeated texts."),
):
    """Check encoding, JSON, field types, labels, offsets, tokens, span edges, overlaps, hashes and
    duplicates. Prints which hash scheme each file follows, then FILE:LINE: reason for each
    problem; exits 1 if any."""
    schemes: dict = {}
    problems, counts = validate_files(inputs, incoming=incoming, schemes=schemes)
    for path, (scheme, per_task) in schemes.items():
        typer.echo(f"{path}: hashes: {describe_scheme(scheme, per_task)}")
    for p in problems:
        typer.echo(p, err=True)
    if problems:
        typer.echo(f"✘ {len(problems)} problem(s) in {counts['files']} file(s)", err=True)
        raise typer.Exit(1)
    if report:
        write_text_atomic(report, srsly.json_dumps({"files": [str(p) for p in inputs], **counts}, indent=2))
    typer.echo(f"✔ {counts['tasks']:,} tasks ({counts['spans']:,} spans) in {counts['files']} file(s) are valid")


@app.command("convert")
@fails_cleanly
def convert_cmd(
    inputs: List[Path] = typer.Argument(..., help="Corpus JSONL files.", **EXISTING_FILE),
    output_dir: Path = typer.Option(..., "--output-dir", "-o", help="Folder for the .spacy files.", file_okay=False),
    train: float = typer.Option(0.7, help="Share of each source for training."),
    dev: float = typer.Option(0.15, help="Share of each source for the dev split."),
    test: float = typer.Option(0.15, help="Share of each source for the test split."),
    seed: int = typer.Option(0, help="Random seed for the grouped split."),
):
    """Split each source (seeded, grouped by near-duplicate text) and write one DocBin per split."""
    manifest = write_splits(inputs, output_dir, {"train": train, "dev": dev, "test": test}, seed)
    typer.echo(f"{'split':16s} {'tasks':>6s} " + " ".join(f"{l:>9s}" for l in label_counts([])))
    for name, part in manifest.items():
        typer.echo(f"{name:16s} {part['tasks']:6d} " + " ".join(f"{v:9d}" for v in part["labels"].values()))
    total = sum(manifest[s]["tasks"] for s in ("train", "dev", "test"))
    typer.echo(f"✔ Wrote {len(manifest)} DocBins ({total} tasks) to {output_dir}")


@app.command("stats")
@fails_cleanly
def stats_cmd(
    inputs: List[Path] = typer.Argument(..., help="Corpus JSONL files.", **EXISTING_FILE),
    output: Path = typer.Option(Path("metrics/corpus_stats.json"), help="JSON file for the figures.", dir_okay=False),
    card: Optional[Path] = typer.Option(None, help="Data card whose stats block is regenerated.", **EXISTING_FILE),
    agreement: Optional[Path] = typer.Option(None, help="Agreement JSON to cite in the card.", **EXISTING_FILE),
):
    """Tasks, words, mentions and distinct forms per label, negatives: overall and per source."""
    stats = corpus_stats(load_corpus(inputs))
    table = stats_markdown(stats, srsly.read_json(agreement) if agreement else None)
    new_card = replace_block(card.read_text(encoding="utf-8"), table) if card else None
    write_text_atomic(output, srsly.json_dumps(stats, indent=2))
    if card:
        write_text_atomic(card, new_card)
    typer.echo(table)
    a = stats["all"]
    typer.echo(f"✔ {a['tasks']:,} tasks, {a['words']:,} words, {sum(a['mentions'].values()):,} mentions "
               f"written to {output}" + (f" and {card}" if card else ""))


@app.command("build-patterns")
@fails_cleanly
def build_patterns_cmd(
    blocs: Path = typer.Argument(..., help="Bloc list: one bloc a line, forms separated by ' | '.", **EXISTING_FILE),
    triggers: Path = typer.Argument(..., help="JSON with SANCTION and SUMMIT heads and premodifiers.", **EXISTING_FILE),
    output: Path = typer.Option(Path("patterns/patterns.jsonl"), "--output", "-o", help="Pattern JSONL.", dir_okay=False),
):
    """Write spaCy/Prodigy match patterns: phrase patterns for BLOC, token patterns for the rest."""
    patterns, n_blocs = build_patterns(blocs.read_text(encoding="utf-8"), srsly.read_json(triggers))
    write_jsonl_atomic(output, patterns)
    typer.echo(f"✔ Wrote {len(patterns)} patterns ({n_blocs} blocs) to {output}")
