"""One grammar for setting a scenario's values from outside its file.

Every way in - :meth:`Scenario.with_updates <talentsim.scenario.Scenario.with_updates>`,
``talentsim.run(..., **overrides)``, ``talentsim.compare(...)``, ``talentsim run/compare --set``,
sweep and calibration inputs, and ``mesa.batch_run(TalentModel, parameters=...)`` - names a value
by a *path*, resolved here:

- dotted fields: ``scale``, ``horizon.end``, ``initial.abroad``, ``processes.migration.enabled``,
  ``regions.West.amenity``; a number indexes a list (``initial.level_shares.0``);
- ``policy.<type>.<param>``: a parameter of the scenario's one ``[[policy]]`` table of that type
  (``policy.funding.regions``); when the scenario has two or more tables of one type the path is
  refused with their positions, and ``policy[<i>].<param>`` (or ``policy.<i>.<param>``) names the
  table at position ``i``;
- ``__`` may stand for every dot (``policy__funding__regions``), for Python keyword arguments and
  Mesa's ``batch_run``; ``policy__2__regions`` is ``policy[2].regions``.

A path that does not resolve raises :class:`~talentsim.errors.ScenarioError` naming the path and
the valid options (the fields of that table, the lever types, the scenario's ``[[policy]]`` tables).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from typing import Any

from talentsim.errors import ScenarioError

PathParts = tuple[str | int, ...]

_INDEX = re.compile(r"\[(\d+)\]")


def split_path(path: str) -> list[str]:
    """The parts of a path: ``__`` and ``.`` separate, ``[i]`` is a part of its own.

    Raises:
        ValueError: an empty path or an empty part (``a..b``).
    """
    text = _INDEX.sub(r".\1", path.replace("__", "."))
    parts = text.split(".")
    if not path or not all(parts):
        raise ValueError(
            f"expected a dotted path such as processes.matching.alpha or policy.funding.regions, got {path!r}"
        )
    return parts


def _tables(policies: list[Any]) -> str:
    if not policies:
        return "it has none"
    return "its tables are " + ", ".join(f"policy[{i}] ({p.get('type')})" for i, p in enumerate(policies))


def _lever_table(data: Mapping[str, Any], parts: list[str], path: str) -> tuple[int, str]:
    """The position of the ``[[policy]]`` table ``parts[1]`` names, and how errors call it."""
    from talentsim.policies import LEVERS

    policies = list(data.get("policy") or [])
    key = parts[1]
    if key.isdigit():
        i = int(key)
        if i >= len(policies):
            raise ValueError(f"{path}: the scenario has {len(policies)} [[policy]] table(s); {_tables(policies)}")
        return i, f"policy[{i}] ({policies[i].get('type')})"
    if key not in LEVERS:
        raise ValueError(f"{path}: unknown lever type {key!r}; expected one of {', '.join(LEVERS)}")
    found = [i for i, lever in enumerate(policies) if lever.get("type") == key]
    if not found:
        raise ValueError(
            f"{path}: the scenario has no [[policy]] table of type {key!r} ({_tables(policies)}); add one to set it"
        )
    if len(found) > 1:
        where = ", ".join(f"policy[{i}]" for i in found)
        rest = ".".join(parts[2:]) or "<param>"
        raise ValueError(
            f"{path}: the scenario has {len(found)} [[policy]] tables of type {key!r} ({where}); "
            f"name one by position, e.g. policy[{found[0]}].{rest}"
        )
    return found[0], f"the [[policy]] table of type {key!r}"


def resolve_path(data: Mapping[str, Any], path: str, *, tables: bool = False) -> PathParts:
    """The location of a path (see the module docstring) in a scenario dictionary.

    Args:
        data: a scenario as ``Scenario.model_dump(mode="python")`` (every field present).
        path: the path.
        tables: also accept a path to a whole table or list (``policy``, ``horizon``), to be
            replaced as a whole; otherwise the path must name a single value.

    Returns:
        The keys and list positions leading to the value.

    Raises:
        ValueError: the path does not name a value of the scenario; the message names the path
            and lists what was expected.
    """
    parts = split_path(path)
    out: list[str | int] = []
    node: Any = data
    rest = parts
    where = "the scenario"
    if parts[0] == "policy" and len(parts) >= 2:
        i, where = _lever_table(data, parts, path)
        out, node, rest = ["policy", i], data["policy"][i], parts[2:]
        if rest[:1] == ["type"]:
            raise ValueError(f"{path}: a lever's type cannot be set; add or remove its [[policy]] table instead")
    for p in rest:
        if isinstance(node, Mapping):
            if p not in node:
                raise ValueError(f"{path}: unknown field {p!r} in {where}; expected one of {', '.join(map(str, node))}")
            out.append(p)
            node = node[p]
        elif isinstance(node, list):
            if not p.isdigit() or int(p) >= len(node):
                raise ValueError(
                    f"{path}: {where} is a list of {len(node)}; expected an index from 0 to {len(node) - 1}"
                )
            out.append(int(p))
            node = node[int(p)]
        else:
            raise ValueError(f"{path}: unknown field {p!r}: {where} is a single value, with no fields")
        where = p if where == "the scenario" else f"{where}.{p}"
    if not tables and isinstance(node, Mapping):
        raise ValueError(f"{path} is a table; name one of its fields: {', '.join(map(str, node))}")
    if not tables and not out:
        raise ValueError(f"{path} is the list of [[policy]] tables; name one of its parameters")
    return tuple(out)


def set_at(data: dict[str, Any], parts: PathParts, value: Any) -> None:
    """Set ``value`` at a resolved location of a scenario dictionary."""
    node: Any = data
    for p in parts[:-1]:
        node = node[p]
    node[parts[-1]] = value


def get_at(data: Mapping[str, Any], parts: PathParts) -> Any:
    """The value at a resolved location of a scenario dictionary."""
    node: Any = data
    for p in parts:
        node = node[p]
    return node


def apply_overrides(data: dict[str, Any], overrides: Mapping[str, Any], source: str = "<override>") -> dict[str, Any]:
    """Set every override in ``data`` (in place) and return it.

    Whole tables may be replaced (``policy=[...]``, ``horizon={...}``).

    Raises:
        ScenarioError: a path does not resolve; one problem per bad path, each naming it.
    """
    problems: list[tuple[str, str]] = []
    for key, value in overrides.items():
        try:
            parts = resolve_path(data, key, tables=True)
        except ValueError as exc:
            problems.append((key, str(exc).removeprefix(f"{key}: ")))
            continue
        set_at(data, parts, value)
    if problems:
        raise ScenarioError(source, problems)
    return data


def parse_assignment(text: str) -> tuple[str, Any]:
    """``PATH=VALUE`` as given to ``--set``: the path and the value, read as a TOML literal.

    ``scale=500`` gives 500, ``processes.migration.enabled=false`` False and
    ``policy.funding.regions=["West"]`` a list. A value that is not TOML (``horizon.end=2024-06``)
    is taken as a plain string.

    Raises:
        ValueError: no ``=``, or an empty path.
    """
    path, sep, raw = text.partition("=")
    path = path.strip()
    if not sep or not path:
        example = 'scale=500 or policy.funding.regions=["West"]'
        raise ValueError(f"expected PATH=VALUE (for example {example}), got {text!r}")
    split_path(path)
    raw = raw.strip()
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        if not raw or any(c in raw for c in "\"'[]{}"):
            kinds = 'a number, true or false, "text" or [a, list]'
            raise ValueError(f"{path}: {raw!r} is not a TOML value ({kinds})") from None
        value = raw
    return path, value
