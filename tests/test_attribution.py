"""Shapley attribution by permutation sampling (talentsim.attribution)."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from talentsim.attribution import (
    AttributionError,
    coalitions_needed,
    draw_permutations,
    plan_value,
    shapley,
)

from .conftest import SMALL_SCALE

ROOT = Path(__file__).resolve().parents[1]
PARTS = {"a": 5.0, "b": -2.0, "c": 11.0, "d": 0.5, "e": 3.0}


def additive(coalition: frozenset[str], seed: int) -> dict[str, float]:
    """Each part adds its own effect (seed-dependent), and costs its own; a seed-dependent level that cancels."""
    level = 1000.0 + 37.0 * seed
    return {
        "talent": level + sum(PARTS[p] * (1 + 0.1 * seed) for p in coalition),
        "cost": sum(10.0 * (i + 1) for i, p in enumerate(PARTS) if p in coalition),
    }


def with_interaction(coalition: frozenset[str], seed: int) -> dict[str, float]:
    """Additive plus a joint effect of a and c that neither has alone, and a and b that cancel each other."""
    v = sum(PARTS[p] for p in coalition) + 0.3 * seed
    if {"a", "c"} <= coalition:
        v += 8.0
    if {"a", "b"} <= coalition:
        v -= 4.0
    return {"talent": v}


def test_additive_shares_equal_each_part_and_add_to_the_total() -> None:
    seeds = [1, 2, 3]
    att = shapley(list(PARTS), additive, seeds, permutations=6, rng_seed=4)
    s = att.shares.set_index(["outcome", "lever"])
    factor = np.mean([1 + 0.1 * x for x in seeds])
    for p, effect in PARTS.items():
        assert s.loc[("talent", p), "share"] == pytest.approx(effect * factor, rel=1e-12)
        assert s.loc[("talent", p), "se_permutations"] == pytest.approx(0.0, abs=1e-9)  # no ordering matters
        assert s.loc[("talent", p), "se_seeds"] > 0  # the effect differs by seed
    tot = att.totals.set_index("outcome")
    assert tot.loc["talent", "plan_effect"] == pytest.approx(sum(PARTS.values()) * factor)
    assert tot.loc["talent", "sum_of_shares"] == pytest.approx(tot.loc["talent", "plan_effect"], rel=1e-12)
    assert s.loc[("cost", "c"), "share"] == pytest.approx(30.0)
    assert s.xs("talent")["share_of_total"].sum() == pytest.approx(1.0)


@pytest.mark.parametrize("antithetic", [True, False])
@pytest.mark.parametrize("n", [2, 4, 10])
def test_shares_add_to_the_total_with_interactions(antithetic: bool, n: int) -> None:
    att = shapley(list(PARTS), with_interaction, [1, 2], permutations=n, rng_seed=n, antithetic=antithetic)
    tot = att.totals.iloc[0]
    assert tot["plan_effect"] == pytest.approx(sum(PARTS.values()) + 8.0 - 4.0)
    assert abs(tot["difference"]) < 1e-9
    assert att.shares["share"].sum() == pytest.approx(tot["plan_effect"], abs=1e-9)
    # each permutation's marginal contributions telescope on each seed
    per = att.marginals.groupby(["permutation", "seed"])["value"].sum()
    assert np.allclose(per.to_numpy(), tot["plan_effect"])


def test_antithetic_pairs_split_a_two_way_interaction_exactly() -> None:
    """In an ordering and its reverse each of a pair comes second once: each gets half the joint effect."""
    att = shapley(list(PARTS), with_interaction, [1], permutations=4, rng_seed=9)
    s = att.shares.set_index("lever")["share"]
    assert s["a"] == pytest.approx(PARTS["a"] + 4.0 - 2.0)
    assert s["c"] == pytest.approx(PARTS["c"] + 4.0)
    assert s["b"] == pytest.approx(PARTS["b"] - 2.0)
    assert s["d"] == pytest.approx(PARTS["d"]) and s["e"] == pytest.approx(PARTS["e"])


def test_each_coalition_runs_once_per_seed_and_is_reused() -> None:
    calls: Counter[tuple[frozenset[str], int]] = Counter()

    def counted(coalition: frozenset[str], seed: int) -> dict[str, float]:
        calls[(coalition, seed)] += 1
        return with_interaction(coalition, seed)

    perms = draw_permutations(list(PARTS), 8, rng_seed=2)
    att = shapley(list(PARTS), counted, [1, 2], permutations=8, rng_seed=2)
    assert att.permutations == perms
    assert max(calls.values()) == 1
    needed = coalitions_needed(perms)
    assert len(calls) == 2 * len(needed) == att.runs
    assert len(needed) <= 8 * (len(PARTS) - 1) + 2  # the empty and the full coalition are shared
    assert perms[1] == perms[0][::-1] and perms[3] == perms[2][::-1]


def test_a_map_function_gives_the_same_result() -> None:
    a = shapley(list(PARTS), with_interaction, [1, 2], permutations=4)
    with ThreadPoolExecutor(2) as pool:
        b = shapley(list(PARTS), with_interaction, [1, 2], permutations=4, map_fn=pool.map)
    pd.testing.assert_frame_equal(a.shares, b.shares)


def test_bad_settings() -> None:
    with pytest.raises(AttributionError, match="even number"):
        shapley(list(PARTS), additive, [1], permutations=3)
    with pytest.raises(AttributionError, match="at least one seed"):
        shapley(list(PARTS), additive, [], permutations=2)
    with pytest.raises(AttributionError, match="distinct"):
        shapley(["a", "a"], additive, [1], permutations=2)

    def changing(coalition: frozenset[str], seed: int) -> dict[str, float]:
        return {"x": 1.0} if coalition else {"y": 1.0}

    with pytest.raises(AttributionError, match="returned outcomes"):
        shapley(list(PARTS), changing, [1], permutations=2)


def test_save_writes_the_folder(tmp_path: Path) -> None:
    att = shapley(list(PARTS), additive, [1, 2], permutations=2)
    att.save(tmp_path / "att", extra={"plan": "toy"})
    for f in ("shares.csv", "totals.csv", "marginals.csv", "coalitions.csv", "attribution.json"):
        assert (tmp_path / "att" / f).is_file()


def test_plan_value_switches_levers_off_without_changing_anything_else() -> None:
    """The plan with no lever acting is the baseline, run for run; with every lever, it is the plan."""
    from talentsim.experiment import run_one
    from talentsim.scenario import load_scenario, validate_scenario

    short = {"scale": SMALL_SCALE, "horizon__end": "2024-08"}
    value = plan_value(ROOT / "scenarios" / "action_plan.toml", scale=SMALL_SCALE)
    value.plan["horizon"]["end"] = "2024-08"
    assert len(value.levers) == 12
    base = run_one(load_scenario(ROOT / "scenarios" / "baseline.toml").with_updates(**short), 3)
    none = run_one(value.scenario(frozenset()), 3)
    key = ["date", "region", "field", "level", "metric"]
    merged = none.merge(base, on=key, suffixes=("_none", "_base"))
    assert len(merged) == len(base)
    assert (merged["value_none"] == merged["value_base"]).all()
    plan = load_scenario(ROOT / "scenarios" / "action_plan.toml").with_updates(**short)
    full = run_one(value.scenario(frozenset(value.levers)), 3)
    assert full.drop(columns="scenario").equals(run_one(plan, 3).drop(columns="scenario"))
    # sweeps/plan_robustness.toml moves every lever's end past the horizon: the same runs
    data = plan.model_dump(mode="python")
    for p in data["policy"]:
        p["end"] = "2030-12"
    assert run_one(validate_scenario(data), 3).drop(columns="scenario").equals(full.drop(columns="scenario"))
    # the value function: national values at the last month, as a sweep stores them
    from talentsim.sweep.outcomes import extract_outcomes

    got = value(frozenset(), 3)
    want = extract_outcomes(base, ["n_digital_talent", "cum_policy_cost"]).set_index("metric")["value"]
    assert got == {"n_digital_talent": want["n_digital_talent"], "cum_policy_cost": want["cum_policy_cost"]}
    assert got["cum_policy_cost"] == 0 and got["n_digital_talent"] > 0
    with pytest.raises(AttributionError, match="not a lever of the plan"):
        value.scenario(frozenset({"no_such_lever"}))


def test_plan_value_needs_distinct_levers(tmp_path: Path) -> None:
    with pytest.raises(AttributionError, match="at least two levers"):
        plan_value(ROOT / "scenarios" / "levers" / "funding.toml")
