"""Commands of the loop that extends the corpus: preannotate, merge, agreement, consistency."""
from pathlib import Path
from typing import List, Optional

import srsly
import typer

from geoner.cli import app
from geoner.cli._util import fails_cleanly
from geoner.data.corpus import load_corpus
from geoner.data.jsonl import write_text_atomic
from geoner.data.validate import load_valid_tasks
from geoner.evaluate.scoring import format_table
from geoner.loop.agreement import agreement
from geoner.loop.consistency import unmarked_mentions
from geoner.loop.merge import merge_files
from geoner.loop.preannotate import preannotate_file


@app.command("preannotate")
@fails_cleanly
def preannotate_cmd(
    model: str = typer.Argument(..., help="Installed package name (en_geopolitics_ner) or pipeline path."),
    source: Path = typer.Argument(..., help="Folder of .txt articles, or JSONL with a 'text' per line.", exists=True),
    output: Path = typer.Option(..., "--output", "-o", help="Task JSONL to write (for the annotation page, Prodigy or by hand).", dir_okay=False),
    corpus: List[Path] = typer.Option([], help="Corpus JSONL whose texts are skipped; repeatable.", exists=True, dir_okay=False),
    batch_size: int = typer.Option(64, help="Texts per nlp.pipe batch.", min=1),
    patterns: Optional[Path] = typer.Option(None, help="Pattern JSONL whose matches are added where the model found nothing.", exists=True, dir_okay=False),
):
    """Suggest entities for every new paragraph as ner_manual tasks; texts already in the corpus are skipped."""
    stats = preannotate_file(model, source, output, corpus, patterns, batch_size)
    typer.echo(f"✔ Wrote {stats['tasks']:,} tasks ({stats['spans']:,} suggested spans) to {output}; "
               f"skipped {stats['skipped']:,} already in the corpus")


@app.command("merge")
@fails_cleanly
def merge_cmd(
    reviewed: List[Path] = typer.Argument(..., help="Reviewed JSONL files, or folders of them (db-out exports, page answers).", exists=True),
    target: Path = typer.Option(Path("corpus/reviewed.jsonl"), help="Corpus file the accepted tasks go into.", dir_okay=False),
    corpus: List[Path] = typer.Option([], help="Other corpus files, read only to find known texts; repeatable.", exists=True, dir_okay=False),
    conflicts: Path = typer.Option(Path("corpus/conflicts.jsonl"), help="Where disagreeing versions are kept.", dir_okay=False),
    update: bool = typer.Option(False, "--update", help="Let an agreed review replace a differing entry of TARGET."),
):
    """Keep accepted tasks, count rejects and ignores, deduplicate by _input_hash, and never
    overwrite silently: disagreements go to CONFLICTS and the corpus keeps its version."""
    c = merge_files(reviewed, target, corpus, conflicts, update)
    typer.echo(f"✔ Merged {c['reviewed']:,} reviewed tasks into {target}: added {c['added']}, "
               f"updated {c['updated']}, unchanged {c['unchanged']}, conflicts {c['conflicts']} "
               f"({c['conflicts_written']} new in {conflicts}), rejected {c['rejected']}, ignored {c['ignored']}, "
               f"superseded {c['superseded']}, withdrawn {c['withdrawn']}")
    if c["foreign_hashes"]:
        typer.echo(f"  {c['foreign_hashes']} reviewed task(s) carried another tool's hashes: matched by text, "
                   f"given this project's hashes, the originals kept in meta.foreign_hashes")


@app.command("agreement")
@fails_cleanly
def agreement_cmd(
    a: Path = typer.Argument(..., help="First annotation file (JSONL, validated).", exists=True, dir_okay=False),
    b: Path = typer.Argument(..., help="Second annotation file of the same texts.", exists=True, dir_okay=False),
    output: Optional[Path] = typer.Option(None, help="Write the figures as JSON here.", dir_okay=False),
):
    """Strict span F1 per label and overall, and token-level Cohen's kappa, between two passes."""
    ta = [(f"{p}:{n}", t) for p, n, t in load_valid_tasks([a])]
    tb = [(f"{p}:{n}", t) for p, n, t in load_valid_tasks([b])]
    result = agreement(ta, tb)
    if output:
        write_text_atomic(output, srsly.json_dumps(result, indent=2))
    typer.echo(format_table(result["span_f1"]))
    typer.echo(f"✔ {result['texts']} shared texts, {result['tokens']:,} tokens: span F1 "
               f"{result['span_f1']['f']:.3f}, token kappa {result['token_kappa']:.3f}")


@app.command("consistency")
@fails_cleanly
def consistency_cmd(
    inputs: List[Path] = typer.Argument(..., help="Corpus JSONL files.", exists=True, dir_okay=False),
    output: Optional[Path] = typer.Option(None, help="Also write the findings as JSON here.", dir_okay=False),
):
    """Forms annotated in one paragraph and bare in another: FILE:PARAGRAPH: form (LABEL) | text.
    Review each: a missed mention or a real negative."""
    tasks = load_corpus(inputs)
    hits = unmarked_mentions(tasks)
    for form, label, t in hits:
        typer.echo(f"{t['meta']['file']}:{t['meta']['paragraph']}: {form!r} ({label}) | {t['text'][:150]}")
    if output:
        rows = [{"form": f, "label": l, "file": t["meta"]["file"], "paragraph": t["meta"]["paragraph"]} for f, l, t in hits]
        write_text_atomic(output, srsly.json_dumps({"tasks": len(tasks), "bare": rows}, indent=2))
    typer.echo(f"✔ {len(hits)} bare occurrences of annotated forms in {len(tasks)} tasks")
