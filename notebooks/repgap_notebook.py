"""Small helpers the notebooks share: find the project, run repgap, read its tables.

The notebooks read repgap's outputs only (aggregates, with withheld figures marked ``[c]``),
never workforce or survey rows.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import polars as pl

#: The project's top folder: the one holding ``Cargo.toml``, above this file.
ROOT = Path(__file__).resolve().parent.parent

#: Where the notebooks write their runs: inside ``target/``, which git ignores.
RUNS = ROOT / "target" / "notebooks"


def repgap_command() -> list[str]:
    """How to call repgap: ``$REPGAP`` if set, a ``repgap`` on the PATH, the debug build of
    this project, or else ``cargo run`` (which builds it first)."""
    if os.environ.get("REPGAP"):
        return [os.environ["REPGAP"]]
    if shutil.which("repgap"):
        return ["repgap"]
    built = ROOT / "target" / "debug" / "repgap"
    if built.exists():
        return [str(built)]
    return ["cargo", "run", "--quiet", "--manifest-path", str(ROOT / "Cargo.toml"), "--"]


def repgap(*args: str, show: bool = True) -> str:
    """Run repgap from the project's folder (the bundled datasets are named relative to it)
    and return what it printed. A failure raises with repgap's own message, which names the
    file, row and column at fault."""
    result = subprocess.run(
        [*repgap_command(), *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1774915200"},
    )
    if result.returncode != 0:
        raise RuntimeError(f"repgap exited with {result.returncode}:\n{result.stderr}")
    if show:
        print(result.stderr, end="")
    return result.stdout


def run_folder(name: str) -> Path:
    """A folder for one notebook's run, emptied of an earlier run's files by repgap itself
    (it replaces only folders it wrote)."""
    RUNS.mkdir(parents=True, exist_ok=True)
    return RUNS / name


def read_table(source: str | Path) -> pl.DataFrame:
    """One of repgap's CSVs (a path, or the text ``--format csv`` printed) as a polars
    DataFrame. ``[c]`` marks a withheld figure: it becomes null, so it can never be mistaken
    for a number, and every column is typed from the whole file."""
    if isinstance(source, Path):
        source = source.read_text(encoding="utf-8-sig")
    return pl.read_csv(io.StringIO(source), null_values=["[c]"], infer_schema_length=None)


def percent(column: str, decimals: int = 1) -> pl.Expr:
    """A share (a fraction, as repgap writes it) shown as a percentage."""
    return (pl.col(column) * 100).round(decimals).alias(column.replace("share", "%"))
