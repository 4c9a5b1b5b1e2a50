"""International flows: outbound students come out of the domestic pipeline."""

from __future__ import annotations

import numpy as np

from talentsim import TalentModel
from talentsim.constants import ABROAD, FROM_OUTSIDE, STUDENT

from ..conftest import small


def test_outbound_students_leave_the_domestic_pipeline():
    """Nobody enters the pool abroad from outside the model; outbound students are graduates who
    would otherwise have entered the labour market (they appeared from nothing before)."""
    with_outbound = TalentModel(small(horizon__end="2024-12"), rng=4).run()
    without = TalentModel(small(horizon__end="2024-12", processes__international__outbound_per_year=0), rng=4).run()
    flows = np.sum(with_outbound.flow_history, axis=0)
    assert flows[FROM_OUTSIDE, ABROAD] == 0
    outbound = with_outbound.metrics.to_frame()
    outbound = outbound[(outbound["metric"] == "new_outbound") & (outbound["region"] == "all")]
    sent = outbound["value"].sum() / with_outbound.scale
    expected = with_outbound.spec.processes.international.outbound_per_year / with_outbound.scale
    assert sent == flows[STUDENT, ABROAD] > 0
    assert abs(sent - expected) < 4 * np.sqrt(expected)
    # the same graduates, fewer of them entering the labour market
    grads = [np.sum(m.flow_history, axis=0)[STUDENT] for m in (with_outbound, without)]
    assert grads[0].sum() == grads[1].sum()
    assert grads[0][ABROAD] - grads[1][ABROAD] == sent
