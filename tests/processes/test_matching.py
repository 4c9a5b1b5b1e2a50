import numpy as np
import pytest

from talentsim import TalentModel
from talentsim.processes.matching import matches, steady_state_unemployment
from talentsim.rates import monthly

from ..conftest import only


def test_matches_never_exceed_searchers_or_vacancies():
    rng = np.random.default_rng(0)
    u, v = rng.uniform(0, 100, 1000), rng.uniform(0, 100, 1000)
    m = matches(np.full(1000, 5.0), u, v, 0.5)
    assert (m <= np.minimum(u, v) + 1e-12).all()
    small = matches(np.array([0.1]), np.array([100.0]), np.array([400.0]), 0.5)
    assert small[0] == pytest.approx(0.1 * 10 * 20)


def _series(model, metric):
    df = model.metrics.to_frame()
    sel = df[(df["metric"] == metric) & (df["region"] == "all") & (df["field"] == "all") & (df["level"] == "all")]
    return sel["value"].to_numpy()


def test_steady_state_formula_is_the_fixed_point_of_the_monthly_timing():
    """u' = (u + s (1 - u)) (1 - f) iterated from anywhere settles at the formula."""
    for s, f in ((0.0137, 0.25), (0.04, 0.6), (0.2, 0.9)):
        u = 0.5
        for _ in range(2000):
            u = (u + s * (1 - u)) * (1 - f)
        assert u == pytest.approx(steady_state_unemployment(s, f), rel=1e-12)
    assert steady_state_unemployment(1e-5, 1e-3) == pytest.approx(1e-5 / (1e-5 + 1e-3), rel=1e-3)


@pytest.mark.parametrize("separation_rate", [0.153, 0.4])
def test_unemployment_settles_at_the_discrete_time_steady_state(separation_rate):
    """With only separations and matching on, u -> s (1 - f) / (s (1 - f) + f), f the share of the
    month's searchers (last month's unemployed plus this month's separated) who are hired."""
    spec = only("matching", horizon__end="2028-12", processes__matching__separation_rate=separation_rate)
    model = TalentModel(spec, rng=4).run()
    unemployed = _series(model, "n_unemployed")
    hires = _series(model, "new_hires")
    separations = _series(model, "new_separations")
    u = _series(model, "unemployment_rate")
    f = hires[1:] / (unemployed[:-1] + separations[1:])
    assert (f > 0).all() and (f <= 1).all()
    s = float(monthly(separation_rate))
    tail = slice(-24, None)
    predicted = steady_state_unemployment(s, f[tail].mean())
    assert u[tail].mean() == pytest.approx(predicted, rel=0.03)
    assert abs(u[-24:-12].mean() - u[-12:].mean()) < 0.05 * u[-12:].mean()  # settled
    # the continuous-time s / (s + f) with the same f misses: the timing matters
    assert abs(s / (s + f[tail].mean()) / u[tail].mean() - 1) > 0.1


def test_certificates_raise_hiring_chances():
    # Scale 5000 (4 times the small worlds' agents): at 20000 only about 100 unemployed with a digital
    # level were followed, too few to tell the rates apart.
    spec = only("matching", horizon__end="2024-06", processes__matching__certificate_weight=4.0).with_updates(
        scale=5000.0
    )
    model = TalentModel(spec, rng=9)
    pop = model.pop
    hired_cert = hired_plain = searched_cert = searched_plain = 0
    for _ in range(6):
        unemployed = np.flatnonzero((pop.status == 2) & (pop.level >= 1))
        cert = pop.certified[unemployed]
        model.step()
        now_employed = pop.status[unemployed] == 1
        hired_cert += now_employed[cert].sum()
        hired_plain += now_employed[~cert].sum()
        searched_cert += cert.sum()
        searched_plain += (~cert).sum()
    assert hired_cert / searched_cert > hired_plain / searched_plain


@pytest.mark.parametrize("in_course_search", [0.5, 1.0])
def test_persons_in_a_course_search_less(in_course_search):
    """Lock-in: the unemployed in a course are hired at about ``in_course_search`` times the rate
    of the others in the same cells."""
    spec = only("matching", horizon__end="2024-03", processes__training__in_course_search=in_course_search)
    model = TalentModel(spec, rng=3)
    pop = model.pop
    unemployed = np.flatnonzero(pop.status == 2)
    in_course = unemployed[np.random.default_rng(0).random(len(unemployed)) < 0.5]
    pop.training_left[in_course] = 30
    others = np.setdiff1d(unemployed, in_course)
    model.run()
    rate_in = (pop.status[in_course] == 1).mean()
    rate_out = (pop.status[others] == 1).mean()
    assert rate_in / rate_out == pytest.approx(in_course_search, abs=0.15)
def test_finding_rate_where_vacancies_have_no_searchers_is_what_one_searcher_would_get():
    """A cell with vacancies and nobody searching reads the matching function's rate, not 0."""
    spec = only("matching")
    model = TalentModel(spec, rng=5)
    model.step()
    for r in model.regions:
        empty = (r.searchers == 0) & (r.vacancies > 0)
        assert (r.finding_rate[empty] > 0).all()
    from talentsim.processes.matching import finding_rates

    mu, alpha = np.array([0.2]), 0.5
    one = 1 / 2000
    assert finding_rates(mu, np.array([0.0]), np.array([3.0]), alpha, one)[0] == pytest.approx(
        min(0.2 * (3.0 / one) ** 0.5, 1.0)
    )
    assert finding_rates(mu, np.array([0.0]), np.array([1e-9]), alpha, one)[0] == pytest.approx(1e-9 / one)  # m <= V
    assert finding_rates(mu, np.array([0.0]), np.array([0.0]), alpha, one)[0] == 0.0
    assert finding_rates(mu, np.array([400.0]), np.array([100.0]), alpha, one)[0] == pytest.approx(0.2 * 0.5)


def test_a_cell_with_vacancies_and_no_local_searchers_attracts_movers():
    """The migration utility of such a cell includes a positive chance of a job."""
    spec = only("matching")
    model = TalentModel(spec, rng=5)
    model.step()
    rates = np.stack([r.finding_rate for r in model.regions])
    vac = np.stack([r.vacancies for r in model.regions])
    searchers = np.stack([r.searchers for r in model.regions])
    cells = np.argwhere((searchers == 0) & (vac >= 1))
    assert len(cells) > 0, "no such cell in this world"
    assert (rates[cells[:, 0], cells[:, 1]] > 0.5).all()
