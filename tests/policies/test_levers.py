"""The levers: zero intensity and windows outside the horizon change nothing; each lever moves
its first outcome in the documented direction on common random numbers; levers act only inside
their window and regions; bad lever input is refused."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest

from talentsim import TalentModel
from talentsim.cli import main
from talentsim.experiment import run_one
from talentsim.policies import LEVER_NAMES, LEVERS
from talentsim.policies.effects import Effects
from talentsim.scenario import Scenario, ScenarioError, default_scenario, default_scenario_path, validate_scenario

END = "2025-06"
SEEDS = range(1, 6)

# Fields whose value 0 means "no intensity" (costs are left as they are).
ZERO = {
    "engineer_training": {"seats_per_year": 0.0, "take_up_rate": 0.0},
    "skills_upgrade": {"cost_reduction": 0.0, "extra_seats_per_year": 0.0, "certification_bonus": 0.0},
    "international_exchange": {"recruits_per_year": 0.0, "return_increase": 0.0, "returnee_startup_increase": 0.0},
    "entrepreneurship": {
        "founding_increase": 0.0,
        "extra_incubator_places_per_year": 0.0,
        "exit_reduction": 0.0,
        "market_efficiency_increase": 0.0,
        "moving_cost_reduction": 0.0,
    },
    "industry_empowerment": {
        "partnership_increase": 0.0,
        "composite_seats_per_year": 0.0,
        "postdoc_positions_per_year": 0.0,
    },
    "competitions": {"participants_per_year": 0.0},
    "education_expansion": {
        "digital_seat_growth": 0.0,
        "teaching_quality_increase": 0.0,
        "joint_training_increase": 0.0,
    },
    "evaluation_system": {
        "certificate_weight_increase": 0.0,
        "certificate_premium_increase": 0.0,
        "bridging_increase": 0.0,
        "mutual_recognition_weight": 0.0,
    },
    "pay_incentives": {"high_level_premium": 0.0, "wage_information": 0.0, "tech_transfer_increase": 0.0},
    "funding": {"subsidy_by_band": [0.0, 0.0, 0.0], "firm_fund_take_up_increase": 0.0},
    "mobility_channels": {"experts_per_year": 0.0, "researcher_founding_increase": 0.0},
    "talent_incentives": {"utility_bonus": 0.0, "emigration_reduction": 0.0},
}

# First outcome of each lever: (metric, "sum" of a flow or "last" value, scale of the test, overrides).
# Engineer training, international exchange, startups, regional incentives and the level effects of
# experts and contests are small next to national flows or noisy at coarse scales (at 10000, 1-2 of 5 paired differences
# fell below zero after calibration), so they are checked at the default scale 2000; competitions
# are checked at ten times their default size. mobility_channels is checked at five times its
# experts: since graduation applies the teaching bonus a cohort had over its whole studies (issue 12),
# by 2026-12 the default 20,000 experts lift mean_level by about +0.0016, with 1 of 5 seeds below 0.
FIRST_OUTCOME = {
    "engineer_training": ("new_certified", "sum", 2000.0, {}),
    "skills_upgrade": ("new_trainees", "sum", 10000.0, {}),
    "international_exchange": ("new_returnees", "sum", 2000.0, {}),
    "entrepreneurship": ("new_startups", "sum", 2000.0, {}),
    "industry_empowerment": ("new_trainees", "sum", 10000.0, {}),
    "competitions": ("mean_level", "last", 2000.0, {"participants_per_year": 5_000_000.0}),
    "education_expansion": ("n_digital_students", "last", 10000.0, {}),
    "evaluation_system": ("new_certified", "sum", 2000.0, {}),
    "pay_incentives": ("mean_wage_digital", "last", 10000.0, {}),
    "funding": ("new_trainees", "sum", 10000.0, {}),
    "mobility_channels": ("mean_level", "last", 2000.0, {"experts_per_year": 100_000}),
    "talent_incentives": ("high_level_share_of_covered", "last", 2000.0, {"regions": ["West"], "utility_bonus": 2.0}),
}

# Scenario settings under which a lever's first outcome is checked, for lever and baseline alike.
# Regular training seats bind at their default (4 M a year, oversubscribed in every region once
# unused seats carry over), so subsidies change who trains, not how many: funding's mechanism,
# more applications, is checked with seats that do not bind.
SETTINGS = {"funding": {"processes__training__seats_per_year": 4e7}}


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


def outcome(df: pd.DataFrame, metric: str, how: str) -> float:
    if metric == "high_level_share_of_covered":

        def high(region: str) -> float:
            return national(df, "n_digital_talent", region).iloc[-1] * national(df, "high_level_share", region).iloc[-1]

        return high("West") / high("all")
    series = national(df, metric)
    return float(series.sum() if how == "sum" else series.iloc[-1])


def outcomes_only(df: pd.DataFrame) -> pd.DataFrame:
    return df.drop(columns=["scenario"]).reset_index(drop=True)


def assert_same_as_baseline(lever_table: pd.DataFrame, base_table: pd.DataFrame) -> None:
    """Bit-for-bit equal, apart from the lever's own course's trainee count, which must be all zero."""
    extra = set(lever_table["metric"]) - set(base_table["metric"])
    assert all(m.startswith("new_trainees_") for m in extra), extra
    own_course = lever_table["metric"].isin(extra)
    assert (lever_table.loc[own_course, "value"] == 0).all()
    pd.testing.assert_frame_equal(outcomes_only(lever_table[~own_course]), outcomes_only(base_table))


def test_every_plan_measure_has_a_lever():
    assert set(LEVER_NAMES) == set(ZERO) == set(FIRST_OUTCOME)
    assert len(LEVER_NAMES) == 12


@pytest.mark.parametrize("name", LEVER_NAMES)
def test_zero_intensity_reproduces_the_baseline_bit_for_bit(name):
    spec = with_lever(name, 20000.0, horizon_end="2024-12", **ZERO[name])
    assert_same_as_baseline(run_one(spec, 3), baseline_table(20000.0, 3, "2024-12"))


@pytest.mark.parametrize("name", LEVER_NAMES)
def test_window_outside_the_horizon_reproduces_the_baseline(name):
    spec = with_lever(name, 20000.0, horizon_end="2024-12", start="2025-01", end="2026-12")
    assert_same_as_baseline(run_one(spec, 3), baseline_table(20000.0, 3, "2024-12"))


@pytest.mark.parametrize("name", LEVER_NAMES)
def test_lever_moves_its_first_outcome_up(name):
    metric, how, scale, overrides = FIRST_OUTCOME[name]
    spec = with_lever(name, scale, **overrides)
    settings = SETTINGS.get(name)
    if settings:
        spec = spec.with_updates(**settings)
        base = [run_one(baseline(scale).with_updates(**settings), s) for s in SEEDS]
    else:
        base = [baseline_table(scale, s) for s in SEEDS]
    diffs = np.array(
        [outcome(run_one(spec, s), metric, how) - outcome(b, metric, how) for s, b in zip(SEEDS, base, strict=True)]
    )
    low, high = np.percentile(diffs, [10, 90])
    assert low > 0, (name, metric, diffs)
    assert high >= low


def _neutral_regional_fields() -> dict[str, np.ndarray]:
    fx = Effects(8)
    return {k: v for k, v in vars(fx).items() if isinstance(v, np.ndarray) and v.shape[:1] == (8,)}


def _neutral_scalar_fields() -> dict[str, float]:
    return {k: v for k, v in vars(Effects(8)).items() if isinstance(v, float)}


@pytest.mark.parametrize("name", LEVER_NAMES)
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
        assert lever_cls.name == name
        assert spec_cls.model_fields["type"].annotation.__args__ == (name,)
        assert lever_cls.__doc__ and "Plan clause" in lever_cls.__doc__ and "Cost" in lever_cls.__doc__


def test_docs_describe_every_lever_parameter():
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "levers.md").read_text(encoding="utf-8")
    for name, (spec_cls, _) in LEVERS.items():
        assert f"## `{name}`" in text
        for field in spec_cls.model_fields:
            assert f"`{field}`" in text or field in ("type", "start", "end", "regions"), (name, field)


def test_every_unit_cost_has_a_source_and_a_range_in_the_docs():
    """docs/levers.md's unit-cost table lists every cost parameter with a source (or "guess") and a
    plausible range."""
    import re
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "levers.md").read_text(encoding="utf-8")
    section = text.split("## Unit costs", 1)[1].split("\n## ", 1)[0]
    for name, (spec_cls, _) in LEVERS.items():
        for field in spec_cls.model_fields:
            if not ("cost_per" in field or field.endswith("yuan") or field.startswith("subsidy")):
                continue
            row = re.search(rf"^\| `{name}` \| `{field}` \|([^\n]*)$", section, re.MULTILINE)
            assert row, (name, field)
            cells = [c.strip() for c in row.group(1).split("|")]
            assert cells[1] == "guess" or "MOHRSS" in cells[1], (name, field, cells)
            assert re.search(r"\d", cells[2]) and "-" in cells[2], (name, field, cells)
