"""Writing a result folder atomically, and cleaning what an interrupted swap left.

Everything is written to a hidden temporary folder beside the target (``.<name>.tmp-*``), which
then takes the target's place. On Linux the two folders are exchanged by one ``renameat2`` call
with ``RENAME_EXCHANGE``, so the target is never missing, even if the process is killed at that
moment; the previous result, left under the temporary name, is then removed. Where that call is
missing (other systems, file systems without it) the target is first renamed to ``.<name>.old-*``
and the new folder renamed in: a kill between those two renames leaves the target missing until
the next write to it, or :func:`recover_interrupted`, puts the previous result back.

A writer holds an exclusive ``flock`` on its temporary folder until the swap is done, so cleaning
never removes the folder of a run that is still going; folders whose writer died (killed, out of
memory, power cut) are removed at the start of the next write to the same target.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt

from talentsim.safe_paths import check_output_folder

if TYPE_CHECKING:
    from talentsim.experiment import Result

_AT_FDCWD = -100  # Linux
_RENAME_EXCHANGE = 2  # linux/fs.h
_NO_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV}


def _renameat2() -> object | None:
    """Glibc's renameat2, or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        func = libc.renameat2
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``).

    Returns:
        True if swapped; False if this system or file system cannot (nothing changed then).

    Raises:
        OSError: the call failed for another reason.
    """
    func = _renameat2()
    if func is None:
        return False
    if func(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:  # type: ignore[operator]
        return True
    err = ctypes.get_errno()
    if err in _NO_EXCHANGE:
        return False
    raise OSError(err, os.strerror(err), str(b))


def _rename(src: Path, dst: Path) -> None:
    """``os.rename``; one function, so a test can interrupt the swap between its renames."""
    os.rename(src, dst)


def _lock(folder: Path) -> int | None:
    """An open descriptor holding an exclusive flock on ``folder``, or None if another process holds one."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no cleaning of other writers' folders either
        return os.open(folder, os.O_RDONLY)
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _sync(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def leftovers(out: str | Path) -> list[Path]:
    """The hidden folders an interrupted write to ``out`` may have left beside it."""
    out = Path(out)
    if not out.parent.is_dir():
        return []
    prefixes = (f".{out.name}.tmp-", f".{out.name}.old-")
    return sorted(p for p in out.parent.iterdir() if p.name.startswith(prefixes) and p.is_dir())


def recover_interrupted(out: str | Path) -> list[Path]:
    """Finish or clean up what an interrupted write to ``out`` left.

    If ``out`` is missing and a previous result survives as ``.<name>.old-*`` (a kill between the
    two renames of the fallback swap), it is put back as ``out``. Temporary folders whose writer is
    no longer running are removed; those of a running writer are left alone.

    Returns:
        The leftover folders removed or put back.
    """
    out = Path(out)
    handled: list[Path] = []
    held: list[tuple[Path, int]] = []
    try:
        for path in leftovers(out):
            fd = _lock(path)
            if fd is None:  # a running writer: leave its folders, and out, to it
                return handled
            held.append((path, fd))
        olds = [p for p, _ in held if p.name.startswith(f".{out.name}.old-")]
        if olds and not os.path.lexists(out):
            keep = max(olds, key=lambda p: p.stat().st_mtime)
            _rename(keep, out)
            _sync(out.parent)
            handled.append(keep)
        for path, _ in held:
            if path.exists():
                shutil.rmtree(path, ignore_errors=True)
                handled.append(path)
    finally:
        for _, fd in held:
            os.close(fd)
    return handled


def _swap_in(tmp: Path, out: Path) -> None:
    """Put the finished folder ``tmp`` in the place of ``out``."""
    if not os.path.lexists(out):
        _rename(tmp, out)
        return
    if exchange(tmp, out):  # out now holds the new result, tmp the previous one
        _sync(out.parent)
        shutil.rmtree(tmp, ignore_errors=True)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    old.rmdir()
    _rename(out, old)
    try:
        _rename(tmp, out)
    except BaseException:
        _rename(old, out)
        raise
    _sync(out.parent)
    shutil.rmtree(old, ignore_errors=True)


@contextmanager
def atomic_folder(out: str | Path, overwrite: bool = True) -> Iterator[Path]:
    """A temporary folder to fill, which replaces ``out`` as a whole when the block ends without error.

    On an error in the block the temporary folder is removed and ``out`` is left as it was. What an
    earlier, interrupted write to ``out`` left is cleaned up first (:func:`recover_interrupted`).

    Args:
        out: the folder to write.
        overwrite: replace an existing folder.

    Yields:
        The temporary folder (beside ``out``) to write into.

    Raises:
        FileExistsError: ``out`` exists and ``overwrite`` is false.
        OutputError: ``out`` cannot be a result folder (a file, the current folder, under a file).
    """
    out = check_output_folder(out, "out")
    out.parent.mkdir(parents=True, exist_ok=True)
    recover_interrupted(out)
    if out.exists() and not overwrite:
        raise FileExistsError(f"{out} exists")
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    fd = _lock(tmp)
    try:
        tmp.chmod(0o755)
        try:
            yield tmp
            _swap_in(tmp, out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    finally:
        if fd is not None:
            os.close(fd)


def write_results(result: Result, out: Path, overwrite: bool = True) -> Path:
    """Write ``timeseries.parquet``, ``summary.csv``, ``metadata.json`` and ``figures/``.

    Args:
        result: the run's result.
        out: the result folder; replaced as a whole if it exists and ``overwrite``.
        overwrite: replace an existing folder.

    Raises:
        FileExistsError: ``out`` exists and ``overwrite`` is false.
    """
    from talentsim import __version__
    from talentsim.provenance import library_versions

    out = Path(out)
    with atomic_folder(out, overwrite) as tmp:
        result.timeseries.to_parquet(tmp / "timeseries.parquet", index=False)
        result.summary().to_csv(tmp / "summary.csv", index=False)
        meta = {
            "scenario": result.scenario.model_dump(mode="json"),
            "scenario_name": result.scenario.name,
            "scenario_hash": result.scenario.digest(),
            "talentsim_version": __version__,
            "versions": library_versions(),
            "seeds": result.seeds,
            "replicates": len(result.seeds),
            "wall_seconds": round(result.wall_seconds, 3),
            **result.extra,
        }
        (tmp / "metadata.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        (tmp / "figures").mkdir()
        fig = result.plot()
        fig.savefig(tmp / "figures" / "outcomes.png", dpi=120)
        plt.close(fig)
    return out
