"""The ``talentsim`` command: exit status, messages without tracebacks, and result folders.

Most tests call :func:`talentsim.cli.main` in-process; one runs the installed console script.
Runs use a tiny world (scale 20000, three months) that takes well under a second.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib.figure
import pandas as pd
import pytest

import talentsim
import talentsim.results
from talentsim.cli import main
from talentsim.experiment import Result
from talentsim.scenario import default_scenario_path, load_scenario

BASELINE = default_scenario_path()
TINY = 'scale = 20000\n[horizon]\nend = "2024-03"\n'
COLUMNS = ["scenario", "replicate", "seed", "date", "region", "field", "level", "metric", "value"]


def write(directory: Path, body: str, name: str = "scenario.toml") -> Path:
    """A scenario file derived from the baseline."""
    path = directory / name
    path.write_text(f"base = {json.dumps(str(BASELINE))}\n{body}", encoding="utf-8")
    return path


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return write(tmp_path, TINY, "tiny.toml")


@pytest.fixture
def quick_figures(monkeypatch):
    """Skip rendering figures (about a second each) in tests that do not look at them."""

    def savefig(self, fname, *args, **kwargs):
        Path(fname).write_bytes(b"\x89PNG stand-in")

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", savefig)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(out: Path) -> list[str]:
    """Temporary folders of ``out`` left in its parent."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}"))


# (id, scenario body, field named in the message, words of the message)
BAD = [
    ("unknown-top-level-key", "colour = 1\n", "colour", "unknown key"),
    ("unknown-process-key", "[processes.matching]\nspeed = 1\n", "processes.matching.speed", "unknown key"),
    ("unknown-region-key", "[regions.West]\nsize = 1\n", "regions.West.size", "unknown key"),
    (
        "wrong-type",
        '[processes.matching]\nseparation_rate = "high"\n',
        "processes.matching.separation_rate",
        "expected a valid number",
    ),
    (
        "number-as-text",
        '[processes.matching]\nseparation_rate = "0.1"\n',
        "processes.matching.separation_rate",
        "expected a valid number",
    ),
    (
        "boolean-as-number",
        "[processes.matching]\nseparation_rate = true\n",
        "processes.matching.separation_rate",
        "expected a valid number",
    ),
    (
        "rate-above-1",
        "[processes.matching]\nseparation_rate = 1.5\n",
        "processes.matching.separation_rate",
        "expected a number less than or equal to 1, got 1.5",
    ),
    (
        "rate-below-0",
        "[regions.West]\nhukou_openness = -0.2\n",
        "regions.West.hukou_openness",
        "expected a number greater than or equal to 0, got -0.2",
    ),
    ("not-finite", "[regions.West]\namenity = nan\n", "regions.West.amenity", "expected a finite number"),
    (
        "negative-count",
        "[initial]\ndigital_talent = -5\n",
        "initial.digital_talent",
        "expected a number greater than or equal to 0, got -5",
    ),
    (
        "negative-foreign",
        "[processes.international]\nforeign_per_year = -1\n",
        "processes.international.foreign_per_year",
        "greater than or equal to 0",
    ),
    (
        "negative-incubators",
        "[regions.Central]\nincubator_capacity = -100\n",
        "regions.Central.incubator_capacity",
        "greater than or equal to 0",
    ),
    (
        "unknown-field-share",
        "[initial.field_shares]\nquantum = 0.0\n",
        "initial.field_shares",
        "unknown field 'quantum'; expected one of ai, big_data",
    ),
    (
        "unknown-seat-field",
        "[processes.education.field_seat_shares]\nblockchain = 0.01\n",
        "processes.education.field_seat_shares",
        "unknown field 'blockchain'",
    ),
    ("unknown-region", "[regions.Atlantis]\nwage_index = 1.0\n", "regions.Atlantis", "unknown region; expected one of"),
    ("regions-not-a-table", "regions = 5\n", "regions", "expected a valid dictionary"),
    (
        "end-before-start",
        '[horizon]\nstart = "2025-06"\nend = "2025-01"\n',
        "horizon",
        "end 2025-01 is before start 2025-06",
    ),
    (
        "start-too-early",
        '[horizon]\nstart = "2023-12"\n',
        "horizon.start",
        "expected a month from 2024-01 to 2060-12, got '2023-12'",
    ),
    ("end-too-late", '[horizon]\nend = "2061-01"\n', "horizon.end", "expected a month from 2024-01 to 2060-12"),
    ("month-13", '[horizon]\nend = "2024-13"\n', "horizon.end", "expected a month as YYYY-MM, got '2024-13'"),
    ("two-digit-year", '[horizon]\nend = "24-01"\n', "horizon.end", "expected a month as YYYY-MM, got '24-01'"),
]


@pytest.mark.parametrize(("body", "field", "words"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_validate_refuses_bad_scenario(tmp_path, capsys, body, field, words):
    path = write(tmp_path, body)
    assert main(["validate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"error: {path}: {field}: ")
    assert words in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "words"),
    [(None, "file not found"), ("[horizon\n", "not valid TOML"), (b"\xff\xfe", "cannot read the file")],
    ids=["missing", "not-toml", "not-utf8"],
)
def test_validate_refuses_unreadable_file(tmp_path, capsys, content, words):
    path = tmp_path / "scenario.toml"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}: {words}")
    assert "Traceback" not in err


def test_validate_accepts_baseline(capsys):
    assert main(["validate", str(BASELINE)]) == 0
    out, err = capsys.readouterr()
    spec = load_scenario(BASELINE)
    assert out.strip() == (
        f"{BASELINE}: valid scenario 'baseline': {len(spec.regions)} regions, "
        f"{spec.horizon.start} to {spec.horizon.end} ({spec.horizon.months} months), scale {spec.scale:g}"
    )
    assert err == ""


@pytest.mark.parametrize("bad", ["rate-above-1", "unknown-region", "regions-not-a-table"])
def test_run_refuses_bad_scenario_and_writes_nothing(tmp_path, capsys, bad):
    body = {b[0]: b[1] for b in BAD}[bad]
    path = write(tmp_path, TINY + body)
    out = tmp_path / "results" / "bad"
    assert main(["run", str(path), "--out", str(out)]) == 2
    assert not out.exists() and not out.parent.exists()
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}: ") and "Traceback" not in err


def test_run_refuses_missing_file(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "nope.toml"), "--out", str(out)]) == 2
    assert not out.exists()
    assert "file not found" in capsys.readouterr().err


def test_run_writes_result_folder(tiny, tmp_path, capsys):
    out = tmp_path / "results" / "tiny"
    assert main(["run", str(tiny), "--seed", "3", "--replicates", "2", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "n_digital_talent" in printed
    assert "seeds 3..4" in printed
    assert f"results written to {out}" in printed

    table = pd.read_parquet(out / "timeseries.parquet")
    assert list(table.columns) == COLUMNS
    assert pd.api.types.is_datetime64_any_dtype(table["date"])
    dates = sorted(table["date"].unique())
    assert dates == list(pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]))
    assert (table["date"] == table["date"].dt.to_period("M").dt.to_timestamp()).all()  # first of the month
    assert set(table["scenario"]) == {"baseline"}
    assert set(zip(table["replicate"], table["seed"], strict=True)) == {(0, 3), (1, 4)}
    assert "n_digital_talent" in set(table["metric"])

    summary = pd.read_csv(out / "summary.csv")
    assert len(summary) > 0 and "n_digital_talent" in set(summary["metric"])

    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert meta["scenario_hash"] == load_scenario(tiny).digest()
    assert meta["seeds"] == [3, 4]
    assert meta["talentsim_version"] == talentsim.__version__
    versions = meta["versions"]
    for lib in ("numpy", "scipy", "pandas", "mesa", "pyarrow"):
        assert versions[lib] == importlib.metadata.version(lib)
    assert versions["python"] == platform.python_version()
    assert isinstance(meta["wall_seconds"], int | float) and meta["wall_seconds"] >= 0

    figures = list((out / "figures").glob("*.png"))
    assert figures and all(f.read_bytes().startswith(b"\x89PNG") for f in figures)
    assert leftovers(out) == []


@pytest.mark.usefixtures("quick_figures")
def test_run_scale_override_and_default_folder(tiny, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["run", str(tiny), "--scale", "40000", "--quiet"]) == 0
    out = tmp_path / "results" / "baseline"  # results/<scenario name>
    assert capsys.readouterr().out.strip() == f"results written to {Path('results') / 'baseline'}"
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert meta["scenario"]["scale"] == 40000
    assert meta["scenario_hash"] == load_scenario(tiny).with_updates(scale=40000.0).digest()


def _fail_summary(self):
    raise RuntimeError("simulated failure while writing")


def _fail_savefig(self, *args, **kwargs):
    raise RuntimeError("simulated failure while writing")


@pytest.mark.usefixtures("quick_figures")
def test_existing_folder_is_replaced_whole(tiny, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    (out / "old").mkdir(parents=True)
    (out / "marker.txt").write_text("from an earlier run", encoding="utf-8")
    (out / "metadata.json").write_text("{}", encoding="utf-8")  # an earlier result folder
    assert main(["run", str(tiny), "--out", str(out), "--quiet"]) == 0
    assert not (out / "marker.txt").exists() and not (out / "old").exists()
    assert {"timeseries.parquet", "summary.csv", "metadata.json"} <= {p.name for p in out.iterdir()}
    assert leftovers(out) == []
    complete = snapshot(out)

    # A failure while writing leaves the previous complete folder as it was.
    for target, name, failing in [
        (Result, "summary", _fail_summary),
        (matplotlib.figure.Figure, "savefig", _fail_savefig),
    ]:
        with monkeypatch.context() as m:
            m.setattr(target, name, failing)
            with pytest.raises(RuntimeError, match="simulated failure"):
                main(["run", str(tiny), "--out", str(out), "--seed", "9"])
        assert snapshot(out) == complete
        assert leftovers(out) == []
    capsys.readouterr()


@pytest.mark.usefixtures("quick_figures")
def test_failed_swap_restores_previous_folder(tiny, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    assert main(["run", str(tiny), "--out", str(out), "--quiet"]) == 0
    complete = snapshot(out)
    real_rename, calls = talentsim.results._rename, []

    def rename(src, dst):  # the first move (old folder aside) works, the second (new in place) fails
        calls.append((src, dst))
        if len(calls) == 2:
            raise OSError("simulated failure while swapping")
        real_rename(src, dst)

    monkeypatch.setattr(talentsim.results, "exchange", lambda a, b: False)  # the two-rename fallback
    monkeypatch.setattr(talentsim.results, "_rename", rename)
    assert main(["run", str(tiny), "--out", str(out), "--seed", "9", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "simulated failure" in err and str(out) in err and "Traceback" not in err
    assert snapshot(out) == complete
    assert not leftovers(out)


@pytest.mark.parametrize(
    "options",
    [
        ["--replicates", "0"],
        ["--replicates", "two"],
        ["--scale", "-1"],
        ["--scale", "0"],
        ["--scale", "nan"],
        ["--workers", "0"],
        ["--seed", "-1"],
        ["--seed", "1.5"],
        ["--colour", "red"],
    ],
)
def test_run_refuses_bad_options(tiny, tmp_path, capsys, options):
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as info:
        main(["run", str(tiny), "--out", str(out), *options])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "error:" in err and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["run"], ["validate"]])
def test_bad_command_line_exits_2(capsys, argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "usage: talentsim" in capsys.readouterr().err


def test_console_script_prints_no_traceback(tmp_path):
    path = write(tmp_path, TINY + "[processes.matching]\nseparation_rate = 1.5\n")
    out = tmp_path / "out"
    script = Path(sys.executable).with_name("talentsim")
    command = [str(script)] if script.exists() else [shutil.which("talentsim") or "talentsim"]
    proc = subprocess.run([*command, "run", str(path), "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == (
        f"error: {path}: processes.matching.separation_rate: expected a number less than or equal to 1, got 1.5\n"
    )
    assert not out.exists()


def test_the_command_leaves_the_callers_environment_alone(tmp_path, monkeypatch):
    """main() sets the Agg backend for its own run only: a notebook kernel started later still draws inline."""
    monkeypatch.delenv("MPLBACKEND", raising=False)
    assert main(["validate", str(BASELINE)]) == 0
    assert "MPLBACKEND" not in os.environ
    monkeypatch.setenv("MPLBACKEND", "pdf")
    assert main(["validate", str(BASELINE)]) == 0
    assert os.environ["MPLBACKEND"] == "pdf"


def test_run_refuses_an_out_folder_that_holds_other_files(tiny, tmp_path, capsys):
    """--out that holds the scenario itself (not a result folder) would be replaced whole: refused."""
    assert main(["run", str(tiny), "--out", str(tmp_path), "--quiet"]) == 2
    assert "not a talentsim result folder" in capsys.readouterr().err
    assert tiny.is_file()


def test_a_local_file_comes_before_a_shipped_scenario_of_that_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "baseline.toml").write_text('base = "levers/funding"\nscale = 7777.0\n', encoding="utf-8")
    from talentsim.scenario import load_scenario

    assert load_scenario("baseline").scale == 7777.0
    (tmp_path / "baseline.toml").unlink()
    (tmp_path / "baseline").mkdir()  # a folder of that name is not a scenario: the shipped one is
    assert load_scenario("baseline").scale == 2000.0


@pytest.mark.parametrize("argv", [["new", ".hidden"], ["new", "a\tb"], ["new", "x", "--out", "sub", "--force"]])
def test_new_refuses_bad_names_and_folders_naming_what_the_user_gave(argv, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    assert main([*argv, "--lever", "funding"]) == 2
    err = capsys.readouterr().err
    assert ".toml." not in err  # never the temporary file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sub"] and not any((tmp_path / "sub").iterdir())


def test_compare_refused_for_a_bad_scenario_leaves_the_output_folder_alone(tiny, tmp_path, capsys):
    bad = write(tmp_path, TINY + "\n[processes.matching]\nseparation_rate = 7.0\n", "bad.toml")
    leftover = tmp_path / ".cmp.tmp-abc"  # what a killed writer left: recovery would remove it
    leftover.mkdir()
    assert main(["compare", str(tiny), str(bad), "--out", str(tmp_path / "cmp")]) == 2
    assert "separation_rate" in capsys.readouterr().err
    assert leftover.is_dir() and not (tmp_path / "cmp").exists()


# --- --set, and resuming an interrupted compare ---

ACTION_PLAN = Path(__file__).resolve().parents[1] / "scenarios" / "action_plan.toml"
SMALL_PLAN = ["--scale", "20000", "--set", "horizon.end=2024-05"]


@pytest.mark.usefixtures("quick_figures")
def test_run_set_changes_a_lever_parameter_of_the_run(tmp_path, capsys):
    """``--set policy.funding.coverage=0`` reaches the funding lever: it then pays nothing."""
    plain, set_ = tmp_path / "plain", tmp_path / "set"
    assert main(["run", str(ACTION_PLAN), *SMALL_PLAN, "--out", str(plain), "--quiet"]) == 0
    argv = ["run", str(ACTION_PLAN), *SMALL_PLAN, "--set", "policy.funding.coverage=0", "--out", str(set_), "--quiet"]
    assert main(argv) == 0
    capsys.readouterr()

    def funding_cost(out: Path) -> float:
        t = pd.read_parquet(out / "timeseries.parquet")
        sel = t[(t["metric"] == "cum_policy_cost_funding") & (t["region"] == "all")]
        return float(sel.loc[sel["date"].idxmax(), "value"])

    assert funding_cost(plain) > 0 and funding_cost(set_) == 0
    meta = json.loads((set_ / "metadata.json").read_text(encoding="utf-8"))
    funding = [p for p in meta["scenario"]["policy"] if p["type"] == "funding"]
    assert [p["coverage"] for p in funding] == [0.0]
    expected = load_scenario(ACTION_PLAN).with_updates(
        scale=20000.0, horizon__end="2024-05", policy__funding__coverage=0
    )
    assert meta["scenario_hash"] == expected.digest()
    assert leftovers(set_) == [] and leftovers(plain) == []


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ("policy.funding.nope=1", ["policy.funding.nope", "unknown field 'nope'", "subsidy_by_band, firm_fund"]),
        ("policy.subsidy.rate=1", ["unknown lever type 'subsidy'", "engineer_training"]),
        ("policy.funding.coverage=7", ["policy[9]", "coverage"]),
        ("processes.matching.alfa=0.4", ["unknown field 'alfa'", "alpha"]),
    ],
)
def test_run_set_refuses_bad_paths_and_values_and_writes_nothing(tmp_path, capsys, setting, words):
    out = tmp_path / "out"
    assert main(["run", str(ACTION_PLAN), "--set", setting, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{ACTION_PLAN} with --set" in err and "Traceback" not in err
    for w in words:
        assert w in err
    assert list(tmp_path.iterdir()) == []


def test_set_that_is_not_an_assignment_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["run", str(ACTION_PLAN), "--set", "scale"])
    assert info.value.code == 2 and "PATH=VALUE" in capsys.readouterr().err


def _compare_argv(tiny: Path, out: Path, *extra: str) -> list[str]:
    return ["compare", str(tiny), str(ACTION_PLAN), "--replicates", "3", *SMALL_PLAN, "--out", str(out), *extra]


@pytest.mark.usefixtures("quick_figures")
def test_compare_interrupted_and_resumed_gives_the_uninterrupted_results(tiny, tmp_path, monkeypatch, capsys):
    """Ctrl-C after some runs keeps them; --resume runs only the rest; the folder matches an uninterrupted one."""
    import talentsim.experiment

    whole, resumed = tmp_path / "whole", tmp_path / "resumed"
    assert main(_compare_argv(tiny, whole)) == 0

    real = talentsim.experiment.run_one
    calls: list[int] = []

    def interrupted_after_four(spec, seed, replicate=0):
        if len(calls) == 4:
            raise KeyboardInterrupt
        calls.append(seed)
        return real(spec, seed, replicate)

    monkeypatch.setattr(talentsim.experiment, "run_one", interrupted_after_four)
    assert main(_compare_argv(tiny, resumed)) == 130
    err = capsys.readouterr().err
    runs = tmp_path / ".resumed.runs"
    assert f"finished runs are kept in {runs}" in err and "--resume" in err
    assert not resumed.exists() and len(list((runs / "runs").glob("*.parquet"))) == 4

    # without --resume the kept runs are not silently thrown away or mixed in
    assert main(_compare_argv(tiny, resumed)) == 2
    assert "add --resume" in capsys.readouterr().err

    calls.clear()
    monkeypatch.setattr(talentsim.experiment, "run_one", lambda *a, **k: calls.append(1) or real(*a, **k))
    assert main(_compare_argv(tiny, resumed, "--resume")) == 0
    assert len(calls) == 6 - 4  # only the missing runs (2 scenarios x 3 replicates)
    assert not runs.exists()  # the runs are not kept beside a written result folder
    for name in (
        "effects.csv",
        "cost_effectiveness.csv",
        "timeseries/baseline.parquet",
        "timeseries/action_plan.parquet",
    ):
        assert (resumed / name).read_bytes() == (whole / name).read_bytes(), name
    whole_meta = json.loads((whole / "metadata.json").read_text(encoding="utf-8"))
    resumed_meta = json.loads((resumed / "metadata.json").read_text(encoding="utf-8"))
    assert resumed_meta["baseline"]["hash"] == whole_meta["baseline"]["hash"]


def test_the_sweep_subcommands_do_not_import_the_command_module():
    """No import cycle between talentsim.cli and talentsim.sweep.cli: both use talentsim.cli_args."""
    import ast

    import talentsim.sweep.cli

    tree = ast.parse(Path(talentsim.sweep.cli.__file__).read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert "talentsim.cli" not in imported and "talentsim.cli_args" in imported
