"""A local correction page for pre-annotated tasks, served from the package (no framework, nothing
fetched at run time): ``python -m geoner annotate TASKS.jsonl --annotator NAME``.

session.py keeps the tasks and the append-only answer file, conflicts.py walks the conflicts file,
server.py is the HTTP layer with its refusals, static/ holds the page and bench.py times it.
"""
