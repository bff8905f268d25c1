"""A first look at a tagged archive, from its part files with pandas: the top canonical names
per label, mentions per month where the input had a date, and which officials co-occur with
which summits, and which blocs with which sanctions, within one paragraph."""
from pathlib import Path
from typing import Dict, List, Optional

import pandas as pd
import pyarrow.parquet as pq
import srsly

from geoner import LABELS, DataError
from geoner.archive.parts import MANIFEST, part_files
from geoner.data.jsonl import atomic_path, write_text_atomic

COLUMNS = ["doc_id", "paragraph", "label", "canonical"]
PAIRS = {"officials_x_summits": ("OFFICIAL", "SUMMIT"), "blocs_x_sanctions": ("BLOC", "SANCTION")}


def read_mentions(out_dir, date_column: str = "date") -> pd.DataFrame:
    """The mention rows of every part file in OUT_DIR (Parquet or JSONL, from either engine),
    only the columns the summary uses. Parts may differ in metadata columns (JSONL input whose
    records have different fields), so they are read one by one and stacked."""
    files = part_files(out_dir)
    if not files:
        raise DataError(out_dir, 0, "no part-*.parquet or part-*.jsonl files; run `tag` first")
    frames = []
    for path in files:
        if path.suffix == ".parquet":
            names = pq.ParquetFile(path).schema_arrow.names
            frame = pd.read_parquet(path, columns=[c for c in COLUMNS + [date_column] if c in names])
        elif path.stat().st_size:
            frame = pd.read_json(path, lines=True, dtype={"doc_id": str, "canonical": str, date_column: str})
            frame = frame[[c for c in COLUMNS + [date_column] if c in frame.columns]]
        else:
            continue  # a JSONL part of documents without a mention
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(frames, ignore_index=True)


def top_names(df: pd.DataFrame, n: int) -> Dict[str, List[dict]]:
    counts = df.groupby("label")["canonical"].value_counts()
    return {label: [{"name": name, "mentions": int(c)} for name, c in counts[label].head(n).items()]
            if label in counts.index.get_level_values(0) else [] for label in LABELS}


def per_month(df: pd.DataFrame, date_column: str) -> Optional[pd.DataFrame]:
    """Mentions per month and label, or None when there is no parseable date."""
    if date_column not in df.columns:
        return None
    dates = pd.to_datetime(df[date_column], errors="coerce", utc=True, format="mixed")
    if dates.notna().sum() == 0:
        return None
    month = dates.dt.tz_localize(None).dt.to_period("M").astype(str)
    table = pd.crosstab(month[dates.notna()], df.loc[dates.notna(), "label"])
    return table.reindex(columns=list(LABELS), fill_value=0)


def co_mentions(df: pd.DataFrame, left: str, right: str, n: int) -> pd.DataFrame:
    """Paragraphs in which each LEFT name and RIGHT name both occur, for the N most frequent
    names on each side."""
    key = ["doc_id", "paragraph"]
    a = df.loc[df["label"] == left, key + ["canonical"]].drop_duplicates()
    b = df.loc[df["label"] == right, key + ["canonical"]].drop_duplicates()
    pairs = a.merge(b, on=key, suffixes=(f"_{left}", f"_{right}"))
    if pairs.empty:
        return pd.DataFrame()
    table = pd.crosstab(pairs[f"canonical_{left}"], pairs[f"canonical_{right}"])
    rows = table.sum(axis=1).sort_values(ascending=False, kind="stable").index[:n]
    cols = table.sum(axis=0).sort_values(ascending=False, kind="stable").index[:n]
    return table.loc[rows, cols]


def summarize(out_dir, report_dir, top: int = 15, date_column: str = "date") -> dict:
    """Write REPORT_DIR/summary.json and PNG charts for the tagged archive in OUT_DIR; return the summary.

    out_dir: the OUTPUT_DIR of `tag`.
    report_dir: where summary.json and the charts go.
    top: names per label in the top lists and per side in the co-mention tables.
    date_column: metadata column with the article date, for mentions per month.
    """
    df = read_mentions(out_dir, date_column)
    run = srsly.read_json(Path(out_dir) / MANIFEST).get("summary", {}) if (Path(out_dir) / MANIFEST).exists() else {}
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    summary = {
        "mentions": int(len(df)),
        "docs_with_mentions": int(df["doc_id"].nunique()),
        "mentions_per_label": {label: int(df["label"].eq(label).sum()) for label in LABELS},
        "run": {k: run[k] for k in ("docs", "docs_without_mentions", "mentions", "errors") if k in run},
        "top": top_names(df, top),
        "charts": {},
    }
    summary["charts"]["top"] = _plot_top(summary["top"], report_dir / "top_names.png")
    months = per_month(df, date_column)
    summary["per_month"] = None if months is None else {m: {l: int(v) for l, v in row.items()}
                                                         for m, row in months.iterrows()}
    if months is not None:
        summary["charts"]["per_month"] = _plot_months(months, report_dir / "mentions_per_month.png")
    summary["co_mentions"] = {}
    for name, (left, right) in PAIRS.items():
        table = co_mentions(df, left, right, top)
        summary["co_mentions"][name] = [{left.lower(): r, right.lower(): c, "paragraphs": int(v)}
                                        for (r, c), v in table.stack().items() if v > 0] if not table.empty else []
        if not table.empty:
            summary["charts"][name] = _plot_table(table, report_dir / f"{name}.png", left, right)
    write_text_atomic(report_dir / "summary.json", srsly.json_dumps(summary, indent=2))
    return summary


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig, path: Path) -> None:
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=100)
    _plt().close(fig)


def _plot_top(top: Dict[str, List[dict]], path: Path) -> str:
    plt = _plt()
    fig, axes = plt.subplots(2, 2, figsize=(13, 9))
    for ax, label in zip(axes.flat, LABELS):
        items = top[label][::-1]
        ax.barh([i["name"][:40] for i in items], [i["mentions"] for i in items], color="#4c72b0")
        ax.set_title(f"{label}: top canonical names")
        ax.tick_params(axis="y", labelsize=8)
    fig.tight_layout()
    _save(fig, path)
    return path.name


def _plot_months(months: pd.DataFrame, path: Path) -> str:
    _plt()  # pandas draws with pyplot: the Agg backend must be chosen first (no display on servers)
    ax = months.plot(kind="line", marker="o", figsize=(11, 5), title="Mentions per month")
    ax.set_xlabel("month")
    ax.set_ylabel("mentions")
    ax.figure.tight_layout()
    _save(ax.figure, path)
    return path.name


def _plot_table(table: pd.DataFrame, path: Path, left: str, right: str) -> str:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(2 + 0.6 * len(table.columns), 2 + 0.35 * len(table.index)))
    ax.imshow(table.to_numpy(), cmap="Blues", aspect="auto")
    ax.set_xticks(range(len(table.columns)), [str(c)[:30] for c in table.columns], rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(table.index)), [str(r)[:30] for r in table.index], fontsize=8)
    for (i, j), v in pd.DataFrame(table.to_numpy()).stack().items():
        if v:
            ax.text(j, i, int(v), ha="center", va="center", fontsize=7)
    ax.set_title(f"Paragraphs naming both: {left} x {right}")
    fig.tight_layout()
    _save(fig, path)
    return path.name
