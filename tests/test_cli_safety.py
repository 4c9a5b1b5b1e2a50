"""Nothing crashes, nothing is lost: the command line under hostile input (issue 17)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from talentsim.cli import main
from talentsim.scenario import default_scenario_path

BASELINE = default_scenario_path()
REPO = Path(__file__).parents[1]


def write(directory: Path, body: str, name: str = "scenario.toml", base: Path = BASELINE) -> Path:
    path = directory / name
    path.write_text(f"base = {json.dumps(str(base))}\n{body}", encoding="utf-8")
    return path


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def refused(argv: list[str], capsys) -> str:
    """Run the command, expect exit status 2 and no traceback; return stderr."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
    return err


# --- item 1: a scenario name is a folder name, never a path ---


@pytest.mark.parametrize("name", [".", "..", "../victim", "/tmp/x", "a/b", ".hidden", "nul\u0000byte"])
def test_scenario_name_that_is_a_path_is_refused_before_anything_runs(tmp_path, monkeypatch, capsys, name):
    work = tmp_path / "work"
    (work / "results").mkdir(parents=True)
    (work / "results" / "keep.txt").write_text("an earlier result")
    (tmp_path / "victim").mkdir()
    (tmp_path / "victim" / "v.txt").write_text("not ours")
    monkeypatch.chdir(work)
    before = tree(tmp_path)
    path = write(tmp_path, f"name = {json.dumps(name)}\nscale = 20000\n", "named.toml")
    err = refused(["run", str(path)], capsys)
    assert f"{path}: name: expected" in err
    assert tree(tmp_path) == {**before, "named.toml": path.read_bytes()}


# --- item 6: the output location is checked before the simulation ---


@pytest.mark.parametrize("out", ["", ".", "..", "file", "file/sub"])
def test_unusable_out_is_refused_before_running(tmp_path, monkeypatch, capsys, out):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "file").write_text("a file")
    monkeypatch.setattr("talentsim.experiment.run", pytest.fail)  # no simulation may start
    err = refused(["run", str(BASELINE), "--out", out, "--scale", "20000"], capsys)
    assert "--out" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_compare_calibrate_sweep_report_check_out_first(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "file").write_text("a file")
    monkeypatch.setattr("talentsim.compare.compare", pytest.fail)
    monkeypatch.setattr("talentsim.calibrate.calibrate", pytest.fail)
    monkeypatch.setattr("talentsim.sweep.execute.run_design", pytest.fail)
    refused(["compare", str(BASELINE), str(BASELINE), "--out", "file/sub"], capsys)
    refused(["calibrate", str(REPO / "calibrations" / "baseline.toml"), "--out", "file/sub"], capsys)
    refused(["sweep", str(REPO / "sweeps" / "levers_lhs.toml"), "--out", "file"], capsys)
    refused(["sweep", str(REPO / "sweeps" / "levers_lhs.toml"), "--out", "file", "--dry-run"], capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]
