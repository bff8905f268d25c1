"""Training pipelines from Python with spaCy's own loop, for the experiments."""
from pathlib import Path
from typing import Dict, Optional

from spacy.cli.train import train as spacy_train

import geoner.pipeline.registry  # noqa: F401  (registers the config callbacks and readers)


def train_pipeline(config: Path, output: Path, train: Path, dev: Path, overrides: Optional[Dict] = None) -> Path:
    """Train with spaCy's own loop and return the model-best path.

    config: the training config.
    output: folder for model-best and model-last.
    train, dev: DocBin files.
    overrides: config dot-paths and values; spaCy's console logger prints progress as it trains.
    """
    overrides = {"paths.train": str(train), "paths.dev": str(dev), **(overrides or {})}
    spacy_train(config, output, use_gpu=-1, overrides=overrides)
    return Path(output) / "model-best"


def dir_size_mb(path: Path) -> float:
    """Total size of the files below ``path`` in MB."""
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 1e6
