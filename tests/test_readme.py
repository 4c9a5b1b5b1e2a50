"""README.md's code blocks work as written: the Python block runs as a script, the commands parse.

The Python block is run as a script in a fresh interpreter (a new user saves it to a file), so a
missing ``if __name__ == "__main__":`` guard around a process pool fails here as it does for them.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from talentsim.cli import _parser

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
TALENTSIM = ".venv/bin/talentsim"


def code_blocks(language: str) -> list[str]:
    """The README's fenced code blocks in ``language``, in order."""
    return re.findall(rf"^```{language}\n(.*?)^```", README.read_text(encoding="utf-8"), flags=re.S | re.M)


def shell_commands() -> list[list[str]]:
    """Every ``.venv/bin/talentsim ...`` command of the README's sh blocks, split into words."""
    commands = []
    for block in code_blocks("sh"):
        text = block.replace("\\\n", " ")
        for line in text.splitlines():
            for part in line.split("&&"):
                words = shlex.split(part, comments=True)
                if words and words[0] == TALENTSIM:
                    commands.append(words[1:])
    return commands


def _project_dir(tmp_path: Path) -> Path:
    """A fresh working folder that sees the repository's scenario, sweep and calibration files."""
    for name in ("scenarios", "sweeps", "calibrations"):
        (tmp_path / name).symlink_to(REPO / name)
    return tmp_path


def test_readme_python_block_runs_as_a_script(tmp_path):
    [block] = code_blocks("python")
    assert 'if __name__ == "__main__":' in block and "workers=2" in block
    script = _project_dir(tmp_path) / "readme_example.py"
    script.write_text(block, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "BrokenProcessPool" not in done.stderr
    assert "median" in done.stdout and "p90" in done.stdout  # the printed summary
    assert (tmp_path / "results" / "base" / "metadata.json").is_file()
    assert (tmp_path / "results" / "base" / "timeseries.parquet").is_file()


def test_readme_commands_parse_and_name_existing_files():
    commands = shell_commands()
    assert {c[0] for c in commands} >= {
        "run", "new", "validate", "compare", "plot", "report", "sweep", "sensitivity", "calibrate"
    }  # fmt: skip
    parser = _parser()
    written: set[Path] = set()  # files an earlier command of the README writes
    for argv in commands:
        args = parser.parse_args(argv)  # an unknown option or subcommand exits here
        if args.command == "new":
            written.add(args.out or Path(f"{args.name}.toml"))
        for name in ("scenario", "baseline", "sweep", "config"):
            value = getattr(args, name, None)
            if isinstance(value, Path) and value not in written:
                assert (REPO / value).is_file(), f"{' '.join(argv)}: {value} does not exist"
        for value in getattr(args, "scenarios", []) or []:
            assert (REPO / value).is_file(), f"{' '.join(argv)}: {value} does not exist"


def test_readme_cheap_commands_run(tmp_path):
    """The quick start's run (about 5 s), writing and validating one's own scenario, and sweep dry runs."""
    cwd = _project_dir(tmp_path)
    commands = shell_commands()
    quick = [c for c in commands if c[0] in ("run", "new", "validate")]
    sweeps = [[*c[:2], "--dry-run"] for c in commands if c[0] == "sweep" and "--resume" not in c]
    assert quick and sweeps
    for argv in [*quick, *sweeps]:
        done = subprocess.run(
            [sys.executable, "-m", "talentsim.cli", *argv],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, f"{' '.join(argv)}: {done.stderr[-2000:]}"
    assert (cwd / "results" / "baseline" / "summary.csv").is_file()
    assert (cwd / "my_plan.toml").is_file()


@pytest.mark.parametrize("block", code_blocks("sh"))
def test_readme_sh_blocks_use_the_venv(block):
    """Commands are spelled as a new user runs them after the README's install line."""
    for line in block.replace("\\\n", " ").splitlines():
        for part in line.split("&&"):
            words = shlex.split(part, comments=True)
            if words and "talentsim" in words[0]:
                assert words[0] == TALENTSIM, line
