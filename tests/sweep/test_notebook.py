"""notebooks/sweep_and_sensitivity.ipynb runs from top to bottom (at a tiny scale)."""

from __future__ import annotations

import pytest

from .conftest import REPO

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOK = REPO / "notebooks" / "sweep_and_sensitivity.ipynb"


def test_notebook_runs_at_a_tiny_scale(tmp_path, monkeypatch):
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel draws inline, whatever this shell set
    nb = nbformat.read(NOTEBOOK, as_version=4)
    [params] = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    params.source = (
        'SCALE = 20000.0\nEND = "2024-06"\nLHS_POINTS = 10\nSOBOL_N = 2\nREPLICATES = 1\n'
        f"ISHIGAMI_N = 64\nWORKERS = 1\nOUT = {str(tmp_path / 'out')!r}\n"
    )
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 2  # the scatter plots and the Sobol bar chart
    assert len(list((tmp_path / "out" / "lhs" / "runs").iterdir())) == 10
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    # the Sobol cell reports SALib's sanity checks either way; N = 2 is far too small to pass them
    assert "raise N (points)" in printed
    tables = "".join(o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "pawn_median" in tables  # the LHS's given-data indices
    assert len(list((tmp_path / "out" / "sobol" / "runs").iterdir())) == 2 * (5 + 2)
