"""The levers: zero intensity and windows outside the horizon change nothing; each lever moves
its first outcome in the documented direction on common random numbers; levers act only inside
their window and regions; bad lever input is refused."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from talentsim import TalentModel, lever_docs
from talentsim.cli import main
from talentsim.effects import Effects
from talentsim.experiment import run_one
from talentsim.policies import LEVER_NAMES, LEVERS, FirstOutcome, Lever, register_lever
from talentsim.policies.registry import is_cost_field
from talentsim.scenario import Scenario, ScenarioError, default_scenario, default_scenario_path, validate_scenario

END = "2025-06"
SEEDS = range(1, 6)
# The levers shipped with the package, read from the registry when the tests are collected (a lever
# registered later, as in test_new_lever.py, runs through the same checks by name).
SHIPPED = list(LEVER_NAMES)


def lever_class(name: str) -> type[Lever]:
    return LEVERS[name][1]


def neutral(name: str) -> dict[str, object]:
    """Parameter values at which the lever does nothing (costs left as they are), as it declares."""
    return dict(lever_class(name).neutral)


def first_outcome(name: str) -> FirstOutcome:
    """The outcome the lever must move up, as it declares (scale, overrides and settings of the check)."""
    return lever_class(name).first_outcome


def with_lever(name: str, scale: float, horizon_end: str = END, **params: object) -> Scenario:
    data = default_scenario().model_dump(mode="python")
    data["scale"] = scale
    data["horizon"]["end"] = horizon_end
    data["policy"] = [{"type": name, **params}]
    return validate_scenario(data, f"<{name}>")


def baseline(scale: float, end: str = END) -> Scenario:
    return default_scenario().with_updates(scale=scale, horizon__end=end)


@functools.lru_cache(maxsize=32)
def baseline_table(scale: float, seed: int, end: str = END) -> pd.DataFrame:
    return run_one(baseline(scale, end), seed)


def national(df: pd.DataFrame, metric: str, region: str = "all") -> pd.Series:
    sel = df[(df["metric"] == metric) & (df["region"] == region) & (df["field"] == "all") & (df["level"] == "all")]
    return sel["value"].reset_index(drop=True)


def outcome(df: pd.DataFrame, metric: str, how: str, covered: list[str] | None = None) -> float:
    if metric == "high_level_share_of_covered":

        def high(region: str) -> float:
            return national(df, "n_digital_talent", region).iloc[-1] * national(df, "high_level_share", region).iloc[-1]

        return sum(high(r) for r in covered or []) / high("all")
    series = national(df, metric)
    return float(series.sum() if how == "sum" else series.iloc[-1])


def outcomes_only(df: pd.DataFrame) -> pd.DataFrame:
    return df.drop(columns=["scenario"]).reset_index(drop=True)


def assert_same_as_baseline(lever_table: pd.DataFrame, base_table: pd.DataFrame) -> None:
    """Bit-for-bit equal, apart from metrics only one table has, which must be all zero.

    Those are the lever's own course's trainee count and, when a lever was registered between the
    two runs (tests/policies/test_new_lever.py), its cost.
    """
    only = set(lever_table["metric"]) ^ set(base_table["metric"])
    assert all(m.startswith(("new_trainees_", "cum_policy_cost_")) for m in only), only
    for table in (lever_table, base_table):
        assert (table.loc[table["metric"].isin(only), "value"] == 0).all()
    lever_table, base_table = (t[~t["metric"].isin(only)] for t in (lever_table, base_table))
    pd.testing.assert_frame_equal(outcomes_only(lever_table), outcomes_only(base_table))


def test_every_plan_measure_has_a_lever():
    """The plan's six tasks and six guarantees, in the plan's order, each with its own lever."""
    plan = [f"重点任务 {i}" for i in range(1, 7)] + [f"政策保障 {i}" for i in range(1, 7)]
    clauses = [lever_class(name).clause for name in SHIPPED]
    assert [c for c in clauses if c in plan] == plan  # each measure once, in the plan's order


def check_zero_intensity(name: str) -> None:
    spec = with_lever(name, 20000.0, horizon_end="2024-12", **neutral(name))
    assert_same_as_baseline(run_one(spec, 3), baseline_table(20000.0, 3, "2024-12"))


def check_window_outside_the_horizon(name: str) -> None:
    spec = with_lever(name, 20000.0, horizon_end="2024-12", start="2025-01", end="2026-12")
    assert_same_as_baseline(run_one(spec, 3), baseline_table(20000.0, 3, "2024-12"))


def check_first_outcome(name: str) -> None:
    """The first outcome moves up on every pair's 10th percentile, and the lever paid for it."""
    fo = first_outcome(name)
    spec = with_lever(name, fo.scale, **fo.overrides)
    if fo.settings:
        spec = spec.with_updates(**fo.settings)
        base = [run_one(baseline(fo.scale).with_updates(**fo.settings), s) for s in SEEDS]
    else:
        base = [baseline_table(fo.scale, s) for s in SEEDS]
    runs = [run_one(spec, s) for s in SEEDS]
    covered = spec.policy[0].regions
    diffs = np.array(
        [
            outcome(r, fo.metric, fo.how, covered) - outcome(b, fo.metric, fo.how, covered)
            for r, b in zip(runs, base, strict=True)
        ]
    )
    low = np.percentile(diffs, 10)
    assert low > 0, (name, fo.metric, diffs)
    spent = np.array([national(r, f"cum_policy_cost_{name}").iloc[-1] for r in runs])
    assert (spent > 0).all(), (name, spent)  # every lever costs something at the intensity checked


@pytest.mark.parametrize("name", SHIPPED)
def test_zero_intensity_reproduces_the_baseline_bit_for_bit(name):
    check_zero_intensity(name)


@pytest.mark.parametrize("name", SHIPPED)
def test_window_outside_the_horizon_reproduces_the_baseline(name):
    check_window_outside_the_horizon(name)


@pytest.mark.parametrize("name", SHIPPED)
def test_lever_moves_its_first_outcome_up(name):
    check_first_outcome(name)


def _neutral_regional_fields() -> dict[str, np.ndarray]:
    fx = Effects(8)
    return {k: v for k, v in vars(fx).items() if isinstance(v, np.ndarray) and v.shape[:1] == (8,)}


def _neutral_scalar_fields() -> dict[str, float]:
    return {k: v for k, v in vars(Effects(8)).items() if isinstance(v, float)}


@pytest.mark.parametrize("name", SHIPPED)
def test_lever_acts_only_inside_its_window_and_regions(name):
    covered = ["West", "Central"]
    data = with_lever(name, 20000.0, horizon_end="2024-12").model_dump(mode="python")
    data["policy"][0].update(start="2024-03", end="2024-10", regions=covered)
    if name == "competitions":
        data["policy"][0]["month"] = 5
    model = TalentModel(validate_scenario(data), rng=1)
    codes = [model.region_names.index(r) for r in covered]
    others = [i for i in range(model.n_regions) if i not in codes]
    neutral = _neutral_regional_fields()
    scalars = _neutral_scalar_fields()
    lever = model.levers[0]
    acted = False
    for month in range(1, 13):
        cost_before = model.policy_cost[name].copy()
        model.step()
        inside = 3 <= month <= 10
        assert lever.active() == inside
        changed = [k for k, v in vars(model.fx).items() if k in neutral and not np.array_equal(v, neutral[k])]
        for key in changed:
            assert inside, (name, key, month)
            value = getattr(model.fx, key)
            assert np.array_equal(value[others], neutral[key][others]), (name, key)
        national = [k for k, v in scalars.items() if getattr(model.fx, k) != v]  # national rules
        assert inside or not national, (name, national, month)
        spent = model.policy_cost[name] - cost_before
        assert (spent[others] == 0).all(), (name, month)
        if not inside:
            assert (spent == 0).all() and not model.fx.course_offers
        acted |= bool(changed or national or model.fx.course_offers or spent.any())
    assert acted, name


def test_costs_accumulate_in_the_table_by_lever():
    df = run_one(with_lever("funding", 20000.0, horizon_end="2024-12"), 1)
    total = national(df, "cum_policy_cost")
    funding = national(df, "cum_policy_cost_funding")
    other = national(df, "cum_policy_cost_skills_upgrade")
    assert (total == funding).all() and (other == 0).all()
    assert total.iloc[2] == 0 and total.iloc[-1] > total.iloc[5] > 0  # nothing before April
    assert (np.diff(total) >= 0).all()


BAD_LEVERS = [
    ('type = "more_talent"', "policy[0].type", "unknown lever type"),
    ('type = "funding"\nboost = 2.0', "policy[0].boost", "unknown key"),
    ('type = "funding"\nregions = ["Atlantis"]', "policy", "unknown region 'Atlantis'"),
    ('type = "skills_upgrade"\ncost_per_seat = -5', "policy[0].cost_per_seat", "greater than or equal to 0"),
    ('type = "funding"\nstart = "2025-06"\nend = "2025-01"', "policy[0]", "before start"),
    ('type = "engineer_training"\nfields = ["alchemy"]', "policy[0].fields", "unknown field 'alchemy'"),
    ('type = "competitions"\nmonth = 13', "policy[0].month", "less than or equal to 12"),
]


@pytest.mark.parametrize(("body", "field", "words"), BAD_LEVERS)
def test_bad_lever_input_is_refused(tmp_path, capsys, body, field, words):
    path = tmp_path / "bad.toml"
    path.write_text(f'base = "{default_scenario_path()}"\n\n[[policy]]\n{body}\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        from talentsim.scenario import load_scenario

        load_scenario(path)
    assert str(path) in str(info.value) and field in str(info.value) and words in str(info.value)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and words in err and "Traceback" not in err


def test_lever_registry_matches_specs():
    for name, (spec_cls, lever_cls) in LEVERS.items():
        assert lever_cls.name == name and lever_cls.spec_class is spec_cls
        assert spec_cls.model_fields["type"].annotation.__args__ == (name,)
        assert lever_cls.__doc__ and "Plan clause" in lever_cls.__doc__ and "Cost" in lever_cls.__doc__


def test_register_lever_refuses_incomplete_declarations():
    class Half(Lever):
        """No plan clause here."""

        name = "half"

    with pytest.raises(TypeError, match="declare spec_class"):
        register_lever(Half)
    with pytest.raises(TypeError, match="already registered"):

        class Twin(LEVERS["funding"][1]):  # type: ignore[misc,valid-type]
            __doc__ = LEVERS["funding"][1].__doc__

        register_lever(Twin)
    assert "half" not in LEVERS


def test_docs_levers_md_is_generated_from_the_registry():
    """docs/levers.md is what ``python -m talentsim.lever_docs`` writes from the levers' declarations."""
    text = (Path(__file__).parents[2] / "docs" / "levers.md").read_text(encoding="utf-8")
    assert text == lever_docs.render(), "docs/levers.md is out of date: run python -m talentsim.lever_docs"
    for name, (spec_cls, _) in LEVERS.items():
        assert f"## `{name}`" in text
        for field in spec_cls.model_fields:
            assert f"`{field}`" in text or field in ("type", "start", "end", "regions"), (name, field)


def test_every_unit_cost_has_a_source_and_a_range_in_the_docs():
    """docs/levers.md's unit-cost table lists every cost parameter with a source (or "guess") and a
    plausible range."""
    text = (Path(__file__).parents[2] / "docs" / "levers.md").read_text(encoding="utf-8")
    section = text.split("## Unit costs", 1)[1].split("\n## ", 1)[0]
    for name, (spec_cls, _) in LEVERS.items():
        for field in spec_cls.model_fields:
            if not is_cost_field(field):
                continue
            row = re.search(rf"^\| `{name}` \| `{field}` \|([^\n]*)$", section, re.MULTILINE)
            assert row, (name, field)
            cells = [c.strip() for c in row.group(1).split("|")]
            assert cells[1] == "guess" or "MOHRSS" in cells[1], (name, field, cells)
            assert re.search(r"\d", cells[2]) and "-" in cells[2], (name, field, cells)
