"""Executors give identical numbers; failures are recorded and do not stop a sweep; resume runs only what is missing."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from talentsim.cli import main
from talentsim.sweep import SweepError, load_failures, load_outcomes, load_sweep, make_design, run_design, run_sweep

from .conftest import sweep_text, write_sweep


def files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "runs").iterdir())}


def test_serial_process_pool_and_dask_local_cluster_give_identical_outcome_tables(tmp_path, tiny_sweep):
    sweep = load_sweep(tiny_sweep)
    serial = run_sweep(sweep, tmp_path / "serial")
    pool = run_sweep(sweep, tmp_path / "pool", workers=2)
    dask = run_sweep(sweep, tmp_path / "dask", dask_local=2)
    memory = run_sweep(sweep)  # no folder: kept in memory
    assert serial.ran == pool.ran == dask.ran == sweep.design.n_runs == 8
    assert serial.failures.empty and pool.failures.empty and dask.failures.empty
    table = serial.outcomes
    assert len(table) == 8 * 2 * 2  # runs x metrics x regions
    assert set(table["run_id"]) == set(range(8))
    pd.testing.assert_frame_equal(pool.outcomes, table)
    pd.testing.assert_frame_equal(dask.outcomes, table)
    pd.testing.assert_frame_equal(memory.outcomes, table)
    # bit for bit: every run's file is the same bytes whatever ran it
    assert files(tmp_path / "pool") == files(tmp_path / "serial") == files(tmp_path / "dask")
    # the consolidated table is one pandas call, joined with the design
    direct = pd.read_parquet(tmp_path / "serial" / "runs")
    pd.testing.assert_frame_equal(direct.sort_values("run_id", kind="stable").reset_index(drop=True), table)
    design = pd.read_parquet(tmp_path / "serial" / "design.parquet")
    assert list(design.columns) == ["run_id", "point", "replicate", "seed", "policy.funding.coverage", "alpha"]
    assert (design["seed"] == 1 + design["replicate"]).all()
    joined = table.merge(design, on=list(design.columns), how="left", indicator=True)
    assert (joined["_merge"] == "both").all()
    # common random numbers: replicate r runs on the same seed at every point
    assert table.groupby("replicate")["seed"].nunique().eq(1).all()


def test_failing_run_is_recorded_with_its_inputs_and_the_others_finish(tmp_path, capsys):
    # each value alone is valid, but min_age 45 with max_age 40 is not: that run fails inside its worker
    inputs = (
        '[[input]]\npath = "initial.min_age"\nkind = "uncertainty"\nvalues = [20, 45]\n\n'
        '[[input]]\npath = "initial.max_age"\nkind = "uncertainty"\nvalues = [40, 59]\n'
    )
    path = write_sweep(
        tmp_path,
        inputs=inputs,
        design='method = "grid"',
        head='name = "ages"\nreplicates = 1',
        fixed='scale = 20000\nhorizon.end = "2024-03"',
    )
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "2"]) == 1
    captured = capsys.readouterr()
    assert "1 run(s) failed" in captured.err and "--retry-failed" in captured.err
    assert "3 of 4 runs finished" in captured.out
    fails = load_failures(out)
    assert list(fails["run_id"]) == [2]
    record = json.loads((out / "failures" / "0000002.json").read_text())
    assert record["inputs"] == {"initial.min_age": 45, "initial.max_age": 40}
    assert record["error_type"] == "ScenarioError"
    assert "max_age 40 is below min_age 45" in record["message"]
    assert "Traceback" in record["traceback"] and record["seed"] == 1
    assert sorted(load_outcomes(out)["run_id"].unique()) == [0, 1, 3]
    # a resumed sweep leaves failures alone unless asked
    assert main(["sweep", str(path), "--out", str(out), "--resume"]) == 1
    assert "0 run now" in capsys.readouterr().out
    assert main(["sweep", str(path), "--out", str(out), "--resume", "--retry-failed"]) == 1
    assert "1 run now (1 failed)" in capsys.readouterr().out


def _flaky(x: float, seed: int) -> dict[str, float]:
    if x > 0.5:
        raise RuntimeError(f"x = {x:.3f} is too large")
    return {"y": x * seed, "z": math.sqrt(x)}


def test_callable_that_raises_is_recorded_and_the_others_go_on():
    design = make_design([{"name": "x", "kind": "uncertainty", "range": [0, 1]}], "lhs", 8, seed=2)
    result = run_design(_flaky, design)
    bad = design.values["x"] > 0.5
    assert result.failed == bad.sum() and 0 < result.failed < 8
    assert sorted(result.failures["run_id"]) == sorted(design.values.index[bad])
    assert set(result.failures["error_type"]) == {"RuntimeError"}
    assert sorted(result.outcomes["run_id"].unique()) == sorted(design.values.index[~bad])
    assert set(result.outcomes["metric"]) == {"y", "z"}


def test_folder_of_another_sweep_or_without_resume_is_refused(tmp_path, tiny_sweep, capsys):
    out = tmp_path / "out"
    assert main(["sweep", str(tiny_sweep), "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["sweep", str(tiny_sweep), "--out", str(out)]) == 2
    assert f"error: {out}: already holds a sweep; add --resume" in capsys.readouterr().err
    other = write_sweep(tmp_path, sweep_text(head='name = "tiny"\nseed = 2\nreplicates = 2'), "other.toml")
    assert main(["sweep", str(other), "--out", str(out), "--resume"]) == 2
    assert "holds a different sweep (its design differ" in capsys.readouterr().err
    assert main(["sweep", str(tiny_sweep), "--out", str(out), "--resume"]) == 0
    assert "8 finished before, 0 run now" in capsys.readouterr().out


def test_resume_runs_only_what_is_missing_and_drops_broken_leftovers(tmp_path, tiny_sweep):
    sweep = load_sweep(tiny_sweep)
    out = tmp_path / "out"
    run_sweep(sweep, out)
    before = files(out)
    runs = out / "runs"
    for name in ("0000001.parquet", "0000006.parquet"):
        (runs / name).unlink()
    (runs / "0000003.parquet").write_bytes(before["0000003.parquet"][:100])  # cannot happen, but is caught
    (runs / ".0000004.parquet.x1y2.tmp").write_bytes(b"PAR1 half-written")  # left by a killed sweep
    kept = {p.name: p.stat().st_mtime_ns for p in runs.iterdir() if p.name in ("0000000.parquet", "0000007.parquet")}
    result = run_sweep(sweep, out, resume=True)
    assert (result.finished_before, result.ran) == (5, 3)
    assert files(out) == before
    assert {p.name: p.stat().st_mtime_ns for p in runs.iterdir() if p.name in kept} == kept
    assert not [p for p in runs.iterdir() if p.name.startswith(".")]


def _ishigami(x1: float, x2: float, x3: float) -> float:
    return math.sin(x1) + 7.0 * math.sin(x2) ** 2 + 0.1 * x3**4 * math.sin(x1)


def test_python_callable_gets_the_same_machinery_ishigami_sobol_indices():
    pi = math.pi
    ins = [{"name": n, "kind": "uncertainty", "range": [-pi, pi]} for n in ("x1", "x2", "x3")]
    design = make_design(ins, "sobol", 512, seed=1)
    result = run_design(_ishigami, design)
    assert result.ran == 512 * 5 and result.failures.empty
    s = result.sensitivity("y").table.set_index("input")
    # analytic values: S1 = 0.314, 0.442, 0; ST = 0.558, 0.442, 0.244
    assert s["S1"].to_numpy() == pytest.approx([0.314, 0.442, 0.0], abs=0.06)
    assert s["ST"].to_numpy() == pytest.approx([0.558, 0.442, 0.244], abs=0.06)
    assert (s["S1_conf"] > 0).all()


def test_dask_and_local_options_exclude_each_other(tmp_path, tiny_sweep, capsys):
    args = ["sweep", str(tiny_sweep), "--out", str(tmp_path / "o")]
    assert main([*args, "--dask-local", "2", "--workers", "2"]) == 2
    assert "--workers is for local processes" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([*args, "--dask-local", "2", "--scheduler", "tcp://127.0.0.1:8786"])
    with pytest.raises(ValueError, match="not both"):
        run_design(
            _ishigami,
            make_design([{"name": "x1", "kind": "lever", "range": [0, 1]}], "lhs", 2),
            scheduler="tcp://x:1",
            dask_local=1,
        )
    x = [{"name": "x", "kind": "lever", "range": [0, 1]}]
    run_design(_flaky, make_design(x, "lhs", 2), out=tmp_path / "o2")
    with pytest.raises(SweepError, match="holds a different sweep"):
        run_design(_flaky, make_design(x, "lhs", 3), out=tmp_path / "o2", resume=True)
