"""Everything about annotation data: JSONL I/O, tasks and hashing, validation, inline markup,
splits, corpus loading and statistics, and other tools' formats."""
