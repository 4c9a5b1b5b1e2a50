"""The form's state and the scenario it builds, checked as a scenario file is checked.

A :class:`Form` holds what the page shows: the scenario it starts from, the horizon, scale,
replicates and seed, and for each of the twelve measures a switch, a window, regions and
intensities. :func:`scenario_toml` writes it as a scenario file (``base = "<start>"`` and only what
it sets), :func:`baseline_toml` the reference it is compared with (the shipped baseline at the same
horizon and scale). :func:`build` loads both texts exactly as ``talentsim validate`` loads a file,
so the form shows the messages a file gets, and what runs is what the downloaded file holds.
"""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import tomli_w

from talentsim.app.levers import LeverEntry, lever_entries
from talentsim.errors import ScenarioError

REFERENCE = "baseline"  # the shipped scenario every form is compared with
BASELINE_FILE = "app_baseline.toml"  # not baseline.toml: a file beside a scenario would shadow base = "baseline"


def scenario_file(form: Form) -> str:
    """The scenario file's name: ``<name>.toml``."""
    return f"{form.name}.toml"


def reproduce_command(form: Form) -> str:
    """The command line that repeats the app's run from the two downloaded files."""
    return f"talentsim compare {BASELINE_FILE} {scenario_file(form)} --seed {form.seed} --replicates {form.replicates}"


@dataclass(frozen=True)
class LeverForm:
    """One measure in the form.

    Attributes:
        on: switched on.
        start: first month it acts, ``YYYY-MM``.
        end: last month it acts, ``YYYY-MM``.
        regions: the regions it covers (all of them: the whole country).
        values: intensity name -> value.
        other: its other fields (lists), as the starting scenario or the spec's defaults set them.
    """

    on: bool
    start: str
    end: str
    regions: tuple[str, ...]
    values: Mapping[str, float | int] = field(default_factory=dict)
    other: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Form:
    """Everything the page's form sets.

    Attributes:
        start_from: the shipped scenario it starts from (``baseline``, ``action_plan``...).
        name: the scenario's name (its folder and file name).
        horizon_start: first simulated month.
        horizon_end: last simulated month.
        scale: real people per person-agent.
        replicates: replicates of each scenario.
        seed: the first replicate's seed.
        region_names: the scenario's regions in order.
        levers: lever type -> its settings, in the plan's order.
    """

    start_from: str
    name: str
    horizon_start: str
    horizon_end: str
    scale: float
    replicates: int
    seed: int
    region_names: tuple[str, ...]
    levers: Mapping[str, LeverForm]

    def with_lever(self, name: str, **changes: Any) -> Form:
        """A copy with lever ``name``'s fields changed."""
        levers = dict(self.levers)
        levers[name] = replace(levers[name], **changes)
        return replace(self, levers=levers)

    def with_value(self, lever: str, intensity: str, value: float | int) -> Form:
        """A copy with one intensity changed."""
        values = dict(self.levers[lever].values)
        values[intensity] = value
        return self.with_lever(lever, values=values)


def _entries() -> dict[str, LeverEntry]:
    return {e.name: e for e in lever_entries()}


def form_from_scenario(start_from: str = REFERENCE, *, replicates: int = 5, seed: int = 1) -> Form:
    """The form of a shipped scenario: its horizon, scale and levers (the first of each type).

    Raises:
        ScenarioError: no shipped scenario of that name.
    """
    from talentsim.scenario import load_scenario
    from talentsim.shipped import shipped_scenario

    path = shipped_scenario(start_from)
    if path is None:
        from talentsim.shipped import shipped_names

        known = ", ".join(shipped_names())
        raise ScenarioError(start_from, [("", f"no shipped scenario of that name; shipped: {known}")])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spec = load_scenario(path)
    regions = tuple(spec.region_names)
    present: dict[str, Any] = {}
    for lever in spec.policy:
        present.setdefault(lever.type, lever)
    levers = {}
    for name, entry in _entries().items():
        from talentsim.policies import LEVERS

        lever = present.get(name) or LEVERS[name][0].model_validate({"type": name})
        levers[name] = LeverForm(
            on=name in present,
            start=lever.start,
            end=lever.end,
            regions=tuple(lever.regions) if lever.regions else regions,
            values={i.name: getattr(lever, i.name) for i in entry.intensities},
            other={f: getattr(lever, f) for f in entry.other_fields},
        )
    name = "my_scenario" if start_from == REFERENCE else f"my_{Path(start_from).stem}"
    return Form(
        start_from=start_from,
        name=name,
        horizon_start=spec.horizon.start,
        horizon_end=spec.horizon.end,
        scale=spec.scale,
        replicates=replicates,
        seed=seed,
        region_names=regions,
        levers=levers,
    )


def form_problems(form: Form) -> list[tuple[str, str]]:
    """What the form itself refuses before a file is written: a measure switched on with no region."""
    problems = []
    for i, (name, lever) in enumerate((n, lv) for n, lv in form.levers.items() if lv.on):
        if not lever.regions:
            problems.append(
                (f"policy[{i}] ({name}).regions", "no region chosen; expected at least one region (all: every region)")
            )
    return problems


def _policy_table(name: str, lever: LeverForm, regions: tuple[str, ...]) -> dict[str, Any]:
    table: dict[str, Any] = {"type": name, "start": lever.start, "end": lever.end}
    chosen = [r for r in regions if r in lever.regions] + [r for r in lever.regions if r not in regions]
    if chosen != list(regions):
        table["regions"] = chosen
    table.update(lever.values)
    table.update(lever.other)
    return table


def _header(form: Form, what: str) -> str:
    return (
        f"# {what}, written by talentsim app. Check it: talentsim validate <this file>\n"
        f"# Reproduce the app's run: {reproduce_command(form)}\n"
    )


def scenario_data(form: Form) -> dict[str, Any]:
    """The scenario file's tables: the starting scenario as ``base``, and what the form sets."""
    on = [(n, lv) for n, lv in form.levers.items() if lv.on]
    described = ", ".join(n for n, _ in on) or "no measure"
    return {
        "name": form.name,
        "description": f"{form.name}: built in talentsim app from {form.start_from!r} with {described}",
        "base": form.start_from,
        "scale": float(form.scale),
        "horizon": {"start": form.horizon_start, "end": form.horizon_end},
        "policy": [_policy_table(n, lv, form.region_names) for n, lv in on],
    }


def scenario_toml(form: Form) -> str:
    """The scenario as a TOML file that ``talentsim validate`` accepts."""
    return _header(form, f"Scenario {form.name!r}") + tomli_w.dumps(scenario_data(form))


def baseline_toml(form: Form) -> str:
    """The reference it is compared with: the shipped baseline at the form's horizon and scale."""
    data = {
        "name": REFERENCE,
        "description": "the shipped baseline at the app scenario's horizon and scale",
        "base": REFERENCE,
        "scale": float(form.scale),
        "horizon": {"start": form.horizon_start, "end": form.horizon_end},
        "policy": [],
    }
    return _header(form, "The reference scenario") + tomli_w.dumps(data)


@dataclass(frozen=True)
class Built:
    """A form turned into two validated scenarios.

    Attributes:
        scenario: the scenario the form describes.
        baseline: the reference.
        scenario_text: the scenario file's text.
        baseline_text: the reference file's text.
        warnings: what validated but looks unintended (as ``talentsim validate`` warns).
    """

    scenario: Any
    baseline: Any
    scenario_text: str
    baseline_text: str
    warnings: tuple[str, ...] = ()


def result_folder_name(built: Built, form: Form) -> str:
    """The result folder of a run: the scenario's name, hash, seed and replicates (a rerun replaces it)."""
    return f"{built.scenario.name}_{built.scenario.digest()[:8]}_seed{form.seed}_rep{form.replicates}"


def _load_text(text: str, file_name: str, folder: Path) -> tuple[Any, list[str]]:
    """Load a scenario text as a file called ``file_name``; messages name ``file_name``."""
    from talentsim.scenario import load_scenario

    path = folder / file_name
    path.write_text(text, encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            spec = load_scenario(path)
        except ScenarioError as exc:
            files = [file_name if Path(f) == path else f for f in exc.files]
            raise ScenarioError(file_name, exc.problems, files) from None
    said = [str(w.message).replace(str(path), file_name) for w in caught if "Scenario" in type(w.message).__name__]
    return spec, said


def build(form: Form) -> Built:
    """Check the form and load its scenario and its reference as files are loaded.

    Raises:
        ScenarioError: what is wrong, naming the file (``<name>.toml``), the field and what was
            expected, exactly as ``talentsim validate`` says it; nothing is run.
    """
    from talentsim.limits import check_replicates, check_scenario
    from talentsim.safe_paths import folder_name_problem

    problems = form_problems(form)
    name_problem = folder_name_problem(form.name) if form.name else "expected a name"
    if name_problem:
        problems.insert(0, ("name", f"expected a plain name such as my_plan: {name_problem}"))
    elif form.name in (REFERENCE, Path(BASELINE_FILE).stem, Path(form.start_from).stem):
        why = "the name of the reference or of the scenario it starts from (the file would shadow it)"
        problems.insert(0, ("name", f"expected a name other than {form.name!r}, {why}"))
    if problems:
        raise ScenarioError(scenario_file(form) if not name_problem else "the form", problems)
    text, base_text = scenario_toml(form), baseline_toml(form)
    with tempfile.TemporaryDirectory(prefix="talentsim-app-") as tmp:
        spec, said = _load_text(text, scenario_file(form), Path(tmp))
        base, base_said = _load_text(base_text, BASELINE_FILE, Path(tmp))
    check_scenario(spec, scenario_file(form))
    check_replicates(form.replicates, form.seed, "the form", spec, scenarios=2)
    return Built(spec, base, text, base_text, tuple(said + base_said))
