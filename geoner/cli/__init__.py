"""One command line for the whole project, ``python -m geoner COMMAND``, in the style of spaCy's
CLI: each command is a thin wrapper over a function that returns data, which the tests call."""
import typer

app = typer.Typer(
    name="geoner",
    help="Corpus, training, evaluation and annotation tools for the en_geopolitics_ner project. "
         "Every command has --help; bad input stops with FILE:LINE: reason and exit code 1.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Importing the modules registers their commands on ``app``.
from geoner.cli import annotate, archive, corpus, experiments, interop, loop, model  # noqa: E402,F401
