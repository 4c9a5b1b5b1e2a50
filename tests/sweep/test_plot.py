"""The README's sweep -> sensitivity -> plot path on a Latin hypercube, and the sweep figure's contents."""

from __future__ import annotations

import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection

from talentsim.cli import main
from talentsim.sweep import load_sweep, run_sweep
from talentsim.sweep.plot import binned_mean, plot_sweep

from .conftest import sweep_text, write_sweep

POINTS = 12


@pytest.fixture(scope="module")
def lhs_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lhs")
    text = sweep_text(design=f'method = "lhs"\npoints = {POINTS}').replace("replicates = 2", "replicates = 1")
    out = folder / "out"
    run_sweep(load_sweep(write_sweep(folder, text)), out)
    return out


def test_sensitivity_of_an_lhs_sweep(lhs_dir, capsys):
    assert main(["sensitivity", str(lhs_dir), "--outcome", "n_digital_talent"]) == 0
    printed = capsys.readouterr().out
    assert "RBD-FAST and PAWN indices of n_digital_talent (all, 2024-06)" in printed
    table = pd.read_csv(lhs_dir / "sensitivity_n_digital_talent.csv")
    assert list(table.columns) == [
        "outcome", "region", "date", "input", "kind", "S1", "S1_conf", "pawn_median", "pawn_max"
    ]  # fmt: skip
    assert list(table["input"]) == ["policy.funding.coverage", "alpha"]
    assert table[["S1", "pawn_median"]].notna().all().all()
    assert ((table["pawn_median"] >= 0) & (table["pawn_median"] <= 1)).all()
    assert (lhs_dir / "sensitivity_n_digital_talent.png").read_bytes()[:4] == b"\x89PNG"


def test_plot_draws_a_sweep_folder(lhs_dir, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "talentsim.cli", "plot", str(lhs_dir), "--out", str(tmp_path / "fig")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "1 figure(s) written" in done.stdout
    assert (tmp_path / "fig" / "sweep_out.png").read_bytes()[:4] == b"\x89PNG"


def test_sweep_figure_has_every_outcome_against_every_input(lhs_dir):
    fig = plot_sweep(lhs_dir)
    try:
        axes = np.array(fig.axes).reshape(2, 2)  # outcomes (rows) x inputs (columns)
        assert [ax.get_ylabel() for ax in axes[:, 0]] == ["n_digital_talent", "new_trained"]
        assert [ax.get_xlabel() for ax in axes[-1]] == ["policy.funding.coverage\n(lever)", "alpha\n(uncertainty)"]
        for ax in axes.flat:
            [dots] = [c for c in ax.collections if isinstance(c, PathCollection)]
            assert len(dots.get_offsets()) == POINTS
            smoothers = [line for line in ax.get_lines() if line.get_label() == "binned mean"]
            assert len(smoothers) == 1 and len(smoothers[0].get_xdata()) == 2  # 12 points: 2 bins of 6
        assert "12 lhs points (all, 2024-06)" in fig._suptitle.get_text()
    finally:
        plt.close(fig)


def test_plot_refuses_a_sweep_mixed_with_results(lhs_dir, tmp_path, capsys):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    assert main(["plot", str(lhs_dir), str(run_dir), "--out", str(tmp_path / "fig")]) == 2
    assert "a sweep folder is drawn on its own" in capsys.readouterr().err


def test_binned_mean_is_the_mean_in_equal_count_bins():
    x = np.arange(20, dtype=float)
    y = 2.0 * x
    bx, by = binned_mean(x, y)
    assert len(bx) == 4  # 20 points, 5 a bin
    np.testing.assert_allclose(by, 2.0 * bx)
    np.testing.assert_allclose(bx, [2.0, 7.0, 12.0, 17.0], atol=0.5)
    assert binned_mean(x[:9], y[:9])[0].size == 0  # fewer than two bins' worth: no smoother
