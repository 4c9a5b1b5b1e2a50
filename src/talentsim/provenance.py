"""What produced a result: the package version and the versions of the libraries it rests on.

Across library versions, person counts stay exact but floating values (wages, shares) may move in
their last bits, so every ``metadata.json`` records the versions a result was computed with.
"""

from __future__ import annotations

import platform
from importlib import metadata

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
