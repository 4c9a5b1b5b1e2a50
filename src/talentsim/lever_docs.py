"""docs/levers.md, written from the lever registry: ``python -m talentsim.lever_docs [PATH]``.

Every lever section, the unit-cost table and the first-outcome table come from what each lever
declares (:class:`talentsim.policies.base.Lever`): its spec's fields and descriptions, its
docstring (plan clause, units, mechanism, cost), its titles, unit-cost bases and first outcome.
``tests/policies/test_levers.py`` checks that the committed file is what this writes.
"""

from __future__ import annotations

import argparse
import inspect
import sys
from pathlib import Path

from talentsim.policies import LEVERS
from talentsim.policies.base import Lever, LeverSpec, UnitCost

HEAD = """\
# The policy levers

Each measure of the 2024–2026 action plan (`../shared/seeds/`, issued 2 April 2024) is a lever: six
key tasks (重点任务) and six guarantees (政策保障). A scenario switches a lever on with a `[[policy]]`
table:

```toml
[[policy]]
type = "talent_incentives"   # one of the lever types below
start = "2024-04"            # first month it acts (inclusive); default 2024-04
end = "2026-12"              # last month it acts (inclusive); default 2026-12
regions = ["West"]           # regions covered; leave out for all
utility_bonus = 0.8          # intensity parameters (see each lever)
package_yuan = 100000        # unit costs, yuan
```

A window partly or wholly outside the horizon is allowed: the lever acts in the months they share.
A window wholly outside the horizon (the lever never acts) and a region listed twice validate with
a warning (`talentsim validate` prints it; in Python it is a `talentsim.scenario_checks.ScenarioWarning`).
Regions may be named in Chinese in `regions` (and `market_regions`) lists: 北京, 上海, 广东, 江浙, 东部其他,
中部, 西部, 东北 stand for Beijing, Shanghai, Guangdong, Jiangsu_Zhejiang, Rest_of_East, Central, West and
Northeast; the scenario is stored, hashed and reported with the English names. Figures and reports
made with `--lang zh` name each lever by the plan's own title of its measure (the first line of each
section below).
Unknown types, unknown parameters, unknown regions, negative costs and `end` before `start` are
refused with the file, the field and what was expected.

## How levers act

Levers never add talent directly. Each month, every lever inside its window combines its effects into
one `Effects` record (`src/talentsim/effects.py`): factors multiply, bonuses add, and
course offers queue. The processes read that record: training (cost, subsidies, seats, take-up,
certification, the levers' own courses), education (digital seats, teaching quality, joint training,
wage-expectation noise), matching and wages (efficiency, certificate weight and premium,
recognition of returnees and foreign talent, high-level premium), migration (regional packages,
moving cost), international flows (returns, emigration, recruits), entrepreneurship (founding,
incubators, exits) and demand (research positions). At neutral values every operation leaves
numbers unchanged and draws no extra random numbers, so a lever at zero intensity reproduces the
baseline bit for bit (tested). Levers that draw (courses, contests) use streams of their own.
The processes report back what happened (enrolments in a lever's course, contestants, regular
enrolments that subsidies are paid on), and each lever pays for it in its `settle` step after the
month's processes: no lever changes a person, and no process imports a lever
(`tests/test_architecture.py`).

## Public cost

Every lever accounts what it spends, in yuan, by region: `cum_policy_cost_<lever>` in the tidy table
(national and by region), and their sum `cum_policy_cost`. What a unit cost is charged on is stated
with each lever: seats offered, trainees enrolled, subsidies paid, founders supported, certificates
evaluated, packages granted, positions held. All unit costs are guesses except the skill-upgrade
subsidy caps (1,000 / 1,500 / 2,000 yuan by certificate level, MOHRSS).

## Adding a lever

A lever is one module: a spec (a `LeverSpec` subclass: the `[[policy]]` table's fields, with
descriptions and bounds) and a `Lever` subclass that declares, in one place, its plan clause and
titles, the parameter values at which it does nothing, its first outcome, the basis of each unit
cost, and implements `apply` (and `settle` when it pays for what happened), registered with
`talentsim.policies.register_lever` (see `talentsim.policies.base.Lever`). A module placed in
`src/talentsim/policies/` is registered when the package is imported; a study's own lever
registers itself wherever it lives. Scenarios then accept its `[[policy]]` tables, its costs are
recorded as `cum_policy_cost_<name>`, the lever tests run it (`tests/policies/test_levers.py`
builds its tables from the registry) and this file lists it: it is written by
`python -m talentsim.lever_docs docs/levers.md`, and a test fails when it is out of date.

"""

UNIT_COSTS_INTRO = """\
## Unit costs

Every unit cost, with its source (or "guess") and the range within which it is plausible. Read
costs per additional talent as uncertain by at least this range: a cost charged per unit scales
the lever's cost in proportion. No published per-trainee figure was found for the engineer
programme (its trainees claim ordinary training subsidies); its 10,000 yuan is a guess at the top
of its range, so read engineer_training's cost per additional talent as up to five times too high.

"""

FIRST_OUTCOMES_INTRO = """\
## First outcomes

The test suite checks that each lever, at its default intensity unless noted, moves its first outcome
up against the baseline on the same seeds, with the 10–90 % range of the paired differences above zero:

"""

COMMON_FIELDS = frozenset(LeverSpec.model_fields)


def _code(text: str) -> str:
    """Docstring markup as Markdown: double backticks become single ones."""
    return text.replace("``", "`")


def _default(spec: type[LeverSpec], name: str) -> object:
    return spec.model_fields[name].get_default(call_default_factory=True)


def _yuan(value: object) -> str:
    if isinstance(value, int | float) and float(value).is_integer():
        return f"{int(value):,}"
    return str(value)


def unit_cost_row(name: str, lever: type[Lever], cost: UnitCost) -> str:
    """One row of the unit-cost table."""
    default = cost.default or _yuan(_default(lever.spec_class, cost.parameter))
    return f"| `{name}` | `{cost.parameter}` | {default} | {cost.source} | {cost.plausible} | {cost.why} |"


def first_outcome_row(name: str, lever: type[Lever]) -> str:
    """One row of the first-outcome table."""
    fo = lever.first_outcome
    text = fo.text or f"`{fo.metric}`"
    return f"| `{name}` | {text}{f' ({fo.note})' if fo.note else ''} |"


def lever_section(name: str, lever: type[Lever]) -> str:
    """A lever's section: titles, docstring and parameter table."""
    spec = lever.spec_class
    lines = [
        f"## `{name}`",
        "",
        f"{lever.clause} {lever.title_zh}: {lever.title_en}.",
        "",
        _code(inspect.cleandoc(lever.__doc__ or "")),
        "",
        "| parameter | default | meaning and source |",
        "|---|---|---|",
    ]
    for field, info in spec.model_fields.items():
        if field not in COMMON_FIELDS:
            lines.append(f"| `{field}` | `{_default(spec, field)}` | {info.description or ''} |")
    return "\n".join(lines) + "\n"


def render() -> str:
    """The text of docs/levers.md for the levers registered now."""
    unit_rows = [unit_cost_row(name, lever, cost) for name, (_, lever) in LEVERS.items() for cost in lever.unit_costs]
    first_rows = [first_outcome_row(name, lever) for name, (_, lever) in LEVERS.items()]
    parts = [
        HEAD,
        UNIT_COSTS_INTRO,
        "| lever | parameter | default, yuan | source | plausible range, yuan | why |\n",
        "|---|---|---|---|---|---|\n",
        "\n".join(unit_rows) + "\n\n",
        FIRST_OUTCOMES_INTRO,
        "| lever | first outcome |\n|---|---|\n",
        "\n".join(first_rows) + "\n",
    ]
    parts.extend("\n" + lever_section(name, lever) for name, (_, lever) in LEVERS.items())
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    """Write docs/levers.md (or check it with ``--check``); returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m talentsim.lever_docs", description="Write docs/levers.md.")
    parser.add_argument("path", nargs="?", default="docs/levers.md", help="file to write (default docs/levers.md)")
    parser.add_argument("--check", action="store_true", help="only check that the file is up to date (exit 1 if not)")
    args = parser.parse_args(argv)
    path = Path(args.path)
    text = render()
    if args.check:
        current = path.read_text(encoding="utf-8") if path.is_file() else ""
        if current != text:
            print(f"{path} is out of date: run python -m talentsim.lever_docs {path}", file=sys.stderr)
            return 1
        return 0
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
