import numpy as np

from talentsim.constants import EMPLOYED, EXITED, FROM_OUTSIDE, STUDENT, UNEMPLOYED
from talentsim.population import Population


def test_add_grows_capacity_and_keeps_rows():
    pop = Population(capacity=4)
    a = pop.add(3, STUDENT, region=2)
    b = pop.add(10, UNEMPLOYED, level=np.arange(10))
    assert pop.n == 13 and pop.capacity >= 13
    assert a.tolist() == [0, 1, 2] and b[0] == 3
    assert pop.region[:3].tolist() == [2, 2, 2]
    assert pop.level[3:].tolist() == list(range(10))
    assert pop.flows[FROM_OUTSIDE, STUDENT] == 3 and pop.flows[FROM_OUTSIDE, UNEMPLOYED] == 10


def test_set_status_counts_flows():
    pop = Population()
    pop.add(5, UNEMPLOYED)
    pop.reset_flows()
    pop.set_status(np.array([0, 1]), EMPLOYED)
    pop.set_status(np.array([1]), EXITED)
    assert pop.flows[UNEMPLOYED, EMPLOYED] == 2
    assert pop.flows[EMPLOYED, EXITED] == 1
    assert pop.status_counts()[UNEMPLOYED] == 3


def test_compact_drops_exited_and_keeps_order():
    pop = Population()
    pop.add(6, UNEMPLOYED, level=np.arange(6))
    pop.set_status(np.array([1, 4]), EXITED)
    pop.compact()
    assert pop.n == 4
    assert pop.level.tolist() == [0, 2, 3, 5]
    assert (pop.status != EXITED).all()


def recount(pop: Population) -> np.ndarray:
    width = pop.by_status_region.shape[1]
    key = pop.status.astype(np.int64) * width + pop.region
    return np.bincount(key, minlength=pop.by_status_region.size).reshape(pop.by_status_region.shape)


def test_counts_by_status_and_region_follow_adds_status_and_region_changes_and_compaction():
    pop = Population(capacity=4)
    pop.add(6, UNEMPLOYED, region=np.array([0, 1, 1, 2, 2, 2]))
    pop.add(3, STUDENT, region=4)  # a new region code widens the count
    pop.set_status(np.array([0, 3, 6]), EMPLOYED)
    pop.set_region(np.array([3, 4, 7]), np.array([5, 0, 1]))
    pop.set_region(np.array([1, 2]), 3)
    pop.set_status(np.array([2, 5]), EXITED)
    assert pop.by_status_region.shape[1] == 6
    np.testing.assert_array_equal(pop.by_status_region, recount(pop))
    pop.compact()
    np.testing.assert_array_equal(pop.by_status_region, recount(pop))
    assert pop.by_status_region[EXITED].sum() == 0 and pop.by_status_region.sum() == 7


def test_model_counts_by_status_and_region_stay_equal_to_a_recount_every_month():
    """The running count replaces a monthly pass over the population; it must never drift
    (migration, hires elsewhere, entrants, exits and the January compaction included)."""
    from pathlib import Path

    from talentsim.model import TalentModel
    from talentsim.scenario import load_scenario

    spec = load_scenario(Path(__file__).parents[1] / "scenarios" / "action_plan.toml").with_updates(
        scale=50000, horizon__end="2025-02"
    )
    model = TalentModel(spec, rng=3)
    moved = 0
    while model.running:
        model.step()
        moved += model.metrics.month_flow("new_migrants").sum()
        np.testing.assert_array_equal(
            model.pop.by_status_region[:, : model.n_regions], recount(model.pop)[:, : model.n_regions]
        )
        assert model.pop.by_status_region[:, model.n_regions :].sum() == 0
    assert moved > 0
