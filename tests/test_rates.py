import numpy as np
import pytest

from talentsim.rates import draw, monthly, ration_quota, stochastic_round, weighted_sample_per_group


def test_monthly_rate_compounds_to_annual():
    for p in (0.0, 0.05, 0.153, 0.5, 1.0):
        m = monthly(p)
        assert 1 - (1 - m) ** 12 == pytest.approx(p, abs=1e-12)
    assert monthly(0.153) > 0.153 / 12  # never the p/12 shortcut


def test_stochastic_round_is_unbiased():
    rng = np.random.default_rng(0)
    x = np.full(200_000, 2.3)
    r = stochastic_round(x, rng)
    assert set(np.unique(r)) == {2, 3}
    assert r.mean() == pytest.approx(2.3, abs=0.005)


def test_draw_uses_each_persons_probability():
    rng = np.random.default_rng(1)
    rows = np.arange(100_000)
    p = np.where(rows % 2 == 0, 0.9, 0.1)
    chosen = draw(rng, rows, p)
    even = (chosen % 2 == 0).sum() / 50_000
    odd = (chosen % 2 == 1).sum() / 50_000
    assert even == pytest.approx(0.9, abs=0.01)
    assert odd == pytest.approx(0.1, abs=0.01)


def test_weighted_sample_takes_exact_counts_and_favours_weight():
    rng = np.random.default_rng(2)
    group = np.repeat([0, 1, 2], 1000)
    weight = np.tile(np.r_[np.full(500, 3.0), np.full(500, 1.0)], 3)
    k = np.array([100, 0, 5000])
    hits = np.zeros(len(group))
    for _ in range(200):
        pos = weighted_sample_per_group(rng, group, weight, k)
        assert len(np.unique(pos)) == len(pos)
        counts = np.bincount(group[pos], minlength=3)
        assert counts.tolist() == [100, 0, 1000]
        hits[pos] += 1
    heavy, light = hits[:500].mean(), hits[500:1000].mean()
    assert heavy > 2.5 * light


def test_weighted_sample_orders_by_group_then_key_and_breaks_ties_by_position():
    """Weight-0 candidates all have key 0: those chosen come in their positions' order, after
    every positive weight of their group; the output is group-major, keys descending."""
    group = np.array([1, 0, 1, 0, 1, 1, 0, 1, 1])
    weight = np.array([0.0, 1.0, 0.0, 2.0, 1.0, 0.0, 0.0, 0.0, 3.0])
    for seed in range(20):
        pos = weighted_sample_per_group(np.random.default_rng(seed), group, weight, np.array([2, 5]))
        assert group[pos].tolist() == [0, 0, 1, 1, 1, 1, 1]
        assert set(pos[:2]) == {1, 3}
        # group 1: the two positive weights first (by key), then three of its four zeros by position
        assert set(pos[2:4]) == {4, 8}
        assert pos[4:].tolist() == [0, 2, 5]
        keys_rng = np.random.default_rng(seed)
        keys = keys_rng.random(len(group)) ** (1.0 / np.where(weight > 0, weight, np.nan))
        assert keys[pos[0]] > keys[pos[1]] and keys[pos[2]] > keys[pos[3]]


def test_quota_carries_unused_places_so_fills_do_not_depend_on_the_scale():
    """A quota of 0.25 agents a month with one candidate every other month: without carry-over
    half the places would be lost; with it, admissions over a year match the capacity."""
    rng = np.random.default_rng(0)
    balance = np.zeros(1)
    admitted = 0
    for month in range(1200):
        rows = np.arange(1) if month % 2 == 0 else np.empty(0, dtype=np.int64)
        admitted += len(ration_quota(rng, rows, np.zeros(len(rows), dtype=np.int64), np.array([0.25]), balance))
    assert admitted == pytest.approx(0.25 * 1200, rel=0.05)
    assert balance[0] <= 0.25 * 12


def test_quota_admits_everyone_when_candidates_are_few_and_caps_the_carry():
    rng = np.random.default_rng(1)
    balance = np.zeros(2)
    for _ in range(30):  # no candidates for 30 months: places pile up to a year's worth only
        ration_quota(rng, np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), np.array([1.0, 2.0]), balance)
    assert balance.tolist() == [12.0, 24.0]
    rows = np.arange(10)
    out = ration_quota(rng, rows, np.array([0] * 5 + [1] * 5), np.array([1.0, 2.0]), balance)
    assert out.tolist() == rows.tolist()  # 12 and 24 open places (the cap): all ten admitted
    assert balance.tolist() == [7.0, 19.0]


def test_monthly_growth_compounds_to_the_annual_rate():
    from talentsim.rates import monthly_growth

    for g in (0.0, 0.03, 0.074, -0.1, 0.5):
        assert (1 + monthly_growth(g)) ** 12 == pytest.approx(1 + g, abs=1e-12)
    assert monthly_growth(0.03) < monthly(0.03)  # a hazard conversion overstates growth
