"""Seeded, grouped splits. Near-duplicate paragraphs (a caption repeated with a different photo
credit, say) share a group, so twins can never land in different splits."""
import re
from typing import Dict, List, Sequence

import numpy as np

WORD_RE = re.compile(r"\w+")
NEAR_DUP_JACCARD = 0.8


def _words(text: str) -> frozenset:
    return frozenset(w.lower() for w in WORD_RE.findall(text))


def near_duplicate_groups(texts: Sequence[str], threshold: float = NEAR_DUP_JACCARD) -> List[int]:
    """Group ids such that texts whose word sets overlap by Jaccard >= threshold share one."""
    parent = list(range(len(texts)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sets = [_words(t) for t in texts]
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            a, b = sets[i], sets[j]
            # Cheap length bound first: Jaccard can't reach the threshold if sizes differ too much.
            if not a or not b or min(len(a), len(b)) < threshold * max(len(a), len(b)):
                continue
            if len(a & b) / len(a | b) >= threshold:
                parent[find(i)] = find(j)
    roots = {}
    return [roots.setdefault(find(i), len(roots)) for i in range(len(texts))]


def split_tasks(tasks: List[dict], ratios: Dict[str, float], seed: int) -> Dict[str, List[dict]]:
    """Split tasks into train/dev/test by the given ratios, grouped by near-duplicate text.

    tasks: the tasks of one source (the seed article, or the authored corpus).
    ratios: fractions for "train", "dev" and "test"; they must sum to 1.
    seed: random state for scikit-learn's GroupShuffleSplit.
    """
    if abs(sum(ratios.values()) - 1.0) > 1e-6 or set(ratios) != {"train", "dev", "test"}:
        raise ValueError(f"split ratios must be train/dev/test summing to 1, got {ratios}")
    out = {"train": [], "dev": [], "test": []}
    if not tasks:
        return out
    groups = np.array(near_duplicate_groups([t["text"] for t in tasks]))
    idx = np.arange(len(tasks))
    rest, test = _group_cut(idx, groups, ratios["test"], seed)
    dev_share = ratios["dev"] / (ratios["train"] + ratios["dev"]) if ratios["dev"] else 0.0
    train, dev = _group_cut(rest, groups[rest], dev_share, seed)
    for name, part in (("train", train), ("dev", dev), ("test", test)):
        out[name] = [tasks[i] for i in sorted(part)]
    return out


def _group_cut(idx, groups, share, seed):
    # Imported here: scikit-learn takes seconds to import, and most commands never split.
    from sklearn.model_selection import GroupShuffleSplit

    if share <= 0 or len(set(groups)) < 2:
        return idx, idx[:0]
    splitter = GroupShuffleSplit(n_splits=1, test_size=share, random_state=seed)
    keep, cut = next(splitter.split(idx, groups=groups))
    return idx[keep], idx[cut]


def kfold_indices(tasks: List[dict], k: int, seed: int):
    """Yield (train_idx, test_idx) for k grouped folds; groups are shuffled with the seed so
    fold membership is reproducible but not tied to file order."""
    from sklearn.model_selection import GroupKFold

    groups = np.array(near_duplicate_groups([t["text"] for t in tasks]))
    rng = np.random.RandomState(seed)
    relabel = rng.permutation(groups.max() + 1)
    yield from GroupKFold(n_splits=k).split(np.zeros(len(tasks)), groups=relabel[groups])
