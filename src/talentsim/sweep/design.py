"""Inputs and designs: what a sweep varies and the points it runs.

Every design comes from a standard library: grids from :func:`itertools.product`, Latin
hypercubes from :class:`scipy.stats.qmc.LatinHypercube`, Saltelli (Sobol) and Morris samples from
SALib. Designs are drawn on the unit hypercube and mapped to each input's values through the
input's distribution (``scipy.stats`` percent-point functions) or its list of values.
"""

from __future__ import annotations

import hashlib
import inspect
import itertools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field, field_validator, model_validator

from talentsim.schema import StrictModel

METHODS: tuple[str, ...] = ("grid", "lhs", "sobol", "morris", "crossed")
# How a crossed design combines its levers: every combination, or one lever at a time.
POLICY_SETS: tuple[str, ...] = ("grid", "one_at_a_time")
# Columns of the design and outcome tables; an input may not take one of these names.
RESERVED: frozenset[str] = frozenset(
    {"run_id", "point", "replicate", "seed", "metric", "region", "date", "period", "value", "self"}
)
# Unit-hypercube coordinates are kept this far from 0 and 1, so unbounded distributions stay finite.
UNIT_EPS = 1e-9


class Input(StrictModel):
    """One input of a sweep: where it goes, whether it is a lever or an uncertainty, and over what.

    Exactly one way of giving its values:

    - ``values``: a list (any design; sampling designs pick from it with equal chances);
    - ``range = [low, high]`` with ``distribution = "uniform"`` (default) or ``"loguniform"``;
    - ``distribution = "triangular"`` with ``range`` and ``mode``;
    - ``distribution = "normal"`` with ``mean`` and ``sd``, truncated to ``range`` if given.

    A grid takes ``values`` or a uniform (``levels`` evenly spaced points, default 3) or
    log-uniform (geometrically spaced) ``range``.
    """

    name: str = Field(min_length=1, description="column name in the tables; default the path")
    path: str = Field("", description="dotted path to a scenario field or policy.<type>.<param>")
    kind: Literal["lever", "uncertainty"] = Field(description="a policy lever or an uncertainty")
    range: list[float] | None = Field(None, description="[low, high]")
    values: list[Any] | None = Field(None, description="the values to take")
    levels: int | None = Field(None, ge=2, description="grid points across the range (grid designs)")
    distribution: Literal["uniform", "loguniform", "normal", "triangular"] = "uniform"
    mean: float | None = None
    sd: float | None = Field(None, gt=0.0)
    mode: float | None = None
    description: str = ""

    @model_validator(mode="before")
    @classmethod
    def _default_name(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("name") and isinstance(data.get("path"), str) and data["path"]:
            data = {**data, "name": data["path"]}
        return data

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if v in RESERVED:
            raise ValueError(f"{v!r} is a column of the result tables; choose another name")
        return v

    @field_validator("range")
    @classmethod
    def _range(cls, v: list[float] | None) -> list[float] | None:
        if v is not None and (len(v) != 2 or not v[0] < v[1]):
            raise ValueError(f"expected [low, high] with low < high, got {v}")
        return v

    @field_validator("values")
    @classmethod
    def _values(cls, v: list[Any] | None) -> list[Any] | None:
        if v is None:
            return v
        if not v:
            raise ValueError("expected at least one value")
        keys = [json.dumps(x, sort_keys=True, default=str) for x in v]
        if len(set(keys)) != len(keys):
            raise ValueError(f"expected distinct values, got {v}")
        return v

    @model_validator(mode="after")
    def _one_way(self) -> Input:
        given = self.model_fields_set
        dist = self.distribution
        if self.values is not None:
            extra = sorted(given & {"range", "mean", "sd", "mode", "levels", "distribution"})
            if extra:
                raise ValueError(f"give either values or a distribution, not both (found values and {extra[0]})")
            return self
        needs = {
            "uniform": {"range"},
            "loguniform": {"range"},
            "triangular": {"range", "mode"},
            "normal": {"mean", "sd"},
        }[dist]
        allowed = needs | {"range", "levels"} if dist in ("uniform", "loguniform") else needs | {"range"}
        missing = sorted(f for f in needs if getattr(self, f) is None)
        if missing:
            raise ValueError(f"a {dist} input needs {' and '.join(missing)} (or give values)")
        extra = sorted((given & {"range", "mean", "sd", "mode", "levels"}) - allowed)
        if extra:
            raise ValueError(f"{extra[0]} does not apply to a {dist} distribution")
        if dist == "loguniform" and self.range is not None and self.range[0] <= 0:
            raise ValueError(f"a loguniform range must be above 0, got {self.range}")
        if dist == "triangular" and self.range is not None and self.mode is not None:
            if not self.range[0] <= self.mode <= self.range[1]:
                raise ValueError(f"mode {self.mode} is outside the range {self.range}")
        return self

    def _frozen(self) -> Any:
        """The scipy.stats frozen distribution of a distribution input."""
        from scipy import stats

        lo, hi = self.range if self.range is not None else (None, None)
        if self.distribution == "uniform":
            return stats.uniform(loc=lo, scale=hi - lo)
        if self.distribution == "loguniform":
            return stats.loguniform(lo, hi)
        if self.distribution == "triangular":
            return stats.triang(c=(self.mode - lo) / (hi - lo), loc=lo, scale=hi - lo)
        if self.range is None:
            return stats.norm(loc=self.mean, scale=self.sd)
        return stats.truncnorm((lo - self.mean) / self.sd, (hi - self.mean) / self.sd, loc=self.mean, scale=self.sd)

    def from_unit(self, u: np.ndarray) -> list[Any]:
        """Map unit-hypercube coordinates to this input's values."""
        u = np.asarray(u, dtype=np.float64)
        if self.values is not None:
            k = len(self.values)
            idx = np.minimum(np.floor(u * k).astype(np.int64), k - 1)
            return [self.values[i] for i in idx]
        if self.distribution in ("uniform", "loguniform") or self.range is not None:
            u = np.clip(u, 0.0, 1.0)
        else:
            u = np.clip(u, UNIT_EPS, 1.0 - UNIT_EPS)
        out = self._frozen().ppf(u)
        if self.range is not None:  # floating-point noise must not leave the declared range
            out = np.clip(out, self.range[0], self.range[1])
        return [float(x) for x in out]

    def grid(self) -> tuple[list[Any], list[float]]:
        """The values of a grid over this input and their unit-hypercube coordinates."""
        if self.values is not None:
            k = len(self.values)
            return list(self.values), [(i + 0.5) / k for i in range(k)]
        if self.distribution not in ("uniform", "loguniform"):
            raise ValueError(f"a grid takes values or a uniform or loguniform range, not a {self.distribution} input")
        n = self.levels or 3
        lo, hi = self.range  # type: ignore[misc]
        pts = np.linspace(lo, hi, n) if self.distribution == "uniform" else np.geomspace(lo, hi, n)
        pts[0], pts[-1] = lo, hi
        return [float(x) for x in pts], [i / (n - 1) for i in range(n)]

    def extremes(self) -> list[Any]:
        """Values worth checking before a sweep starts: the range's ends or every listed value."""
        if self.values is not None:
            return list(self.values)
        if self.range is not None:
            return list(self.range)
        return []


def _native(x: Any) -> Any:
    """A plain Python value (numpy scalars and arrays become int, float, bool or list)."""
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, np.ndarray):
        return x.tolist()
    return x


def coerce(value: Any, kind: type | None) -> Any:
    """Convert a design value to the type of the field it goes to (``int`` fields are rounded)."""
    value = _native(value)
    if kind is None or isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if kind is int:
        return math.floor(value + 0.5)
    if kind is float:
        return float(value)
    return value


@dataclass
class Design:
    """The points of a sweep and its runs.

    Attributes:
        inputs: what varies, in column order.
        method: ``grid``, ``lhs``, ``sobol`` or ``morris``.
        replicates: runs per point, on seeds ``seed, seed + 1, ...`` (the same at every point).
        seed: seed of the sample and of the first replicate.
        samples: unit-hypercube coordinates, one row per point (SALib's order for sobol and morris).
        values: the inputs' values, one row per point.
        settings: ``sample_size`` (the ``points`` asked for), ``levels`` (morris), ``second_order`` (sobol).
    """

    inputs: list[Input]
    method: str
    replicates: int
    seed: int
    samples: np.ndarray
    values: pd.DataFrame
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        """Input names in column order."""
        return [i.name for i in self.inputs]

    @property
    def n_points(self) -> int:
        """Number of design points."""
        return len(self.values)

    @property
    def n_runs(self) -> int:
        """Number of runs: points times replicates."""
        return self.n_points * self.replicates

    @property
    def problem(self) -> dict[str, Any]:
        """The SALib problem (on the unit hypercube) and the design settings."""
        return {
            "num_vars": len(self.inputs),
            "names": self.names,
            "bounds": [[0.0, 1.0]] * len(self.inputs),
            "kinds": [i.kind for i in self.inputs],
            "method": self.method,
            "points": self.n_points,
            "replicates": self.replicates,
            "seed": self.seed,
            **self.settings,
        }

    @property
    def table(self) -> pd.DataFrame:
        """One row per run: run_id, point, replicate, seed and the inputs' values.

        ``run_id = point * replicates + replicate``; replicate ``r`` runs on seed ``seed + r`` at
        every point (common random numbers across points).
        """
        reps = self.replicates
        point = np.repeat(np.arange(self.n_points, dtype=np.int64), reps)
        replicate = np.tile(np.arange(reps, dtype=np.int64), self.n_points)
        head = pd.DataFrame(
            {
                "run_id": point * reps + replicate,
                "point": point,
                "replicate": replicate,
                "seed": self.seed + replicate,
            }
        )
        vals = self.values.iloc[point].reset_index(drop=True)
        return pd.concat([head, vals], axis=1)

    def runs(self) -> list[tuple[int, int, int, int, dict[str, Any]]]:
        """Every run as ``(run_id, point, replicate, seed, inputs)``."""
        rows = self.values.to_dict("records")
        out = []
        for p, row in enumerate(rows):
            inputs = {k: _native(v) for k, v in row.items()}
            for r in range(self.replicates):
                out.append((p * self.replicates + r, p, r, self.seed + r, inputs))
        return out

    def fingerprint(self) -> str:
        """SHA-256 of the design's settings, inputs and values: equal hashes, equal designs."""
        data = {
            "problem": self.problem,
            "inputs": [i.model_dump(mode="json", exclude={"description"}) for i in self.inputs],
            "values": json.loads(self.values.to_json(orient="split", double_precision=15)),
            "samples": self.samples.round(15).tolist(),
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _unit_sample(
    inputs: Sequence[Input], method: str, points: int | None, seed: int, levels: int, second_order: bool
) -> tuple[np.ndarray, list[list[Any]] | None]:
    d = len(inputs)
    problem = {"num_vars": d, "names": [i.name for i in inputs], "bounds": [[0.0, 1.0]] * d}
    if method == "grid":
        grids = [i.grid() for i in inputs]
        vals = [list(p) for p in itertools.product(*(g[0] for g in grids))]
        units = np.array(list(itertools.product(*(g[1] for g in grids))), dtype=np.float64).reshape(-1, d)
        return units, vals
    if method == "lhs":
        from scipy.stats import qmc

        # SciPy 1.15 renamed seed to rng (SPEC 7); both take a Generator
        key = "rng" if "rng" in inspect.signature(qmc.LatinHypercube).parameters else "seed"
        return qmc.LatinHypercube(d=d, **{key: np.random.default_rng(seed)}).random(n=points), None
    if method == "sobol":
        from SALib.sample import sobol

        return sobol.sample(problem, points, calc_second_order=second_order, seed=seed), None
    from SALib.sample import morris

    return morris.sample(problem, points, num_levels=levels, seed=seed), None


def lever_settings(levers: Sequence[Input], policies: str) -> list[list[int]]:
    """The lever settings of a crossed design, as indices into each lever's grid values.

    ``grid``: every combination (:func:`itertools.product`). ``one_at_a_time``: the reference
    setting (every lever at its first value), then each lever alone moved to each of its other
    values, then, with two levers or more, every lever at its last value together.

    Raises:
        ValueError: unknown ``policies``.
    """
    sizes = [len(inp.grid()[0]) for inp in levers]
    if policies == "grid":
        return [list(c) for c in itertools.product(*(range(k) for k in sizes))]
    if policies != "one_at_a_time":
        raise ValueError(f"unknown policies {policies!r}; expected one of {', '.join(POLICY_SETS)}")
    out = [[0] * len(sizes)]
    for j, k in enumerate(sizes):
        for v in range(1, k):
            row = [0] * len(sizes)
            row[j] = v
            out.append(row)
    if len(sizes) > 1:
        out.append([k - 1 for k in sizes])
    return out


def count_lever_settings(levers: Sequence[Input], policies: str) -> int:
    """The number of lever settings of a crossed design, without listing them."""
    sizes = [len(inp.values) if inp.values is not None else (inp.levels or 3) for inp in levers]
    if policies == "grid":
        return math.prod(sizes)
    return 1 + sum(k - 1 for k in sizes) + (1 if len(sizes) > 1 else 0)


def _crossed_sample(
    inputs: Sequence[Input], points: int, seed: int, policies: str
) -> tuple[np.ndarray, list[list[Any]], int]:
    """Unit coordinates and values of a crossed design: lever settings x a Latin hypercube of the uncertainties.

    Row ``u * n_settings + p`` is lever setting ``p`` at uncertainty point ``u``, so every setting
    meets the same uncertainty points (and, through the replicates, the same seeds).
    """
    from scipy.stats import qmc

    levers = [i for i in inputs if i.kind == "lever"]
    unc = [i for i in inputs if i.kind == "uncertainty"]
    if not levers or not unc:
        raise ValueError("a crossed design needs at least one lever input and one uncertainty input")
    settings = lever_settings(levers, policies)
    grids = [inp.grid() for inp in levers]
    key = "rng" if "rng" in inspect.signature(qmc.LatinHypercube).parameters else "seed"
    lhs = qmc.LatinHypercube(d=len(unc), **{key: np.random.default_rng(seed)}).random(n=points)
    unc_values = [inp.from_unit(lhs[:, j]) for j, inp in enumerate(unc)]
    units = np.empty((points * len(settings), len(inputs)), dtype=np.float64)
    values: list[list[Any]] = []
    for u in range(points):
        for setting in settings:
            row_u: list[float] = []
            row_v: list[Any] = []
            li = ui = 0
            for inp in inputs:
                if inp.kind == "lever":
                    row_v.append(grids[li][0][setting[li]])
                    row_u.append(grids[li][1][setting[li]])
                    li += 1
                else:
                    row_v.append(unc_values[ui][u])
                    row_u.append(lhs[u, ui])
                    ui += 1
            units[len(values)] = row_u
            values.append(row_v)
    return units, values, len(settings)


def make_design(
    inputs: Sequence[Input | Mapping[str, Any]],
    method: Literal["grid", "lhs", "sobol", "morris", "crossed"] = "lhs",
    points: int | None = None,
    *,
    replicates: int = 1,
    seed: int = 1,
    levels: int = 4,
    second_order: bool = False,
    types: Mapping[str, type | None] | None = None,
    policies: str = "grid",
) -> Design:
    """Draw a design.

    Args:
        inputs: :class:`Input` objects or dictionaries of their fields.
        method: ``grid`` (every combination of the inputs' grids), ``lhs`` (Latin hypercube,
            ``points`` rows), ``sobol`` (Saltelli's scheme, ``points`` = N, a power of 2, giving
            N(D + 2) points, or N(2D + 2) with ``second_order``) or ``morris`` (``points``
            trajectories of D + 1 points on ``levels`` levels).
        points: the size as above; leave it out for a grid.
        replicates: runs per point.
        seed: seed of the sample; replicate ``r`` of every point runs on ``seed + r``.
        levels: Morris grid levels.
        second_order: also estimate second-order Sobol indices.
        types: the Python type of each input's target field; ``int`` values are rounded.
        policies: ``crossed`` designs only: how lever settings are formed, ``grid`` (every
            combination of the levers' values) or ``one_at_a_time`` (see :func:`lever_settings`).
            A crossed design runs every lever setting at each of ``points`` Latin-hypercube points
            of the uncertainties, for robustness analysis (:mod:`talentsim.robustness`).

    Raises:
        ValueError: inconsistent settings.
    """
    ins = [i if isinstance(i, Input) else Input.model_validate(dict(i)) for i in inputs]
    if not ins:
        raise ValueError("expected at least one input")
    names = [i.name for i in ins]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ValueError(f"input names must be distinct; {dup[0]!r} appears twice")
    if method not in METHODS:
        raise ValueError(f"unknown design method {method!r}; expected one of {', '.join(METHODS)}")
    if replicates < 1:
        raise ValueError(f"replicates: expected at least 1, got {replicates}")
    if method in ("grid", "crossed"):
        with_levels = [i.name for i in ins if i.levels is not None and i.kind == "uncertainty"]
        if method == "crossed" and with_levels:
            raise ValueError(f"input {with_levels[0]!r}: levels applies to lever inputs of a crossed design only")
    if method == "grid":
        if points is not None:
            raise ValueError("a grid's size follows from its inputs' values and levels; leave points out")
    else:
        if points is None or points < 1:
            raise ValueError(f"a {method} design needs points (a whole number of at least 1)")
        with_levels = [i.name for i in ins if i.levels is not None]
        if with_levels and method != "crossed":
            raise ValueError(f"input {with_levels[0]!r}: levels applies to grid designs only")
    if method == "sobol" and points & (points - 1):  # type: ignore[operator]
        raise ValueError(f"a sobol design needs points (N) to be a power of 2, got {points}")
    if method == "sobol" and len(ins) < 2:
        raise ValueError("a sobol design needs at least 2 inputs")
    if method == "morris" and points < 2:  # type: ignore[operator]
        raise ValueError("a morris design needs at least 2 trajectories")
    settings: dict[str, Any] = {"sample_size": points}  # lhs points, sobol N, morris trajectories; grid None
    if method == "crossed":
        units, grid_values, n_settings = _crossed_sample(ins, int(points), seed, policies)  # type: ignore[arg-type]
        settings.update(policies=policies, lever_settings=n_settings)
    else:
        units, grid_values = _unit_sample(ins, method, points, seed, levels, second_order)
    types = types or {}
    columns: dict[str, list[Any]] = {}
    for j, inp in enumerate(ins):
        raw = [row[j] for row in grid_values] if grid_values is not None else inp.from_unit(units[:, j])
        columns[inp.name] = [coerce(v, types.get(inp.name)) for v in raw]
    values = pd.DataFrame(columns)
    if method == "morris":
        settings["levels"] = levels
    if method == "sobol":
        settings["second_order"] = second_order
    return Design(ins, method, replicates, seed, np.ascontiguousarray(units, dtype=np.float64), values, settings)
