"""The metric catalogue: every metric the model records has a label in both languages, a unit, a kind
and aggregation rules; units match what the metric measures."""

from __future__ import annotations

import pytest

from talentsim import catalogue
from talentsim.metrics import ALL_METRICS
from talentsim.model import TalentModel
from talentsim.policies import LEVER_NAMES

from .conftest import small


@pytest.fixture(scope="module")
def table():
    """The tidy table of a short run with all twelve levers (so every course type and lever cost)."""
    spec = small(horizon__end="2024-05")
    levers = [{"type": name} for name in LEVER_NAMES]
    spec = spec.with_updates(policy=levers)
    return TalentModel(spec, rng=1).run().metrics.to_frame()


@pytest.fixture(scope="module")
def recorded(table) -> set[str]:
    return set(table["metric"])


def test_national_only_metrics_are_exactly_those_without_regional_rows(table, recorded):
    regional = set(table.loc[table["region"] != "all", "metric"])
    for name in recorded:
        assert catalogue.metric(name).national_only == (name not in regional), name


def test_every_recorded_metric_is_in_the_catalogue(recorded):
    assert recorded >= set(ALL_METRICS)
    missing = sorted(m for m in recorded if not catalogue.is_known(m))
    assert not missing, f"metrics without a catalogue entry: {missing}"


def test_every_entry_has_two_labels_a_unit_and_aggregation_rules(recorded):
    for name in sorted(recorded | {"n_high_level_talent"}):
        entry = catalogue.metric(name)
        assert entry.en and entry.zh and entry.en != name and entry.zh != entry.en
        assert entry.unit in catalogue.UNITS
        assert entry.over_time in ("last", "sum", "mean")
        assert entry.over_regions in ("sum", "recompute", "national only")
        assert catalogue.label(name, "zh") == entry.zh and catalogue.label(name) == entry.en


@pytest.mark.parametrize(
    ("name", "unit", "over_time"),
    [
        ("mean_wage_all", "yuan_year", "mean"),
        ("mean_wage_digital", "yuan_year", "mean"),
        ("cum_policy_cost", "yuan", "last"),
        ("cum_policy_cost_funding", "yuan", "last"),
        ("n_digital_talent", "people", "last"),
        ("new_trained", "people_month", "sum"),
        ("new_trainees_engineer", "people_month", "sum"),
        ("high_level_share", "share", "mean"),
        ("unemployment_rate", "rate", "mean"),
        ("mean_level", "level", "mean"),
        ("digital_wage_ratio", "ratio", "mean"),
        ("digital_wage_premium", "ratio", "mean"),  # above 1 when digital pay is more than double: not a share
    ],
)
def test_units_and_aggregation(name, unit, over_time):
    entry = catalogue.metric(name)
    assert (entry.unit, entry.over_time) == (unit, over_time)


def test_regional_mismatch_is_national_only_and_flows_are_summed():
    assert catalogue.metric("regional_mismatch").over_regions == "national only"
    assert catalogue.metric("n_digital_talent").over_regions == "sum"
    assert catalogue.metric("unemployment_rate").over_regions == "recompute"
    assert catalogue.flow_names(["new_trained", "n_digital_talent", "new_trainees_regular", "mean_level"]) == [
        "new_trained",
        "new_trainees_regular",
    ]


def test_unknown_metric_is_refused_by_name():
    with pytest.raises(KeyError, match="n_unicorns"):
        catalogue.metric("n_unicorns")
    assert catalogue.label("n_unicorns") == "n_unicorns"


def test_levers_regions_and_fields_have_chinese_names():
    assert catalogue.lever_label("engineer_training", "zh") == "数字技术工程师培育项目"
    assert catalogue.lever_label("talent_incentives", "zh") == "强化激励引导"
    assert all(catalogue.lever_label(name, "zh") != name for name in LEVER_NAMES)
    assert catalogue.region_label("Jiangsu_Zhejiang", "zh") == "江浙"
    assert catalogue.canonical_region("西部") == "West"
    assert catalogue.field_label("ai", "zh") == "人工智能"


def test_wan_and_chinese_units():
    assert catalogue.metric_unit("n_digital_talent", "zh", wan=True) == "万人"
    assert "万" in catalogue.metric_unit("n_digital_talent", "en", wan=True)
    assert catalogue.metric_unit("mean_wage_all", "zh") == "元/年"
    with pytest.raises(ValueError, match="lang: expected one of en, zh"):
        catalogue.check_lang("fr")
