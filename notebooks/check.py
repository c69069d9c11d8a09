"""Run every notebook in this folder top to bottom, as a reader would, and fail on any error.

A notebook must be committed without outputs: they would go stale, and a notebook's outputs
are where personal data could slip into the repository. Usage, from the project's folder:

    python notebooks/check.py            # every notebook
    python notebooks/check.py FILE ...   # the ones named
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

HERE = Path(__file__).resolve().parent


def committed_clean(path: Path, notebook) -> list[str]:
    """Problems with the notebook as committed: outputs or execution counts left in."""
    return [
        f"{path.name}: cell {i + 1} has saved outputs; clear them before committing"
        for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]


def main(args: list[str]) -> int:
    paths = [Path(a).resolve() for a in args] or sorted(HERE.glob("*.ipynb"))
    if not paths:
        print("no notebooks found", file=sys.stderr)
        return 1
    failed = 0
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        problems = committed_clean(path, notebook)
        if problems:
            print("\n".join(problems), file=sys.stderr)
            failed += 1
            continue
        started = time.monotonic()
        client = NotebookClient(
            notebook,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        )
        try:
            client.execute()
        except CellExecutionError as error:
            print(f"{path.name}: a cell failed\n{error}", file=sys.stderr)
            failed += 1
            continue
        cells = sum(1 for c in notebook.cells if c.cell_type == "code")
        print(f"{path.name}: {cells} code cells ran in {time.monotonic() - started:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
