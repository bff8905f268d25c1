"""What every command shares: bad input ends in ``FILE:LINE: reason`` and exit 1, never a traceback."""
import functools
import os
import sys
from pathlib import Path
from typing import Dict, List

import click
import typer

from geoner import DataError, ValidationFailed


def fails_cleanly(func):
    """Wrap a command so that data problems print one line each on stderr and exit with 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, click.exceptions.ClickException, click.exceptions.Exit):
            raise  # a command's own exit code and typer's usage errors pass through
        except ValidationFailed as err:
            for problem in err.problems:
                typer.echo(problem, err=True)
            typer.echo(f"✘ {len(err.problems)} problem(s); no file was changed", err=True)
        except DataError as err:
            typer.echo(str(err), err=True)
            typer.echo("✘ no file was changed", err=True)
        except (OSError, ValueError) as err:
            where = getattr(err, "filename", None)
            typer.echo(f"{where}:0: {err.strerror}" if where and getattr(err, "strerror", None) else f"error: {err}",
                       err=True)
        except Exception as err:  # noqa: BLE001
            # A last resort, so that a case the checks missed still ends in one readable line;
            # GEONER_DEBUG=1 shows the traceback for a bug report.
            if os.environ.get("GEONER_DEBUG"):
                raise
            typer.echo(f"✘ unexpected {type(err).__name__}: {err} (a bug: please report it with the input; "
                       "GEONER_DEBUG=1 shows the traceback)", err=True)
        sys.exit(1)

    return wrapper


def named_paths(specs: List[str]) -> Dict[str, Path]:
    """``NAME=PATH`` options as {NAME: PATH}."""
    out = {}
    for spec in specs:
        name, sep, path = spec.partition("=")
        if not sep or not name or not path:
            raise ValueError(f"expected NAME=PATH, got {spec!r}")
        out[name] = Path(path)
    return out
