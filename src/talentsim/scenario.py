"""Scenario schema, loading and validation.

A scenario is a TOML file validated by the pydantic models below. Every model forbids unknown
keys, so a typo is an error rather than a silently ignored setting. A scenario may name a
``base`` scenario file (a path relative to itself, or a shipped scenario by name such as
``"baseline"``; see :mod:`talentsim.shipped`); its tables are merged over the base, key by key, so a
counterfactual only states what differs. Settings that validate but look unintended (a lever window
outside the horizon, a region listed twice) give a :class:`~talentsim.scenario_checks.ScenarioWarning`.

Defaults here mirror ``scenarios/baseline.toml``; each field's description says whether its
value has a published source or is a guess. Annual rates are converted to monthly ones in the
model as ``1 - (1 - p) ** (1 / 12)``.

Errors are raised as :class:`ScenarioError` with the file, the dotted field path and what was
expected, so the command line can print them without a traceback.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator

from talentsim.catalogue import canonical_region
from talentsim.constants import DIGITAL_FIELDS, MAX_LEVEL, PROGRAMMES
from talentsim.errors import ScenarioError
from talentsim.policies import LEVERS, LeverSpec, PolicySpec
from talentsim.policies.registry import on_change, policy_spec
from talentsim.safe_paths import check_folder_name
from talentsim.scenario_checks import warn_about
from talentsim.schema import (
    Count,
    Positive,
    Rate,
    StrictModel,
    check_month,
    month_index,
)


class Horizon(StrictModel):
    """Simulated months, inclusive at both ends."""

    start: str = Field("2024-01", description="first simulated month; the initial state is January 2024")
    end: str = Field("2026-12", description="last simulated month (the plan's window ends 2026-12)")

    _v_start = field_validator("start")(check_month)
    _v_end = field_validator("end")(check_month)

    @model_validator(mode="after")
    def _end_after_start(self) -> Horizon:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    @property
    def months(self) -> int:
        """Number of monthly steps in the horizon."""
        return month_index(self.end) - month_index(self.start) + 1


class Region(StrictModel):
    """One region's public figures and behavioural attributes."""

    group: Literal["east", "central", "west", "northeast"] = Field(description="NBS macro-region")
    labour_force_share: Rate = Field(description="share of national labour force (population share, NBS census)")
    student_share: Rate = Field(description="share of tertiary students (share of regular HEIs, MoE 2023)")
    digital_job_share: Rate = Field(description="share of digital jobs (software revenue shares, MIIT 2024)")
    wage_index: Positive = Field(description="regional mean wage / national mean wage (NBS)")
    cost_of_living: float = Field(
        0.0, ge=0.0, description="cost-of-living index in log points over the cheapest region (guess)"
    )
    amenity: float = Field(
        0.0,
        description="effective amenity utility; calibrated to the region's population trend "
        "(calibrations/baseline.toml, NBS 2021-2023); Central = 0 is the reference",
    )
    hukou_openness: Rate = Field(0.5, description="ease of hukou registration, 0 closed to 1 open (guess)")
    matching_efficiency: Positive = Field(1.0, description="multiplier on the matching efficiency mu (guess)")
    incubator_capacity: Count = Field(
        0.0, description="founders a year the region's incubators can host, real people (guess)"
    )
    digital_growth: float = Field(
        0.074, ge=-0.5, le=1.0, description="annual nominal growth of the digital economy (CAICT 2023: 0.0739)"
    )


class Initial(StrictModel):
    """The state in January 2024, in real people."""

    labour_force: Count = Field(774e6, description="employed 734.39M (NBS 2024) plus unemployed at 5.1 %")
    unemployment_rate: Rate = Field(0.051, description="urban surveyed unemployment 2024 (NBS)")
    digital_talent: Count = Field(32.86e6, description="digital talent stock 2024 (Digital Economy Talent Report 2025)")
    digital_gap: Count = Field(27.5e6, description="midpoint of the 25-30 M gap of 2023 (Renrui/Deloitte)")
    digital_skilled_elsewhere: Count = Field(
        2e6, description="persons at digital level 1-2 working in non-digital jobs (guess)"
    )
    digital_unemployment_rate: Rate = Field(
        0.03, description="unemployed digital talent as a share of digital talent (guess)"
    )
    core_digital_job_share: Rate = Field(
        0.7, description="share of digital jobs in core digital firms; the rest in traditional firms (guess)"
    )
    field_shares: dict[str, Rate] = Field(
        default_factory=lambda: {
            "ai": 0.08,
            "big_data": 0.12,
            "integrated_circuits": 0.03,
            "smart_manufacturing": 0.15,
            "data_security": 0.04,
            "other_digital": 0.58,
        },
        description="field mix of digital talent and jobs (guess; IC workforce 0.51 M in 2019 bounds its share)",
    )
    level_shares: list[Rate] = Field(
        default_factory=lambda: [0.20, 0.25, 0.20, 0.15, 0.10, 0.06, 0.03, 0.01],
        description="shares of digital talent at levels 1..8 (guess)",
    )
    certified_share: Rate = Field(0.25, description="share of digital talent holding a certificate (guess)")
    abroad: Count = Field(1.6e6, description="pool of Chinese students and talent abroad (guess)")
    min_age: int = Field(20, ge=15, le=70, description="youngest initial worker, years (guess)")
    max_age: int = Field(59, ge=15, le=70, description="oldest initial worker, years (guess)")

    @field_validator("field_shares")
    @classmethod
    def _fields(cls, v: dict[str, float]) -> dict[str, float]:
        return _check_field_keys(v, require_all=True)

    @field_validator("level_shares")
    @classmethod
    def _levels(cls, v: list[float]) -> list[float]:
        if len(v) != MAX_LEVEL:
            raise ValueError(f"expected {MAX_LEVEL} shares (levels 1..{MAX_LEVEL}), got {len(v)}")
        _check_sum(v, "level_shares")
        return v

    @model_validator(mode="after")
    def _ages(self) -> Initial:
        if self.max_age < self.min_age:
            raise ValueError(f"max_age {self.max_age} is below min_age {self.min_age}")
        return self


def _check_sum(values: Any, what: str) -> None:
    total = sum(values)
    if abs(total - 1.0) > 1e-6:
        raise ValueError(f"expected {what} to sum to 1, got {total:.6g}")


def _check_field_keys(v: dict[str, float], require_all: bool) -> dict[str, float]:
    unknown = sorted(set(v) - set(DIGITAL_FIELDS))
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}; expected one of {', '.join(DIGITAL_FIELDS)}")
    if require_all:
        missing = [f for f in DIGITAL_FIELDS if f not in v]
        if missing:
            raise ValueError(f"missing field {missing[0]!r}; every one of {', '.join(DIGITAL_FIELDS)} is needed")
        _check_sum(v.values(), "field shares")
    return v


class Process(StrictModel):
    """Common to every process: an on/off switch."""

    enabled: bool = Field(True, description="switch the process off for ablations and textbook checks")


class Demand(Process):
    """Firms' job targets, with an optional sinusoidal demand cycle."""

    growth_elasticity: float = Field(
        0.5, ge=0.0, le=5.0, description="digital-job growth per unit of digital-economy growth (guess)"
    )
    digitalisation_rate: Rate = Field(0.03, description="annual growth of digital jobs in traditional firms (guess)")
    non_digital_vacancy_rate: Rate = Field(0.05, description="open non-digital jobs as a share of filled ones (guess)")
    cycle_amplitude: float = Field(
        0.0,
        ge=0.0,
        le=0.5,
        description="amplitude of a sinusoidal demand cycle as a share of job targets; 0 = no cycle (guess)",
    )
    cycle_period_months: int = Field(48, gt=0, description="length of one demand cycle, months (guess)")


class Education(Process):
    """Intake, progression, dropout and graduation."""

    intake_per_year: dict[str, Count] = Field(
        default_factory=lambda: {"vocational": 5.5507e6, "undergraduate": 4.8715e6, "postgraduate": 1.3017e6},
        description="MoE statistical bulletin 2023 (undergraduate = regular + vocational undergraduate)",
    )
    intake_growth: float = Field(0.02, ge=-0.5, le=0.5, description="annual growth of intake (guess)")
    field_seat_shares: dict[str, Rate] = Field(
        default_factory=lambda: {
            "ai": 0.02,
            "big_data": 0.03,
            "integrated_circuits": 0.01,
            "smart_manufacturing": 0.05,
            "data_security": 0.01,
            "other_digital": 0.10,
        },
        description="digital fields' shares of seats; the rest are non-digital (guess)",
    )
    wage_weight: float = Field(
        2.0, ge=0.0, description="utility per log point of expected wage in field choice (guess)"
    )
    wage_noise_sd: float = Field(
        0.5, ge=0.0, description="noise in students' view of wage changes; response scaled by 1/(1+sd^2) (guess)"
    )
    dropout_rate: Rate = Field(0.02, description="annual dropout hazard (guess)")
    graduation_level: dict[str, int] = Field(
        default_factory=lambda: {"vocational": 2, "undergraduate": 3, "postgraduate": 4},
        description="digital level of a digital-field graduate by programme (guess)",
    )
    teaching_quality: dict[str, Rate] = Field(
        default_factory=lambda: {"vocational": 0.3, "undergraduate": 0.3, "postgraduate": 0.3},
        description="chance a digital graduate gains one level above the programme's (guess)",
    )
    partnership_share: Rate = Field(0.1, description="share of seats in firm-ordered classes, +1 level chance (guess)")
    top_up_share: Rate = Field(
        0.391,
        description="share of vocational graduates going on to a two-year undergraduate top-up (专升本); "
        "calibrated to MoE graduates 2024-2025, an effective value (docs/validation.md)",
    )
    cohort_growth: float = Field(
        0.0389,
        ge=-0.5,
        le=0.5,
        description="annual intake growth before 2024, for initial cohorts; calibrated to MoE graduates 2024-2025",
    )

    @field_validator("intake_per_year", "graduation_level", "teaching_quality")
    @classmethod
    def _programmes(cls, v: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(v) - set(PROGRAMMES))
        if unknown:
            raise ValueError(f"unknown programme {unknown[0]!r}; expected one of {', '.join(PROGRAMMES)}")
        missing = [p for p in PROGRAMMES if p not in v]
        if missing:
            raise ValueError(f"missing programme {missing[0]!r}; every one of {', '.join(PROGRAMMES)} is needed")
        return v

    @field_validator("graduation_level")
    @classmethod
    def _grad_levels(cls, v: dict[str, int]) -> dict[str, int]:
        for p, lvl in v.items():
            if not 1 <= lvl <= MAX_LEVEL:
                raise ValueError(f"{p}: expected a level from 1 to {MAX_LEVEL}, got {lvl}")
        return v

    @field_validator("field_seat_shares")
    @classmethod
    def _seat_fields(cls, v: dict[str, float]) -> dict[str, float]:
        _check_field_keys(v, require_all=False)
        if sum(v.values()) > 1.0 + 1e-9:
            raise ValueError(f"expected digital seat shares to sum to at most 1, got {sum(v.values()):.6g}")
        return v


class Training(Process):
    """Workers' and the unemployed's choice to train, completion and certification."""

    take_up_rate: Rate = Field(0.02, description="annual chance an eligible person considers training (guess)")
    private_cost: Count = Field(3000.0, description="private cost of a course, yuan (guess)")
    subsidy: Count = Field(0.0, description="public subsidy per trainee, yuan (baseline none)")
    gain_weight: float = Field(1.0, ge=0.0, description="logit weight on expected annual wage gain / cost (guess)")
    duration_months: int = Field(4, ge=1, le=36, description="course length, months (guess)")
    pass_rate: Rate = Field(0.8, description="chance a trainee completes and gains a level (guess)")
    certification_rate: Rate = Field(0.5, description="chance a completer passes a certification exam (guess)")
    seats_per_year: Count = Field(
        4e6,
        description="digital training seats a year, national (guess; ~20 M subsidised trainings a year, MOHRSS)",
    )
    max_age: int = Field(50, ge=15, le=70, description="oldest age that trains (guess)")
    experience_rate: Rate = Field(
        0.05, description="annual chance an employee in a digital job gains a level by experience (guess)"
    )
    first_level_rate: Rate = Field(
        0.075,
        description=(
            "chance a completer with no digital skill reaches a first digital level (guess, set so that "
            "training effects per trainee fall in Card, Kluve & Weber 2018's band)"
        ),
    )
    in_course_search: Rate = Field(
        0.3, description="job-search intensity of persons in a course relative to others (lock-in; guess)"
    )


class Matching(Process):
    """Cobb-Douglas matching within region x job cell, separations and on-the-job search."""

    efficiency: Positive = Field(0.2349, description="mu; calibrated to urban unemployment 2024, NBS")
    alpha: float = Field(
        0.5, gt=0.0, lt=1.0, description="elasticity of matches to searchers (literature range 0.3-0.7; guess)"
    )
    separation_rate: Rate = Field(0.153, description="annual separations (51job turnover 2024: 0.153)")
    on_the_job_search: Rate = Field(
        0.1, description="search intensity of the employed who qualify for a better cell (guess)"
    )
    certificate_weight: float = Field(1.5, ge=1.0, description="relative hiring chance of a certified searcher (guess)")
    cross_region_search: bool = Field(
        True,
        description="searchers also apply in other regions (directed search with distance decay, "
        "Manning & Petrongolo 2017); off (or migration off): within-region matching only",
    )
    search_moving_cost: float = Field(
        4.0,
        ge=0.0,
        description="utility cost of applying outside the home region, in the migration logit's units "
        "(guess; sets the share of search effort spent away from home)",
    )


class Wages(Process):
    """Wage offers by region x job cell."""

    adjustment_speed: Rate = Field(0.1, description="monthly share of the gap to the target wage closed (guess)")
    tightness_elasticity: float = Field(
        0.05, ge=0.0, le=2.0, description="target log-wage change per log change of vacancies/searchers (guess)"
    )
    non_digital_multiplier: Positive = Field(0.95, description="non-digital wage over regional mean (guess)")
    band_multipliers: list[Positive] = Field(
        default_factory=lambda: [1.0, 1.5, 2.35],
        description="digital wage by band over regional mean (guess; set so ICT/all = 1.92, NBS 2023)",
    )
    level_premium: float = Field(
        0.05, ge=0.0, le=1.0, description="wage premium per level above the band's lowest (guess)"
    )
    certificate_premium: float = Field(0.08, ge=0.0, le=1.0, description="wage premium of the certified (guess)")

    @field_validator("band_multipliers")
    @classmethod
    def _bands(cls, v: list[float]) -> list[float]:
        if len(v) != 3:
            raise ValueError(f"expected 3 multipliers (junior, intermediate, senior), got {len(v)}")
        return v


class Migration(Process):
    """Monthly reconsideration of region by a multinomial logit."""

    reconsider_rate: Rate = Field(0.05, description="annual chance a worker reconsiders their region (guess)")
    sigma: Positive = Field(1.0, description="logit scale: ln(P_j/P_k) = (V_j - V_k)/sigma (guess)")
    wage_weight: float = Field(2.0, ge=0.0, description="utility per log point of wage (guess)")
    job_weight: float = Field(1.0, ge=0.0, description="utility per unit job-finding chance (guess)")
    cost_weight: float = Field(1.0, ge=0.0, description="utility per unit cost-of-living index (guess)")
    hukou_weight: float = Field(0.5, ge=0.0, description="utility per unit hukou openness (guess)")
    moving_cost: float = Field(4.0, ge=0.0, description="utility cost of moving region (guess)")
    graduate_moving_cost: float = Field(
        5.0,
        ge=0.0,
        description="moving cost of a new graduate choosing where to look for work; calibrated to peak regional "
        "unemployment after graduation (near its upper bound 5)",
    )
    event_moves: bool = Field(
        True, description="the end of a course and a long unemployment spell prompt the unemployed to look at regions"
    )
    long_spell_months: int = Field(
        12,
        ge=0,
        le=120,
        description="unemployment spell (months, and every multiple) that prompts a look at other regions; "
        "12 = the OECD/ILO definition of long-term unemployment; 0 = never",
    )


class International(Process):
    """Emigration, returns from the pool abroad, outbound students and foreign inflow."""

    emigration_rate: Rate = Field(0.005, description="annual emigration hazard of high-level talent (guess)")
    return_rate: Rate = Field(
        0.3, description="annual return hazard of the pool abroad (guess; 0.48 M returnees in 2017, MoE)"
    )
    outbound_per_year: Count = Field(
        0.5e6,
        description="undergraduate graduates leaving to study abroad each June, out of the domestic pipeline (guess)",
    )
    outbound_digital_share: Rate = Field(0.3, description="share of the initial pool abroad in digital fields (guess)")
    foreign_per_year: Count = Field(20e3, description="foreign digital talent arriving a year (guess)")
    foreign_level: int = Field(5, ge=1, le=MAX_LEVEL, description="digital level of foreign arrivals (guess)")


class Entrepreneurship(Process):
    """Founding of startups (new Firm agents) and their exit."""

    founding_rate: Rate = Field(0.004, description="annual founding hazard of eligible persons (guess)")
    min_level: int = Field(3, ge=1, le=MAX_LEVEL, description="lowest digital level that founds (guess)")
    jobs_per_founder: Count = Field(4.0, description="digital jobs a startup opens per founder (guess)")
    exit_rate: Rate = Field(0.2, description="annual exit hazard of a founder's startup (guess)")


class Demography(Process):
    """Ageing, retirement, death, labour-market entry and inactivity."""

    retirement_age: int = Field(
        60, ge=40, le=75, description="age of retirement, years (statutory 60 for men; simplification)"
    )
    mortality_rate: Rate = Field(0.002, description="annual death hazard of working-age persons (guess)")
    entrants_per_year: Count = Field(8e6, description="non-tertiary labour-market entrants a year (guess)")
    inactivity_rate: Rate = Field(
        0.05, description="annual hazard that an unemployed person leaves the labour force (guess)"
    )
    reentry_rate: Rate = Field(0.3, description="annual hazard that an inactive person searches again (guess)")


class Processes(StrictModel):
    """Every process of the monthly step, each with its switch and rates."""

    demand: Demand = Field(default_factory=Demand)
    education: Education = Field(default_factory=Education)
    training: Training = Field(default_factory=Training)
    matching: Matching = Field(default_factory=Matching)
    wages: Wages = Field(default_factory=Wages)
    migration: Migration = Field(default_factory=Migration)
    international: International = Field(default_factory=International)
    entrepreneurship: Entrepreneurship = Field(default_factory=Entrepreneurship)
    demography: Demography = Field(default_factory=Demography)


class Scenario(StrictModel):
    """A complete, validated scenario."""

    name: str = Field(
        "baseline", min_length=1, description="the scenario's name: one plain folder name (results/<name>)"
    )
    description: str = ""
    scale: Positive = Field(2000.0, description="real people per person-agent (chosen for speed)")
    high_level_threshold: int = Field(
        5, ge=1, le=MAX_LEVEL, description="lowest level counted as high-level talent (DESIGN 2)"
    )
    national_wage: Positive = Field(
        120698.0, description="national mean wage, yuan a year, non-private units 2023 (NBS)"
    )
    horizon: Horizon = Field(default_factory=Horizon)
    regions: dict[str, Region]
    initial: Initial = Field(default_factory=Initial)
    processes: Processes = Field(default_factory=Processes)
    policy: list[PolicySpec] = Field(
        default_factory=list, description="the levers of the action plan in force ([[policy]] tables)"
    )

    _v_name = field_validator("name")(check_folder_name)

    @field_validator("regions")
    @classmethod
    def _regions(cls, v: dict[str, Region]) -> dict[str, Region]:
        if len(v) < 2:
            raise ValueError(f"expected at least 2 regions, got {len(v)}")
        for attr in ("labour_force_share", "student_share", "digital_job_share"):
            _check_sum([getattr(r, attr) for r in v.values()], f"regions' {attr}")
        return v

    @field_validator("policy")
    @classmethod
    def _policy_regions(cls, v: list[LeverSpec], info: ValidationInfo) -> list[LeverSpec]:
        regions = info.data.get("regions")
        if regions is None:
            return v
        for i, lever in enumerate(v):
            for name in type(lever).model_fields:
                if not name.endswith("regions"):
                    continue
                listed = getattr(lever, name)
                if listed and any(canonical_region(r) != r for r in listed):  # Chinese names: 西部 for West
                    setattr(lever, name, [canonical_region(r) for r in listed])
                for r in getattr(lever, name) or []:
                    if r not in regions:
                        expected = ", ".join(regions)
                        raise ValueError(
                            f"policy[{i}] ({lever.type}).{name}: unknown region {r!r}; expected one of {expected}"
                        )
        return v

    @property
    def region_names(self) -> list[str]:
        """Region names in file order (the order of region codes in the model)."""
        return list(self.regions)

    def digest(self) -> str:
        """SHA-256 of the scenario's canonical JSON: equal hashes mean equal scenarios."""
        # sort_keys loses the order of regions, which sets the region codes and so the results
        text = json.dumps([self.model_dump(mode="json"), self.region_names], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def with_updates(self, **paths: Any) -> Scenario:
        """A validated copy with the values at ``paths`` replaced (see :mod:`talentsim.overrides`).

        Paths are dotted (``**{"processes.matching.alpha": 0.4}``) or use ``__`` for dots in
        keyword form (``processes__matching__alpha=0.4``, ``policy__funding__regions=["West"]``);
        ``policy.<type>.<param>`` sets a parameter of the scenario's ``[[policy]]`` table of that
        type, ``policy[<i>].<param>`` of the table at position ``i``. A whole table may be
        replaced (``policy=[...]``).

        Raises:
            ScenarioError: a path does not resolve (naming it and the valid options), or the
                result does not validate.
        """
        from talentsim.overrides import apply_overrides

        data = apply_overrides(self.model_dump(mode="python"), paths)
        return validate_scenario(data, "<override>")


def _use_registered_levers() -> None:
    """Rebuild the ``policy`` field's union after a lever is registered or removed."""
    Scenario.model_fields["policy"].annotation = list[policy_spec()]
    Scenario.model_rebuild(force=True)


on_change(_use_registered_levers)


def _deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _deep_merge(out[k], v)
        else:
            out[k] = v
    return out


def _location(parts: tuple[Any, ...]) -> str:
    """Dotted path of an error, with list positions as ``[i]`` and lever tags dropped."""
    out = ""
    for i, p in enumerate(parts):
        if isinstance(p, int):
            out += f"[{p}]"
        elif i >= 2 and parts[0] == "policy" and isinstance(parts[i - 1], int) and p in LEVERS:
            continue  # pydantic names the union member; the [[policy]] table's type says it already
        else:
            out += ("." if out else "") + str(p)
    return out


def describe_error(err: dict[str, Any], docs: str = "the documented fields") -> tuple[str, str]:
    """A pydantic error as (dotted field, what was expected), for messages without tracebacks."""
    loc = _location(tuple(err["loc"]))
    kind = err["type"]
    got = err.get("input")
    if kind == "union_tag_invalid":
        tag = err["ctx"]["tag"]
        return f"{loc}.type", f"unknown lever type {tag!r}; expected one of {', '.join(LEVERS)}"
    if kind == "union_tag_not_found":
        return f"{loc}.type", f"missing lever type; expected one of {', '.join(LEVERS)}"
    if kind == "extra_forbidden":
        return loc, f"unknown key; check the spelling against {docs}"
    if kind == "missing":
        return loc, "missing required field"
    msg = err["msg"].removeprefix("Value error, ")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        msg = f"expected a number {msg.removeprefix('Input should be ')}"
    elif msg.startswith("Input should be"):
        msg = "expected " + msg.removeprefix("Input should be ")
    if got is not None and not isinstance(got, dict | list) and "got" not in msg:
        msg += f", got {got!r}"
    return loc, msg


def validate_scenario(data: dict[str, Any], path: str | Path = "<dict>") -> Scenario:
    """Validate a scenario dictionary.

    Raises:
        ScenarioError: with one entry per problem, naming the field and what was expected.
    """
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(path, [describe_error(e) for e in exc.errors()]) from None


MAX_NESTING = 32  # tables and arrays within each other; the schema's deepest is 4 (guess: ample room)


def _nesting(data: Any) -> int:
    """How deep tables and arrays sit within each other in ``data`` (iteratively: no recursion limit)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_NESTING:
                stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


def file_path(text: Any, folder: Path, referrer: str | Path, field: str, error: type[ScenarioError]) -> Path:
    """The file a reference in a file names (``base``, a sweep's ``scenario``), resolved against ``folder``.

    Raises:
        ScenarioError: (or ``error``) naming ``referrer`` and ``field``: not a string, empty, with a
            NUL character, a symlink loop, or no such file.
    """
    if not isinstance(text, str) or not text.strip():
        raise error(referrer, [(field, f"expected a file path as a string (not empty), got {text!r}")])
    if "\x00" in text:
        raise error(referrer, [(field, f"expected a file path without NUL characters, got {text!r}")])
    try:
        target = (folder / text).resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (Python 3.12)
        raise error(referrer, [(field, f"cannot follow {text!r}: {exc}")]) from None
    if not target.exists():
        raise error(referrer, [(field, f"file not found: {target}")])
    if not target.is_file():
        raise error(referrer, [(field, f"expected a file, but {target} is a folder or a device")])
    return target


def _find_base(base: Any, path: Path) -> Path:
    """The file that ``base`` in ``path`` names: a file beside ``path``, else a shipped scenario.

    Raises:
        ScenarioError: naming ``path`` and the field ``base``: not a usable path (see
            :func:`file_path`), or no such file and no shipped scenario of that name.
    """
    from talentsim.shipped import find_scenario_file, shipped_names

    if isinstance(base, str) and base.strip() and "\x00" not in base:
        try:
            found = find_scenario_file(base, path.parent)
        except (OSError, RuntimeError, ValueError):
            found = None
        if found is not None:
            try:
                return found.resolve()
            except (OSError, RuntimeError) as exc:
                raise ScenarioError(path, [("base", f"cannot follow {base!r}: {exc}")]) from None
    try:
        return file_path(base, path.parent, path, "base", ScenarioError)
    except ScenarioError as exc:
        [(field, message)] = exc.problems
        if not message.startswith("file not found"):
            raise
        hint = f"{message}, and no shipped scenario of that name (shipped: {', '.join(shipped_names())})"
        raise ScenarioError(path, [(field, hint)]) from None


def read_toml_file(path: Path, error: type[ScenarioError] = ScenarioError) -> tuple[str, dict[str, Any]]:
    """The text and the parsed tables of a TOML file (scenario, sweep or calibration).

    Raises:
        ScenarioError: (or ``error``) the file is missing, unreadable, not TOML or nested more than
            :data:`MAX_NESTING` deep, naming the file.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(path, [("", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(path, [("", f"cannot read the file: {exc}")]) from None
    except ValueError as exc:  # a NUL character in the path
        raise error(repr(str(path)), [("", f"not a usable file path: {exc}")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(path, [("", f"not valid TOML: {exc}")]) from None
    except RecursionError:
        data = None
    if data is None or _nesting(data) > MAX_NESTING:
        raise error(path, [("", f"tables or arrays nested more than {MAX_NESTING} deep; expected a flatter file")])
    return text, data


Layer = tuple[Path, dict[str, Any]]  # a file of a base chain and what it states itself


def _read_toml(path: Path, chain: tuple[Path, ...] = ()) -> tuple[dict[str, Any], list[Layer]]:
    """A scenario file merged over its ``base`` chain, and each file's own tables (the file first)."""
    if path in chain:
        raise ScenarioError(chain[-1], [("base", f"scenarios refer to each other in a cycle through {path}")])
    _, data = read_toml_file(path)
    base = data.pop("base", None)
    if base is None:
        return data, [(path, data)]
    parent, layers = _read_toml(_find_base(base, path), (*chain, path))
    regions, parent_regions = data.get("regions", {}), parent.get("regions", {})
    unknown = []  # a `regions` that is not a table is left to the schema to report
    if isinstance(regions, dict) and isinstance(parent_regions, dict):
        unknown = sorted(set(regions) - set(parent_regions))
    if unknown:
        raise ScenarioError(
            path,
            [(f"regions.{unknown[0]}", f"unknown region; expected one of {', '.join(parent.get('regions', {}))}")],
        )
    return _deep_merge(parent, data), [(path, data), *layers]


def _stated_depth(data: Any, loc: tuple[Any, ...]) -> int:
    """How many leading parts of an error location ``data`` states itself."""
    node, depth = data, 0
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            break
        depth += 1
    return depth


def _blame(loc: tuple[Any, ...], layers: list[Layer], missing: bool = False) -> int:
    """The index of the file of a base chain that set the value an error is about (ties: nearest the user).

    A field missing from the whole chain is blamed on the last base, the file that holds a whole scenario.
    """
    depths = [_stated_depth(data, loc) for _, data in layers]
    if missing and max(depths) < len(loc):
        return len(layers) - 1
    return depths.index(max(depths))


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario TOML file (following its ``base`` chain).

    A path that names no file but names a shipped scenario (``baseline``, ``levers/funding``)
    loads that one. An error in a value that a ``base`` file sets names that file (and the file
    that uses it). Settings that validate but look unintended are warned about
    (:mod:`talentsim.scenario_checks`).

    Args:
        path: the scenario file, or a shipped scenario's name.

    Returns:
        The validated scenario.

    Raises:
        ScenarioError: the file is missing, unreadable, not TOML, or does not validate.
    """
    try:
        p = Path(path)
        if not p.is_file():  # a file of that name (or name.toml) here comes first, then a shipped one
            from talentsim.shipped import find_scenario_file

            p = find_scenario_file(str(path), Path.cwd()) or p
        p = p.resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # a symlink loop, a NUL character
        raise ScenarioError(repr(str(path)), [("", f"not a usable file path: {exc}")]) from None
    data, layers = _read_toml(p)
    try:
        spec = Scenario.model_validate(data)
    except ValidationError as exc:
        problems, files = [], []
        for err in exc.errors():
            field, msg = describe_error(err)
            i = _blame(tuple(err["loc"]), layers, missing=err["type"] == "missing")
            if i:
                msg += f" (this file is the base of {layers[i - 1][0]})"
            problems.append((field, msg))
            files.append(path if i == 0 else layers[i][0])
        raise ScenarioError(path, problems, files) from None
    warn_about(spec, path)
    return spec


def resolve_scenario(scenario: Scenario | str | Path | None = None, **overrides: Any) -> Scenario:
    """A Scenario from a Scenario, a file path or None (the baseline), with dotted overrides.

    Raises:
        ScenarioError: the file or an override does not validate.
    """
    if scenario is None:
        spec = default_scenario()
    elif isinstance(scenario, Scenario):
        spec = scenario
    else:
        spec = load_scenario(scenario)
    return spec.with_updates(**overrides) if overrides else spec


def default_scenario_path() -> Path:
    """The baseline scenario shipped with the package."""
    return Path(__file__).parent / "scenarios" / "baseline.toml"


def default_scenario() -> Scenario:
    """The baseline scenario (``scenarios/baseline.toml``)."""
    return load_scenario(default_scenario_path())
