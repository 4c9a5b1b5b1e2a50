"""Lever mechanisms do what their files say: course durations, what is charged where, and levers
that act only through the month's effects."""

from __future__ import annotations

import numpy as np
import pytest

from talentsim import TalentModel
from talentsim.constants import EXITED
from talentsim.scenario import default_scenario, validate_scenario


def lever_model(
    name: str, scale: float = 20000.0, end: str = "2024-12", seed: int = 1, **params: object
) -> TalentModel:
    data = default_scenario().model_dump(mode="python")
    data["scale"] = scale
    data["horizon"]["end"] = end
    data["policy"] = [{"type": name, "start": "2024-01", **params}]
    return TalentModel(validate_scenario(data, f"<{name}>"), rng=seed)


@pytest.mark.parametrize(
    ("name", "field", "value", "extra"),
    [
        ("engineer_training", "duration_months", 9, {"take_up_rate": 0.9, "seats_per_year": 2e6}),
        (
            "industry_empowerment",
            "composite_duration_months",
            2,
            {"composite_take_up_rate": 0.9, "composite_seats_per_year": 2e6},
        ),
    ],
)
def test_lever_courses_last_their_stated_duration(name, field, value, extra):
    """Trainees of a lever's course stay in it ``duration`` months (both courses ran the regular 4)."""
    model = lever_model(name, **{field: value}, **extra)
    course = model.levers[0].course
    assert model.courses.duration[course] == value
    pop = model.pop
    history: dict[int, list[int]] = {}
    for _ in range(12):
        model.step()
        for row in np.flatnonzero((pop.course[: pop.n] == course) & (pop.status[: pop.n] != EXITED)):
            history.setdefault(int(row), []).append(int(pop.training_left[row]))
    # months from enrolment (training_left = duration) to the month the course ends (0); persons
    # who retire or die during the course leave the model and are not followed
    spans = [h.index(0) for h in history.values() if 0 in h and h[0] > 0]
    assert len(spans) > 5
    assert set(spans) == {value}


def _june_graduate_levels(model: TalentModel) -> np.ndarray:
    """Levels of the digital graduates of June (run to the end of June), excluding outbound ones."""
    from talentsim.constants import ABROAD, NON_DIGITAL, STUDENT

    pop = model.pop
    while model.calendar_month != 5 or model.month == 0:
        model.step()
    students = np.flatnonzero((pop.status[: pop.n] == STUDENT) & (pop.field[: pop.n] < NON_DIGITAL))
    model.step()
    grads = students[(pop.status[students] != STUDENT) & (pop.status[students] != ABROAD)]
    grads = grads[(pop.programme[grads] == -1) & (pop.field[grads] < NON_DIGITAL)]  # not dropouts
    return pop.level[grads].astype(float)


def test_graduates_gain_what_they_were_exposed_to_while_studying():
    """Teaching quality from April 2024 lifts June 2024 graduates by the share of their studies it
    covered (a few percent), not by its full size as if they had been taught under it throughout."""
    bonus = 0.5
    params = {"teaching_quality_increase": bonus, "joint_training_increase": 0.0, "digital_seat_growth": 0.0}
    data = default_scenario().model_dump(mode="python")
    data["scale"] = 5000.0
    data["horizon"]["end"] = "2024-06"
    base = _june_graduate_levels(TalentModel(validate_scenario(data), rng=2))
    data["policy"] = [{"type": "education_expansion", "start": "2024-04", **params}]
    lever = TalentModel(validate_scenario(data), rng=2)
    levels = _june_graduate_levels(lever)
    assert len(levels) == len(base) > 300
    lift = levels.mean() - base.mean()
    # exposed 3 of 33-45 months of study: about 0.5 x 3/40 = 0.04 of a level (measured 0.053 on
    # this seed; it was 0.52 when graduation read the month's bonus)
    assert 0.0 < lift < 0.15 * bonus, lift


def test_class_seats_are_charged_on_digital_students_only():
    """The partnership bonus acts on digital graduates, so its seats are paid for digital students
    (they were charged on all students, about three times as many)."""
    from talentsim.constants import NON_DIGITAL, STUDENT

    params = {"composite_seats_per_year": 0.0, "postdoc_positions_per_year": 0.0, "regions": ["West", "Central"]}
    model = lever_model("industry_empowerment", end="2024-03", **params)
    spec = model.spec.policy[0]
    pop = model.pop
    for _ in range(3):
        before = model.policy_cost["industry_empowerment"].copy()
        # charged when the lever applies, at the start of the month, on the students then
        rows = np.flatnonzero((pop.status == STUDENT) & (pop.field < NON_DIGITAL))
        digital = np.bincount(pop.region[rows], minlength=model.n_regions) * model.scale * model.levers[0].covered
        expected = digital * spec.partnership_increase * spec.cost_per_class_seat / 12
        model.step()
        np.testing.assert_allclose(model.policy_cost["industry_empowerment"] - before, expected, rtol=1e-12)
        assert expected.sum() > 0


def test_funding_raises_take_up_only_where_it_is_restricted():
    """Firm education funds in the West raise take-up in the West alone (it rose nationally)."""
    seats = {"processes__training__seats_per_year": 4e7}  # seats that do not bind
    data = default_scenario().with_updates(scale=20000.0, horizon__end="2024-08", **seats).model_dump(mode="python")
    base = TalentModel(validate_scenario(data), rng=3)
    data["policy"] = [
        {"type": "funding", "start": "2024-01", "regions": ["West"], "subsidy_by_band": [0.0, 0.0, 0.0]}
        | {"firm_fund_take_up_increase": 4.0}
    ]
    lever = TalentModel(validate_scenario(data), rng=3)
    lever.step()
    west = lever.region_names.index("West")
    factor = lever.fx.training_take_up_factor
    assert factor[west] == 5.0 and (np.delete(factor, west) == 1.0).all()
    base.run()
    lever.run()

    def trainees(model: TalentModel) -> np.ndarray:
        df = model.metrics.to_frame()
        sel = df[(df["metric"] == "new_trainees") & (df["region"] != "all") & (df["field"] == "all")]
        return sel.groupby("region")["value"].sum().reindex(model.region_names).to_numpy()

    b, t = trainees(base), trainees(lever)
    others = np.delete(np.arange(len(b)), west)
    assert t[west] > 3 * b[west]
    assert t[others].sum() < 1.15 * b[others].sum()


def test_competitions_act_through_the_months_effects():
    """The lever announces contests; the training process holds them (the lever edited persons)."""
    model = lever_model("competitions", month=2, participants_per_year=5e6)
    model.step()
    pop = model.pop
    levels, certified = pop.level.copy(), pop.certified.copy()
    model.month += 1  # the lever's view of the calendar: February
    fx = type(model.fx)(model.n_regions)
    model.levers[0].apply(fx)
    model.month -= 1
    assert np.array_equal(pop.level, levels) and np.array_equal(pop.certified, certified)
    assert len(fx.contests) == 1 and fx.contests[0].contestants.sum() == pytest.approx(5e6)
    model.step()
    frame = model.metrics.to_frame()
    winners = frame[(frame["metric"] == "new_competition_winners") & (frame["region"] == "all")]["value"]
    assert winners.iloc[-1] > 0
    off = lever_model("competitions", month=2, participants_per_year=5e6, seed=1)
    off = TalentModel(off.spec.with_updates(processes__training__enabled=False), rng=1)
    off.run()
    frame = off.metrics.to_frame()
    assert frame[frame["metric"] == "new_competition_winners"]["value"].sum() == 0
