"""``talentsim sensitivity``: Sobol and Morris indices with SALib, a table and a figure."""

from __future__ import annotations

import pandas as pd
import pytest

from talentsim.cli import main
from talentsim.sweep import SensitivityError, analyse_folder, load_sweep, run_sweep

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
    assert "sobol indices of unemployment_rate (all, 2024-06)" in printed
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
    # an lhs sweep has no Sobol or Morris design
    lhs = tmp_path / "lhs"
    run_sweep(load_sweep(write_sweep(tmp_path, sweep_text(design='method = "lhs"\npoints = 2'))), lhs)
    assert main(["sensitivity", str(lhs)]) == 2
    assert "need a sobol or morris design; this sweep's design is lhs" in capsys.readouterr().err
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
