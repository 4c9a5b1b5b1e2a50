"""The atomic swap of result folders, and cleaning what an interrupted swap left (issue 17, item 2)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from talentsim.results import atomic_folder, exchange, leftovers, recover_interrupted

# A child process writes "new" into OUT through atomic_folder and is killed (SIGKILL) at the moment
# MODE names: "between-renames" (fallback swap: old folder moved aside, new one not yet in place),
# "after-exchange" (new folder exchanged in, previous not yet removed) or "writing" (inside the block).
CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    import talentsim.results as r

    out, mode = Path(sys.argv[1]), sys.argv[2]
    kill = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
    if mode == "between-renames":
        r.exchange = lambda a, b: False
        real, calls = r._rename, []
        def rename(src, dst):
            calls.append(src)
            if len(calls) == 2:
                kill()
            real(src, dst)
        r._rename = rename
    elif mode == "after-exchange":
        r._sync = kill
    with r.atomic_folder(out) as tmp:
        (tmp / "value.txt").write_text("new")
        if mode == "writing":
            kill()
    """
)


def killed_write(out: Path, mode: str) -> None:
    proc = subprocess.run([sys.executable, "-c", CHILD, str(out), mode], capture_output=True, text=True, timeout=60)
    assert proc.returncode == -9, proc.stderr


def previous(out: Path) -> Path:
    out.mkdir()
    (out / "value.txt").write_text("old")
    return out


def test_kill_between_renames_is_recovered(tmp_path):
    out = previous(tmp_path / "result")
    killed_write(out, "between-renames")
    assert not out.exists()  # the state a kill between the two renames leaves
    assert [p.name.split("-")[0] for p in leftovers(out)] == [".result.old", ".result.tmp"]
    recover_interrupted(out)
    assert (out / "value.txt").read_text() == "old"
    assert leftovers(out) == []


def test_next_write_recovers_before_it_starts(tmp_path):
    out = previous(tmp_path / "result")
    killed_write(out, "between-renames")
    with atomic_folder(out) as tmp:
        assert (out / "value.txt").read_text() == "old"  # put back before the new write begins
        (tmp / "value.txt").write_text("newer")
    assert (out / "value.txt").read_text() == "newer"
    assert leftovers(out) == []


def test_kill_after_exchange_keeps_the_new_result(tmp_path):
    a, b = previous(tmp_path / "a"), tmp_path / "b"
    b.mkdir()
    if not exchange(a, b):
        pytest.skip("this file system has no RENAME_EXCHANGE")
    out = previous(tmp_path / "result")
    killed_write(out, "after-exchange")
    assert (out / "value.txt").read_text() == "new"  # never missing
    [stale] = leftovers(out)
    assert (stale / "value.txt").read_text() == "old"
    recover_interrupted(out)
    assert leftovers(out) == [] and (out / "value.txt").read_text() == "new"


def test_kill_while_writing_leaves_the_previous_result(tmp_path):
    out = previous(tmp_path / "result")
    killed_write(out, "writing")
    assert (out / "value.txt").read_text() == "old"
    assert len(leftovers(out)) == 1
    recover_interrupted(out)
    assert leftovers(out) == [] and (out / "value.txt").read_text() == "old"


def test_a_running_writers_folder_is_not_cleaned(tmp_path):
    out = previous(tmp_path / "result")
    with atomic_folder(out) as tmp:
        (tmp / "value.txt").write_text("new")
        assert recover_interrupted(out) == []
        assert tmp.is_dir() and leftovers(out) == [tmp]
    assert (out / "value.txt").read_text() == "new" and leftovers(out) == []


@pytest.mark.parametrize("fallback", [False, True])
def test_swap_replaces_whole_folder(tmp_path, monkeypatch, fallback):
    if fallback:
        monkeypatch.setattr("talentsim.results.exchange", lambda a, b: False)
    out = previous(tmp_path / "result")
    (out / "stale.txt").write_text("from before")
    with atomic_folder(out) as tmp:
        (tmp / "value.txt").write_text("new")
    assert sorted(p.name for p in out.iterdir()) == ["value.txt"]
    assert leftovers(out) == []


def test_existing_folder_kept_without_overwrite(tmp_path):
    out = previous(tmp_path / "result")
    with pytest.raises(FileExistsError), atomic_folder(out, overwrite=False):
        pass
    assert (out / "value.txt").read_text() == "old" and leftovers(out) == []
