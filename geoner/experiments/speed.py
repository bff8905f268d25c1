"""Words per second of several pipelines, measured fairly on a shared machine."""
import time
from typing import Dict, List

from tqdm import tqdm


def measure_speed(pipelines: Dict[str, object], texts: List[str], rounds: int = 7) -> Dict[str, dict]:
    """Words per second of each pipeline on the same texts.

    The pipelines take turns, round after round, and each keeps its median round, so a slow
    spell on a shared machine hits all of them alike instead of deciding one row.
    """
    runs: Dict[str, List[dict]] = {name: [] for name in pipelines}
    for nlp in pipelines.values():
        list(nlp.pipe(texts[:20]))  # warm-up
    turns = tqdm(total=rounds * len(pipelines), desc="timing", unit=" runs")
    for _ in range(rounds):
        for name, nlp in pipelines.items():
            turns.update()  # before the clock starts, so drawing the bar is not timed
            t0 = time.perf_counter()
            words = sum(len(doc) for doc in nlp.pipe(texts))
            runs[name].append({"words": words, "seconds": time.perf_counter() - t0})
    turns.close()
    out = {}
    for name, rs in runs.items():
        mid = sorted(rs, key=lambda r: r["seconds"])[len(rs) // 2]
        out[name] = {**mid, "wps": mid["words"] / mid["seconds"], "rounds": rounds}
    return out
