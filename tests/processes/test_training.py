"""The training choice: the expected gain from a course reflects what the course leads to."""

from __future__ import annotations

import numpy as np
import pytest

from talentsim import TalentModel
from talentsim.constants import EMPLOYED, IS_DIGITAL_JOB, JOB_BAND, NON_DIGITAL, NON_DIGITAL_JOB, qualified_job
from talentsim.processes.training import enrolment_probability, expected_gain

from ..conftest import small


@pytest.fixture(scope="module")
def model() -> TalentModel:
    return TalentModel(small(horizon__end="2024-02"), rng=1)


def _rows(model: TalentModel, mask: np.ndarray) -> np.ndarray:
    rows = np.flatnonzero(mask[: model.pop.n])
    assert len(rows) > 10
    return rows


def test_workers_without_a_digital_field_expect_the_junior_digital_wage(model):
    """Their gain follows digital wages (it was 0 whatever digital jobs paid)."""
    pop = model.pop
    rows = _rows(model, (pop.status == EMPLOYED) & (pop.field == NON_DIGITAL) & (pop.job == NON_DIGITAL_JOB))
    gain = expected_gain(model, rows)
    junior = IS_DIGITAL_JOB & (JOB_BAND == 0)
    junior_offer = np.array([r.wage_offer[junior].mean() for r in model.regions])[pop.region[rows]]
    assert (gain > 0).all()
    np.testing.assert_allclose(gain, 12 * (junior_offer - model.wages_of(rows)), rtol=0.05)
    p_before = enrolment_probability(model, rows)
    saved = [r.wage_offer.copy() for r in model.regions]
    try:
        for r in model.regions:
            r.wage_offer[junior] *= 1.2
        assert (expected_gain(model, rows) > gain).all()
        assert (enrolment_probability(model, rows) > p_before).all()
    finally:
        for r, w in zip(model.regions, saved, strict=True):
            r.wage_offer[:] = w


def test_a_level_within_a_band_is_worth_its_level_premium(model):
    """An employed digital worker at level 3 stays intermediate at 4 and expects the level premium
    (the gain was <= 0: the wage after left the premium out)."""
    pop = model.pop
    rows = _rows(model, (pop.status == EMPLOYED) & (pop.field < NON_DIGITAL) & (pop.level == 3) & (pop.job >= 0))
    assert (qualified_job(pop.field[rows], pop.level[rows] + 1) == pop.job[rows]).all()
    gain = expected_gain(model, rows)
    premium = model.spec.processes.wages.level_premium
    offer = model.wage_offers()[pop.region[rows], pop.job[rows]]
    cert = 1 + model.spec.processes.wages.certificate_premium * pop.certified[rows]
    np.testing.assert_allclose(gain, 12 * offer * premium * cert, rtol=1e-5)


@pytest.mark.parametrize("first_level_rate", [0.0, 1.0])
def test_composite_course_novices_gain_a_first_level_at_the_first_level_rate(first_level_rate):
    """Composite upskilling (industry_empowerment) admits only people with no digital level; like
    every short course it gives them a first level with chance first_level_rate (0: none, 1: every
    completer who passes)."""
    from talentsim.scenario import default_scenario_path, load_scenario

    spec = load_scenario(default_scenario_path().parent / "levers" / "industry_empowerment.toml").with_updates(
        scale=5000.0, horizon__end="2024-12", processes__training__first_level_rate=first_level_rate
    )
    model = TalentModel(spec, rng=2)
    model.step()  # rows are compacted in January only; within 2024 a row index stays one person
    composite = model.courses.names.index(next(n for n in model.courses.names if "composite" in n))
    finishing_total = gained_total = 0
    while model.running and model.date < spec.horizon.end:
        pop = model.pop
        finishing = np.flatnonzero((pop.course[: pop.n] == composite) & (pop.training_left[: pop.n] == 1))
        model.step()
        finishing_total += len(finishing)
        gained_total += int((model.pop.level[finishing] > 0).sum())
    assert finishing_total > 20
    share = gained_total / finishing_total
    assert share == 0.0 if first_level_rate == 0.0 else share > 0.3  # the composite pass rate
