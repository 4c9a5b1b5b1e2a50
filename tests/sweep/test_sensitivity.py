"""``talentsim sensitivity``: Sobol and Morris indices with SALib, a table and a figure."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from talentsim.cli import main
from talentsim.sweep import SensitivityError, analyse_folder, load_sweep, make_design, run_design, run_sweep
from talentsim.sweep.sensitivity import sanity_checks

from .conftest import sweep_text, write_sweep

INPUTS = (
    '[[input]]\npath = "processes.matching.alpha"\nname = "alpha"\nkind = "uncertainty"\nrange = [0.3, 0.7]\n\n'
    '[[input]]\npath = "processes.matching.efficiency"\nname = "efficiency"\nkind = "uncertainty"\n'
    "range = [0.15, 0.4]\n\n"
    '[[input]]\npath = "policy.funding.coverage"\nname = "coverage"\nkind = "lever"\nrange = [0.0, 1.0]\n'
)
OUTCOMES = 'metrics = ["unemployment_rate", "new_hires", "n_digital_talent"]\ndates = ["2024-03", "2024-06"]'


@pytest.fixture(scope="module")
def sobol_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sobol")
    text = sweep_text(design='method = "sobol"\npoints = 4', inputs=INPUTS, outcomes=OUTCOMES)
    out = folder / "out"
    run_sweep(load_sweep(write_sweep(folder, text.replace("replicates = 2", "replicates = 1"))), out)
    return out


def test_sobol_indices_table_and_figure(sobol_dir, capsys):
    assert main(["sensitivity", str(sobol_dir), "--outcome", "unemployment_rate"]) == 0
    printed = capsys.readouterr().out
    assert "Sobol indices of unemployment_rate (all, 2024-06)" in printed
    table = pd.read_csv(sobol_dir / "sensitivity_unemployment_rate.csv")
    assert list(table.columns) == [
        "outcome", "region", "date", "input", "kind", "S1", "S1_conf", "ST", "ST_conf"
    ]  # fmt: skip
    assert list(table["input"]) == ["alpha", "efficiency", "coverage"]
    assert list(table["kind"]) == ["uncertainty", "uncertainty", "lever"]
    assert (table["date"] == "2024-06").all() and (table["ST_conf"] >= 0).all()
    png = sobol_dir / "sensitivity_unemployment_rate.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["sensitivity", str(sobol_dir), "--outcome", "new_hires", "--date", "2024-03"]) == 0
    assert (sobol_dir / "sensitivity_new_hires_2024-03.csv").is_file()
    assert (sobol_dir / "problem.json").is_file()


def test_sensitivity_refuses_what_it_cannot_analyse(sobol_dir, tmp_path, capsys):
    assert main(["sensitivity", str(sobol_dir), "--outcome", "n_students"]) == 2
    assert "no outcome for outcome 'n_students'" in capsys.readouterr().err
    assert main(["sensitivity", str(sobol_dir), "--date", "2025-01"]) == 2
    assert "no outcome for date '2025-01'; the sweep has 2024-03, 2024-06" in capsys.readouterr().err
    # a grid has no design any index method was made for; a tiny lhs too few points
    grid = tmp_path / "grid"
    inputs = '[[input]]\npath = "processes.matching.alpha"\nname = "alpha"\nkind = "uncertainty"\nvalues = [0.4, 0.6]\n'
    text = sweep_text(design='method = "grid"', inputs=inputs).replace("replicates = 2", "replicates = 1")
    run_sweep(load_sweep(write_sweep(tmp_path, text)), grid)
    assert main(["sensitivity", str(grid)]) == 2
    assert "need a sobol, morris or lhs design; this sweep's design is grid" in capsys.readouterr().err
    lhs = tmp_path / "lhs"
    run_sweep(load_sweep(write_sweep(tmp_path, sweep_text(design='method = "lhs"\npoints = 2'), "lhs.toml")), lhs)
    assert main(["sensitivity", str(lhs)]) == 2
    assert "need at least 10 points; this sweep has 2" in capsys.readouterr().err
    # a run missing from the design
    missing = tmp_path / "missing"
    missing.mkdir()
    for p in sobol_dir.iterdir():
        if p.is_file():
            (missing / p.name).write_bytes(p.read_bytes())
    (missing / "runs").mkdir()
    for p in sorted((sobol_dir / "runs").iterdir())[1:]:
        (missing / "runs" / p.name).write_bytes(p.read_bytes())
    with pytest.raises(SensitivityError, match="1 of 20 runs have no value"):
        analyse_folder(missing, write=False)


def test_morris_mu_star_and_sigma(tmp_path):
    text = sweep_text(design='method = "morris"\npoints = 3\nlevels = 4', inputs=INPUTS, outcomes=OUTCOMES)
    result = run_sweep(load_sweep(write_sweep(tmp_path, text)), tmp_path / "out")
    assert result.total == 3 * 4 * 2  # trajectories x (inputs + 1) x replicates
    s = analyse_folder(tmp_path / "out", "new_hires")
    assert s.method == "morris" and s.replicates == 2
    t = s.table.set_index("input")
    assert list(s.table.columns[-4:]) == ["mu", "mu_star", "mu_star_conf", "sigma"]
    assert (t["mu_star"] >= t["mu"].abs() - 1e-9).all()
    assert (tmp_path / "out" / "sensitivity_new_hires.png").is_file()


def ishigami(x1, x2, x3, x4=0.0):
    """The Ishigami function (S1 = 0.314, 0.442, 0; ST = 0.558, 0.442, 0.244); x4 is a dummy."""
    return math.sin(x1) + 7 * math.sin(x2) ** 2 + 0.1 * x3**4 * math.sin(x1)


UNIFORM_PI = {"kind": "uncertainty", "range": [-math.pi, math.pi]}


def test_lhs_given_data_indices_recover_ishigami():
    """RBD-FAST's S1 matches the analytic first-order indices; PAWN ranks the dummy input last."""
    design = make_design([{"name": n, **UNIFORM_PI} for n in ("x1", "x2", "x3", "x4")], "lhs", 1024, seed=3)
    s = run_design(ishigami, design).sensitivity("y")
    assert s.method == "lhs" and s.title == "RBD-FAST and PAWN"
    t = s.table.set_index("input")
    assert list(s.table.columns[-4:]) == ["S1", "S1_conf", "pawn_median", "pawn_max"]
    for name, exact in (("x1", 0.314), ("x2", 0.442), ("x3", 0.0), ("x4", 0.0)):
        assert abs(t.loc[name, "S1"] - exact) < max(t.loc[name, "S1_conf"], 0.04), name
    # x3 acts only through its interaction with x1: no first-order variance, but PAWN sees it
    assert t.loc["x3", "pawn_median"] > t.loc["x4", "pawn_median"]
    assert t["pawn_median"].idxmax() == "x2"
    assert s.sanity == []
    again = run_design(ishigami, design).sensitivity("y")
    pd.testing.assert_frame_equal(s.table, again.table)  # same design, same indices


def test_sobol_sanity_flags_a_too_small_design(tmp_path, capsys):
    inputs = [{"name": n, **UNIFORM_PI} for n in ("x1", "x2", "x3")]
    small = make_design(inputs, "sobol", 4, seed=2)
    run_design(ishigami, small, out=tmp_path / "small")
    assert main(["sensitivity", str(tmp_path / "small")]) == 0
    printed = capsys.readouterr().out
    assert "Sobol indices of y:" in printed
    assert "warning: x2: first-order index S1 = 1.1 above its total index ST = 0.439" in printed
    assert "warning: first-order indices add up to 2.34, more than 1" in printed
    assert "raise N (points)" in printed
    large = run_design(ishigami, make_design(inputs, "sobol", 1024, seed=2)).sensitivity("y")
    assert large.sanity == []  # the same function with enough points passes


def test_sanity_checks_each_rule():
    def table(s1, s1_conf, st, st_conf):
        n = len(s1)
        return pd.DataFrame(
            {"input": [f"x{i}" for i in range(n)], "S1": s1, "S1_conf": s1_conf, "ST": st, "ST_conf": st_conf}
        )

    assert sanity_checks(table([0.3, 0.4], [0.05, 0.05], [0.3, 0.5], [0.02, 0.02]), "sobol") == []
    [above, advice] = sanity_checks(table([0.5, 0.2], [0.05, 0.05], [0.3, 0.5], [0.1, 0.02]), "sobol")
    assert above.startswith("x0: first-order index S1 = 0.5 above") and "raise N" in advice
    [negative, _] = sanity_checks(table([-0.2, 0.2], [0.1, 0.05], [0.1, 0.5], [0.1, 0.02]), "sobol")
    assert negative.startswith("x0: S1 = -0.2 is negative beyond its interval")
    [total, _] = sanity_checks(table([0.6, 0.5], [0.05, 0.05], [0.7, 0.6], [0.1, 0.02]), "sobol")
    assert total == "first-order indices add up to 1.1, more than 1"
    # RBD-FAST has no total index: the other two rules apply
    lhs = table([0.6, 0.5], [0.05, 0.05], [np.nan, np.nan], [np.nan, np.nan]).drop(columns=["ST", "ST_conf"])
    assert sanity_checks(lhs, "lhs")[0] == "first-order indices add up to 1.1, more than 1"
    assert sanity_checks(lhs, "morris") == []
