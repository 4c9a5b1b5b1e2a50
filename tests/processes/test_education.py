import numpy as np

from talentsim import TalentModel
from talentsim.constants import PROGRAMME_YEARS, PROGRAMMES, STUDENT
from talentsim.processes.education import TOP_UP_STUDY_MONTHS

from ..conftest import only


def _graduates_by_year(model):
    df = model.metrics.to_frame()
    sel = df[(df["metric"] == "new_graduates") & (df["region"] == "all") & (df["field"] == "all")]
    return sel.groupby(sel["date"].dt.year)["value"].sum()


def test_top_up_students_graduate_again_two_years_later():
    # joining at 21 months, a top-up student reaches the undergraduate graduation point after two more years
    assert TOP_UP_STUDY_MONTHS + 24 == 12 * (PROGRAMME_YEARS["undergraduate"] - 1) + 9
    plain = TalentModel(
        only("education", horizon__end="2025-12", processes__education__top_up_share=0.0), rng=2
    ).run()
    topped = TalentModel(only("education", horizon__end="2024-07", processes__education__top_up_share=0.3), rng=2)
    for _ in range(7):
        topped.step()
    pop = topped.pop
    joined = (pop.status == STUDENT) & (pop.programme == PROGRAMMES.index("undergraduate"))
    joined &= pop.study_months == TOP_UP_STUDY_MONTHS + 1  # a month after June's graduation
    assert joined.sum() > 0
    full = TalentModel(only("education", horizon__end="2025-12", processes__education__top_up_share=0.3), rng=2).run()
    extra = _graduates_by_year(full) - _graduates_by_year(plain)
    # the initial top-up cohorts graduate in 2024 and 2025, each about 30 % of a vocational cohort
    vocational_seats = full.spec.processes.education.intake_per_year["vocational"]
    assert np.all(extra > 0.2 * vocational_seats) and np.all(extra < 0.4 * vocational_seats)
