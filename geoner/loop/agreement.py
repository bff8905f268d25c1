"""Agreement between two annotation passes over the same texts."""
from typing import List, Tuple

from geoner import DataError
from geoner.evaluate.scoring import strict_scores
from geoner.data.tasks import task_spans
from geoner.data.tasks import tokenizer


def token_labels(text: str, spans: List[dict]) -> List[str]:
    """One label per token ("O" outside spans), on the project tokenizer's tokens."""
    doc = tokenizer()(text)
    labels = ["O"] * len(doc)
    for s in spans:
        for tok in doc:
            if tok.idx >= s["start"] and tok.idx + len(tok) <= s["end"]:
                labels[tok.i] = s["label"]
    return labels


def agreement(a: List[Tuple[str, dict]], b: List[Tuple[str, dict]]) -> dict:
    """Strict span F1 per label (symmetric: A as reference, B as prediction) and token-level
    Cohen's kappa over the texts both files share.

    a, b: (origin, task) pairs; texts are matched by _input_hash.
    """
    ia = {t["_input_hash"]: t for _, t in a}
    ib = {t["_input_hash"]: t for _, t in b}
    shared = [k for k in ia if k in ib]
    if not shared:
        origin = a[0][0] if a else "?"
        raise DataError(origin.rsplit(":", 1)[0], 0, "the two files share no texts (_input_hash)")
    scores = strict_scores([task_spans(ia[k]) for k in shared], [task_spans(ib[k]) for k in shared])
    ta, tb = [], []
    for k in shared:
        ta += token_labels(ia[k]["text"], ia[k]["spans"])
        tb += token_labels(ib[k]["text"], ib[k]["spans"])
    from sklearn.metrics import cohen_kappa_score  # slow to import; only this command needs it

    kappa = cohen_kappa_score(ta, tb) if len(set(ta) | set(tb)) > 1 else 1.0
    return {"texts": len(shared), "only_in_a": len(ia) - len(shared), "only_in_b": len(ib) - len(shared),
            "tokens": len(ta), "span_f1": scores, "token_kappa": kappa}
