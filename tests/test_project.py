"""project.yml is complete: every step lists the geoner modules it runs among its deps, every
CLI command has a step, and changing one module reruns exactly the steps that use it."""
import re
import shlex
import shutil

import pytest
import srsly

from conftest import ROOT, spacy_project
from deps import command_modules, module_closure

PROJECT = srsly.read_yaml(ROOT / "project.yml")
COMMANDS = {c["name"]: c for c in PROJECT["commands"]}
# Options whose value is a file or folder that the step writes.
WRITES = {"--output", "-o", "--output-dir", "--report", "--html", "--plot", "--metrics-dir", "--target", "--card",
          "--conflicts"}


def script_lines():
    for command in PROJECT["commands"]:
        for line in command["script"]:
            yield command, shlex.split(line)


def needed_modules(args):
    """The geoner module files a script line runs: a `python -m geoner` command, or the code
    that spaCy loads with --code."""
    if args[:3] == ["python", "-m", "geoner"]:
        return command_modules(args[3])
    if args[:3] == ["python", "-m", "spacy"] and "--code" in args:
        code = args[args.index("--code") + 1]
        return module_closure([code[:-len(".py")].replace("/", ".")])
    return set()


@pytest.mark.parametrize("command,args", [(c, a) for c, a in script_lines() if needed_modules(a)],
                         ids=[f"{c['name']}:{a[3]}" for c, a in script_lines() if needed_modules(a)])
def test_every_step_lists_the_modules_it_runs_among_its_deps(command, args):
    missing = needed_modules(args) - set(command.get("deps", []))
    assert not missing, f"{command['name']} runs {sorted(missing)} but does not list them as deps"


def test_training_steps_list_the_registry_and_what_it_imports():
    trains = [c for c, a in script_lines() if a[:4] == ["python", "-m", "spacy", "train"]]
    assert trains
    for command in trains:
        assert module_closure(["geoner.pipeline.registry"]) <= set(command["deps"]), command["name"]


@pytest.mark.parametrize("command,args", list(script_lines()), ids=[" ".join(a[:4]) for _, a in script_lines()])
def test_every_file_a_step_writes_is_among_its_outputs(command, args):
    outputs = [o.replace("${vars.lang}", PROJECT["vars"]["lang"]) for o in command.get("outputs", [])]
    for flag, value in zip(args, args[1:]):
        # `annotate --conflicts` is a switch, while `merge --conflicts FILE` names a file.
        if flag in WRITES and not value.startswith("-"):
            assert any(o == value or o.startswith(value.rstrip("/") + "/") for o in outputs), (command["name"], value)


def test_every_cli_command_has_a_project_step():
    defined = set(re.findall(r'@app\.command\("([\w-]+)"\)',
                             "".join(p.read_text(encoding="utf-8") for p in (ROOT / "geoner/cli").glob("*.py"))))
    used = {a[3] for _, a in script_lines() if a[:3] == ["python", "-m", "geoner"]}
    assert defined and defined == used


def test_all_workflow_builds_patterns_and_compiles_the_corpus_first():
    steps = PROJECT["workflows"]["all"]
    assert steps.index("compile") < steps.index("validate") and steps.index("build-patterns") < steps.index("train")


def ran_and_skipped(out: str):
    steps = re.findall(r"=+ ([\w-]+) =+", out)
    skipped = re.findall(r"Skipping '([\w-]+)': nothing changed", out)
    return [s for s in steps if s not in skipped], skipped


def test_changing_one_module_reruns_exactly_the_steps_that_depend_on_it(built_project, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(built_project, project)
    spacy_project(project, "all")  # up to date, whatever other tests did to the shared copy
    with (project / "geoner/evaluate/report.py").open("a", encoding="utf-8") as f:
        f.write("# a change that does not alter behaviour still counts as a change\n")
    ran, skipped = ran_and_skipped(spacy_project(project, "all"))
    # package follows evaluate because the metrics it packages are rewritten.
    assert ran == ["evaluate", "package"]
    assert skipped == ["compile", "build-patterns", "validate", "convert", "train"]
