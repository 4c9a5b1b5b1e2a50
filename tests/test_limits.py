"""Bounds on sizes, checked before any work (issue 17, item 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import talentsim
from talentsim.cli import main
from talentsim.limits import (
    MAX_DESIGN_POINTS,
    MAX_PERSONS,
    MAX_REPLICATES,
    MAX_SEED,
    design_points,
    estimated_persons,
)
from talentsim.model import TalentModel
from talentsim.scenario import ScenarioError, default_scenario, default_scenario_path
from talentsim.sweep.design import Input, make_design

REPO = Path(__file__).parents[1]
BASELINE = default_scenario_path()


def test_person_estimate_is_above_the_persons_a_run_allocates():
    spec = default_scenario().with_updates(scale=40000.0, horizon__end="2025-12")
    model = TalentModel(spec, rng=1).run()
    assert model.pop.n <= estimated_persons(spec) <= 3 * model.pop.n


@pytest.mark.parametrize(
    "overrides",
    [
        {"scale": 1e-300},
        {"scale": 0.01},
        {"processes__education__intake_per_year": {"vocational": 1.0, "undergraduate": 1.0, "postgraduate": 1e300}},
        {"processes__demography__entrants_per_year": 1e300},
    ],
)
def test_too_many_persons_are_refused_before_anything_is_allocated(overrides):
    spec = default_scenario().with_updates(**overrides)
    assert estimated_persons(spec) > MAX_PERSONS
    for call in (lambda: TalentModel(spec, rng=1), lambda: talentsim.run(spec)):
        with pytest.raises(ScenarioError, match=f"at most {MAX_PERSONS:,} fit in memory"):
            call()


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (["--scale", "1e-300"], "person-agents"),
        (["--scale", "0.01"], "use a scale of at least"),
        (["--replicates", str(10**20)], f"expected 1 to {MAX_REPLICATES:,} replicates"),
        (["--seed", str(2**63)], "below 2**63"),
        (["--seed", str(MAX_SEED), "--replicates", "2"], "below 2**63"),
        (["--replicates", "1000", "--seed", "1"], "rows"),  # 1000 replicates to 2060 are too big a table
    ],
)
def test_run_refuses_sizes_beyond_the_limits(tmp_path, capsys, monkeypatch, options, words):
    path = tmp_path / "long.toml"
    path.write_text(f'base = {json.dumps(str(BASELINE))}\n[horizon]\nend = "2060-12"\n', encoding="utf-8")
    monkeypatch.setattr("talentsim.experiment.run_one", pytest.fail)
    assert main(["run", str(path), "--out", str(tmp_path / "out"), *options]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.toml"]


def test_largest_seed_is_stored(tmp_path):
    spec = default_scenario().with_updates(scale=80000.0, horizon__end="2024-01")
    out = talentsim.run(spec, seed=MAX_SEED).save(tmp_path / "out")
    assert json.loads((out / "metadata.json").read_text())["seeds"] == [MAX_SEED]


def test_design_size_is_known_before_it_is_drawn():
    inputs = [
        Input(name="a", path="x", kind="lever", range=[0.0, 1.0]),
        Input(name="b", path="y", kind="uncertainty", values=[1, 2, 3, 4, 5]),
    ]
    for method, points, second in [("lhs", 7, False), ("sobol", 8, False), ("sobol", 8, True), ("morris", 3, False)]:
        design = make_design(inputs, method, points, second_order=second)
        assert design_points(method, inputs, points, second) == design.n_points
    assert design_points("grid", inputs, None, False) == make_design(inputs, "grid").n_points == 15


def sweep_file(tmp_path: Path, **replace: str) -> Path:
    text = (REPO / "sweeps" / "levers_lhs.toml").read_text(encoding="utf-8")
    text = text.replace('scenario = "../scenarios/', f'scenario = "{REPO}/scenarios/')
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "sweep.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("replace", "words"),
    [
        ({"points = 40": "points = 1000000000"}, f"at most {MAX_DESIGN_POINTS:,}"),
        ({"seed = 1 ": f"seed = {MAX_SEED} "}, "below 2**63"),
        ({"[fixed]": "[fixed]\nscale = 1e-300"}, "person-agents"),
        ({"replicates = 2": "replicates = 100000000000"}, "replicates"),
    ],
)
def test_sweep_dry_run_runs_the_same_checks(tmp_path, capsys, replace, words):
    path = sweep_file(tmp_path, **replace)
    assert main(["sweep", str(path), "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert words in err and str(path) in err and "Traceback" not in err


def test_sweep_varying_scale_is_checked_at_every_point(tmp_path, capsys):
    body = '\n[[input]]\nname = "scale"\npath = "scale"\nkind = "uncertainty"\nvalues = [2000.0, 0.001]\n'
    path = sweep_file(tmp_path)
    path.write_text(path.read_text() + body, encoding="utf-8")
    assert main(["sweep", str(path), "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "design point" in err and "scale = 0.001" in err and "person-agents" in err


def test_lever_recruits_count_as_persons(tmp_path, capsys):
    plan = REPO / "scenarios" / "action_plan.toml"
    from talentsim.scenario import load_scenario, validate_scenario

    data = load_scenario(plan).model_dump(mode="python")
    for lever in data["policy"]:
        if lever["type"] == "international_exchange":
            lever["recruits_per_year"] = 1e300
    assert estimated_persons(validate_scenario(data)) > MAX_PERSONS
    body = (
        '\n[[input]]\nname = "recruits"\npath = "policy.international_exchange.recruits_per_year"\n'
        'kind = "lever"\nvalues = [10000.0, 1e300]\n'
    )
    path = sweep_file(tmp_path)
    path.write_text(path.read_text() + body, encoding="utf-8")
    assert main(["sweep", str(path), "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "design point" in err and "recruits = 1e+300" in err
