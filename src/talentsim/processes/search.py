"""Where searchers apply: the split of each searcher's effort over regions (directed search).

A searcher living in region ``h`` who qualifies for job cell ``q`` spreads applications over
regions ``r`` in proportion to the destination cell's vacancies, times the exponential of its
value net of a search-and-moving cost (Manning & Petrongolo 2017, "How local are labor markets?",
AER 107(10): applications fall with distance and rise with vacancies; here "distance" is 0 at home
and 1 elsewhere):

    pi[h, r, q] = V[r, q] * exp((A[r, q] - c * [r != h]) / sigma)
                  / sum_k V[k, q] * exp((A[k, q] - c * [k != h]) / sigma),

with ``A[r, q]`` the value of working in region ``r`` in cell ``q`` that the migration logit uses
(``wage_weight * ln(offer) + amenity - cost_weight * cost_of_living + hukou_weight * hukou_openness``,
plus any talent incentive for cells of the senior band), ``sigma`` the migration logit's scale and
``c`` the matching process's ``search_moving_cost``. It is the migration logit with the chance of a
job replaced by the number of vacancies, so that the effort a searcher directs to a market is
proportional to its vacancies (the Manning-Petrongolo form). Where no region has a vacancy in the
cell, all effort stays at home.

Everything here is computed per (home region, destination region, cell): 8 x 8 x 19 numbers, not
per person. Each searcher then applies in one region a month, drawn from their row of ``pi``
(a simplification: spreading applications over regions within the month is replaced by one
region drawn with those chances, which has the same expected pools).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from talentsim.constants import JOB_BAND, N_JOBS, NON_DIGITAL_JOB

if TYPE_CHECKING:
    from talentsim.model import TalentModel

SENIOR_BAND = 2
SENIOR_LOWEST_LEVEL = 5


def region_values(model: TalentModel) -> np.ndarray:
    """Value of living in each region for anyone.

    ``amenity - cost_weight * cost_of_living + hukou_weight * hukou_openness``.
    """
    mig = model.spec.processes.migration
    return np.array(
        [
            r.spec.amenity - mig.cost_weight * r.spec.cost_of_living + mig.hukou_weight * r.spec.hukou_openness
            for r in model.regions
        ]
    )


def cell_values(model: TalentModel) -> np.ndarray:
    """``A[r, q]``: value of working in region ``r`` in job cell ``q``, shape (regions, cells).

    The migration logit's utility without the job-finding term. Talent incentives (a per-person
    term in the migration logit for high-level talent) apply here to the cells of the senior
    band when every level of that band counts as high-level (a simplification at cell level).
    """
    mig = model.spec.processes.migration
    a = mig.wage_weight * np.log(model.wage_offers()) + region_values(model)[:, None]
    if model.spec.high_level_threshold <= SENIOR_LOWEST_LEVEL:
        senior = (JOB_BAND == SENIOR_BAND) & (np.arange(N_JOBS) != NON_DIGITAL_JOB)
        a = a + np.outer(model.fx.talent_incentive, senior)
    return a


def effort_shares(values: np.ndarray, vacancies: np.ndarray, cost: float, sigma: float) -> np.ndarray:
    """``pi[h, r, q]``: the share of a searcher's effort from home ``h`` in cell ``q`` spent in region ``r``.

    Args:
        values: ``A[r, q]``, shape (regions, cells).
        vacancies: ``V[r, q]``, non-negative, shape (regions, cells).
        cost: the search-and-moving cost ``c`` of applying outside the home region (utility units).
        sigma: the logit scale.

    Returns:
        Shape (regions, regions, cells); each ``[h, :, q]`` sums to 1. Where no region has a
        vacancy in cell ``q``, ``pi[h, h, q] = 1``.
    """
    n_regions = values.shape[0]
    away = 1.0 - np.eye(n_regions)
    z = (values[None, :, :] - cost * away[:, :, None]) / sigma  # (h, r, q)
    with np.errstate(divide="ignore"):
        z = z + np.log(vacancies)[None, :, :]
    top = z.max(axis=1, keepdims=True)
    none = ~np.isfinite(top)  # no vacancy anywhere in the cell
    w = np.exp(z - np.where(none, 0.0, top))
    w = np.where(none, 0.0, w)
    total = w.sum(axis=1, keepdims=True)
    pi = np.divide(w, total, out=np.zeros_like(w), where=total > 0)
    home = np.broadcast_to(np.eye(n_regions)[:, :, None], pi.shape)
    return np.where(none, home, pi)


def draw_destinations(rng: np.random.Generator, pi: np.ndarray, home: np.ndarray, cell: np.ndarray) -> np.ndarray:
    """One destination region per searcher, drawn from ``pi[home, :, cell]``.

    One uniform number ``u`` per searcher. The regions of each (home, cell) row are ordered home
    first: a searcher with ``u`` below the home share stays (most do, at the cost of one
    comparison); the others are placed by a binary search in the cumulative shares of all rows,
    flattened. O(searchers), never searchers x regions.
    """
    n_regions, _, n_cells = pi.shape
    if len(home) == 0:
        return home.astype(np.int8)
    # order[h] = [h, the other regions in code order]
    order = np.array([[h, *[r for r in range(n_regions) if r != h]] for h in range(n_regions)])
    shares = np.take_along_axis(pi, order[:, :, None], axis=1)  # (h, position, q)
    cum = np.cumsum(np.moveaxis(shares, 1, 2).reshape(n_regions * n_cells, n_regions), axis=1)
    cum[:, -1] = 1.0
    key = home.astype(np.int64) * n_cells + cell
    u = rng.random(len(key))
    dest = home.astype(np.int8)
    away = np.flatnonzero(u >= cum[key, 0])
    if len(away):
        flat = (cum + np.arange(n_regions * n_cells)[:, None]).ravel()
        k = key[away]
        pos = np.searchsorted(flat, k + u[away], side="right") - k * n_regions
        dest[away] = order[home[away], np.minimum(pos, n_regions - 1)]
    return dest
