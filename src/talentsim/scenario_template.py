"""A commented starting scenario file, as ``talentsim new`` writes it.

The file starts from a shipped scenario (``base = "baseline"``), so it states only what differs:
one ``[[policy]]`` table per lever asked for, with every parameter at its default value and its
description (source or "guess") as a comment, and the most common settings to change (horizon,
scale) commented out. Values are written by tomli-w, so the file is valid TOML.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import tomli_w

from talentsim.catalogue import canonical_region
from talentsim.scenario import ScenarioError, load_scenario

BASE = "baseline"
# Lever fields written near the top of each [[policy]] table, in this order.
_WINDOW = ("type", "start", "end", "regions")


def _toml_line(key: str, value: Any) -> str:
    """``key = value`` in TOML (arrays over several lines)."""
    return tomli_w.dumps({key: value}).rstrip("\n")


def _comment(text: str) -> str:
    return "\n".join(f"# {line}".rstrip() for line in text.splitlines())


def _lever_title(spec_class: type) -> str:
    """The first line of a lever's module docstring: the plan's own name of the measure."""
    doc = sys.modules[spec_class.__module__].__doc__ or spec_class.__doc__ or ""
    return doc.strip().splitlines()[0] if doc.strip() else spec_class.__name__


def _policy_table(lever: str, regions: Sequence[str]) -> str:
    from talentsim.policies import LEVERS

    spec_class = LEVERS[lever][0]
    fields = spec_class.model_fields
    lines = [_comment(_lever_title(spec_class)), "[[policy]]", _toml_line("type", lever)]
    for key in ("start", "end"):
        lines += [_comment(f"{fields[key].description}, YYYY-MM"), _toml_line(key, fields[key].default)]
    if regions:
        lines += [_comment("regions covered; leave out for all"), _toml_line("regions", list(regions))]
    else:
        lines += [_comment("regions covered; leave out for all"), '# regions = ["West"]']
    for key, info in fields.items():
        if key in _WINDOW:
            continue
        lines += [_comment(info.description or key), _toml_line(key, info.get_default(call_default_factory=True))]
    return "\n".join(lines)


def scenario_template(name: str, levers: Sequence[str] = (), regions: Sequence[str] = (), base: str = BASE) -> str:
    """The text of a commented starting scenario.

    Args:
        name: the scenario's name.
        levers: lever types to switch on, one ``[[policy]]`` table each.
        regions: regions the levers cover (none: all regions).
        base: the scenario it starts from (a shipped scenario's name or a path relative to the file).
    """
    base_spec = load_scenario(base)
    lines = [
        f"# {name}: a talentsim scenario. It starts from {base!r} and states only what differs;",
        "# tables are merged over the base key by key.",
        f"# Check it:  talentsim validate {name}.toml",
        f"# Run it:    talentsim run {name}.toml --replicates 5 --workers 2",
        f"# Compare:   talentsim compare baseline {name}.toml --replicates 5 --workers 2",
        "# Every field: docs/model.md (processes) and docs/levers.md (levers). Values below are the",
        "# defaults; each comment gives the value's source or says it is a guess.",
        "",
        _toml_line("name", name),
        _toml_line("description", f"{name}: " + (", ".join(levers) if levers else "the base scenario")),
        _comment("a shipped scenario by name (baseline, action_plan, levers/<lever>) or a file next to this one"),
        _toml_line("base", base),
        "",
        "# Real people per person-agent: smaller is slower and less noisy.",
        f"# scale = {base_spec.scale:g}",
        "",
        "# The simulated months, inclusive.",
        "# [horizon]",
        f'# start = "{base_spec.horizon.start}"',
        f'# end = "{base_spec.horizon.end}"',
        "",
        f"# Regions: {', '.join(base_spec.region_names)}.",
    ]
    for lever in levers:
        lines += ["", _policy_table(lever, regions)]
    return "\n".join(lines) + "\n"


def check_choices(levers: Sequence[str], regions: Sequence[str], base: str = BASE) -> list[tuple[str, str]]:
    """Problems with the levers and regions asked for, as ``(option, message)`` pairs."""
    from talentsim.policies import LEVERS

    problems = []
    for lever in levers:
        if lever not in LEVERS:
            problems.append(("--lever", f"unknown lever {lever!r}; expected one of {', '.join(LEVERS)}"))
    names = load_scenario(base).region_names
    for region in regions:
        if canonical_region(region) not in names:
            problems.append(
                (
                    "--regions",
                    f"unknown region {region!r}; expected one of {', '.join(names)} (or their Chinese names)",
                )
            )
    return problems


def write_new_scenario(
    path: str | Path, name: str, levers: Sequence[str] = (), regions: Sequence[str] = (), *, force: bool = False
) -> Path:
    """Write :func:`scenario_template` to ``path``, checked and atomically.

    The text is validated (from its own folder, as ``talentsim validate`` would) before it takes
    its final name, so a file that does not validate is never left behind.

    Raises:
        ScenarioError: an unknown lever or region, or ``path`` exists and ``force`` is off.
    """
    path = Path(path)
    if path.is_dir() or (path.exists() and not path.is_file()):
        raise ScenarioError(path, [("--out", "is a folder or a device; expected the name of a file to write")])
    if path.exists() and not force:
        raise ScenarioError(path, [("", "the file exists already; choose another name or pass --force")])
    problems = check_choices(levers, regions)
    if problems:
        raise ScenarioError(path, problems)
    regions = list(dict.fromkeys(canonical_region(r) for r in regions))  # 西部 is written as West
    text = scenario_template(name, levers, regions)
    folder = path.parent if str(path.parent) else Path()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".toml", dir=folder)
    except OSError as exc:
        raise ScenarioError(path, [("", f"cannot write the file: {exc}")]) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        load_scenario(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
