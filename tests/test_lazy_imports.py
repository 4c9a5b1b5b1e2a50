"""The command starts without the heavy libraries: ``--help`` and ``validate`` import no Mesa, Dask,
matplotlib, pandas or model; the package's public names still work, imported on first use.

Each check runs in a fresh interpreter, since this test process has imported everything already.
Start-up times are measured by ``benchmarks/startup.py``, not here (timings depend on the machine).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from talentsim.scenario import default_scenario_path

HEAVY = ("mesa", "dask", "distributed", "matplotlib", "pandas", "scipy", "SALib", "talentsim.model")


def imported_after(code: str) -> list[str]:
    """The heavy modules in sys.modules after running ``code`` in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_the_command_imports_nothing_heavy():
    assert imported_after("import talentsim.cli, talentsim.sweep.cli, talentsim") == []


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["validate", str(default_scenario_path())], ["sweep", "--help"], ["new", "--help"]],
    ids=["help", "validate", "sweep-help", "new-help"],
)
def test_help_and_validate_import_nothing_heavy(argv):
    code = (
        "import contextlib, io\nfrom talentsim.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    try:\n        status = main({argv!r})\n    except SystemExit as exc:\n        status = exc.code\n"
        "assert status == 0, status"
    )
    assert imported_after(code) == []


def test_public_names_are_imported_on_first_use():
    assert imported_after("import talentsim\ntalentsim.Scenario") == []
    assert "talentsim.model" in imported_after("import talentsim\ntalentsim.TalentModel")
    assert "pandas" in imported_after("from talentsim import run")
    assert "pandas" in imported_after("from talentsim.sweep import run_sweep")
    import talentsim
    import talentsim.sweep

    assert talentsim.run.__module__ == "talentsim.experiment"
    assert set(talentsim.__all__) <= set(dir(talentsim))
    assert set(talentsim.sweep.__all__) <= set(dir(talentsim.sweep))
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        _ = talentsim.nothing
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        _ = talentsim.sweep.nothing
