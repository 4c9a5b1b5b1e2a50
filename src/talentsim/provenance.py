"""What produced a result: the package version and the versions of the libraries it rests on.

Across library versions, person counts stay exact but floating values (wages, shares) may move in
their last bits, so every ``metadata.json`` records the versions a result was computed with.
"""

from __future__ import annotations

import platform
import subprocess
from importlib import metadata
from pathlib import Path

#: The distributions whose versions can change results or how they are stored.
LIBRARIES = ("numpy", "scipy", "pandas", "mesa", "pyarrow", "networkx", "salib", "pydantic", "matplotlib")


def library_versions() -> dict[str, str]:
    """Python, talentsim and each of :data:`LIBRARIES` as ``{name: version}``.

    Reads installed distribution metadata, so nothing is imported; a library that is not
    installed is recorded as ``"not installed"``.
    """
    from talentsim import __version__

    versions = {"python": platform.python_version(), "talentsim": __version__}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def git_commit(where: str | Path | None = None) -> str | None:
    """The commit checked out in the git repository holding ``where`` (default: talentsim's source).

    A ``+dirty`` suffix says the work tree had uncommitted changes. Returns None, without an error,
    when ``where`` is not inside a git repository or git is not installed.
    """
    folder = Path(where) if where is not None else Path(__file__).resolve().parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, timeout=10, check=False
        )
        if head.returncode != 0:
            return None
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = head.stdout.strip()
    return commit + ("+dirty" if dirty.returncode == 0 and dirty.stdout.strip() else "") if commit else None
