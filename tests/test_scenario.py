"""The scenario schema: loading, defaults, digests, overrides and the refusal of bad input.

Bad input must raise :class:`ScenarioError` whose message names the file, the dotted field and
what was expected. The property-based tests mutate the shipped baseline one field at a time.
"""

from __future__ import annotations

import copy
import json
import re
import tomllib
import typing
from pathlib import Path
from typing import Any

import pytest
from annotated_types import Ge, Gt, Le
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from talentsim.constants import DIGITAL_FIELDS
from talentsim.scenario import (
    Horizon,
    Initial,
    Processes,
    Region,
    Scenario,
    ScenarioError,
    default_scenario,
    default_scenario_path,
    load_scenario,
    validate_scenario,
)
from talentsim.schema import EARLIEST_START, LATEST_END, month_index, month_string

BASELINE = default_scenario_path()
BASE: dict[str, Any] = tomllib.loads(BASELINE.read_text(encoding="utf-8"))
REGION = "Beijing"  # the region whose fields the property tests mutate
FILE = "scenarios/derived.toml"  # the file name given to validate_scenario

FAST = settings(max_examples=40, deadline=None)
FAST_FILES = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

Loc = tuple[str | int, ...]  # a dotted path as a tuple


# --- the schema's fields, found by walking the models (so a new field is covered too) ---


def _walk(model: type[BaseModel], prefix: Loc = ()) -> typing.Iterator[tuple[Loc, Any]]:
    for name, info in model.model_fields.items():
        ann, path = info.annotation, (*prefix, name)
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            yield from _walk(ann, path)
        elif typing.get_origin(ann) is dict and typing.get_args(ann)[1] is Region:
            yield from _walk(Region, (*path, REGION))
        else:
            yield path, info


def _bound(info: Any, kind: type) -> float | None:
    for m in info.metadata:
        if isinstance(m, kind):
            return float(getattr(m, kind.__name__.lower()))
    return None


FIELDS = dict(_walk(Scenario))
CONTAINERS = [p for p, i in FIELDS.items() if typing.get_origin(i.annotation) in (dict, list)]
NUMBERS = [p for p, i in FIELDS.items() if i.annotation in (float, int)]
FLOATS = [p for p in NUMBERS if FIELDS[p].annotation is float]
SWITCHES = [p for p, i in FIELDS.items() if i.annotation is bool]
TEXTS = [p for p in FIELDS if p not in CONTAINERS + NUMBERS + SWITCHES]  # str and Literal
RATES = [p for p in FLOATS if (_bound(FIELDS[p], Ge), _bound(FIELDS[p], Le)) == (0.0, 1.0)]
NON_NEGATIVE = [p for p in FLOATS if _bound(FIELDS[p], Ge) == 0.0 and _bound(FIELDS[p], Le) is None]
POSITIVE = [p for p in FLOATS if _bound(FIELDS[p], Gt) == 0.0 and _bound(FIELDS[p], Le) is None]
# Entries of tables and arrays that are rates or counts too.
RATE_ENTRIES: list[Loc] = [
    ("initial", "field_shares", "ai"),
    ("initial", "level_shares", 0),
    ("processes", "education", "field_seat_shares", "data_security"),
    ("processes", "education", "teaching_quality", "vocational"),
]
COUNT_ENTRIES: list[Loc] = [("processes", "education", "intake_per_year", "postgraduate")]
# Rates that must sum to 1 over regions: one cannot change alone and stay valid.
SUMMED = {"labour_force_share", "student_share", "digital_job_share"}

MODELS: dict[Loc, type[BaseModel]] = {
    (): Scenario,
    ("horizon",): Horizon,
    ("initial",): Initial,
    ("processes",): Processes,
    ("regions", REGION): Region,
    **{("processes", name): info.annotation for name, info in Processes.model_fields.items()},
}

# Words that pydantic's lax mode would read as a number or a boolean.
LAX_WORDS = {"nan", "inf", "infinity", "true", "false", "yes", "no", "on", "off", "t", "f", "y", "n"}
words = st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True).filter(lambda w: w not in LAX_WORDS)


def dotted(path: Loc) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else ("." if out else "") + str(p)
    return out


def with_value(path: Loc, value: Any, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """A deep copy of the baseline (or ``data``) with one entry set."""
    data = copy.deepcopy(BASE if data is None else data)
    node: Any = data
    for key in path[:-1]:
        node = node.setdefault(key, {}) if isinstance(node, dict) else node[key]
    node[path[-1]] = value
    return data


def value_at(spec: Scenario, path: Loc) -> Any:
    node: Any = spec
    for key in path:
        node = node[key] if isinstance(node, dict | list) else getattr(node, key)
    return node


def refusal(data: dict[str, Any], field: str) -> str:
    """Validate ``data``, expect a refusal naming FILE and ``field``, return that field's message."""
    with pytest.raises(ScenarioError) as info:
        validate_scenario(data, FILE)
    err = info.value
    assert err.path == FILE
    messages = dict(err.problems)
    assert field in messages, err.problems
    assert f"{FILE}: {field}: {messages[field]}" in str(err).splitlines()
    return messages[field]


def test_field_lists_cover_the_examples_in_the_docs():
    assert ("processes", "matching", "separation_rate") in RATES
    assert ("regions", REGION, "hukou_openness") in RATES
    assert ("initial", "digital_talent") in NON_NEGATIVE
    assert ("processes", "international", "foreign_per_year") in NON_NEGATIVE
    assert ("regions", REGION, "incubator_capacity") in NON_NEGATIVE
    assert ("scale",) in POSITIVE
    assert ("horizon", "end") in TEXTS and ("processes", "demand", "enabled") in SWITCHES
    assert len(RATES) >= 25 and len(NON_NEGATIVE) >= 15


# --- the shipped baseline, defaults, digest, overrides ---


def test_baseline_loads():
    spec = load_scenario(BASELINE)
    assert isinstance(spec, Scenario)
    assert spec.name == "baseline"
    assert spec.region_names == list(BASE["regions"]) and len(spec.regions) >= 2
    assert (spec.horizon.start, spec.horizon.end) == (BASE["horizon"]["start"], BASE["horizon"]["end"])
    assert spec.horizon.months == month_index(spec.horizon.end) - month_index(spec.horizon.start) + 1
    assert spec.processes.matching.separation_rate == BASE["processes"]["matching"]["separation_rate"]
    assert spec == default_scenario()


def test_defaults_mirror_the_baseline():
    minimal = validate_scenario({"regions": BASE["regions"]})
    baseline = default_scenario()
    assert minimal.model_dump(exclude={"description"}) == baseline.model_dump(exclude={"description"})


def test_regions_are_required():
    assert refusal({}, "regions") == "missing required field"
    one = {REGION: BASE["regions"][REGION]}
    assert "at least 2 regions" in refusal({"regions": one}, "regions")


def test_regional_shares_must_sum_to_one():
    data = with_value(("regions", REGION, "labour_force_share"), 0.5)
    assert "labour_force_share to sum to 1" in refusal(data, "regions")


def test_several_problems_are_reported_together():
    data = with_value(("processes", "matching", "separation_rate"), 2.0)
    data = with_value(("initial", "digital_talent"), -1, data)
    with pytest.raises(ScenarioError) as info:
        validate_scenario(data, FILE)
    fields = [f for f, _ in info.value.problems]
    assert fields == ["initial.digital_talent", "processes.matching.separation_rate"]
    assert len(str(info.value).splitlines()) == 2


def test_digest_is_stable():
    a, b = load_scenario(BASELINE), default_scenario()
    assert re.fullmatch(r"[0-9a-f]{64}", a.digest())
    assert a.digest() == b.digest() == a.model_copy(deep=True).digest()
    assert a.with_updates(scale=a.scale).digest() == a.digest()
    assert a.with_updates(scale=500).digest() != a.digest()


def test_digest_depends_on_region_order():
    # Region order sets the region codes, so it changes results at a given seed.
    data = copy.deepcopy(BASE)
    data["regions"] = dict(reversed(list(data["regions"].items())))
    assert validate_scenario(data).digest() != default_scenario().digest()


def test_with_updates():
    spec = default_scenario()
    cheaper = spec.with_updates(scale=500)
    assert cheaper.scale == 500 and spec.scale == 2000  # a copy
    assert cheaper.digest() != spec.digest()
    assert spec.with_updates(processes__matching__alpha=0.4).processes.matching.alpha == 0.4
    assert spec.with_updates(**{"processes.matching.alpha": 0.3}).processes.matching.alpha == 0.3
    assert spec.with_updates(**{"regions.West.amenity": 1.5}).regions["West"].amenity == 1.5


@pytest.mark.parametrize(
    "key", ["nope", "processes.matching.nope", "processes__nope__alpha", "regions.Atlantis.amenity", "scale.unit"]
)
def test_with_updates_refuses_unknown_keys(key):
    with pytest.raises(ScenarioError) as info:
        default_scenario().with_updates(**{key: 1})
    assert [f for f, _ in info.value.problems] == [key]
    assert "unknown field" in str(info.value)


def test_with_updates_validates_values():
    with pytest.raises(ScenarioError) as info:
        default_scenario().with_updates(processes__matching__separation_rate=1.5)
    assert [f for f, _ in info.value.problems] == ["processes.matching.separation_rate"]


# --- property-based refusals ---


@FAST
@given(
    location=st.sampled_from(sorted(MODELS.items(), key=lambda kv: kv[0])),
    key=st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True),
    value=st.integers() | st.text(max_size=5) | st.booleans(),
)
@example(location=((), Scenario), key="sclae", value=500)
@example(location=(("processes", "matching"), MODELS[("processes", "matching")]), key="separation", value=0.1)
def test_unknown_key_is_refused(location, key, value):
    path, model = location
    if key in model.model_fields:
        return
    msg = refusal(with_value((*path, key), value), dotted((*path, key)))
    assert msg.startswith("unknown key")


def _wrong_type(annotation: Any) -> st.SearchStrategy:
    containers = st.lists(st.integers(), max_size=3) | st.dictionaries(words, st.integers(), max_size=2)
    if annotation in (float, int, bool):
        return words | containers
    if typing.get_origin(annotation) in (dict, list):
        return st.integers() | words
    return st.integers() | st.floats(allow_nan=False) | st.booleans() | containers  # str, Literal


EXPECTED_KIND = {float: "a valid number", int: "a valid integer", bool: "a valid boolean", str: "a valid string"}


def _expected_kind(annotation: Any) -> str:
    if annotation in EXPECTED_KIND:
        return EXPECTED_KIND[annotation]
    origin = typing.get_origin(annotation)
    return {dict: "a valid dictionary", list: "a valid list"}.get(origin, "'east'")  # Literal of groups


@FAST
@given(data=st.data(), path=st.sampled_from(list(FIELDS)))
def test_wrong_type_is_refused(data, path):
    annotation = FIELDS[path].annotation
    value = data.draw(_wrong_type(annotation), label="value")
    msg = refusal(with_value(path, value), dotted(path))
    assert msg.startswith("expected ")
    assert _expected_kind(annotation) in msg


@FAST
@given(
    path=st.sampled_from(NUMBERS),
    value=st.floats(allow_nan=False, allow_infinity=False).map(str) | st.integers().map(str) | st.booleans(),
)
@example(path=("processes", "matching", "separation_rate"), value="0.1")
@example(path=("processes", "matching", "separation_rate"), value=True)
def test_numbers_written_as_text_or_booleans_are_refused(path, value):
    msg = refusal(with_value(path, value), dotted(path))
    assert _expected_kind(FIELDS[path].annotation) in msg


@FAST
@given(path=st.sampled_from(SWITCHES), value=st.integers(0, 1) | st.sampled_from(["true", "no", "on", "1"]))
def test_switches_must_be_booleans(path, value):
    assert "a valid boolean" in refusal(with_value(path, value), dotted(path))


@FAST
@given(path=st.sampled_from(FLOATS + RATE_ENTRIES), value=st.sampled_from([float("nan"), float("inf"), -float("inf")]))
def test_non_finite_numbers_are_refused(path, value):
    assert "expected a finite number" in refusal(with_value(path, value), dotted(path))


out_of_unit = (
    st.floats(max_value=-1e-12, allow_infinity=False)
    | st.floats(min_value=1 + 1e-12, allow_infinity=False)
    | st.integers(max_value=-1)
    | st.integers(min_value=2)
)


@FAST
@given(path=st.sampled_from(RATES + RATE_ENTRIES), value=out_of_unit)
@example(path=("processes", "matching", "separation_rate"), value=1.5)
@example(path=("regions", REGION, "hukou_openness"), value=-0.1)
def test_rate_outside_unit_interval_is_refused(path, value):
    msg = refusal(with_value(path, value), dotted(path))
    bound = "greater than or equal to 0" if value < 0 else "less than or equal to 1"
    assert msg == f"expected a number {bound}, got {value!r}"


@FAST
@given(path=st.sampled_from([p for p in RATES if p[-1] not in SUMMED]), value=st.floats(0, 1) | st.sampled_from([0, 1]))
def test_rate_inside_unit_interval_is_accepted(path, value):
    assert value_at(validate_scenario(with_value(path, value), FILE), path) == value


@FAST
@given(value=st.floats(0, 1))
@example(value=0.0)
@example(value=1.0)
def test_any_separation_rate_in_unit_interval_is_accepted(value):
    path = ("processes", "matching", "separation_rate")
    assert validate_scenario(with_value(path, value)).processes.matching.separation_rate == value


negative = st.floats(max_value=-1e-12, allow_infinity=False) | st.integers(max_value=-1)


@FAST
@given(path=st.sampled_from(NON_NEGATIVE + COUNT_ENTRIES), value=negative)
@example(path=("initial", "digital_talent"), value=-1)
@example(path=("processes", "international", "foreign_per_year"), value=-20000)
@example(path=("regions", REGION, "incubator_capacity"), value=-0.5)
def test_negative_count_is_refused(path, value):
    msg = refusal(with_value(path, value), dotted(path))
    assert msg == f"expected a number greater than or equal to 0, got {value!r}"


@FAST
@given(path=st.sampled_from(NON_NEGATIVE + COUNT_ENTRIES), value=st.floats(0, 1e12) | st.integers(0, 10**12))
def test_non_negative_count_is_accepted(path, value):
    assert value_at(validate_scenario(with_value(path, value)), path) == value


@FAST
@given(path=st.sampled_from(POSITIVE), value=st.floats(max_value=0, allow_infinity=False) | st.integers(max_value=0))
@example(path=("scale",), value=0)
def test_non_positive_is_refused_where_positive_expected(path, value):
    msg = refusal(with_value(path, value), dotted(path))
    assert msg == f"expected a number greater than 0, got {value!r}"


@FAST
@given(
    table=st.sampled_from([("initial", "field_shares"), ("processes", "education", "field_seat_shares")]),
    name=st.from_regex(r"[a-z][a-z_]{0,20}", fullmatch=True).filter(lambda n: n not in DIGITAL_FIELDS),
)
@example(table=("initial", "field_shares"), name="quantum")
@example(table=("processes", "education", "field_seat_shares"), name="non_digital")
def test_unknown_field_name_is_refused(table, name):
    msg = refusal(with_value((*table, name), 0.0), dotted(table))
    assert msg.startswith(f"unknown field {name!r}")
    assert msg.endswith("expected one of " + ", ".join(DIGITAL_FIELDS))


month_numbers = st.integers(month_index(EARLIEST_START), month_index(LATEST_END))


@FAST
@given(a=month_numbers, b=month_numbers)
def test_horizon_end_before_start_is_refused(a, b):
    start, end = month_string(max(a, b)), month_string(min(a, b))
    data = with_value(("horizon",), {"start": start, "end": end})
    if start == end:
        assert validate_scenario(data).horizon.months == 1
        return
    assert refusal(data, "horizon") == f"end {end} is before start {start}"


@FAST
@given(a=month_numbers, b=month_numbers)
def test_horizon_within_range_is_accepted(a, b):
    start, end = month_string(min(a, b)), month_string(max(a, b))
    horizon = validate_scenario(with_value(("horizon",), {"start": start, "end": end})).horizon
    assert horizon.months == abs(a - b) + 1


@FAST
@given(
    end=st.sampled_from(["start", "end"]),
    index=st.integers(0, month_index(EARLIEST_START) - 1) | st.integers(month_index(LATEST_END) + 1, 9999 * 12 + 11),
)
@example(end="start", index=month_index("2023-12"))
@example(end="end", index=month_index("2061-01"))
def test_month_outside_allowed_range_is_refused(end, index):
    month = month_string(index)
    msg = refusal(with_value(("horizon", end), month), f"horizon.{end}")
    assert msg == f"expected a month from {EARLIEST_START} to {LATEST_END}, got {month!r}"


@FAST
@given(end=st.sampled_from(["start", "end"]), month=st.text(max_size=10))
@example(end="end", month="2024-13")
@example(end="end", month="24-01")
@example(end="end", month="2024-1")
@example(end="start", month="2024-00")
@example(end="end", month="2024/03")
@example(end="end", month="2024-03\n")
@example(end="end", month=" 2024-03")
def test_malformed_month_is_refused(end, month):
    if re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", month):
        return
    msg = refusal(with_value(("horizon", end), month), f"horizon.{end}")
    assert msg.startswith("expected a month")
    if month.isascii():
        assert msg == f"expected a month as YYYY-MM, got {month!r}"


# --- files: base chains, unknown regions, unreadable files ---


def derived(directory: Path, body: str, name: str = "derived.toml", base: Path | str = BASELINE) -> Path:
    path = directory / name
    path.write_text(f"base = {json.dumps(str(base))}\n{body}", encoding="utf-8")
    return path


def file_refusal(path: Path, field: str) -> str:
    """Load ``path``, expect a refusal naming it and ``field``; return the message."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    err = info.value
    assert Path(err.path).resolve() == path.resolve()
    messages = dict(err.problems)
    assert field in messages, err.problems
    line = f"{err.path}: {field}: {messages[field]}" if field else f"{err.path}: {messages[field]}"
    assert line in str(err).splitlines()
    return messages[field]


@FAST_FILES
@given(region=st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,20}", fullmatch=True).filter(lambda r: r not in BASE["regions"]))
@example(region="beijing")
@example(region="Atlantis")
def test_unknown_region_in_derived_file_is_refused(tmp_path, region):
    path = derived(tmp_path, f"[regions.{region}]\nwage_index = 1.0\n")
    msg = file_refusal(path, f"regions.{region}")
    assert msg == "unknown region; expected one of " + ", ".join(BASE["regions"])


def test_derived_file_is_merged_over_its_base(tmp_path):
    (tmp_path / "baseline.toml").write_text(BASELINE.read_text(encoding="utf-8"), encoding="utf-8")
    body = 'name = "cheaper"\nscale = 500\n[regions.West]\namenity = 0.5\n[processes.matching]\nalpha = 0.4\n'
    spec = load_scenario(derived(tmp_path, body, base="baseline.toml"))  # relative to the derived file
    baseline = default_scenario()
    assert (spec.name, spec.scale) == ("cheaper", 500)
    assert (spec.regions["West"].amenity, spec.processes.matching.alpha) == (0.5, 0.4)
    assert spec.regions["West"].wage_index == baseline.regions["West"].wage_index
    assert spec.processes.matching.separation_rate == baseline.processes.matching.separation_rate
    assert spec.region_names == baseline.region_names


def test_validation_error_in_derived_file_names_that_file(tmp_path):
    path = derived(tmp_path, "[processes.matching]\nseparation_rate = 1.5\n")
    assert file_refusal(path, "processes.matching.separation_rate").startswith("expected a number less than")


@pytest.mark.parametrize("value", ["5", '"Beijing"', "[1, 2]", "[{ a = 1 }]"])
def test_regions_not_a_table_in_derived_file_is_refused(tmp_path, value):
    assert file_refusal(derived(tmp_path, f"regions = {value}\n"), "regions").startswith("expected a valid dictionary")


def test_missing_file_is_refused(tmp_path):
    assert file_refusal(tmp_path / "nope.toml", "") == "file not found"


def test_missing_base_names_the_file_that_refers_to_it(tmp_path):
    path = derived(tmp_path, "", base="missing.toml")
    msg = file_refusal(path, "base")
    assert msg.startswith(f"file not found: {tmp_path.resolve() / 'missing.toml'}, and no shipped scenario")
    assert "baseline" in msg  # the shipped names are listed


@pytest.mark.parametrize("base", ["", "nul\\u0000byte.toml", "loop.toml"])
def test_unusable_base_names_the_file_that_refers_to_it(tmp_path, base):
    (tmp_path / "loop.toml").symlink_to("loop.toml")
    path = tmp_path / "derived.toml"
    path.write_text(f'base = "{base}"\n', encoding="utf-8")
    assert file_refusal(path, "base")


def test_error_in_a_base_file_names_the_base_file(tmp_path):
    base = derived(tmp_path, "[processes.matching]\nseparation_rate = 1.5\n", name="middle.toml")
    top = derived(tmp_path, "[processes.matching]\nalpha = 0.4\n", name="top.toml", base="middle.toml")
    with pytest.raises(ScenarioError) as info:
        load_scenario(top)
    assert info.value.files == [str(base.resolve())]
    line = str(info.value)
    assert line.startswith(f"{base.resolve()}: processes.matching.separation_rate: expected a number less than")
    assert line.endswith(f"(this file is the base of {top.resolve()})")
    # the same value overridden in the file that uses the base is that file's error
    top.write_text(top.read_text() + "separation_rate = 2.0\n", encoding="utf-8")
    assert file_refusal(top, "processes.matching.separation_rate").endswith("got 2.0")


def test_symlink_loop_and_deep_nesting_are_refused(tmp_path):
    loop = tmp_path / "loop.toml"
    loop.symlink_to("loop.toml")
    with pytest.raises(ScenarioError, match=r"loop\.toml"):
        load_scenario(loop)
    deep = tmp_path / "deep.toml"
    deep.write_text("d = " + "[" * 600 + "]" * 600 + "\n", encoding="utf-8")
    assert "nested more than" in file_refusal(deep, "")
    deep.write_text("[" + ".".join(["n"] * 100) + "]\nx = 1\n", encoding="utf-8")
    assert "nested more than" in file_refusal(deep, "")


@pytest.mark.parametrize("text", ["this is not = = toml\n", "[horizon\nend = 2024-03\n", 'name = "unterminated\n'])
def test_non_toml_file_is_refused(tmp_path, text):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    assert file_refusal(path, "").startswith("not valid TOML")


def test_unreadable_file_is_refused(tmp_path):
    path = tmp_path / "binary.toml"
    path.write_bytes(b"\xff\xfe\x00name")
    assert file_refusal(path, "").startswith("cannot read the file")
    assert file_refusal(tmp_path, "").startswith("cannot read the file")  # a directory


def test_base_must_be_a_path(tmp_path):
    path = tmp_path / "derived.toml"
    path.write_text("base = 3\n", encoding="utf-8")
    assert file_refusal(path, "base").startswith("expected a file path as a string")


def test_base_cycle_is_refused(tmp_path):
    derived(tmp_path, "", name="a.toml", base="b.toml")
    derived(tmp_path, "", name="b.toml", base="a.toml")
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "a.toml")
    assert [f for f, _ in info.value.problems] == ["base"]
    assert "cycle" in str(info.value)


def test_chinese_region_names_are_aliases_in_lever_regions(tmp_path):
    chinese = derived(tmp_path, '[[policy]]\ntype = "talent_incentives"\nregions = ["西部", "东北"]\n')
    spec = load_scenario(chinese)
    assert spec.policy[0].regions == ["West", "Northeast"]
    english = tmp_path / "english.toml"
    english.write_text(chinese.read_text(encoding="utf-8").replace('"西部", "东北"', '"West", "Northeast"'))
    assert load_scenario(english).digest() == spec.digest()
    market = derived(tmp_path, '[[policy]]\ntype = "entrepreneurship"\nmarket_regions = ["北京", "上海", "广东"]\n')
    assert load_scenario(market).policy[0].market_regions == ["Beijing", "Shanghai", "Guangdong"]


# --- one override grammar (talentsim.overrides) ---

ACTION_PLAN = Path(__file__).resolve().parents[1] / "scenarios" / "action_plan.toml"


def _two_funding_tables() -> Scenario:
    spec = load_scenario(ACTION_PLAN)
    levers = [p.model_dump(mode="python") for p in spec.policy]
    extra = {"type": "funding", "start": "2025-01", "end": "2025-12", "regions": ["West"]}
    return spec.with_updates(policy=[*levers, extra])


@pytest.mark.parametrize(
    "key", ["policy.funding.coverage", "policy__funding__coverage", "policy[9].coverage", "policy.9.coverage"]
)
def test_with_updates_sets_a_lever_parameter_by_type_or_position(key):
    spec = load_scenario(ACTION_PLAN)
    assert spec.policy[9].type == "funding" and spec.policy[9].coverage == 1.0
    changed = spec.with_updates(**{key: 0.25})
    assert changed.policy[9].coverage == 0.25
    assert [p for i, p in enumerate(changed.policy) if i != 9] == [p for i, p in enumerate(spec.policy) if i != 9]


def test_with_updates_sets_lever_lists_and_checks_them_like_the_file():
    spec = load_scenario(ACTION_PLAN).with_updates(policy__funding__regions=["西部"])
    assert spec.policy[9].regions == ["West"]  # Chinese region names are read as in a file
    with pytest.raises(ScenarioError, match="unknown region 'Atlantis'"):
        load_scenario(ACTION_PLAN).with_updates(policy__funding__regions=["Atlantis"])


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("policy.subsidy.coverage", ["unknown lever type 'subsidy'", "funding", "talent_incentives"]),
        ("policy.funding.nope", ["unknown field 'nope'", "type 'funding'", "subsidy_by_band", "coverage"]),
        ("policy.funding.type", ["type cannot be set"]),
        ("policy[12].coverage", ["12 [[policy]] table(s)", "policy[0] (engineer_training)", "policy[9] (funding)"]),
    ],
)
def test_lever_paths_that_do_not_resolve_name_the_path_and_the_options(key, words):
    with pytest.raises(ScenarioError) as info:
        load_scenario(ACTION_PLAN).with_updates(**{key: 0.5})
    assert [f for f, _ in info.value.problems] == [key]
    for w in words:
        assert w in str(info.value)


def test_a_sweep_path_must_name_one_value():
    from talentsim.overrides import resolve_path

    data = load_scenario(ACTION_PLAN).model_dump(mode="python")
    assert resolve_path(data, "policy.funding.coverage") == ("policy", 9, "coverage")
    with pytest.raises(ValueError, match="is a table; name one of its fields: type, start"):
        resolve_path(data, "policy.funding")


def test_lever_path_of_a_type_the_scenario_lacks_lists_its_tables():
    with pytest.raises(ScenarioError) as info:
        default_scenario().with_updates(policy__funding__coverage=0.5)
    assert "no [[policy]] table of type 'funding' (it has none)" in str(info.value)


def test_two_tables_of_one_type_are_named_by_position():
    spec = _two_funding_tables()
    with pytest.raises(ScenarioError) as info:
        spec.with_updates(policy__funding__coverage=0.5)
    msg = str(info.value)
    assert "2 [[policy]] tables of type 'funding' (policy[9], policy[12])" in msg
    assert "policy[9].coverage" in msg
    changed = spec.with_updates(**{"policy[12].coverage": 0.5}, policy__9__coverage=0.75)
    assert (changed.policy[9].coverage, changed.policy[12].coverage) == (0.75, 0.5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("scale=500", ("scale", 500)),
        ("processes.migration.enabled=false", ("processes.migration.enabled", False)),
        ('policy.funding.regions=["West", "East"]', ("policy.funding.regions", ["West", "East"])),
        ("horizon.end=2024-06", ("horizon.end", "2024-06")),
        ('name="x y"', ("name", "x y")),
        ("initial.level_shares.0 = 0.5", ("initial.level_shares.0", 0.5)),
    ],
)
def test_set_values_are_read_as_toml_literals(text, expected):
    from talentsim.overrides import parse_assignment

    assert parse_assignment(text) == expected


@pytest.mark.parametrize(
    ("text", "words"), [("scale", "PATH=VALUE"), ("=3", "PATH=VALUE"), ("a..b=1", "dotted"), ('x=["a"', "TOML")]
)
def test_set_refuses_what_is_not_an_assignment(text, words):
    from talentsim.overrides import parse_assignment

    with pytest.raises(ValueError, match=words):
        parse_assignment(text)
