"""The scenarios shipped inside the package, reachable by name from any folder.

``base = "baseline"`` (or ``"baseline.toml"``, ``"levers/funding"``) in a scenario file, and
``talentsim run baseline`` on the command line, name a shipped scenario when no such file exists
where they are looked for. A file of that name next to the scenario (or in the current folder, on
the command line) always comes first.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

SHIPPED_DIR = Path(__file__).parent / "scenarios"
SUFFIX = ".toml"


def shipped_names() -> list[str]:
    """Names of the shipped scenarios (``baseline``, ``levers/funding``, ...), sorted."""
    return sorted(p.relative_to(SHIPPED_DIR).with_suffix("").as_posix() for p in SHIPPED_DIR.rglob(f"*{SUFFIX}"))


def _with_suffix(path: PurePosixPath) -> list[PurePosixPath]:
    return [path] if path.suffix == SUFFIX else [path, path.with_name(path.name + SUFFIX)]


def shipped_scenario(name: str) -> Path | None:
    """The shipped scenario file called ``name`` (with or without ``.toml``), or None."""
    rel = PurePosixPath(name.replace("\\", "/"))
    if not name or rel.is_absolute() or ".." in rel.parts:
        return None
    for candidate in _with_suffix(rel):
        path = SHIPPED_DIR / candidate
        if path.is_file():
            return path
    return None


def find_scenario_file(name: str | Path, folder: str | Path) -> Path | None:
    """Where a scenario named ``name`` is: a file in ``folder`` (``name``, then ``name.toml``), else a shipped one.

    Returns None when there is neither.
    """
    for candidate in _with_suffix(PurePosixPath(Path(name).as_posix())):
        path = Path(folder) / candidate
        if path.is_file():
            return path
    return shipped_scenario(str(name))
