"""Which geoner modules a `python -m geoner COMMAND` runs, found by reading the code.

A command's modules are: the package roots it passes through, the CLI helper module, the CLI
module that defines it, and every geoner module reachable from the names its function body
uses, followed through imports. project.yml must list all of them as the step's deps.
"""
import ast
from pathlib import Path
from typing import Dict, Set

ROOT = Path(__file__).resolve().parent.parent


def _path(module: str):
    base = ROOT / module.replace(".", "/")
    for p in (base.with_suffix(".py"), base / "__init__.py"):
        if p.exists():
            return p
    return None


def _bindings(tree) -> Dict[str, str]:
    """Module-level names bound by ``from geoner.x import name`` or ``import geoner.x``."""
    out = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("geoner"):
            for a in node.names:
                full = f"{node.module}.{a.name}"
                out[a.asname or a.name] = full if _path(full) else node.module
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("geoner"):
                    out[a.asname or a.name.split(".")[0]] = a.name
    return out


def _imports(path: Path) -> Set[str]:
    mods = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("geoner"):
            mods.add(node.module)
            mods.update(f"{node.module}.{a.name}" for a in node.names if _path(f"{node.module}.{a.name}"))
        elif isinstance(node, ast.Import):
            mods.update(a.name for a in node.names if a.name.startswith("geoner"))
    return {m for m in mods if not m.startswith("geoner.cli")}


def _with_parents(module: str) -> Set[str]:
    parts = module.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts) + 1)}


def module_closure(modules) -> Set[str]:
    """Every geoner module file reachable from ``modules``, as repo-relative paths."""
    seen, todo = set(), [m for mod in modules for m in _with_parents(mod)]
    while todo:
        mod = todo.pop()
        path = _path(mod)
        if path is None or path in seen:
            continue
        seen.add(path)
        for m in _imports(path):
            todo.extend(_with_parents(m))
    return {str(p.relative_to(ROOT)) for p in seen}


def command_modules(command: str) -> Set[str]:
    """The module files behind ``python -m geoner COMMAND``."""
    for cli_file in sorted((ROOT / "geoner" / "cli").glob("*.py")):
        tree = ast.parse(cli_file.read_text(encoding="utf-8"))
        bound = _bindings(tree)
        for fn in tree.body:
            if not isinstance(fn, ast.FunctionDef):
                continue
            names = [d for d in fn.decorator_list if isinstance(d, ast.Call) and getattr(d.func, "attr", "") == "command"]
            if not names or not names[0].args or names[0].args[0].value != command:
                continue
            used = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name)}
            local = {node.module for node in ast.walk(fn) if isinstance(node, ast.ImportFrom)
                     and node.module and node.module.startswith("geoner")}
            mods = {bound[n] for n in used if n in bound} | local
            module = "geoner.cli." + cli_file.stem
            return module_closure(mods | {"geoner.cli._util"}) | {str(cli_file.relative_to(ROOT)),
                                                                  "geoner/cli/__init__.py", "geoner/__main__.py"}
    raise KeyError(f"no command {command!r} in geoner/cli")
