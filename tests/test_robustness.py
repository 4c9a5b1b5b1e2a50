"""Crossed designs, regret, top-k per yuan, targets and PRIM scenario discovery (talentsim.robustness)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from talentsim.cli import main
from talentsim.limits import design_points
from talentsim.robustness import (
    RobustnessError,
    Target,
    analyse_robustness,
    load_crossed,
    parse_target,
    prim_box,
    regret_table,
    top_k,
)
from talentsim.sweep import make_design, run_design
from talentsim.sweep.design import Input

ROOT = Path(__file__).resolve().parents[1]

LEVERS = [
    {"name": "a", "kind": "lever", "values": [0, 1]},
    {"name": "b", "kind": "lever", "values": [0, 1]},
    {"name": "c", "kind": "lever", "values": [0, 1, 2]},
]
UNCERTAINTIES = [
    {"name": "u1", "kind": "uncertainty", "range": [0.0, 1.0]},
    {"name": "u2", "kind": "uncertainty", "range": [0.0, 1.0]},
]


def toy(a: int, b: int, c: int, u1: float, u2: float, seed: int) -> dict[str, float]:
    """A plan of three levers: talent added per lever depends on the uncertainties; costs are fixed."""
    noise = 0.01 * np.random.default_rng(seed).standard_normal()
    talent = 100 + a * 10 * (1 + u1) + b * 20 * u2 + c * 3 + noise
    return {
        "n_digital_talent": talent,
        "n_digital_gap": 160 - talent,
        "cum_policy_cost": 1.0 + a * 10 + b * 10 + c * 10,
    }


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    design = make_design([*LEVERS, *UNCERTAINTIES], "crossed", 40, replicates=2, seed=3, policies="one_at_a_time")
    out = tmp_path_factory.mktemp("rob") / "toy"
    result = run_design(toy, design, out=out, progress=False)
    assert result.failed == 0
    return out


def test_crossed_design_meets_every_setting_at_the_same_points() -> None:
    ins = [*LEVERS, *UNCERTAINTIES]
    one = make_design(ins, "crossed", 5, seed=1, policies="one_at_a_time")
    # reference, a, b, c=1, c=2, all at last values
    assert one.settings["lever_settings"] == 6
    assert one.n_points == 30 == design_points("crossed", [Input(**i) for i in ins], 5, False, "one_at_a_time")
    grid = make_design(ins, "crossed", 5, seed=1)
    assert grid.settings["lever_settings"] == 12 == grid.n_points // 5
    assert design_points("crossed", [Input(**i) for i in ins], 5, False) == grid.n_points
    v = one.values
    u = np.arange(len(v)) // 6
    for _, block in v.groupby(u):
        assert block[["u1", "u2"]].nunique().max() == 1  # one uncertainty point per block of settings
        assert block[["a", "b", "c"]].values.tolist() == [
            [0, 0, 0],
            [1, 0, 0],
            [0, 1, 0],
            [0, 0, 1],
            [0, 0, 2],
            [1, 1, 2],
        ]
    assert v.drop_duplicates(["u1"]).shape[0] == 5  # 5 distinct Latin-hypercube points
    assert make_design(ins, "crossed", 5, seed=1).fingerprint() == grid.fingerprint()  # reproducible


def test_crossed_design_needs_levers_and_uncertainties() -> None:
    with pytest.raises(ValueError, match="at least one lever input and one uncertainty"):
        make_design(UNCERTAINTIES, "crossed", 4)
    with pytest.raises(ValueError, match="unknown policies"):
        make_design([*LEVERS, *UNCERTAINTIES], "crossed", 4, policies="some")


def test_regret_is_zero_for_the_best_setting_on_every_draw(store: Path) -> None:
    runs = load_crossed(store)
    assert runs.n_draws == 80 and len(runs.labels) == 6
    assert runs.labels == ["reference", "a", "b", "c=1", "c=2", "a, b, c=2"]
    y = runs.table.pivot(index="draw", columns="setting", values="n_digital_talent")
    r = regret_table(runs, "n_digital_talent", "max")
    assert (r.to_numpy() >= 0).all()
    best = y.to_numpy().argmax(axis=1)
    assert (r.to_numpy()[np.arange(len(r)), best] == 0).all()
    assert (r.min(axis=1) == 0).all()
    # regret equals the best minus the setting's own outcome, draw by draw
    np.testing.assert_allclose(r.to_numpy(), y.max(axis=1).to_numpy()[:, None] - y.to_numpy())
    # for an outcome to minimise, the best (lowest) has regret 0 too
    rmin = regret_table(runs, "n_digital_gap", "min")
    gap = runs.table.pivot(index="draw", columns="setting", values="n_digital_gap").to_numpy()
    assert (rmin.to_numpy()[np.arange(len(gap)), gap.argmin(axis=1)] == 0).all()


def test_top_k_per_yuan_follows_the_definition(store: Path) -> None:
    runs = load_crossed(store)
    assert runs.single == {1: "a", 2: "b", 3: "c", 4: "c"}
    t = top_k(runs, "n_digital_talent", "cum_policy_cost", 1, "max").set_index("setting")
    tab = runs.table[runs.table["setting"] == 0].sort_values("draw")
    u1, u2 = tab["u1"].to_numpy(), tab["u2"].to_numpy()
    # per yuan: a = (1 + u1), b = 2 u2, c = 0.3 (c=1 and c=2 alike); noise is 1e-3 of these
    a_wins = (1 + u1 > 2 * u2) & (1 + u1 > 0.3)
    assert t.loc[1, "p_top_k"] == pytest.approx(a_wins.mean())
    assert t.loc[3, "p_top_k"] == 0 and t.loc[4, "p_top_k"] == 0
    assert t["p_top_k"].sum() == pytest.approx(1.0)
    t4 = top_k(runs, "n_digital_talent", "cum_policy_cost", 4, "max")
    assert (t4["p_top_k"] == 1).all()
    with pytest.raises(RobustnessError, match="top-k"):
        top_k(runs, "n_digital_talent", "cum_policy_cost", 5, "max")


def test_prim_recovers_a_known_box() -> None:
    pytest.importorskip("ema_workbench")
    rng = np.random.default_rng(7)
    x = pd.DataFrame(rng.uniform(0, 1, size=(1000, 4)), columns=["p", "q", "r", "s"])
    y = ((x["p"] > 0.6) & (x["q"] < 0.4)).to_numpy()
    box = prim_box(x, y)
    assert box["coverage"] >= 0.85 and box["density"] >= 0.85
    lim = box["limits"].set_index("input")
    assert set(lim.index) == {"p", "q"}  # r and s are left free
    assert lim.loc["p", "low"] == pytest.approx(0.6, abs=0.05)
    assert lim.loc["q", "high"] == pytest.approx(0.4, abs=0.05)


def test_targets_and_discovery_on_the_store(store: Path) -> None:
    pytest.importorskip("ema_workbench")
    rob = analyse_robustness(store, [parse_target("n_digital_gap<=35")], outcome="n_digital_talent", k=2)
    t = rob.targets.set_index("setting")
    runs = load_crossed(store)
    gap = runs.table.pivot(index="draw", columns="setting", values="n_digital_gap")
    assert t.loc[1, "share_met"] == pytest.approx((gap[1] <= 40).mean())
    # b alone meets the gap target (talent >= 120) only where 20 u2 >= 20 - noise: never; a alone when u1 >= 1
    # the whole plan (a, b, c=2): 100 + 10 (1 + u1) + 20 u2 + 6 >= 120  <=>  10 u1 + 20 u2 >= 4
    box = rob.boxes[rob.boxes["label"] == "a, b, c=2"]
    assert len(box) and box["coverage"].iloc[0] >= 0.5
    assert set(box["input"]) <= {"u1", "u2"}


def test_cli_writes_the_tables(store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("ema_workbench")
    out = tmp_path / "rob"
    code = main(["robustness", str(store), "--target", "n_digital_gap<=35", "--top-k", "2", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    for f in ("regret.csv", "top_k.csv", "targets.csv", "prim_boxes.csv", "robustness.json"):
        assert (out / f).is_file()
    meta = json.loads((out / "robustness.json").read_text())
    assert meta["draws"] == 80 and meta["goal"] == "max" and meta["k"] == 2
    assert "reference" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("n_digital_gap=<3", "expected METRIC<=VALUE"),
        ("n_digital_gap<=lots", "expected METRIC<=VALUE"),
        ("no_such_metric<=3", "unknown metric 'no_such_metric'"),
        ("unemployment_rate<=0.05", "'unemployment_rate' is not an outcome of this sweep"),
    ],
)
def test_bad_targets_exit_2(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str, message: str
) -> None:
    pytest.importorskip("ema_workbench")
    code = main(["robustness", str(store), "--target", target, "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_missing_extra_exits_2_with_the_install_command(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ema_workbench", None)
    monkeypatch.setitem(sys.modules, "ema_workbench.analysis", None)
    code = main(["robustness", str(store), "--target", "n_digital_gap<=35", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and 'pip install -e ".[robustness]"' in err


def test_sweeps_that_cannot_be_analysed_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def f(a: int, b: int, seed: int) -> float:
        return a + b

    no_unc = make_design(
        [{"name": "a", "kind": "lever", "range": [0, 1]}, {"name": "b", "kind": "lever", "range": [0, 1]}], "lhs", 4
    )
    run_design(f, no_unc, out=tmp_path / "levers_only", progress=False)
    assert main(["robustness", str(tmp_path / "levers_only")]) == 2
    assert "no uncertainty inputs" in capsys.readouterr().err
    lhs = make_design(
        [{"name": "a", "kind": "lever", "range": [0, 1]}, {"name": "b", "kind": "uncertainty", "range": [0, 1]}],
        "lhs",
        4,
    )
    run_design(f, lhs, out=tmp_path / "lhs", progress=False)
    assert main(["robustness", str(tmp_path / "lhs")]) == 2
    assert 'method = "crossed"' in capsys.readouterr().err
    assert main(["robustness", str(tmp_path / "nothing")]) == 2
    assert "not a sweep folder" in capsys.readouterr().err


def test_target_parsing() -> None:
    t = parse_target("n_digital_gap<=24e6")
    assert t == Target("n_digital_gap", "<=", 24e6)
    assert list(t.met([23e6, 24e6, 25e6])) == [True, True, False]
    assert parse_target(" high_level_share > 0.1 ").op == ">"
    with pytest.raises(RobustnessError, match="finite"):
        parse_target("n_digital_gap<=1e999")


def test_shipped_robustness_sweep_validates() -> None:
    from talentsim.sweep import load_sweep

    sweep = load_sweep(ROOT / "sweeps" / "plan_robustness.toml")
    d = sweep.design
    assert d.method == "crossed" and d.settings["lever_settings"] == 14
    kinds = [i.kind for i in d.inputs]
    assert kinds.count("lever") == 12 and kinds.count("uncertainty") >= 16
    costs = {i.name: i.range for i in d.inputs if i.kind == "uncertainty"}
    assert costs["engineer_training.cost_per_trainee"] == [2000, 10000]  # docs/levers.md's range
    assert costs["talent_incentives.package_yuan"] == [30000, 1000000]


def test_report_carries_the_robustness_and_attribution_sections(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("ema_workbench")
    import talentsim.report
    from talentsim.attribution import shapley
    from talentsim.experiment import run

    from .conftest import small

    # the sections are checked here, the standard figures in tests/test_report.py
    monkeypatch.setattr(talentsim.report, "standard_figures", lambda *args, **kwargs: {})

    result = run(small(horizon__end="2024-03"), seed=1, replicates=1)
    result.save(tmp_path / "run")
    rob = tmp_path / "rob"
    assert main(["robustness", str(store), "--target", "n_digital_gap<=35", "--out", str(rob)]) == 0

    def v(coalition: frozenset[str], seed: int) -> dict[str, float]:
        return {"n_digital_talent": 10.0 * len(coalition) + ("x" in coalition and "y" in coalition) * 7.0}

    shapley(["x", "y", "z"], v, [1, 2], permutations=2).save(tmp_path / "att")
    out = tmp_path / "r.html"
    args = ["report", str(tmp_path / "run"), "--out", str(out), "--robustness", str(rob)]
    assert main([*args, "--attribution", str(tmp_path / "att")]) == 0, capsys.readouterr().err
    page = out.read_text(encoding="utf-8")
    assert '<section id="robustness">' in page and '<section id="attribution">' in page
    assert page.index('id="attribution"') < page.index('id="provenance"')
    regret = pd.read_csv(rob / "regret.csv")
    assert f"{regret['mean_regret'].iloc[-1]:.4g}" in page  # the numbers the command wrote
    assert "13.5" in page  # x's share: 10 + 7/2
    # a folder that is not one of these: exit 2, nothing written
    bad = tmp_path / "bad.html"
    assert main(["report", str(tmp_path / "run"), "--out", str(bad), "--attribution", str(rob)]) == 2
    assert "attribution.json" in capsys.readouterr().err
    assert not bad.exists()


def test_discovery_inputs_are_checked_and_used(store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("ema_workbench")
    base = ["robustness", str(store), "--target", "n_digital_gap<=35"]
    assert main([*base, "--discover-inputs", "nope", "--out", str(tmp_path / "a")]) == 2
    assert "'nope' is not an uncertainty of this sweep" in capsys.readouterr().err
    assert main([*base, "--discover-inputs", "u2", "--out", str(tmp_path / "b")]) == 0
    boxes = pd.read_csv(tmp_path / "b" / "prim_boxes.csv")
    assert set(boxes["input"].dropna()) == {"u2"}


def test_policies_apply_to_crossed_designs_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "sweeps" / "plan_robustness.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(
        text.replace('method = "crossed"', 'method = "lhs"').replace("../scenarios", str(ROOT / "scenarios")),
        encoding="utf-8",
    )
    assert main(["sweep", str(bad), "--dry-run"]) == 2
    assert "policies: applies to crossed designs only" in capsys.readouterr().err
