"""Search across regions: effort shares, destination draws, and the reduction to within-region matching."""

import numpy as np
import pytest
from scipy import stats

from talentsim import TalentModel
from talentsim.constants import EMPLOYED, N_JOBS
from talentsim.processes import search
from talentsim.scenario import Scenario

from ..conftest import only, small


def test_effort_shares_sum_to_one_and_follow_vacancies_pay_and_cost():
    values = np.array([[0.0, 0.0], [0.0, 1.0], [0.0, 0.0]])  # region 1 pays more in cell 1
    vac = np.array([[10.0, 10.0], [10.0, 10.0], [40.0, 0.0]])
    pi = search.effort_shares(values, vac, cost=2.0, sigma=1.0)
    assert pi.shape == (3, 3, 2)
    assert np.allclose(pi.sum(axis=1), 1.0)
    # home: weight V, elsewhere V * exp(-cost)
    w = np.array([10.0, 10.0 * np.exp(-2), 40.0 * np.exp(-2)])
    assert np.allclose(pi[0, :, 0], w / w.sum())
    assert pi[0, 1, 1] > pi[0, 1, 0]  # more pay, more applications
    assert pi[0, 2, 1] == 0.0  # no vacancies, no applications
    cheaper = search.effort_shares(values, vac, cost=1.0, sigma=1.0)
    assert (cheaper[0, 1:, 0] > pi[0, 1:, 0]).all()  # lower cost, more effort away


def test_no_vacancy_anywhere_keeps_effort_at_home():
    pi = search.effort_shares(np.zeros((3, 1)), np.zeros((3, 1)), cost=1.0, sigma=1.0)
    assert np.array_equal(pi[:, :, 0], np.eye(3))


def test_destinations_are_drawn_with_the_effort_shares():
    rng = np.random.default_rng(5)
    vac = np.array([[5.0, 1.0], [20.0, 0.0], [10.0, 3.0], [1.0, 1.0]])
    pi = search.effort_shares(rng.normal(size=(4, 2)), vac, cost=0.5, sigma=1.0)
    n = 200_000
    home = np.full(n, 2, dtype=np.int8)
    cell = np.zeros(n, dtype=np.int64)
    cell[n // 2 :] = 1
    dest = search.draw_destinations(rng, pi, home, cell)
    for q, part in ((0, slice(0, n // 2)), (1, slice(n // 2, n))):
        observed = np.bincount(dest[part], minlength=4)
        expected = pi[2, :, q] * (n // 2)
        keep = expected > 0
        assert observed[~keep].sum() == 0
        assert stats.chisquare(observed[keep], expected[keep]).pvalue > 0.001


def one_region(spec: Scenario) -> Scenario:
    """The scenario with Central as the whole country (the schema asks for two regions, so built unvalidated)."""
    central = spec.regions["Central"].model_copy(
        update={"labour_force_share": 1.0, "student_share": 1.0, "digital_job_share": 1.0}
    )
    return spec.model_copy(update={"regions": {"Central": central}})


def test_with_one_region_search_reduces_to_within_region_matching():
    base = small(horizon__end="2024-12")
    runs = []
    for on in (True, False):
        spec = one_region(base.with_updates(processes__matching__cross_region_search=on))
        runs.append(TalentModel(spec, rng=7).run().metrics.to_frame())
    assert runs[0].equals(runs[1])


@pytest.mark.parametrize("switch", ["processes__matching__cross_region_search", "processes__migration__enabled"])
def test_switched_off_nobody_is_hired_elsewhere(switch):
    spec = only("matching", "migration", processes__migration__reconsider_rate=0.0)
    spec = spec.with_updates(processes__migration__event_moves=False, **{switch: False})
    model = TalentModel(spec, rng=3)
    before = model.pop.region.copy()
    for _ in range(3):
        model.step()
    assert np.array_equal(model.pop.region[: len(before)], before)
    assert model.metrics.latest["new_migrants"] == 0


def test_a_hire_elsewhere_moves_with_the_job_in_hand():
    spec = only(
        "matching",
        "migration",
        processes__matching__search_moving_cost=0.5,
        processes__migration__reconsider_rate=0.0,
        processes__migration__event_moves=False,
    )
    model = TalentModel(spec, rng=3)
    pop = model.pop
    before = pop.region.copy()
    model.step()
    moved = np.flatnonzero(pop.region[: len(before)] != before)
    assert len(moved) > 0
    assert (pop.status[moved] == EMPLOYED).all()
    assert (pop.job[moved] >= 0).all()
    firm_region = model.firm_regions()[pop.employer[moved]]
    assert np.array_equal(firm_region, pop.region[moved])
    assert model.metrics.latest["new_migrants"] == pytest.approx(len(moved) * model.scale)
    assert model.metrics.latest["new_arrivals"] == model.metrics.latest["new_migrants"]


def test_cross_region_search_fills_the_east_s_digital_vacancies_from_central():
    """Central's digital searchers get hired in the East when they may search there."""
    hires = {}
    for on in (True, False):
        spec = only(
            "matching",
            "migration",
            processes__matching__cross_region_search=on,
            processes__matching__search_moving_cost=1.0,
            processes__migration__reconsider_rate=0.0,
            processes__migration__event_moves=False,
        )
        model = TalentModel(spec, rng=11)
        pop = model.pop
        central = model.region_names.index("Central")
        before = pop.region.copy()
        for _ in range(3):
            model.step()
        left = (before == central) & (pop.region[: len(before)] != central) & (pop.job[: len(before)] < N_JOBS - 1)
        hires[on] = int(left.sum())
    assert hires[False] == 0
    assert hires[True] > 0
