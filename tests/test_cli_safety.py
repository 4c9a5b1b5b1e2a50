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


# --- item 5: damaged result folders ---


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory) -> Path:
    """A real, tiny run folder to damage."""
    folder = tmp_path_factory.mktemp("run") / "tiny"
    path = write(folder.parent, 'scale = 40000\n[horizon]\nend = "2024-02"\n', "tiny.toml")
    assert main(["run", str(path), "--out", str(folder), "--quiet"]) == 0
    return folder


def damaged(run_folder: Path, tmp_path: Path, name: str, content: bytes) -> Path:
    import shutil

    folder = tmp_path / "damaged"
    shutil.copytree(run_folder, folder)
    (folder / name).write_bytes(content)
    return folder


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("metadata.json", b"\xff"),
        ("metadata.json", b"[1, 2]"),
        ("metadata.json", b"{}"),
        ("timeseries.parquet", b"PAR1 not really PAR1"),
        ("timeseries.parquet", b""),
    ],
)
@pytest.mark.parametrize("command", ["plot", "report"])
def test_damaged_result_folder_is_refused(run_folder, tmp_path, capsys, name, content, command):
    folder = damaged(run_folder, tmp_path, name, content)
    out = tmp_path / ("figures" if command == "plot" else "report.html")
    err = refused([command, str(folder), "--out", str(out)], capsys)
    assert f"{folder}: not a talentsim result folder: " in err
    assert not out.exists()


def test_plot_of_a_fake_folder_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fake").mkdir()
    (tmp_path / "fake" / "metadata.json").write_bytes(b"\xff")
    assert "not a talentsim result folder" in refused(["plot", "fake"], capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fake"]


@pytest.mark.parametrize("name", ["design.parquet", "samples.parquet", "problem.json"])
def test_damaged_sweep_folder_is_refused_by_sensitivity(tmp_path, capsys, name):
    out = tmp_path / "sweep"
    sweep = REPO / "sweeps" / "morris_guesses.toml"
    from talentsim.sweep.execute import _open
    from talentsim.sweep.spec import load_sweep
    from talentsim.sweep.store import Store

    s = load_sweep(sweep)
    _open(Store(out), s.design, s.model, False, {})
    (out / name).write_bytes(b"\xff\x00 damaged")
    err = refused(["sensitivity", str(out)], capsys)
    assert "not a talentsim sweep folder" in err


# --- item 7: a refused sweep leaves nothing behind ---


@pytest.mark.parametrize("existing", [False, True])
def test_sweep_refused_by_its_scheduler_writes_nothing(tmp_path, capsys, existing):
    out = tmp_path / "S"
    if existing:
        out.mkdir()
    sweep = str(REPO / "sweeps" / "levers_lhs.toml")
    err = refused(["sweep", sweep, "--scheduler", "not-an-address", "--out", str(out), "--quiet"], capsys)
    assert "Dask scheduler" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == (["S"] if existing else [])
    nested = tmp_path / "new" / "deeper" / "S"  # folders made on the way are removed too
    refused(["sweep", sweep, "--scheduler", "not-an-address", "--out", str(nested), "--quiet"], capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == (["S"] if existing else [])
    if existing:
        assert list(out.iterdir()) == []


# --- item 3: files that used to raise tracebacks ---


def sweep_text(**replace: str) -> str:
    text = (REPO / "sweeps" / "levers_lhs.toml").read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    return text


def test_sweep_files_that_used_to_crash_are_refused(tmp_path, capsys):
    scenario = (REPO / "sweeps" / "levers_lhs.toml").read_text().split('scenario = "', 1)[1].split('"', 1)[0]
    cases = {
        "nul.toml": sweep_text(**{f'scenario = "{scenario}"': 'scenario = "a\\u0000b.toml"'}),
        "deep.toml": sweep_text() + "\n[fixed." + ".".join(["n"] * 600) + "]\nx = 1\n",
        "missing.toml": sweep_text(**{f'scenario = "{scenario}"': 'scenario = "nowhere.toml"'}),
    }
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        err = refused(["sweep", str(path), "--dry-run"], capsys)
        assert str(path) in err
    loop = tmp_path / "loop.toml"
    loop.symlink_to("loop.toml")
    for command in (["validate"], ["run"], ["sweep"], ["calibrate"]):
        assert "loop.toml" in refused([*command, str(loop)], capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep.toml", "loop.toml", "missing.toml", "nul.toml"]


def test_error_in_a_base_file_names_it_on_the_command_line(tmp_path, capsys):
    base = write(tmp_path, "[processes.matching]\nalpha = 1.5\n", "base.toml")
    top = write(tmp_path, 'name = "top"\n', "top.toml", base=base)
    err = refused(["validate", str(top)], capsys)
    assert err.startswith(f"error: {base}: processes.matching.alpha: expected")
    assert f"(this file is the base of {top})" in err


def test_ctrl_c_during_a_run_changes_nothing(tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "value.txt").write_text("old")
    (out / "metadata.json").write_text("{}")  # an earlier result folder, which the run would replace

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("talentsim.experiment.run_one", interrupted)
    assert main(["run", str(BASELINE), "--out", str(out), "--scale", "40000"]) == 130
    err = capsys.readouterr().err
    assert "interrupted" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"] and (out / "value.txt").read_text() == "old"
