"""The demand cycle: off by default and bit-identical when off; on, it moves targets, vacancies and
unemployment in the right directions."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from talentsim import TalentModel
from talentsim.constants import IS_DIGITAL_JOB, NON_DIGITAL_JOB
from talentsim.processes.demand import cycle_factor

from ..conftest import only, small


def _stream_states(model):
    return {name: gen.bit_generator.state for name, gen in model._streams.items()}


def test_cycle_factor_is_one_at_the_start_and_peaks_a_quarter_period_later():
    assert cycle_factor(0.1, 24, 0) == 1.0
    assert cycle_factor(0.1, 24, 6) == pytest.approx(1.1)
    assert cycle_factor(0.1, 24, 18) == pytest.approx(0.9)
    assert cycle_factor(0.1, 24, 24) == pytest.approx(1.0)
    assert cycle_factor(0.0, 24, 6) == 1.0


def test_amplitude_zero_is_bit_identical_to_no_cycle_and_draws_nothing_more():
    plain = TalentModel(small(horizon__end="2024-12"), rng=5).run()
    zero = TalentModel(
        small(horizon__end="2024-12", processes__demand__cycle_amplitude=0.0, processes__demand__cycle_period_months=7),
        rng=5,
    ).run()
    pd.testing.assert_frame_equal(plain.metrics.to_frame(), zero.metrics.to_frame(), check_exact=True)
    assert _stream_states(plain) == _stream_states(zero)
    assert all(f.trend is None for f in zero.firms if f is not None)


def test_job_targets_follow_the_factor_around_an_uncompounded_trend():
    """Demand alone (filled jobs stay put): targets = no-cycle targets x factor, month by month."""
    amplitude, period = 0.1, 12
    kw = {"horizon__end": "2026-01"}  # t = 0..24: two whole cycles
    plain = TalentModel(only("demand", **kw), rng=2)
    cyc = TalentModel(
        only(
            "demand",
            **kw,
            processes__demand__cycle_amplitude=amplitude,
            processes__demand__cycle_period_months=period,
        ),
        rng=2,
    )
    vr = cyc.spec.processes.demand.non_digital_vacancy_rate
    traditional = np.array([f.sector == "traditional" for f in cyc.firms])
    factors = []
    while cyc.running:
        plain.step()
        cyc.step()
        factor = cycle_factor(amplitude, period, cyc.month - 1)
        factors.append(factor)
        t_plain, t_cyc = plain.job_targets(), cyc.job_targets()
        np.testing.assert_allclose(t_cyc[:, IS_DIGITAL_JOB], t_plain[:, IS_DIGITAL_JOB] * factor, rtol=1e-12)
        for f_plain, f_cyc in zip(plain.firms, cyc.firms, strict=True):
            np.testing.assert_allclose(f_cyc.trend, f_plain.jobs[IS_DIGITAL_JOB], rtol=1e-12)  # no compounding
        filled = cyc.filled_jobs()[:, NON_DIGITAL_JOB]
        np.testing.assert_allclose(
            t_cyc[traditional, NON_DIGITAL_JOB], filled[traditional] * (1 + vr) * factor, rtol=1e-12
        )
        assert cyc.metrics.latest["n_digital_jobs"] == pytest.approx(plain.metrics.latest["n_digital_jobs"] * factor)
    assert min(factors) == pytest.approx(1 - amplitude) and max(factors) == pytest.approx(1 + amplitude)
    # after two whole cycles the targets are back on the trend
    np.testing.assert_allclose(cyc.job_targets()[:, IS_DIGITAL_JOB], plain.job_targets()[:, IS_DIGITAL_JOB], atol=1e-9)


def _vacancies_and_unemployment(amplitude, period, seed):
    spec = small(
        horizon__end="2027-12",
        processes__demand__cycle_amplitude=amplitude,
        processes__demand__cycle_period_months=period,
    )
    model = TalentModel(spec, rng=seed)
    rows = []
    while model.running:
        model.step()
        vacancies = sum(r.vacancies.sum() for r in model.regions)  # digital and non-digital, at matching
        employed = model.metrics.latest["n_employed"] / model.scale
        rows.append(
            {
                "factor": cycle_factor(amplitude, period, model.month - 1),
                "vacancy_rate": vacancies / employed,
                "unemployment_rate": model.metrics.latest["unemployment_rate"],
            }
        )
    return pd.DataFrame(rows)


def test_vacancies_and_unemployment_move_against_each_other_over_the_cycle():
    """Booms: more vacancies and less unemployment; busts the reverse (a Beveridge curve).

    The baseline has trends of its own (unemployment settling from its initial level), so the
    correlation is taken on the cycle run's deviations from the no-cycle run on the same seed.
    Unemployment lags vacancies by a few months, so the curve is a loop and rho is well above -1.
    """
    amplitude, period = 0.05, 24
    cyc = _vacancies_and_unemployment(amplitude, period, seed=3)
    plain = _vacancies_and_unemployment(0.0, period, seed=3)
    dev = cyc[["vacancy_rate", "unemployment_rate"]] - plain[["vacancy_rate", "unemployment_rate"]]
    rho = spearmanr(dev["vacancy_rate"], dev["unemployment_rate"]).statistic
    assert rho < -0.4, rho
    boom, bust = cyc[cyc["factor"] > 1], cyc[cyc["factor"] < 1]
    assert boom["vacancy_rate"].mean() > 1.2 * bust["vacancy_rate"].mean()
    assert boom["unemployment_rate"].mean() < bust["unemployment_rate"].mean() - 0.005
    # without the cycle, the same months show no such gap
    p_boom, p_bust = plain[cyc["factor"] > 1], plain[cyc["factor"] < 1]
    assert abs(p_boom["unemployment_rate"].mean() - p_bust["unemployment_rate"].mean()) < 0.002


def test_traditional_digital_jobs_compound_to_the_annual_digitalisation_rate():
    """Twelve months of demand alone multiply traditional firms' digital targets by 1 + g exactly
    (growth compounds: (1 + g) ** (1 / 12) - 1, not the hazard conversion 1 - (1 - g) ** (1 / 12),
    which made 3 % a year into 3.085 %)."""
    model = TalentModel(only("demand", horizon__end="2024-12"), rng=1)
    g = model.spec.processes.demand.digitalisation_rate
    traditional = [f for f in model.firms if f is not None and f.sector == "traditional"]
    core = [f for f in model.firms if f is not None and f.sector == "core_digital"]
    before = np.array([f.jobs[IS_DIGITAL_JOB].sum() for f in traditional])
    economy = np.array([model.regions[f.region].spec.digital_growth for f in core])
    core_before = np.array([f.jobs[IS_DIGITAL_JOB].sum() for f in core])
    model.run()
    after = np.array([f.jobs[IS_DIGITAL_JOB].sum() for f in traditional])
    np.testing.assert_allclose(after / before, 1.0 + g, rtol=1e-12)
    core_after = np.array([f.jobs[IS_DIGITAL_JOB].sum() for f in core])
    e = model.spec.processes.demand.growth_elasticity
    np.testing.assert_allclose(core_after / core_before, (1 + e * ((1 + economy) ** (1 / 12) - 1)) ** 12, rtol=1e-12)
