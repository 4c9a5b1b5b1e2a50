"""Sweep files: a base scenario, the inputs to vary, the design and the outcomes to keep.

A sweep file is TOML validated like a scenario: unknown keys, unknown paths, unknown metrics and
values a scenario would refuse are reported with the file, the field and what was expected
(:class:`SweepError`, a :class:`~talentsim.scenario.ScenarioError`), before anything runs.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from talentsim.limits import check_design, check_scenario, design_points, is_size_field, persons_from, persons_problem
from talentsim.metrics import all_metrics
from talentsim.overrides import PathParts, get_at, resolve_path, set_at
from talentsim.safe_paths import check_folder_name
from talentsim.scenario import (
    Scenario,
    ScenarioError,
    describe_error,
    file_path,
    load_scenario,
    read_toml_file,
    validate_scenario,
)
from talentsim.schema import StrictModel, check_month
from talentsim.sweep.design import Design, Input, coerce, make_design
from talentsim.sweep.outcomes import ScenarioModel


class SweepError(ScenarioError):
    """A sweep file, or a sweep folder, that cannot be used; lists ``(field, message)`` pairs."""


class DesignSettings(StrictModel):
    """The ``[design]`` table."""

    method: Literal["grid", "lhs", "sobol", "morris", "crossed"] = Field(description="how points are drawn")
    points: int | None = Field(
        None, ge=1, description="lhs: points; sobol: N (a power of 2); morris: trajectories; grid: leave out"
    )
    levels: int | None = Field(None, ge=2, description="morris: grid levels (default 4)")
    second_order: bool | None = Field(None, description="sobol: also second-order indices (default false)")
    policies: Literal["grid", "one_at_a_time"] | None = Field(
        None, description="crossed: lever settings, every combination (grid, default) or one lever at a time"
    )

    @model_validator(mode="after")
    def _fits_method(self) -> DesignSettings:
        m = self.method
        if m == "grid" and self.points is not None:
            raise ValueError("points: a grid's size follows from its inputs' values and levels; leave points out")
        if m != "grid" and self.points is None:
            raise ValueError(f"points: a {m} design needs the number of points")
        if m == "sobol" and self.points is not None and self.points & (self.points - 1):
            raise ValueError(f"points: a sobol design needs N to be a power of 2 (8, 16, 32 ...), got {self.points}")
        if m == "morris" and self.points is not None and self.points < 2:
            raise ValueError(f"points: a morris design needs at least 2 trajectories, got {self.points}")
        if self.levels is not None and m != "morris":
            raise ValueError("levels: applies to morris designs only (a grid input takes its own levels)")
        if self.second_order is not None and m != "sobol":
            raise ValueError("second_order: applies to sobol designs only")
        if self.policies is not None and m != "crossed":
            raise ValueError("policies: applies to crossed designs only")
        return self


class OutcomeSettings(StrictModel):
    """The ``[outcomes]`` table."""

    metrics: list[str] = Field(min_length=1, description="metrics to keep")
    regions: list[str] = Field(default_factory=lambda: ["all"], min_length=1, description='"all" and/or regions')
    dates: list[str] = Field(default_factory=list, description="months YYYY-MM (default: the last month)")
    flow_months: int = Field(12, ge=1, description="months a new_ flow is summed over, ending at each date")

    @field_validator("metrics")
    @classmethod
    def _metrics(cls, v: list[str]) -> list[str]:
        known = all_metrics()
        for m in v:
            if m not in known:
                raise ValueError(f"unknown metric {m!r}; expected names such as {', '.join(known[:6])} ...")
        if len(set(v)) != len(v):
            raise ValueError("expected distinct metrics")
        return v

    @field_validator("dates")
    @classmethod
    def _dates(cls, v: list[str]) -> list[str]:
        for d in v:
            check_month(d)
        return v


class SweepFile(StrictModel):
    """A sweep file."""

    name: str = Field(min_length=1, description="the sweep's name: one plain folder name (results/<name>)")
    description: str = ""
    scenario: str = Field(min_length=1, description="base scenario file, relative to the sweep file")
    seed: int = Field(1, ge=0, description="seed of the design and of the first replicate")
    replicates: int = Field(1, ge=1, description="runs per point")
    fixed: dict[str, Any] = Field(default_factory=dict, description="paths set to one value in every run")
    design: DesignSettings
    input: list[Input] = Field(min_length=1, description="[[input]] tables")
    outcomes: OutcomeSettings

    _v_name = field_validator("name")(check_folder_name)


def _describe(err: dict[str, Any]) -> tuple[str, str]:
    loc, msg = describe_error(err, "docs/sweeps.md")
    if ": " in msg and not loc.endswith(msg.split(": ", 1)[0]) and msg.split(": ", 1)[0].isidentifier():
        field, msg = msg.split(": ", 1)
        loc = f"{loc}.{field}" if loc else field
    return loc, msg


def _flatten(d: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for k, v in d.items():
        key = f"{prefix}.{k}" if prefix else str(k)
        if isinstance(v, dict) and v:
            out += _flatten(v, key)
        else:
            out.append((key, v))
    return out


def _type_of(value: Any) -> type | None:
    if isinstance(value, bool):
        return bool
    if isinstance(value, int):
        return int
    if isinstance(value, float):
        return float
    return None


def _check_value(base: dict[str, Any], parts: PathParts, value: Any) -> str | None:
    data = copy.deepcopy(base)
    set_at(data, parts, value)
    try:
        validate_scenario(data)
    except ScenarioError as exc:
        field, msg = exc.problems[0]
        return f"{value!r} is refused by the scenario: {field}: {msg}" if field else f"{value!r}: {msg}"
    return None


def _size_problems(base: dict[str, Any], paths: dict[str, PathParts], design: Design) -> list[tuple[str, str]]:
    """The first design point whose person-agents exceed the limit (only inputs that set a size are looked at)."""
    sized = {name: parts for name, parts in paths.items() if is_size_field(parts)}
    if not sized:
        return []
    columns = {name: design.values[name].tolist() for name in sized}
    for point in range(design.n_points):
        at = {parts: columns[name][point] for name, parts in sized.items()}

        def get(path: tuple[str, ...], at: dict[PathParts, Any] = at) -> Any:
            return at[path] if path in at else get_at(base, path)

        problem = persons_problem(persons_from(get), float(get(("scale",))))
        if problem:
            values = ", ".join(f"{name} = {columns[name][point]!r}" for name in sized)
            return [("input", f"design point {point} ({values}): {problem}")]
    return []


@dataclass
class Sweep:
    """A validated sweep: the base scenario, the design and the model that runs a point.

    Attributes:
        name: the sweep's name.
        path: the sweep file (or a label for a sweep built in Python).
        spec: the parsed file.
        base: the base scenario with the ``[fixed]`` values set.
        design: the points and runs.
        model: the picklable model function the runs call.
        text: the sweep file's text (kept with the results).
    """

    name: str
    path: str
    spec: SweepFile
    base: Scenario
    design: Design
    model: ScenarioModel
    text: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any], path: str | Path = "<sweep>", root: str | Path = ".") -> Sweep:
        """Validate a sweep given as a dictionary (the same tables as a file).

        Args:
            data: the sweep's tables.
            path: what error messages name.
            root: folder the ``scenario`` path is relative to.

        Raises:
            SweepError: with one ``(field, message)`` pair per problem.
            ScenarioError: the base scenario does not validate.
        """
        label = str(path)
        try:
            spec = SweepFile.model_validate(data)
        except ValidationError as exc:
            raise SweepError(label, [_describe(e) for e in exc.errors()]) from None
        scenario_path = file_path(spec.scenario, Path(root), label, "scenario", SweepError)
        scenario = load_scenario(scenario_path)
        check_scenario(scenario, scenario_path)  # its own sizes name it; [fixed] sizes name the sweep
        base = scenario.model_dump(mode="python")
        problems: list[tuple[str, str]] = []
        for key, value in _flatten(spec.fixed):
            try:
                set_at(base, resolve_path(base, key), value)
            except ValueError as exc:
                problems.append((f"fixed.{key}", f"{exc} (base scenario {scenario_path})"))
        if problems:
            raise SweepError(label, problems)
        try:
            base_scenario = validate_scenario(base)
        except ScenarioError as exc:
            raise SweepError(label, [(f"fixed.{f}" if f else "fixed", m) for f, m in exc.problems]) from None
        paths: dict[str, PathParts] = {}
        types: dict[str, type | None] = {}
        for i, inp in enumerate(spec.input):
            if not inp.path:
                problems.append((f"input[{i}].path", "missing required field (a dotted path to a scenario field)"))
                continue
            try:
                parts = resolve_path(base, inp.path)
            except ValueError as exc:
                problems.append((f"input[{i}].path", f"{exc} (base scenario {scenario_path})"))
                continue
            clash = [n for n, p in paths.items() if p == parts]
            if clash:
                problems.append((f"input[{i}].path", f"{inp.path} is already varied by input {clash[0]!r}"))
            paths[inp.name] = parts
            types[inp.name] = _type_of(get_at(base, parts))
        names = [i.name for i in spec.input]
        for i, n in enumerate(names):
            if n in names[:i]:
                problems.append((f"input[{i}].name", f"{n!r} names two inputs; give each a distinct name"))
        if problems:
            raise SweepError(label, problems)
        d = spec.design
        check_scenario(base_scenario, label)
        check_design(
            design_points(d.method, spec.input, d.points, bool(d.second_order), d.policies or "grid"),
            spec.replicates,
            spec.seed,
            label,
        )
        try:
            design = make_design(
                spec.input,
                d.method,
                d.points,
                replicates=spec.replicates,
                seed=spec.seed,
                levels=d.levels or 4,
                second_order=bool(d.second_order),
                types=types,
                policies=d.policies or "grid",
            )
        except ValueError as exc:
            raise SweepError(label, [("design", str(exc))]) from None
        for i, inp in enumerate(spec.input):
            col = design.values[inp.name]
            candidates = [*inp.extremes()]
            if inp.values is None and types[inp.name] in (int, float) and len(col):
                candidates += [col.min(), col.max()]
            seen: list[Any] = []
            for v in candidates:
                v = coerce(v, types[inp.name])
                if v in seen:
                    continue
                seen.append(v)
                msg = _check_value(base, paths[inp.name], v)
                if msg:
                    problems.append((f"input[{i}] ({inp.name})", msg))
                    break
        problems += _size_problems(base, paths, design)
        out = spec.outcomes
        regions = ["all", *base_scenario.region_names]
        for r in out.regions:
            if r not in regions:
                problems.append(("outcomes.regions", f"unknown region {r!r}; expected one of {', '.join(regions)}"))
        h = base_scenario.horizon
        for date in out.dates:
            if not h.start <= date <= h.end:
                problems.append(("outcomes.dates", f"{date} is outside the horizon {h.start} to {h.end}"))
        if problems:
            raise SweepError(label, problems)
        model = ScenarioModel(
            base=base,
            paths=paths,
            metrics=tuple(out.metrics),
            regions=tuple(out.regions),
            dates=tuple(out.dates),
            flow_months=out.flow_months,
            label=label,
        )
        return cls(spec.name, label, spec, base_scenario, design, model)


def load_sweep(path: str | Path) -> Sweep:
    """Load and validate a sweep file.

    Raises:
        SweepError: the file is missing, not TOML, or does not validate; the message names the
            file, the field and what was expected.
        ScenarioError: its base scenario does not validate.
    """
    p = Path(path)
    text, data = read_toml_file(p, SweepError)
    sweep = Sweep.from_dict(data, p, p.resolve().parent)
    sweep.text = text
    return sweep
