"""Writing a result folder atomically.

Everything is written to a temporary folder beside the target, which then replaces the target,
so a result folder is never half-written.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt

if TYPE_CHECKING:
    from talentsim.experiment import Result


@contextmanager
def atomic_folder(out: str | Path, overwrite: bool = True) -> Iterator[Path]:
    """A temporary folder to fill, which replaces ``out`` as a whole when the block ends without error.

    On an error in the block the temporary folder is removed and ``out`` is left as it was; if the
    final swap fails, the previous ``out`` is put back.

    Args:
        out: the folder to write.
        overwrite: replace an existing folder.

    Yields:
        The temporary folder (beside ``out``) to write into.

    Raises:
        FileExistsError: ``out`` exists and ``overwrite`` is false.
    """
    out = Path(out)
    if out.exists() and not overwrite:
        raise FileExistsError(f"{out} exists")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    tmp.chmod(0o755)
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        try:
            os.replace(out, old / out.name)
        except BaseException:
            shutil.rmtree(old, ignore_errors=True)
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    try:
        os.replace(tmp, out)
    except BaseException:
        if old is not None:
            os.replace(old / out.name, out)
            shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


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
