"""The app's parts without a browser: measures, form, messages, runner, views and the command."""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from talentsim.app import form as app_form
from talentsim.app.form import BASELINE_FILE, build, form_from_scenario, scenario_file, scenario_toml
from talentsim.app.levers import lever_entries
from talentsim.catalogue import lever_label
from talentsim.cli import main
from talentsim.errors import ScenarioError
from talentsim.policies import LEVERS
from talentsim.scenario import load_scenario

TINY = {"scale": 50000.0, "horizon_end": "2024-06", "replicates": 1}  # the lever acts from 2024-04


def west_training(**changes):
    f = replace(form_from_scenario("baseline"), **{**TINY, **changes})
    f = f.with_lever("engineer_training", on=True, regions=("West",))
    return f.with_value("engineer_training", "seats_per_year", 160000.0)


# --- the twelve measures ----------------------------------------------------------------------


def test_the_twelve_measures_in_the_plans_order_with_names_clauses_and_ranges():
    entries = lever_entries()
    assert [e.name for e in entries] == list(LEVERS)
    for e in entries:
        assert (e.en, e.zh) == (lever_label(e.name, "en"), lever_label(e.name, "zh"))
        assert e.clause.startswith(("重点任务", "政策保障")) and "\n" not in e.clause
        assert e.intensities
    et = {i.name: i for i in entries[0].intensities}
    assert (et["take_up_rate"].low, et["take_up_rate"].high) == (0.0, 1.0)  # a Rate
    assert (et["min_level"].low, et["min_level"].high, et["min_level"].integer) == (1.0, 8.0, True)
    seats = et["seats_per_year"]
    assert seats.low == 0.0 and seats.high is None and seats.slider_high == 4 * 80000  # room to double it
    assert "fields" in entries[0].other_fields


# --- the form and its scenario ------------------------------------------------------------------


@pytest.mark.parametrize("start", ["baseline", "action_plan", "counterfactuals/incentives_west_only"])
def test_a_form_from_a_shipped_scenario_builds_that_scenario(start):
    shipped = load_scenario(start)
    built = build(form_from_scenario(start))
    assert built.scenario.policy == shipped.policy
    assert built.scenario.horizon == shipped.horizon and built.scenario.scale == shipped.scale
    assert built.baseline.policy == [] and built.baseline.horizon == shipped.horizon


def test_the_downloaded_file_validates_and_loads_to_the_scenario_that_runs(tmp_path, capsys):
    f = west_training()
    built = build(f)
    path = tmp_path / scenario_file(f)
    path.write_text(scenario_toml(f), encoding="utf-8")
    (tmp_path / BASELINE_FILE).write_text(built.baseline_text, encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    assert main(["validate", str(tmp_path / BASELINE_FILE)]) == 0
    assert "valid scenario 'my_scenario'" in capsys.readouterr().out
    assert load_scenario(path).digest() == built.scenario.digest()
    assert load_scenario(tmp_path / BASELINE_FILE).digest() == built.baseline.digest()
    [lever] = built.scenario.policy
    assert (lever.type, lever.regions, lever.seats_per_year) == ("engineer_training", ["West"], 160000.0)
    assert f"--seed {f.seed} --replicates {f.replicates}" in built.scenario_text


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"start": "2026-01", "end": "2025-01"}, "policy[0]: end 2025-01 is before start 2026-01"),
        ({"end": "2026-13"}, "policy[0].end: expected a month as YYYY-MM, got '2026-13'"),
        ({"values": {"take_up_rate": 1.5}}, "policy[0].take_up_rate: expected a number less than or equal to 1"),
        ({"values": {"seats_per_year": -5.0}}, "policy[0].seats_per_year: expected a number greater than or equal"),
        ({"values": {"min_level": 9}}, "policy[0].min_level: expected a number less than or equal to 8, got 9"),
    ],
    ids=["end-before-start", "bad-month", "rate-above-1", "negative-seats", "level-above-8"],
)
def test_bad_input_gets_the_message_the_file_gets(tmp_path, capsys, change, expected):
    f = west_training()
    if "values" in change:
        [(name, value)] = change["values"].items()
        f = f.with_value("engineer_training", name, value)
    else:
        f = f.with_lever("engineer_training", **change)
    with pytest.raises(ScenarioError) as caught:
        build(f)
    message = str(caught.value)
    assert message.startswith(f"my_scenario.toml: {expected}")
    # the same text, written to a file and checked by `talentsim validate`, gets the same message
    path = tmp_path / "my_scenario.toml"
    path.write_text(scenario_toml(f), encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err.strip() == f"error: {message.replace('my_scenario.toml', str(path))}"


def test_no_region_chosen_and_bad_names_and_sizes_are_refused():
    with pytest.raises(ScenarioError, match=r"policy\[0\] \(engineer_training\)\.regions: no region chosen"):
        build(west_training().with_lever("engineer_training", regions=()))
    for name in ("baseline", "app_baseline", ""):
        with pytest.raises(ScenarioError, match="name: expected"):
            build(west_training(name=name))
    with pytest.raises(ScenarioError, match=r"scale: .*person-agents"):
        build(west_training(scale=1.0))
    with pytest.raises(ScenarioError, match="replicates: expected 1 to"):
        build(west_training(replicates=0))


def test_a_window_outside_the_horizon_is_warned_about_not_refused():
    built = build(west_training().with_lever("engineer_training", start="2030-01", end="2030-06"))
    assert any("lies wholly outside the horizon" in w for w in built.warnings)


# --- the runner -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def runner():
    from talentsim.app.runner import Runner

    return Runner()


def _request(tmp_path, name="r", **changes):
    """A run of the West training form; without figures (the browser test checks the app's saved figures)."""
    from talentsim.app.runner import RunRequest

    f = west_training(**changes)
    built = build(f)
    files = {"x.toml": "x = 1\n"}
    return RunRequest(built.baseline, built.scenario, f.seed, f.replicates, tmp_path / name, files, figures=False)


def test_a_run_equals_compare_and_the_second_takes_the_baseline_from_the_cache(runner, tmp_path):
    from talentsim.compare import compare

    request = _request(tmp_path, replicates=2)
    seen = []
    first = runner.run(request, on_progress=lambda d, t: seen.append((d, t)))
    assert first.status == "done" and not first.used_cache, first
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)  # baseline and scenario, 2 replicates each
    again = runner.run(replace(request, out=tmp_path / "again"))
    assert again.status == "done" and again.used_cache
    direct = compare(request.baseline, [request.scenario], seed=request.seed, replicates=2)
    for folder in (tmp_path / "r", tmp_path / "again"):
        saved = pd.read_csv(folder / "effects.csv")
        pd.testing.assert_frame_equal(saved, pd.read_csv(tmp_path / "r" / "effects.csv"))
        assert (folder / "x.toml").read_text() == "x = 1\n"
        assert not (folder / "figures").exists()  # figures=False reaches Comparison.save in the child
    head = direct.effects[direct.effects["region"] == "all"]
    cost = head[head["metric"] == "cum_policy_cost"]["effect_median"].iloc[-1]
    assert cost > 0  # the lever acted: the comparison is not trivially zero
    mine = pd.read_csv(tmp_path / "again" / "effects.csv")
    mine = mine[mine["region"] == "all"]
    np.testing.assert_array_equal(mine["effect_median"].to_numpy(), head["effect_median"].to_numpy())


def test_a_run_that_raises_reports_its_error(runner, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    failed = runner.run(_request(tmp_path, name="file/sub"))
    assert failed.status in ("error", "bad_input") and "file" in failed.message
    assert blocked.read_text() == "not a folder"


def test_cancel_stops_the_run_and_writes_nothing(runner, tmp_path):
    start = time.monotonic()
    out = runner.run(
        _request(tmp_path, name="c", horizon_end="2026-12", replicates=3, seed=7),
        cancelled=lambda: time.monotonic() - start > 1.0,
    )
    assert out.status == "cancelled"
    assert time.monotonic() - start < 30
    assert not (tmp_path / "c").exists() and not list(tmp_path.glob(".c.tmp-*"))


# --- views --------------------------------------------------------------------------------------


def test_the_tile_map_colours_each_region_by_its_effect():
    from matplotlib.patches import FancyBboxPatch

    from talentsim.app.views import TILES, regional_effects, tile_map

    effects = pd.DataFrame(
        {
            "scenario": "s",
            "metric": "n_digital_talent",
            "region": ["all", *TILES, *TILES],
            "date": [pd.Timestamp("2024-12-01")] * 9 + [pd.Timestamp("2024-11-01")] * 8,
            "effect_median": [99.0, *np.arange(8) * 1000 - 3000, *np.zeros(8)],
        }
    )
    values = regional_effects(effects, "n_digital_talent")
    assert list(values.index) == list(TILES) and values["West"] == 0.0 and values["Northeast"] == -3000.0
    fig = tile_map(values, "n_digital_talent", "t", lang="zh", wan=True)
    tiles = [p for p in fig.axes[0].patches if isinstance(p, FancyBboxPatch)]
    assert len(tiles) == 8
    colours = {t.get_label() or i: t.get_facecolor() for i, t in enumerate(tiles)}
    first, last = colours[0], colours[7]  # Northeast -3000 (red), Guangdong +4000 (blue)
    assert first[0] > first[2] and last[2] > last[0]
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "西部" in texts and "+0.4" in texts  # Guangdong +4000 people = +0.4 万


# --- the command ----------------------------------------------------------------------------------


def test_app_without_solara_says_how_to_install_it(monkeypatch, capsys, tmp_path):
    import talentsim.app.serve as serve

    monkeypatch.setattr(serve.importlib.util, "find_spec", lambda name: None)
    monkeypatch.setattr(serve, "serve", lambda *a: pytest.fail("must not start"))
    assert main(["app", "--results", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert 'pip install -e ".[app]"' in err and "Traceback" not in err


def test_app_refuses_a_bad_port_and_a_results_file(monkeypatch, capsys, tmp_path):
    import talentsim.app.serve as serve

    monkeypatch.setattr(serve, "serve", lambda *a: pytest.fail("must not start"))
    assert main(["app", "--port", "70000"]) == 2
    (tmp_path / "f").write_text("x")
    assert main(["app", "--results", str(tmp_path / "f")]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["app", "--port", "0"])
    assert exc.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_app_help_imports_nothing_heavy():
    from tests.test_lazy_imports import imported_after

    code = (
        "import contextlib, io\nfrom talentsim.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        main(['app', '--help'])\n    except SystemExit:\n        pass\n"
    )
    assert imported_after(code) == []


def test_the_server_command_serves_locally_without_calls_home(tmp_path):
    from talentsim.app.serve import server_command, server_environment

    cmd = server_command(8765)
    assert cmd[:5] == [sys.executable, "-m", "solara", "run", "talentsim.app.page"]
    assert {"--production", "--no-check-version", "127.0.0.1"} <= set(cmd)
    env = server_environment(tmp_path)
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False" and env[app_form.__name__ and "MPLBACKEND"] == "Agg"
    assert Path(env["TALENTSIM_APP_RESULTS"]) == tmp_path.resolve()


def test_saved_folders_are_the_comparison_folders_newest_first(tmp_path):
    import os

    from talentsim.app.views import result_folders

    for i, name in enumerate(["old", "new"]):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "effects.csv").write_text("x\n")
        (folder / "metadata.json").write_text("{}")
        os.utime(folder, (1000 + i, 1000 + i))
    (tmp_path / "not_a_result").mkdir()
    (tmp_path / "file.csv").write_text("x")
    assert [p.name for p in result_folders(tmp_path)] == ["new", "old"]
    assert result_folders(tmp_path / "missing") == []
