"""project.yml lists, for every `python -m geoner CMD` step, the modules that CMD runs."""
import shlex

import srsly

from deps import command_modules
from conftest import ROOT

PROJECT = srsly.read_yaml(ROOT / "project.yml")
STATIC = {f"geoner/loop/annotate/static/{n}" for n in ("index.html", "app.js", "style.css")}


def geoner_commands(command):
    for line in command["script"]:
        words = shlex.split(line)
        if words[:3] == ["python", "-m", "geoner"]:
            yield words[3]


def test_every_geoner_step_lists_its_modules_as_deps():
    missing = {}
    for command in PROJECT["commands"]:
        for name in geoner_commands(command):
            lacking = sorted(command_modules(name) - set(command.get("deps", [])))
            if lacking:
                missing[command["name"]] = lacking
    assert missing == {}


def test_page_commands_list_the_page_files():
    for command in PROJECT["commands"]:
        if {"annotate", "bench-annotate"} & set(geoner_commands(command)):
            assert STATIC <= set(command["deps"]), command["name"]
