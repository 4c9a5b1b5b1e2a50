"""Joining comparisons and adding replicates to a precision (:mod:`talentsim.combine`, :mod:`talentsim.precision`)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from talentsim.cli import main
from talentsim.combine import concat_comparisons, concat_results
from talentsim.compare import Comparison, compare
from talentsim.experiment import Result
from talentsim.precision import CAPPED, PRECISION_METRICS, REACHED, compare_to_precision, describe_stop
from talentsim.scenario import ScenarioError, default_scenario, default_scenario_path


@pytest.fixture
def quick_figures(monkeypatch):
    """Skip rendering figures in tests that do not look at them."""
    import matplotlib.figure

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", lambda self, f, *a, **k: Path(f).write_bytes(b"png"))


SCENARIOS = default_scenario_path().parent
SHORT = 'scale = 40000.0\n[horizon]\nend = "2024-06"\n'


def derive(directory: Path, source: Path, name: str) -> Path:
    path = directory / name
    path.write_text(f"base = {json.dumps(str(source.resolve()))}\n{SHORT}", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("precision")
    return {
        "baseline": derive(d, SCENARIOS / "baseline.toml", "baseline.toml"),
        "funding": derive(d, SCENARIOS / "levers" / "funding.toml", "funding.toml"),
    }


# --- joining ---------------------------------------------------------------------------------------


def test_batches_on_successive_seeds_join_to_the_one_run_on_all_seeds(files):
    one = compare(files["baseline"], [files["funding"]], seed=3, replicates=4)
    parts = [compare(files["baseline"], [files["funding"]], seed=s, replicates=2) for s in (3, 5)]
    joined = concat_comparisons(parts)
    assert joined.seeds == one.seeds == [3, 4, 5, 6]
    pd.testing.assert_frame_equal(joined.baseline.timeseries, one.baseline.timeseries)
    pd.testing.assert_frame_equal(joined.effects, one.effects)
    pd.testing.assert_frame_equal(joined.cost_effectiveness, one.cost_effectiveness)
    assert set(joined.effects["paired_replicates"]) == {4}
    with pytest.raises(ValueError, match="share seeds"):
        concat_comparisons([parts[0], parts[0]])
    with pytest.raises(ValueError, match="different scenarios"):
        concat_results([parts[0].baseline, parts[0].results["funding"]])


# --- the precision loop on a synthetic model with a known answer ---------------------------------------

BASE = 1000.0  # every metric's baseline value
SIGMA = 30.0  # paired differences are effect ± SIGMA, alternating by seed


def synthetic_runner(baseline, scenarios, *, seed, replicates, calls=None, **_kwargs) -> Comparison:
    """A comparison whose paired differences are +5 ± 30 (by seed parity): the interval is known in closed form."""
    if calls is not None:
        calls.append((seed, replicates))
    spec = default_scenario()
    seeds = list(range(seed, seed + replicates))

    def table(name: str, shift: float) -> pd.DataFrame:
        rows = [
            {
                "scenario": name,
                "replicate": i,
                "seed": s,
                "date": pd.Timestamp("2026-12-01"),
                "region": "all",
                "field": "all",
                "level": "all",
                "metric": metric,
                "value": BASE + shift * (5.0 + (SIGMA if s % 2 else -SIGMA)),
            }
            for i, s in enumerate(seeds)
            for metric in PRECISION_METRICS
        ]
        return pd.DataFrame(rows)

    base = Result(spec, seeds, table("baseline", 0.0))
    scen = Result(spec.with_updates(name="lever"), seeds, table("lever", 1.0))
    return Comparison.from_results(base, [scen])


def half_width(n: int, level: float = 0.95) -> float:
    """The half-width after ``n`` (even) replicates: sd is SIGMA * sqrt(n / (n - 1)) exactly."""
    return stats.t.ppf(0.5 + level / 2, n - 1) * SIGMA * math.sqrt(n / (n - 1)) / math.sqrt(n)


def needed(precision: float, batch: int) -> int:
    n = batch
    while half_width(n) > precision * BASE:
        n += batch
    return n


@pytest.mark.parametrize("precision", [0.02, 0.01, 0.005])
def test_precision_stops_at_the_first_batch_that_meets_it(precision):
    calls: list[tuple[int, int]] = []
    want = needed(precision, batch=4)
    out = compare_to_precision(
        default_scenario(),
        [default_scenario()],
        precision=precision,
        seed=10,
        batch=4,
        max_replicates=400,
        runner=lambda *a, **k: synthetic_runner(*a, calls=calls, **k),
    )
    info = out.extra["precision"]
    assert info["stopped"] == REACHED and info["replicates"] == want == len(out.seeds)
    assert half_width(want) <= precision * BASE < half_width(want - 4)
    # batches ran on the next unused seeds, none repeated
    assert calls == [(10 + 4 * k, 4) for k in range(want // 4)]
    assert out.seeds == list(range(10, 10 + want))
    check = pd.DataFrame(info["check"])
    assert np.allclose(check["half_width"], half_width(want))
    assert describe_stop(out).startswith(REACHED)


def test_precision_reports_the_cap_when_it_is_hit_first():
    out = compare_to_precision(
        default_scenario(),
        [default_scenario()],
        precision=0.001,  # needs about 3,500 replicates
        batch=4,
        max_replicates=10,
        runner=synthetic_runner,
    )
    info = out.extra["precision"]
    assert info["stopped"] == CAPPED and info["replicates"] == 10 and info["batches"] == [4, 4, 2]
    assert not pd.DataFrame(info["check"])["met"].any()
    assert describe_stop(out).startswith(CAPPED)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"precision": 0.0}, "precision"),
        ({"precision": 0.01, "batch": 1}, "batch"),
        ({"precision": 0.01, "batch": 6, "max_replicates": 4}, "max_replicates"),
    ],
)
def test_bad_arguments_are_refused(kwargs, words):
    with pytest.raises(ValueError, match=words):
        compare_to_precision(default_scenario(), [default_scenario()], runner=synthetic_runner, **kwargs)


def test_a_cap_beyond_the_limits_is_refused_before_anything_runs():
    calls: list = []
    with pytest.raises(ScenarioError, match="replicates"):
        compare_to_precision(
            default_scenario(),
            [default_scenario()],
            precision=0.01,
            max_replicates=5000,
            runner=lambda *a, **k: calls.append(a),
        )
    assert calls == []


# --- the command ---------------------------------------------------------------------------------------


@pytest.mark.usefixtures("quick_figures")
def test_cli_precision_stops_at_the_cap_and_says_so(files, tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["compare", str(files["baseline"]), str(files["funding"]), "--precision", "1e-6"]
    assert main([*argv, "--replicates", "2", "--max-replicates", "4", "--level", "0.9", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert meta["precision"]["stopped"] == CAPPED and meta["replicates"] == 4 and meta["seeds"] == [1, 2, 3, 4]
    assert meta["precision"]["batches"] == [2, 2] and meta["confidence_level"] == 0.9
    assert "replicate cap reached (4)" in printed and "90 % confidence intervals" in printed
    assert meta["command_line"].startswith("talentsim compare") and "--precision 1e-6" in meta["command_line"]
    effects = pd.read_csv(out / "effects.csv")
    assert set(effects["paired_replicates"]) == {4}


@pytest.mark.usefixtures("quick_figures")
def test_cli_precision_reached_with_a_loose_target(files, tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["compare", str(files["baseline"]), str(files["funding"]), "--precision", "0.5", "--replicates", "2"]
    assert main([*argv, "--out", str(out)]) == 0
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert meta["precision"]["stopped"] == REACHED and meta["replicates"] == 2
    assert f"{REACHED}: every headline effect's 95 % interval" in capsys.readouterr().out


def run_cli(argv: list[str]) -> int:
    """The command's exit status, whether argparse or the command refused the input."""
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code)


@pytest.mark.parametrize(
    "options",
    [
        ["--precision", "0.01", "--replicates", "1"],
        ["--precision", "0.01", "--max-replicates", "5000"],
        ["--precision", "0"],
        ["--level", "1.5"],
        ["--level", "0"],
    ],
)
def test_cli_bad_precision_options_exit_2_and_write_nothing(files, tmp_path, capsys, options):
    out = tmp_path / "out"
    assert run_cli(["compare", str(files["baseline"]), str(files["funding"]), *options, "--out", str(out)]) == 2
    assert "error" in capsys.readouterr().err
    assert not out.exists()
