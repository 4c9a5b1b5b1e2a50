"""Names that become paths, and output locations checked before any work starts.

A scenario's or a sweep's ``name`` becomes a folder (``results/<name>``) that is replaced whole, so
it must be one plain folder name: never ``.``, ``..``, a path with separators or a hidden name.
An output location (``--out``) is checked before a simulation starts, so a run never fails after an
hour of work because its folder cannot be written, and never replaces the folder it runs in.
"""

from __future__ import annotations

import os
from pathlib import Path

from talentsim.errors import ScenarioError

# File systems allow 255 bytes a name; the hidden temporary names beside a result folder add about 20.
MAX_NAME_BYTES = 200


class OutputError(ScenarioError):
    """An output location that cannot be used; lists ``(option, message)`` pairs (exit status 2)."""


def folder_name_problem(name: str) -> str | None:
    """Why ``name`` is not one safe folder name, or None if it is.

    A safe name is not empty, not ``.`` or ``..``, has no path separator, no NUL or other control
    character, does not start with a dot (hidden names are the temporary folders of a swap) and is
    at most :data:`MAX_NAME_BYTES` bytes in UTF-8.
    """
    if not name or not name.strip():
        return f"expected a name with at least one visible character, got {name!r}"
    if name in (".", ".."):
        return f"expected a plain folder name such as 'my_scenario', got {name!r}"
    bad = sorted({c for c in name if c in "/\\" or ord(c) < 32 or ord(c) == 127})
    if bad:
        shown = ", ".join(repr(c) for c in bad)
        return f"expected a plain folder name without path separators or control characters, got {shown} in {name!r}"
    if name.startswith("."):
        return f"expected a name that does not start with a dot (hidden names are temporary folders), got {name!r}"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return f"expected a name of at most {MAX_NAME_BYTES} bytes in UTF-8, got {len(name.encode('utf-8'))} bytes"
    return None


def check_folder_name(name: str) -> str:
    """A pydantic-style validator: ``name`` if it is one safe folder name.

    Raises:
        ValueError: it is not; the message says why (see :func:`folder_name_problem`).
    """
    problem = folder_name_problem(name)
    if problem:
        raise ValueError(problem)
    return name


def _first_existing(path: Path) -> Path:
    """``path`` or its nearest ancestor that exists."""
    for candidate in (path, *path.parents):
        if os.path.lexists(candidate):
            return candidate
    return Path(path.anchor or ".")


def _location_problem(out: Path) -> str | None:
    text = str(out)
    if "\x00" in text:
        return "expected a path without NUL characters"
    if not text or out.name in ("", ".", ".."):
        return f"expected a path that ends in a name, got {text!r}"
    if len(out.name.encode("utf-8")) > MAX_NAME_BYTES:
        return f"expected a last name of at most {MAX_NAME_BYTES} bytes in UTF-8"
    try:
        out.resolve()  # a symlink loop raises here
    except (OSError, RuntimeError) as exc:
        return f"cannot resolve {text}: {exc}"
    existing = _first_existing(out.absolute())
    if existing != out.absolute() and not existing.is_dir():
        return f"{existing} is not a folder, so {text} cannot be made there"
    parent = existing if existing != out.absolute() else out.absolute().parent
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"cannot write in {parent}"
    return None


#: Files that mark a folder written by run, compare or an experiment (metadata.json) or calibrate (fitted.csv).
RESULT_MARKERS = ("metadata.json", "fitted.csv")


def _is_result_folder(folder: Path) -> bool:
    return any((folder / marker).is_file() for marker in RESULT_MARKERS)


def check_output_folder(
    out: str | Path, option: str = "--out", replaced: bool = True, user_named: bool = False
) -> Path:
    """Check that ``out`` can be written as a result folder, before any work starts.

    Args:
        out: the folder to write.
        option: the command-line option or argument that named it, for the message.
        replaced: the folder is replaced whole (``run``, ``compare``, ``calibrate``): it may then not
            be the current folder or one that contains it.
        user_named: a user named the folder on the command line: if it is replaced and already holds
            files, it must be an earlier result folder (:data:`RESULT_MARKERS`), so that a user's own
            files (the scenario being run, say) are never swept away with it.

    Returns:
        ``out`` as a Path.

    Raises:
        OutputError: naming ``out``, the option and what was expected.
    """
    out = Path(out)
    problem = _location_problem(out)
    if problem is None and os.path.lexists(out) and not out.is_dir():
        problem = "is a file; expected a folder (or a path that does not exist yet)"
    if problem is None and replaced:
        resolved, here = out.resolve(), Path.cwd().resolve()
        if resolved == here or resolved in here.parents:
            problem = "is the current folder or contains it, and a result folder is replaced whole; name a subfolder"
        elif user_named and out.is_dir() and any(out.iterdir()) and not _is_result_folder(out):
            problem = (
                "holds files but is not a talentsim result folder (no metadata.json), and a result folder is "
                "replaced whole; name a new folder or an earlier result folder"
            )
    if problem:
        raise OutputError(out, [(option, problem)])
    return out


def check_output_file(out: str | Path, option: str = "--out") -> Path:
    """Check that ``out`` can be written as a file (e.g. the HTML report), before any work starts.

    Raises:
        OutputError: naming ``out``, the option and what was expected.
    """
    out = Path(out)
    problem = _location_problem(out)
    if problem is None and out.is_dir():
        problem = "is a folder; expected a file name"
    if problem:
        raise OutputError(out, [(option, problem)])
    return out
