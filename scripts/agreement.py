"""Inter-annotator agreement between two annotation files of the same texts."""
from pathlib import Path

import srsly
import typer

from geoner import DataError, ValidationFailed
from geoner.agreement import agreement
from geoner.scoring import format_table
from geoner.validate import load_valid_tasks


def main(
    a: Path = typer.Argument(..., help="First annotation file (JSONL, validated)."),
    b: Path = typer.Argument(..., help="Second annotation file of the same texts."),
    output: Path = typer.Option(None, help="Write the figures as JSON here."),
):
    """Strict span F1 per label and overall, and token-level Cohen's kappa (scikit-learn)."""
    try:
        ta = [(f"{p}:{n}", t) for p, n, t in load_valid_tasks([a])]
        tb = [(f"{p}:{n}", t) for p, n, t in load_valid_tasks([b])]
        result = agreement(ta, tb)
    except (ValidationFailed, DataError) as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(1)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        srsly.write_json(output, result)
    typer.echo(format_table(result["span_f1"]))
    typer.echo(f"✔ {result['texts']} shared texts, {result['tokens']:,} tokens: span F1 "
               f"{result['span_f1']['f']:.3f}, token kappa {result['token_kappa']:.3f}")


if __name__ == "__main__":
    typer.run(main)
