import numpy as np
import pytest

from talentsim.rates import draw, monthly, stochastic_round, weighted_sample_per_group


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
