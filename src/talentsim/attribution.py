"""Who bought what: Shapley attribution of a plan's effect over its levers, by permutation sampling.

For players (levers) ``N`` and a value ``y_s(S)`` of each coalition ``S`` on seed ``s`` (an outcome
of the plan with only the levers in ``S`` acting), lever ``i``'s Shapley share is the mean, over
orderings of the levers, of its marginal contribution ``y_s(P ∪ {i}) - y_s(P)`` where ``P`` are the
levers before ``i``. It counts interactions: a lever that only works with another shares their
joint effect.

Estimation:

- ``permutations`` orderings are drawn (``numpy.random.Generator.permutation`` from ``rng_seed``);
  with ``antithetic`` (default) they come in pairs, an ordering and its reverse, which makes each
  lever's early and late positions balance (lower variance at the same cost).
- Every coalition a permutation needs is run once per seed and cached by its frozenset of levers,
  so coalitions shared between permutations (at least the empty one and the whole plan) are reused.
  All seeds use the same permutations and coalitions (common random numbers).
- In each permutation the marginal contributions telescope: they add to ``y_s(N) - y_s(∅)``
  exactly. So the estimated shares add up to the plan's mean effect ``mean_s[y_s(N) - y_s(∅)]`` on
  those seeds, whatever the number of permutations (up to floating-point rounding).

Sampling error of each share:

- ``se_permutations``: the standard error over permutations (over antithetic pairs, each pair
  averaged first), of the share averaged over seeds. It measures the error of sampling orderings
  only, for these seeds; seed noise is not included.
- ``se_seeds``: the standard error over seeds of the per-seed share (same permutations on every
  seed). It measures the model's run-to-run noise in the share (the seeds are a sample of the
  model's randomness); with few seeds it is itself rough.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

Coalition = frozenset[str]
# value(coalition, seed) -> outcomes by name (e.g. {"n_digital_talent": ..., "cum_policy_cost": ...})
ValueFunction = Callable[[Coalition, int], Mapping[str, float]]
# map(function, items) -> results in order (the built-in map, or an executor's map)
Item = tuple[Coalition, int]
MapFunction = Callable[[Callable[[Item], Mapping[str, float]], Iterable[Item]], Iterable[Any]]


class AttributionError(ValueError):
    """Settings the attribution cannot use; the message says why."""


def draw_permutations(players: Sequence[str], n: int, rng_seed: int = 1, antithetic: bool = True) -> list[list[str]]:
    """``n`` orderings of ``players``; with ``antithetic``, each drawn one is followed by its reverse.

    Raises:
        AttributionError: ``n`` below 1, odd with ``antithetic``, or no players.
    """
    if not players:
        raise AttributionError("expected at least one player (lever)")
    if len(set(players)) != len(players):
        raise AttributionError("players must be distinct")
    if n < 1:
        raise AttributionError(f"permutations: expected at least 1, got {n}")
    if antithetic and n % 2:
        raise AttributionError(f"permutations: antithetic sampling takes an even number, got {n}")
    rng = np.random.default_rng(rng_seed)
    out: list[list[str]] = []
    while len(out) < n:
        perm = [players[j] for j in rng.permutation(len(players))]
        out.append(perm)
        if antithetic:
            out.append(perm[::-1])
    return out


def coalitions_needed(permutations: Sequence[Sequence[str]]) -> list[Coalition]:
    """Every coalition the permutations visit (prefixes, the empty one included), each once, in first-visit order."""
    seen: dict[Coalition, None] = {frozenset(): None}
    for perm in permutations:
        for j in range(1, len(perm) + 1):
            seen.setdefault(frozenset(perm[:j]), None)
    return list(seen)


@dataclass
class _Call:
    """A picklable ``(coalition, seed) -> value`` adapter for map functions."""

    value: ValueFunction

    def __call__(self, item: tuple[Coalition, int]) -> Mapping[str, float]:
        return self.value(item[0], item[1])


@dataclass
class Attribution:
    """Estimated Shapley shares.

    Attributes:
        shares: one row per player and outcome: ``share`` (mean over permutations and seeds),
            ``se_permutations``, ``se_seeds``, ``share_of_total``.
        totals: per outcome: the plan's effect ``y(N) - y(∅)`` (mean over seeds), the sum of the
            shares, and their difference (zero up to rounding).
        marginals: every marginal contribution: permutation, position, player, seed, outcome, value.
        cache: every coalition's outcomes: coalition (players joined by ``+``), seed, outcome, value.
        permutations: the orderings used.
        seeds: the seeds.
        antithetic: whether orderings came in reversed pairs.
    """

    shares: pd.DataFrame
    totals: pd.DataFrame
    marginals: pd.DataFrame
    cache: pd.DataFrame
    permutations: list[list[str]]
    seeds: list[int]
    antithetic: bool

    @property
    def runs(self) -> int:
        """Number of value evaluations (coalition-seed pairs run)."""
        return int(self.cache[["coalition", "seed"]].drop_duplicates().shape[0])

    def save(self, out: str | Path, extra: Mapping[str, Any] | None = None) -> Path:
        """Write ``shares.csv``, ``totals.csv``, ``marginals.csv``, ``coalitions.csv`` and ``attribution.json``."""
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        self.shares.to_csv(out / "shares.csv", index=False)
        self.totals.to_csv(out / "totals.csv", index=False)
        self.marginals.to_csv(out / "marginals.csv", index=False)
        self.cache.to_csv(out / "coalitions.csv", index=False)
        meta = {
            "kind": "attribution",
            "permutations": len(self.permutations),
            "antithetic": self.antithetic,
            "seeds": self.seeds,
            "runs": self.runs,
            "orderings": self.permutations,
            **dict(extra or {}),
        }
        (out / "attribution.json").write_text(json.dumps(meta, indent=2, default=str), encoding="utf-8")
        return out


def _se(values: np.ndarray) -> float:
    """Standard error of the mean of ``values`` (NaN with fewer than 2)."""
    return float(np.std(values, ddof=1) / math.sqrt(len(values))) if len(values) > 1 else math.nan


def shapley(
    players: Sequence[str],
    value: ValueFunction,
    seeds: Sequence[int] = (1,),
    permutations: int = 8,
    *,
    rng_seed: int = 1,
    antithetic: bool = True,
    map_fn: MapFunction | None = None,
) -> Attribution:
    """Shapley shares of ``value`` over ``players`` by permutation sampling on common seeds.

    Args:
        players: the levers.
        value: ``value(coalition, seed)`` -> outcomes by name; the same names for every call.
        seeds: the seeds every coalition runs on.
        permutations: orderings to sample (even with ``antithetic``). With ``n`` players there are
            ``n!`` orderings; asking for at least that many is allowed but samples with repeats.
        rng_seed: seed of the orderings.
        antithetic: pair each ordering with its reverse.
        map_fn: how to evaluate the ``(coalition, seed)`` pairs, e.g. an executor's ``map``
            (default: the built-in ``map``, in order, in this process). ``value`` must then be picklable.

    Raises:
        AttributionError: bad settings, or a value function that returns different outcome names.
    """
    if not seeds:
        raise AttributionError("expected at least one seed")
    perms = draw_permutations(players, permutations, rng_seed, antithetic)
    coalitions = coalitions_needed(perms)
    items = [(c, int(s)) for c in coalitions for s in seeds]
    results = list((map_fn or map)(_Call(value), items))
    cache: dict[tuple[Coalition, int], dict[str, float]] = {}
    names: list[str] | None = None
    for item, res in zip(items, results, strict=True):
        got = {str(k): float(v) for k, v in dict(res).items()}
        if names is None:
            names = list(got)
        elif set(got) != set(names):
            raise AttributionError(f"the value function returned outcomes {sorted(got)}, earlier {sorted(names)}")
        cache[item] = got
    assert names is not None
    n_perm, n_seed, n_play = len(perms), len(seeds), len(players)
    index = {p: j for j, p in enumerate(players)}
    marg = np.zeros((len(names), n_perm, n_seed, n_play))
    rows = []
    for q, perm in enumerate(perms):
        for si, s in enumerate(seeds):
            before: Coalition = frozenset()
            for pos, p in enumerate(perm):
                after = before | {p}
                for oi, name in enumerate(names):
                    m = cache[(after, int(s))][name] - cache[(before, int(s))][name]
                    marg[oi, q, si, index[p]] = m
                    rows.append((q, pos, p, int(s), name, m))
                before = after
    share_rows, total_rows = [], []
    full = frozenset(players)
    for oi, name in enumerate(names):
        m = marg[oi]
        per_perm = m.mean(axis=1)  # permutations x players, averaged over seeds
        units = per_perm.reshape(n_perm // 2, 2, n_play).mean(axis=1) if antithetic else per_perm
        per_seed = m.mean(axis=0)  # seeds x players, averaged over permutations
        share = m.mean(axis=(0, 1))
        total = float(np.mean([cache[(full, int(s))][name] - cache[(frozenset(), int(s))][name] for s in seeds]))
        for j, p in enumerate(players):
            share_rows.append(
                {
                    "outcome": name,
                    "lever": p,
                    "share": float(share[j]),
                    "se_permutations": _se(units[:, j]),
                    "se_seeds": _se(per_seed[:, j]),
                    "share_of_total": float(share[j] / total) if total else math.nan,
                }
            )
        total_rows.append(
            {
                "outcome": name,
                "plan_effect": total,
                "sum_of_shares": float(share.sum()),
                "difference": float(share.sum() - total),
            }
        )
    cache_rows = [
        {"coalition": "+".join(sorted(c)) or "(none)", "size": len(c), "seed": s, "outcome": k, "value": v}
        for (c, s), out in cache.items()
        for k, v in out.items()
    ]
    return Attribution(
        shares=pd.DataFrame(share_rows),
        totals=pd.DataFrame(total_rows),
        marginals=pd.DataFrame(rows, columns=["permutation", "position", "lever", "seed", "outcome", "value"]),
        cache=pd.DataFrame(cache_rows),
        permutations=perms,
        seeds=[int(s) for s in seeds],
        antithetic=antithetic,
    )


OFF_START, OFF_END = "2027-01", "2030-12"


@dataclass
class PlanValue:
    """The simulator as a value function: the plan with only a coalition's levers acting.

    Levers outside the coalition are switched off by moving their window past the horizon (a lever
    that never acts gives the same run as one left out, and every lever keeps its random stream, so
    coalitions differ only by what their levers do). Picklable (plain data).

    Attributes:
        plan: the plan scenario as ``Scenario.model_dump(mode="python")``.
        metrics: national metrics returned, at the horizon's last month (stocks and shares; a
            ``new_`` flow is summed over the last 12 months, as in sweeps).
    """

    plan: dict[str, Any]
    metrics: tuple[str, ...] = ("n_digital_talent", "cum_policy_cost")

    @property
    def levers(self) -> list[str]:
        """The plan's lever types, in its order."""
        return [p["type"] for p in self.plan["policy"]]

    def scenario(self, coalition: Coalition) -> Any:
        """The validated scenario with only ``coalition``'s levers acting."""
        import copy

        from talentsim.scenario import validate_scenario

        unknown = sorted(set(coalition) - set(self.levers))
        if unknown:
            raise AttributionError(f"{unknown[0]!r} is not a lever of the plan")
        data = copy.deepcopy(self.plan)
        for p in data["policy"]:
            if p["type"] not in coalition:
                p["start"], p["end"] = OFF_START, OFF_END
        return validate_scenario(data, f"{self.plan.get('name', 'plan')} with {sorted(coalition)}")

    def __call__(self, coalition: Coalition, seed: int) -> dict[str, float]:
        """Run the coalition on ``seed``; the metrics, national, at the last month."""
        from talentsim.experiment import run_one
        from talentsim.sweep.outcomes import extract_outcomes

        table = extract_outcomes(run_one(self.scenario(coalition), seed), self.metrics)
        out = dict(zip(table["metric"], table["value"], strict=True))
        missing = [m for m in self.metrics if m not in out]
        if missing:
            raise AttributionError(f"the run records no national value of {missing[0]!r} at its last month")
        return {m: float(out[m]) for m in self.metrics}


def plan_value(path: str | Path, scale: float | None = None, metrics: Sequence[str] | None = None) -> PlanValue:
    """A :class:`PlanValue` of a scenario file whose levers are distinct types.

    Raises:
        AttributionError: the plan repeats a lever type or has fewer than two levers.
        ScenarioError: the file does not validate.
    """
    from talentsim.scenario import load_scenario

    spec = load_scenario(path)
    if scale is not None:
        spec = spec.with_updates(scale=scale)
    data = spec.model_dump(mode="python")
    types = [p["type"] for p in data["policy"]]
    if len(types) < 2:
        raise AttributionError(f"{path}: attribution needs a plan of at least two levers, found {len(types)}")
    if len(set(types)) != len(types):
        raise AttributionError(f"{path}: each lever type may appear once (the levers are the players)")
    return PlanValue(data, tuple(metrics) if metrics else PlanValue.metrics)
