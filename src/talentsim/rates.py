"""Small helpers for rates and random draws shared by the processes."""

from __future__ import annotations

import numpy as np


def monthly(annual: float | np.ndarray) -> float | np.ndarray:
    """Monthly probability equivalent to an annual one: ``1 - (1 - p) ** (1 / 12)`` (never p/12)."""
    return 1.0 - (1.0 - np.asarray(annual, dtype=np.float64)) ** (1.0 / 12.0)


def monthly_growth(annual: float | np.ndarray) -> float | np.ndarray:
    """Monthly growth rate that compounds to an annual one: ``(1 + g) ** (1 / 12) - 1``.

    For growth rates (of jobs, of an economy), not hazards: 12 months at this rate multiply a
    quantity by exactly ``1 + g``. Use :func:`monthly` for probabilities of an event.
    """
    return (1.0 + np.asarray(annual, dtype=np.float64)) ** (1.0 / 12.0) - 1.0


def stochastic_round(x: float | np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Round to an integer up or down at random so that the expectation equals ``x``.

    Used to turn real-people quantities divided by ``scale`` into person-agent counts without the
    bias of plain rounding, so national totals do not depend on ``scale`` beyond sampling noise.
    """
    x = np.asarray(x, dtype=np.float64)
    base = np.floor(x)
    return (base + (rng.random(x.shape) < (x - base))).astype(np.int64)


def draw(rng: np.random.Generator, rows: np.ndarray, p: float | np.ndarray) -> np.ndarray:
    """The subset of ``rows`` for which an independent draw with probability ``p`` succeeds.

    ``p`` is a scalar or an array aligned with ``rows`` (each person's own probability).
    """
    if len(rows) == 0:
        return rows
    return rows[rng.random(len(rows)) < p]


def ration(rng: np.random.Generator, rows: np.ndarray, capacity: float) -> np.ndarray:
    """Keep each of ``rows`` with chance ``capacity / len(rows)`` when they exceed ``capacity``.

    ``capacity`` is in person-agents and may be fractional (real seats / scale): admitting each
    candidate at random, rather than a whole number of them, keeps the expected number admitted
    equal to the capacity at any scale.
    """
    if len(rows) <= capacity:
        return rows
    return rows[rng.random(len(rows)) < capacity / len(rows)]


def ration_quota(
    rng: np.random.Generator,
    rows: np.ndarray,
    group: np.ndarray,
    monthly_capacity: np.ndarray,
    balance: np.ndarray,
    max_carry_months: float = 12.0,
) -> np.ndarray:
    """Ration ``rows`` by group against a monthly quota whose unused places carry over.

    Each group's open places (``balance``, person-agents, updated in place) grow by its monthly
    capacity, up to ``max_carry_months`` months of capacity; the month's candidates of the group
    are rationed against them with :func:`ration`, and the admitted are taken off.

    Why the carry-over: at a coarse scale a region's monthly capacity is often a fraction of one
    agent and its candidates a handful, so a month with no candidate would waste the places
    that the real region (thousands of candidates) fills, and the fill rate would fall with the
    scale. Carrying places over, as yearly quotas do, keeps admissions equal to the capacity
    whenever candidates are plentiful, at any scale; when they are not, every candidate is
    admitted, as before. Admissions above the open places (possible with fractional places) are
    a debt repaid the next month.

    Returns:
        The admitted rows, sorted.
    """
    balance += monthly_capacity
    np.minimum(balance, monthly_capacity * max_carry_months, out=balance)
    if len(rows) == 0:
        return rows
    admitted = [ration(rng, rows[group == g], max(float(balance[g]), 0.0)) for g in range(len(balance))]
    balance -= [len(a) for a in admitted]
    return np.sort(np.concatenate(admitted))


def sample_rows(rng: np.random.Generator, n: int, p: float) -> np.ndarray:
    """Rows of ``0 .. n-1``, each included independently with probability ``p``, in order.

    Draws the binomial count and then a uniform subset of that size, which has the same law as
    one Bernoulli draw per row but costs O(count) rather than O(n). Processes draw candidates
    from all rows this way and then keep those at risk (for example, employees for
    separations): each person at risk is still chosen with their own chance ``p``, and the
    draws do not depend on who else is at risk, which keeps scenarios on common random numbers.
    """
    k = int(rng.binomial(n, p)) if n > 0 else 0
    if k == 0:
        return np.empty(0, dtype=np.int64)
    if k > n // 8:
        return np.flatnonzero(rng.random(n) < p)
    return np.sort(rng.choice(n, size=k, replace=False))


def thin_by_region(rng: np.random.Generator, rows: np.ndarray, region: np.ndarray, factor: np.ndarray) -> np.ndarray:
    """Keep each of ``rows`` with chance ``factor[region] / factor.max()``.

    Rows drawn at a base rate times ``factor.max()`` are thus drawn at the base rate times their
    region's factor. Draws nothing when every factor is 1.
    """
    if np.all(factor == 1.0) or len(rows) == 0:
        return rows
    top = factor.max()
    if top <= 0:
        return rows[:0]
    return rows[rng.random(len(rows)) < factor[region] / top]


def weighted_sample_per_group(
    rng: np.random.Generator, group: np.ndarray, weight: np.ndarray, k: np.ndarray
) -> np.ndarray:
    """Positions chosen without replacement: ``k[g]`` from each group ``g``, weighted.

    Uses Efraimidis-Spirakis keys (``u ** (1 / w)``, larger wins), so a person's chance of
    being chosen rises with their weight, and exactly ``min(k[g], size of g)`` are chosen per
    group: the ``k[g]`` largest keys of the group. Candidates are ordered by descending key (a
    stable sort, so equal keys keep their positions' order) and then grouped by a stable
    counting sort of the (small integer) group codes; the first ``k[g]`` of each group are
    chosen. The chosen are returned ordered by group and, within a group, by descending key.

    Args:
        rng: the random stream.
        group: group code of each candidate (non-negative integers).
        weight: non-negative weight of each candidate; weight 0 is chosen only after every
            positive weight of its group.
        k: number to choose in each group, indexed by group code.

    Returns:
        Positions into ``group`` of the chosen candidates.
    """
    if len(group) == 0:
        return np.empty(0, dtype=np.int64)
    keys = rng.random(len(group))
    with np.errstate(divide="ignore"):  # weight 0: exponent inf, key 0
        exponent = 1.0 / weight
    other = np.flatnonzero(exponent != 1.0)  # u ** 1 is u exactly; most weights are 1
    keys[other] **= exponent[other]
    n_groups = max(int(group.max()) + 1, len(k))
    take = np.zeros(n_groups, dtype=np.int64)
    take[: len(k)] = k
    wanted = np.flatnonzero(take[group] > 0)  # candidates of groups that choose anyone
    neg = -keys[wanted]
    order = np.argsort(neg)
    ranked = neg[order]
    if np.any(ranked[1:] == ranked[:-1]):  # ties (weight 0): the slower stable sort orders them by position
        order = np.argsort(neg, kind="stable")
    by_key = wanted[order]
    g = group[by_key]
    small = g.astype(np.int16) if len(g) and g.max() < np.iinfo(np.int16).max else g
    ordered = by_key[np.argsort(small, kind="stable")]  # a radix sort for 16-bit codes
    g = group[ordered]
    counts = np.bincount(g, minlength=n_groups)
    rank = np.arange(len(ordered)) - (np.cumsum(counts) - counts)[g]
    return ordered[rank < take[g]]
