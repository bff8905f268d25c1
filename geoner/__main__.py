"""``python -m geoner``: the project's command line."""
from geoner.cli import app

app(prog_name="python -m geoner")
