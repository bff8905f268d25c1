"""Commands on a trained pipeline: evaluate, score held-out sets, robustness, package metadata."""
from pathlib import Path
from typing import List, Optional

import spacy
import srsly
import typer

from geoner.cli import app
from geoner.cli._util import fails_cleanly, named_paths
from geoner.data.jsonl import write_text_atomic
from geoner.evaluate.errors import errors_markdown
from geoner.evaluate.gold import analyse, docbin_docs, existing_sets, jsonl_gold, load_gold
from geoner.evaluate.report import side_by_side
from geoner.evaluate.robustness import robustness_table, run_robustness, summarize_robustness
from geoner.evaluate.scoring import doc_spans, format_table
from geoner.pipeline.packaging import SOURCES, build_meta, pipeline_labels


def write_analysis(metrics_dir: Path, name: str, scores: dict, errors: dict, title: str) -> None:
    """METRICS_DIR/<name>.json (scores and interval) and errors_<name>.json/.md."""
    metrics_dir = Path(metrics_dir)
    write_text_atomic(metrics_dir / f"{name}.json", srsly.json_dumps(scores, indent=2))
    write_text_atomic(metrics_dir / f"errors_{name}.json", srsly.json_dumps(errors, indent=2))
    write_text_atomic(metrics_dir / f"errors_{name}.md", errors_markdown(errors, title))
    ci = scores["ci95"]
    typer.echo(f"== {name} ({title})\n{format_table(scores)}\n"
               f"micro F {scores['f']:.3f}, 95% bootstrap interval {ci['low']:.3f}-{ci['high']:.3f} "
               f"({ci['resamples']} resamples of paragraphs)")


MODEL = typer.Argument(..., help="Pipeline path or installed package name.")
RESAMPLES = typer.Option(1000, help="Bootstrap resamples of paragraphs for the 95% interval of micro F.", min=10)
CI_SEED = typer.Option(0, help="Seed of the bootstrap.")
TOP = typer.Option(15, help="Surface forms kept per label in each error list.", min=1)


@app.command("evaluate")
@fails_cleanly
def evaluate_cmd(
    model: str = MODEL,
    data: List[Path] = typer.Argument(..., help="DocBin files; each gets METRICS_DIR/<stem>.json and errors_<stem>.json/.md.", exists=True, dir_okay=False),
    metrics_dir: Path = typer.Option(Path("metrics"), help="Where the JSON and markdown files go.", file_okay=False),
    html: Path = typer.Option(Path("metrics/report.html"), help="Side-by-side report of the first file.", dir_okay=False),
    resamples: int = RESAMPLES,
    ci_seed: int = CI_SEED,
    top: int = TOP,
):
    """Strict P/R/F per label and overall with a bootstrap interval, the commonest errors per
    label, and gold and predicted entities side by side in HTML."""
    nlp = spacy.load(model)
    for i, path in enumerate(data):
        gold = docbin_docs(path, nlp.vocab)
        scores, errors, pred = analyse(nlp, [d.text for d in gold], [doc_spans(d) for d in gold],
                                       resamples, ci_seed, top)
        write_analysis(metrics_dir, path.stem, scores, errors, f"{len(gold)} texts of {path}")
        if i == 0:
            write_text_atomic(html, side_by_side(gold, pred, f"{model} on {path}"))
    typer.echo(f"✔ Wrote {len(data)} metrics and error files to {metrics_dir} and the report to {html}")


@app.command("score-dev")
@fails_cleanly
def score_dev_cmd(
    model: str = MODEL,
    data: List[str] = typer.Option(..., "--data", help="NAME=PATH of a {text, spans} JSONL set; repeat; absent files are skipped."),
    metrics_dir: Path = typer.Option(Path("metrics/shared"), help="Where <NAME>.json and errors_<NAME>.json/.md go (keep it out of git: errors quote the texts).", file_okay=False),
    resamples: int = RESAMPLES,
    ci_seed: int = CI_SEED,
    top: int = TOP,
):
    """Score held-out development sets with this project's strict scorer, with per-label errors;
    a set whose file is absent is skipped with a message."""
    present = existing_sets(named_paths(data), log=typer.echo)
    # The folder is the step's declared output, so it exists even when no set is present.
    Path(metrics_dir).mkdir(parents=True, exist_ok=True)
    if not present:
        return
    nlp = spacy.load(model)
    for name, path in present.items():
        texts, gold = jsonl_gold(path)
        scores, errors, _ = analyse(nlp, texts, gold, resamples, ci_seed, top)
        write_analysis(metrics_dir, name, scores, errors, f"{len(texts)} texts of {path}")
    typer.echo(f"✔ Scored {len(present)} set(s); wrote {metrics_dir}")


@app.command("robustness")
@fails_cleanly
def robustness_cmd(
    model: str = MODEL,
    data: List[Path] = typer.Argument(..., help="DocBin files (.spacy) or {text, spans} JSONL files to perturb.", exists=True, dir_okay=False),
    also: List[str] = typer.Option([], help="Another pipeline of the same config (another training seed); figures become mean ± sd; repeat."),
    output: Path = typer.Option(Path("metrics/robustness.json"), help="JSON results.", dir_okay=False),
    table: Optional[Path] = typer.Option(None, help="Also write the markdown table here.", dir_okay=False),
    per_doc: int = typer.Option(10, help="Paragraphs per document in the joined case.", min=2),
):
    """F on each set as it is, lower-cased, upper-cased, with quotes and dashes swapped and with
    paragraphs joined into long documents, and the drop against the original."""
    sets = {path.stem: load_gold(path) for path in data}
    models = [model, *also]
    runs = [run_robustness(spacy.load(name), sets, per_doc) for name in models]
    summary = summarize_robustness(runs)
    write_text_atomic(output, srsly.json_dumps({"models": models, "per_doc": per_doc, "summary": summary,
                                                "runs": runs}, indent=2))
    text = robustness_table(summary, len(models))
    if table:
        write_text_atomic(table, text + "\n")
    typer.echo(text)
    typer.echo(f"✔ Wrote {output}")


@app.command("package-meta")
@fails_cleanly
def package_meta_cmd(
    output: Path = typer.Argument(..., help="meta.json to write.", dir_okay=False),
    metrics: List[Path] = typer.Argument(..., help="metrics/*.json files from evaluate.", exists=True, dir_okay=False),
    model: Path = typer.Option(..., help="The trained pipeline being packaged; its components give the labels.",
                               exists=True, file_okay=False),
    name: str = typer.Option("geopolitics_ner", help="Package name without the language prefix."),
    version: str = typer.Option("0.1.0", help="Package version."),
    url: str = typer.Option(..., help="Where the project lives (its repository address once published)."),
):
    """Collect labels, licence, sources and measured scores into the meta that `spacy package` uses."""
    labels = pipeline_labels(spacy.load(model))
    meta = build_meta(name, version, metrics, SOURCES, labels, url)
    write_text_atomic(output, srsly.json_dumps(meta, indent=2))
    typer.echo(f"✔ Wrote package meta for en_{name} {version} ({len(metrics)} metrics files; labels of "
               f"{', '.join(labels)}) to {output}")
