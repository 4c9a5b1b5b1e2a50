"""Each process's on/off switch does what it says: off means its flows are zero and the state it
owns does not move; on (alone) means they move."""

import numpy as np
import pytest

from talentsim import TalentModel
from talentsim.constants import EMPLOYED, N_JOBS
from talentsim.processes import ORDER
from talentsim.scenario import default_scenario

from ..conftest import only, small

END = "2024-10"  # covers June graduation and September intake and outbound

# For each process: flows it alone produces.
FLOWS = {
    "demand": [],
    "education": ["new_graduates", "new_students", "new_dropouts"],
    "training": ["new_trainees", "new_trained", "new_certified"],
    "matching": ["new_hires", "new_separations"],
    "wages": [],
    "migration": ["new_migrants"],
    "international": ["new_returnees", "new_emigrants"],
    "entrepreneurship": ["new_startups"],
    "demography": ["new_retirements", "new_entrants"],
}


# Rates raised so that rare flows happen in a small, short run.
RAISED = {
    "processes__international__emigration_rate": 0.3,
    "processes__entrepreneurship__founding_rate": 0.05,
    # incubator places bind at this scale (about 3 founders in 10 months); ten times the default
    **{
        f"regions__{name}__incubator_capacity": 10 * r.incubator_capacity
        for name, r in default_scenario().regions.items()
    },
}


def _totals(model):
    df = model.metrics.to_frame()
    nat = df[(df["region"] == "all") & (df["field"] == "all") & (df["level"] == "all")]
    return nat.groupby("metric")["value"].sum()


@pytest.mark.parametrize("name", ORDER)
def test_switching_a_process_off_stops_its_flows(name):
    on = _totals(TalentModel(small(horizon__end=END, **RAISED), rng=1).run())
    off = _totals(TalentModel(small(horizon__end=END, **RAISED, **{f"processes__{name}__enabled": False}), rng=1).run())
    for flow in FLOWS[name]:
        assert on[flow] > 0, flow
        assert off[flow] == 0, flow


@pytest.mark.parametrize("name", ORDER)
def test_a_process_alone_produces_its_flows(name):
    alone = _totals(TalentModel(only(name, horizon__end=END, **RAISED), rng=1).run())
    for flow in FLOWS[name]:
        assert alone[flow] > 0, flow
    others = {f for other, flows in FLOWS.items() if other != name for f in flows}
    for flow in others - set(FLOWS[name]) - {"new_hires"}:  # matching alone or not, hires need vacancies
        assert alone.get(flow, 0) == 0, (name, flow)


def test_everything_off_leaves_the_world_still():
    model = TalentModel(only(horizon__end="2024-06"), rng=1)
    status = model.pop.status.copy()
    jobs = model.job_targets().copy()
    offers = model.wage_offers().copy()
    model.run()
    assert (model.pop.status == status).all()
    assert np.array_equal(model.job_targets(), jobs)
    assert np.array_equal(model.wage_offers(), offers)


def test_demand_grows_digital_jobs_only_when_on():
    for enabled, grows in ((True, True), (False, False)):
        model = TalentModel(only(*(["demand"] if enabled else []), horizon__end="2024-12"), rng=1)
        jobs0 = model.job_targets()[:, :-1].sum()
        model.run()
        assert (model.job_targets()[:, :-1].sum() > jobs0) == grows


def test_wages_respond_to_tightness_only_when_on():
    for enabled in (True, False):
        names = ["matching", "wages"] if enabled else ["matching"]
        model = TalentModel(only(*names, horizon__end="2024-12"), rng=1)
        offers = model.wage_offers().copy()
        model.run()
        assert (not np.allclose(model.wage_offers(), offers)) == enabled


def test_job_held_exactly_when_employed():
    model = TalentModel(small(horizon__end="2025-09"), rng=7)
    for _ in range(21):
        model.step()
        pop = model.pop
        assert np.array_equal(pop.job >= 0, pop.status == EMPLOYED)
        assert (pop.employer[pop.job >= 0] >= 0).all()
        # the job counts kept as persons take and leave jobs equal a recount
        held = np.flatnonzero(pop.job >= 0)
        key = pop.employer[held].astype(np.int64) * N_JOBS + pop.job[held]
        recount = np.bincount(key, minlength=len(model.firms) * N_JOBS).reshape(-1, N_JOBS)
        assert np.array_equal(model.filled_jobs(), recount)
        pay = np.bincount(key, weights=pop.pay_factor[held], minlength=len(model.firms) * N_JOBS)
        assert np.allclose(pop.pay_sum[: len(model.firms)].ravel(), pay)
