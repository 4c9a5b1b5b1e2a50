import numpy as np
import pytest
from scipy import stats

from talentsim import TalentModel
from talentsim.constants import EMPLOYED, UNEMPLOYED
from talentsim.processes import migration

from ..conftest import only


def test_choice_frequencies_obey_the_logit_ratio():
    rng = np.random.default_rng(0)
    v = np.array([0.0, 0.5, -1.0, 1.2, 0.3])
    sigma = 0.7
    n = 400_000
    choice = migration.choose(rng, np.tile(v, (n, 1)), sigma)
    p = np.bincount(choice, minlength=len(v)) / n
    for j in range(len(v)):
        for k in range(len(v)):
            if j != k:
                # standard error of a log ratio of two multinomial shares
                se = np.sqrt(1 / (n * p[j]) + 1 / (n * p[k]))
                assert np.log(p[j] / p[k]) == pytest.approx((v[j] - v[k]) / sigma, abs=4 * se)


def test_model_migration_step_follows_its_utilities():
    """Run the model's own migration step with everyone reconsidering and compare the choices of
    persons with identical utilities against the logit probabilities (chi-square)."""
    spec = only("migration", processes__migration__reconsider_rate=1.0, processes__migration__moving_cost=1.0)
    model = TalentModel(spec, rng=2)
    pop = model.pop
    workers = np.flatnonzero(((pop.status == EMPLOYED) | (pop.status == UNEMPLOYED)) & (pop.region == 6))
    group = workers[(pop.level[workers] == 0)]
    v = migration.utilities(model, group[:1])
    expected = migration.choice_probabilities(v, spec.processes.migration.sigma)[0]
    model.step()
    observed = np.bincount(pop.region[group], minlength=model.n_regions)
    keep = expected * len(group) > 5
    obs, exp = observed[keep], expected[keep] * len(group)
    if (~keep).any():  # pool the rare destinations into one cell
        obs, exp = np.r_[obs, observed[~keep].sum()], np.r_[exp, expected[~keep].sum() * len(group)]
    assert stats.chisquare(obs, exp).pvalue > 0.001
    assert observed[6] < len(group)  # some moved


def test_talent_incentive_attracts_high_level_talent():
    spec = only("migration")
    model = TalentModel(spec, rng=3)
    rows = np.flatnonzero(model.pop.level >= spec.high_level_threshold)[:50]
    before = migration.utilities(model, rows)
    model.fx.talent_incentive[5] = 1.5
    after = migration.utilities(model, rows)
    assert np.allclose(after[:, 5] - before[:, 5], 1.5)
    assert np.allclose(np.delete(after, 5, axis=1), np.delete(before, 5, axis=1))


def test_long_unemployment_spells_prompt_a_look_at_other_regions():
    moved = {}
    for events in (True, False):
        spec = only(
            "migration",
            processes__migration__reconsider_rate=0.0,
            processes__migration__moving_cost=0.5,
            processes__migration__event_moves=events,
        )
        model = TalentModel(spec, rng=4)
        pop = model.pop
        unemployed = np.flatnonzero(pop.status == UNEMPLOYED)
        long_spell, short_spell = unemployed[::2], unemployed[1::2]
        pop.months_in_state[long_spell] = 11  # the calendar makes it 12 in the step
        pop.months_in_state[short_spell] = 3
        before = pop.region.copy()
        model.step()
        moved[events] = (
            (pop.region[long_spell] != before[long_spell]).mean(),
            (pop.region[short_spell] != before[short_spell]).mean(),
        )
    assert moved[True][0] > 0.05
    assert moved[True][1] == 0.0
    assert moved[False] == (0.0, 0.0)


def test_the_end_of_a_course_prompts_the_unemployed_to_look():
    spec = only("migration", processes__migration__reconsider_rate=0.0, processes__migration__moving_cost=0.5)
    model = TalentModel(spec, rng=4)
    pop = model.pop
    unemployed = np.flatnonzero(pop.status == UNEMPLOYED)[:2000]
    employed = np.flatnonzero(pop.status == EMPLOYED)[:2000]
    pop.months_in_state[:] = 1
    ended = np.concatenate([unemployed, employed])
    before = pop.region.copy()
    model.fx = migration_effects(model)
    model.metrics.start_month()
    model.course_enders = ended
    migration.step(model)
    assert (pop.region[unemployed] != before[unemployed]).mean() > 0.05
    assert (pop.region[employed] == before[employed]).all()  # the employed look through on-the-job search instead


def migration_effects(model):
    from talentsim.policies import Effects

    return Effects(model.n_regions)


def test_long_spell_lookers_from_matching_s_list_equal_a_full_scan():
    """Migration reads the unemployed that matching kept; that gives the same lookers as scanning everyone."""
    spec = only("matching", "migration", processes__migration__reconsider_rate=0.0)
    model = TalentModel(spec, rng=8)
    pop = model.pop
    unemployed = np.flatnonzero(pop.status == UNEMPLOYED)
    pop.months_in_state[unemployed[::3]] = 11
    model.step()
    kept = migration.event_lookers(model)
    model.unemployed_at_matching = None  # forces the full scan
    scanned = migration.event_lookers(model)
    assert len(kept) > 0
    assert np.array_equal(np.sort(kept), np.sort(scanned))


def test_a_person_moves_at_most_once_a_month():
    """Background reconsideration and an event look in the same month make one choice, not two.

    With matching off every unemployed person stays unemployed, and a spell of 1 month prompts a
    look every month, so most background reconsiderers are event lookers too. Each move is then
    a change of region: movers counted equal persons whose region changed.
    """
    spec = only(
        "migration",
        horizon__end="2024-06",
        processes__migration__reconsider_rate=0.9,
        processes__migration__long_spell_months=1,
    )
    model = TalentModel(spec, rng=4)
    for _ in range(4):
        before = model.pop.region[: model.pop.n].copy()
        model.step()
        changed = int((model.pop.region[: len(before)] != before).sum())
        table = model.metrics.to_frame()
        last = table[(table["date"] == table["date"].max()) & (table["region"] == "all")]
        movers = last.loc[last["metric"] == "new_migrants", "value"].sum() / model.scale
        assert movers == pytest.approx(changed), (movers, changed)
