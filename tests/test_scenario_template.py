"""Writing one's own scenario: shipped scenarios by name, ``talentsim new``, and warnings that validate."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import warnings
from pathlib import Path

import pytest

from talentsim.cli import main
from talentsim.policies import LEVERS
from talentsim.scenario import ScenarioError, default_scenario, load_scenario
from talentsim.scenario_checks import ScenarioWarning, scenario_warnings
from talentsim.shipped import find_scenario_file, shipped_names, shipped_scenario


def talentsim_command(*argv: str, cwd: Path) -> subprocess.CompletedProcess:
    """The command as a user runs it, in a folder outside the repository."""
    return subprocess.run(
        [sys.executable, "-m", "talentsim.cli", *argv], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("base", ["baseline", "baseline.toml"])
def test_base_names_a_shipped_scenario_from_anywhere(tmp_path, base):
    path = tmp_path / "mine.toml"
    path.write_text(f'name = "mine"\nbase = "{base}"\nscale = 4000\n', encoding="utf-8")
    spec = load_scenario(path)
    assert spec.name == "mine" and spec.scale == 4000
    assert spec.regions == default_scenario().regions
    done = talentsim_command("validate", "mine.toml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "valid scenario 'mine': 8 regions" in done.stdout


def test_a_local_file_comes_before_a_shipped_one(tmp_path):
    (tmp_path / "baseline.toml").write_text(
        f'base = "{shipped_scenario("baseline")}"\nname = "local"\nscale = 9000\n', encoding="utf-8"
    )
    (tmp_path / "mine.toml").write_text('name = "mine"\nbase = "baseline"\n', encoding="utf-8")
    assert load_scenario(tmp_path / "mine.toml").scale == 9000
    assert find_scenario_file("baseline", tmp_path) == tmp_path / "baseline.toml"
    assert find_scenario_file("levers/funding", tmp_path) == shipped_scenario("levers/funding.toml")


def test_unknown_base_names_the_shipped_scenarios(tmp_path):
    (tmp_path / "mine.toml").write_text('base = "basline"\n', encoding="utf-8")
    expected = r"base: file not found: .*basline, and no shipped scenario of that name \(shipped: action_plan"
    with pytest.raises(ScenarioError, match=expected):
        load_scenario(tmp_path / "mine.toml")
    assert shipped_scenario("../pyproject") is None and shipped_scenario("/etc/passwd") is None
    assert {"baseline", "action_plan", "levers/engineer_training"} <= set(shipped_names())


def test_a_shipped_name_on_the_command_line(tmp_path):
    done = talentsim_command("validate", "levers/funding", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "valid scenario 'funding'" in done.stdout


def test_new_writes_a_commented_file_that_validates(tmp_path):
    done = talentsim_command("new", "my_plan", "--lever", "engineer_training", "--regions", "West", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    path = tmp_path / "my_plan.toml"
    text = path.read_text(encoding="utf-8")
    assert 'base = "baseline"' in text and "# trainees a year, national (MOHRSS" in text
    assert "数字技术工程师培育项目" in text  # the plan's own name of the measure
    checked = talentsim_command("validate", "my_plan.toml", cwd=tmp_path)
    assert checked.returncode == 0 and checked.stderr == "", checked.stderr
    spec = load_scenario(path)
    [lever] = spec.policy
    assert lever.type == "engineer_training" and lever.regions == ["West"]
    defaults = LEVERS["engineer_training"][0](type="engineer_training", regions=["West"])
    assert lever == defaults  # every parameter written at its default
    assert tomllib.loads(text)["name"] == "my_plan"
    # no overwriting by accident; two levers and all regions with --force
    again = talentsim_command("new", "my_plan", cwd=tmp_path)
    assert again.returncode == 2 and "exists already" in again.stderr
    two = ("--lever", "funding", "--lever", "competitions")
    forced = talentsim_command("new", "my_plan", *two, "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert [p.type for p in load_scenario(path).policy] == ["funding", "competitions"]
    assert all(p.regions is None for p in load_scenario(path).policy)


def test_new_takes_chinese_region_names_and_writes_the_scenario_names(tmp_path):
    out = tmp_path / "west.toml"
    assert (
        main(["new", "west", "--lever", "skills_upgrade", "--regions", "西部", "中部", "West", "--out", str(out)]) == 0
    )
    (lever,) = load_scenario(out).policy
    assert lever.regions == ["West", "Central"]
    assert tomllib.loads(out.read_text(encoding="utf-8"))["policy"][0]["regions"] == ["West", "Central"]


def test_new_refuses_unknown_levers_and_regions_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "bad.toml"
    assert main(["new", "bad", "--lever", "engineer_trainig", "--regions", "Mars", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--lever: unknown lever 'engineer_trainig'; expected one of engineer_training" in err
    assert "--regions: unknown region 'Mars'; expected one of Beijing" in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_lever_window_outside_the_horizon_and_a_repeated_region_warn(tmp_path):
    path = tmp_path / "odd.toml"
    path.write_text(
        'name = "odd"\nbase = "baseline"\n\n[[policy]]\ntype = "funding"\nstart = "2030-01"\nend = "2030-12"\n\n'
        '[[policy]]\ntype = "competitions"\nregions = ["West", "Central", "West"]\n',
        encoding="utf-8",
    )
    with pytest.warns(ScenarioWarning) as caught:
        spec = load_scenario(path)
    messages = [str(w.message) for w in caught]
    assert messages == [
        f"{path}: policy[0] (funding): window 2030-01 to 2030-12 lies wholly outside the horizon 2024-01 to "
        "2026-12: the lever never acts",
        f"{path}: policy[1] (competitions).regions: region 'West' is listed 2 times",
    ]
    assert len(scenario_warnings(spec)) == 2
    done = talentsim_command("validate", "odd.toml", cwd=tmp_path)
    assert done.returncode == 0  # it validates, and says what looks wrong
    assert "warning: odd.toml: policy[0] (funding): window 2030-01 to 2030-12 lies wholly outside" in done.stderr
    assert "warning: odd.toml: policy[1] (competitions).regions: region 'West' is listed 2 times" in done.stderr
    assert "Traceback" not in done.stderr and "warnings.warn" not in done.stderr


def test_shipped_scenarios_give_no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error", ScenarioWarning)
        for name in shipped_names():
            load_scenario(name)
