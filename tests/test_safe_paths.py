"""Scenario names that would be paths, and output locations checked before work (issue 17, items 1 and 6)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from talentsim.safe_paths import (
    MAX_NAME_BYTES,
    OutputError,
    check_output_file,
    check_output_folder,
    folder_name_problem,
)


@pytest.mark.parametrize(
    "name", [".", "..", "../victim", "a/b", "a\\b", "", "  ", "x\x00y", "tab\there", ".hidden", "é" * 101]
)
def test_unsafe_folder_names_are_refused(name):
    assert folder_name_problem(name)


@pytest.mark.parametrize("name", ["baseline", "action plan", "计划_2026", "a.b-c", "x" * MAX_NAME_BYTES])
def test_plain_folder_names_pass(name):
    assert folder_name_problem(name) is None


def test_output_folder_may_not_be_the_current_folder_or_above(tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    for out in ["", ".", "..", str(work), str(tmp_path), "sub/.."]:
        with pytest.raises(OutputError) as info:
            check_output_folder(Path(out))
        assert "--out" in str(info.value)
    assert check_output_folder(Path("results/x")) == Path("results/x")


def test_output_under_a_file_or_on_a_file_is_refused(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="is not a folder"):
        check_output_folder(blocker / "sub")
    with pytest.raises(OutputError, match="is a file"):
        check_output_folder(blocker)
    with pytest.raises(OutputError, match="is a folder"):
        check_output_file(tmp_path)
    with pytest.raises(OutputError, match="is not a folder"):
        check_output_file(blocker / "report.html")
    with pytest.raises(OutputError, match="NUL"):
        check_output_file(tmp_path / "a\x00b")
    assert check_output_file(tmp_path / "new" / "report.html").name == "report.html"
    assert not (tmp_path / "new").exists()  # a check writes nothing


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_unwritable_parent_is_refused(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    with pytest.raises(OutputError, match="cannot write"):
        check_output_folder(ro / "out")
