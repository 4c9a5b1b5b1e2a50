"""Sweep files: malformed ones are refused with the file, the field and what was expected; designs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from talentsim.cli import main
from talentsim.sweep import Input, SweepError, load_sweep, make_design

from .conftest import REPO, sweep_text, write_sweep

LEVER = '[[input]]\npath = "policy.funding.coverage"\nkind = "lever"\n'

# (id, parts of the sweep file, field named in the message, words of the message)
BAD = [
    ("unknown-top-level-key", {"head": 'name = "x"\ncolour = 1'}, "colour", "unknown key"),
    ("missing-name", {"head": "seed = 1"}, "name", "missing required field"),
    ("replicates-zero", {"head": 'name = "x"\nreplicates = 0'}, "replicates", "greater than or equal to 1"),
    ("unknown-method", {"design": 'method = "random"\npoints = 4'}, "design.method", "'grid', 'lhs', 'sobol'"),
    ("grid-with-points", {"design": 'method = "grid"\npoints = 4'}, "design.points", "leave points out"),
    ("lhs-without-points", {"design": 'method = "lhs"'}, "design.points", "needs the number of points"),
    ("sobol-not-power-of-2", {"design": 'method = "sobol"\npoints = 12'}, "design.points", "power of 2"),
    ("levels-not-morris", {"design": 'method = "lhs"\npoints = 4\nlevels = 4'}, "design.levels", "morris"),
    (
        "unknown-field-path",
        {"inputs": '[[input]]\npath = "processes.matching.speed"\nkind = "uncertainty"\nrange = [0, 1]\n'},
        "input[0].path",
        "unknown field 'speed' in processes.matching",
    ),
    (
        "unknown-lever-type",
        {"inputs": '[[input]]\npath = "policy.subsidies.coverage"\nkind = "lever"\nrange = [0, 1]\n'},
        "input[0].path",
        "unknown lever type 'subsidies'",
    ),
    (
        "lever-absent-from-base",
        {
            "inputs": LEVER + "range = [0, 1]\n",
            "scenario": REPO / "scenarios" / "baseline.toml",
        },
        "input[0].path",
        "no [[policy]] table of type 'funding'",
    ),
    (
        "unknown-lever-parameter",
        {"inputs": '[[input]]\npath = "policy.funding.cover"\nkind = "lever"\nrange = [0, 1]\n'},
        "input[0].path",
        "unknown field 'cover' in the [[policy]] table of type 'funding'",
    ),
    (
        "path-is-a-table",
        {"inputs": '[[input]]\npath = "processes.matching"\nkind = "uncertainty"\nrange = [0, 1]\n'},
        "input[0].path",
        "is a table",
    ),
    (
        "value-out-of-range",
        {"inputs": LEVER + "range = [0.0, 1.5]\n"},
        "input[0] (policy.funding.coverage)",
        "1.5 is refused by the scenario: policy[9].coverage: expected a number less than or equal to 1",
    ),
    (
        "listed-value-wrong-type",
        {"inputs": LEVER + 'values = [0.5, "all"]\n'},
        "input[0] (policy.funding.coverage)",
        "'all' is refused by the scenario",
    ),
    ("missing-kind", {"inputs": '[[input]]\npath = "scale"\nrange = [1e4, 3e4]\n'}, "input[0].kind", "missing"),
    (
        "bad-kind",
        {"inputs": '[[input]]\npath = "scale"\nkind = "policy"\nrange = [1e4, 3e4]\n'},
        "input[0].kind",
        "'lever' or 'uncertainty'",
    ),
    (
        "range-reversed",
        {"inputs": LEVER + "range = [1.0, 0.0]\n"},
        "input[0].range",
        "expected [low, high] with low < high",
    ),
    ("no-values", {"inputs": LEVER}, "input[0]", "a uniform input needs range"),
    (
        "normal-without-sd",
        {"inputs": LEVER + 'distribution = "normal"\nmean = 0.5\n'},
        "input[0]",
        "a normal input needs sd",
    ),
    (
        "unknown-distribution",
        {"inputs": LEVER + 'distribution = "beta"\nrange = [0, 1]\n'},
        "input[0].distribution",
        "'uniform', 'loguniform', 'normal' or 'triangular'",
    ),
    (
        "unknown-input-key",
        {"inputs": LEVER + "range = [0, 1]\nstep = 0.1\n"},
        "input[0].step",
        "unknown key",
    ),
    (
        "same-path-twice",
        {"inputs": LEVER + "range = [0, 1]\n" + LEVER.replace('"lever"', '"lever"\nname = "c2"') + "range = [0, 1]\n"},
        "input[1].path",
        "already varied by input 'policy.funding.coverage'",
    ),
    (
        "reserved-name",
        {"inputs": LEVER + 'name = "seed"\nrange = [0, 1]\n'},
        "input[0].name",
        "column of the result tables",
    ),
    ("unknown-metric", {"outcomes": 'metrics = ["talent"]'}, "outcomes.metrics", "unknown metric 'talent'"),
    (
        "unknown-region",
        {"outcomes": 'metrics = ["n_digital_talent"]\nregions = ["Tibet"]'},
        "outcomes.regions",
        "unknown region 'Tibet'",
    ),
    (
        "date-outside-horizon",
        {"outcomes": 'metrics = ["n_digital_talent"]\ndates = ["2026-12"]'},
        "outcomes.dates",
        "outside the horizon 2024-01 to 2024-06",
    ),
    ("bad-month", {"outcomes": 'metrics = ["n_digital_talent"]\ndates = ["2024-13"]'}, "outcomes.dates", "YYYY-MM"),
    ("unknown-fixed-path", {"fixed": "scales = 20000"}, "fixed.scales", "unknown field 'scales'"),
    ("fixed-out-of-range", {"fixed": "scale = -1"}, "fixed.scale", "greater than 0"),
    ("missing-scenario", {"scenario": Path("no_such.toml")}, "scenario", "file not found"),
]


@pytest.mark.parametrize(("parts", "field", "words"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_malformed_sweep_refused_with_file_field_and_expectation(tmp_path, capsys, parts, field, words):
    path = write_sweep(tmp_path, **parts)
    assert main(["sweep", str(path), "--out", str(tmp_path / "out"), "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}: "), err
    assert f": {field}: " in err, err
    assert words in err, err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_not_toml_and_missing_file_refused(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("name = \n", encoding="utf-8")
    assert main(["sweep", str(bad), "--dry-run"]) == 2
    assert "not valid TOML" in capsys.readouterr().err
    assert main(["sweep", str(tmp_path / "none.toml"), "--dry-run"]) == 2
    assert "none.toml: file not found" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["levers_lhs", "sobol_small", "morris_guesses", "benchmark_baseline"])
def test_example_sweeps_validate(name, capsys):
    assert main(["sweep", str(REPO / "sweeps" / f"{name}.toml"), "--dry-run"]) == 0
    assert f"valid sweep {name!r}" in capsys.readouterr().out


def test_lever_path_resolves_to_the_base_lever_and_int_fields_are_rounded(tmp_path):
    inputs = (
        '[[input]]\npath = "policy.funding.coverage"\nkind = "lever"\nrange = [0.0, 1.0]\n\n'
        '[[input]]\npath = "processes.training.duration_months"\nname = "months"\nkind = "uncertainty"\n'
        "range = [2, 8]\n"
    )
    sweep = load_sweep(write_sweep(tmp_path, inputs=inputs))
    assert sweep.model.paths["policy.funding.coverage"][:1] == ("policy",)
    lever = sweep.base.policy[sweep.model.paths["policy.funding.coverage"][1]]
    assert lever.type == "funding"
    months = sweep.design.values["months"]
    assert months.dtype == np.int64 and months.between(2, 8).all()
    point = sweep.design.runs()[0][4]
    spec = sweep.model.scenario(point)
    assert spec.processes.training.duration_months == point["months"]
    assert spec.policy[sweep.model.paths["policy.funding.coverage"][1]].coverage == point["policy.funding.coverage"]
    assert spec.scale == 20000 and spec.horizon.end == "2024-06"


def test_design_sizes_and_seeds():
    ins = [
        {"name": "a", "kind": "lever", "range": [0, 1]},
        {"name": "b", "kind": "uncertainty", "values": ["x", "y", "z"]},
        {"name": "c", "kind": "uncertainty", "distribution": "normal", "mean": 1.0, "sd": 0.1},
    ]
    grid = make_design([{**ins[0], "levels": 4}, ins[1]], "grid", replicates=2, seed=5)
    assert grid.n_points == 12 and grid.n_runs == 24
    assert sorted(set(grid.values["a"])) == pytest.approx([0, 1 / 3, 2 / 3, 1])
    t = grid.table
    assert list(t["run_id"]) == list(range(24))
    assert (t["seed"] == 5 + t["replicate"]).all()
    lhs = make_design(ins, "lhs", 10, seed=3)
    assert lhs.n_points == 10
    assert sorted(np.floor(lhs.samples[:, 0] * 10)) == list(range(10))  # one point per stratum
    assert set(lhs.values["b"]) <= {"x", "y", "z"}
    assert lhs.values.equals(make_design(ins, "lhs", 10, seed=3).values)
    assert not lhs.values.equals(make_design(ins, "lhs", 10, seed=4).values)
    assert make_design(ins, "sobol", 8).n_points == 8 * (3 + 2)
    assert make_design(ins, "sobol", 8, second_order=True).n_points == 8 * (2 * 3 + 2)
    assert make_design(ins[:1] + ins[2:], "morris", 5).n_points == 5 * 3


def test_distributions_map_through_their_quantiles():
    u = np.array([0.0, 0.5, 1.0])
    assert Input(name="t", kind="uncertainty", distribution="triangular", range=[0, 4], mode=1).from_unit(u)[0] == 0
    tri = Input(name="t", kind="uncertainty", distribution="triangular", range=[0, 4], mode=1).from_unit(u)
    assert tri[2] == 4 and tri[1] == pytest.approx(4 - np.sqrt(0.5 * 4 * 3))
    norm = Input(name="n", kind="uncertainty", distribution="normal", mean=2.0, sd=0.5).from_unit(u)
    assert norm[1] == pytest.approx(2.0) and np.isfinite(norm).all()
    trunc = Input(name="n", kind="uncertainty", distribution="normal", mean=2.0, sd=5, range=[1, 3]).from_unit(u)
    assert trunc[0] == 1 and trunc[2] == 3
    logu = Input(name="l", kind="uncertainty", distribution="loguniform", range=[0.5, 2.0]).from_unit(u)
    assert logu == pytest.approx([0.5, 1.0, 2.0])


def test_sweep_from_dict_names_its_label():
    with pytest.raises(SweepError, match=r"^<notebook>: design: missing required field"):
        from talentsim.sweep import Sweep

        Sweep.from_dict({"name": "x", "scenario": "a.toml", "input": [], "outcomes": {}}, "<notebook>")


def test_example_in_docs_is_a_valid_sweep_file(tmp_path):
    text = (REPO / "docs" / "sweeps.md").read_text(encoding="utf-8")
    example = text.split("```toml\n", 1)[1].split("```", 1)[0]
    assert 'method = "lhs"' in example
    scenarios = REPO / "scenarios"
    path = write_sweep(tmp_path, example.replace('"../scenarios/', f'"{scenarios}/'))
    sweep = load_sweep(path)
    assert sweep.design.n_runs == 80 and [i.kind for i in sweep.design.inputs] == ["lever", "uncertainty"]


def test_tiny_sweep_text_is_valid(tmp_path):
    sweep = load_sweep(write_sweep(tmp_path, sweep_text()))
    assert sweep.design.n_runs == 8
