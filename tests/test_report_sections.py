"""The report's confidence, regional, scenario-file and provenance sections, and the section hook.

A regionally targeted scenario (the skills_upgrade lever in the West and Central only) is compared
with the baseline at a coarse scale over six months.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest

import talentsim.provenance
from talentsim.compare import compare
from talentsim.provenance import git_commit
from talentsim.report import ReportContext, _report_sections, load_results, render_report
from talentsim.report_sections import flatten, scenario_difference, scenario_toml, targeted_regions
from talentsim.scenario import default_scenario_path, load_scenario

SCENARIOS = default_scenario_path().parent
REGIONAL = """
name = "skills_west_central"
scale = 40000.0
[horizon]
end = "2024-06"
[[policy]]
type = "skills_upgrade"
start = "2024-02"
end = "2026-12"
regions = ["West", "Central"]
"""


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("sections")
    base = d / "baseline.toml"
    base.write_text(
        f'base = {json.dumps(str(SCENARIOS / "baseline.toml"))}\nscale = 40000.0\n[horizon]\nend = "2024-06"\n',
        encoding="utf-8",
    )
    regional = d / "regional.toml"
    regional.write_text(f"base = {json.dumps(str(SCENARIOS / 'levers' / 'skills_upgrade.toml'))}\n{REGIONAL}")
    comparison = compare(base, [regional], seed=2, replicates=3)
    comparison.extra["command_line"] = "talentsim compare baseline.toml regional.toml --replicates 3"
    out = d / "out"
    comparison.save(out, figures=False)  # the report is rendered without figures here (no_figures)
    return out


@pytest.fixture(scope="module")
def results(saved):
    return load_results([saved])


@pytest.fixture
def no_figures(monkeypatch):
    """Skip the standard figures (checked in test_report.py)."""
    import talentsim.report

    monkeypatch.setattr(talentsim.report, "standard_figures", lambda *args, **kwargs: {})


def _tables(text: str) -> list[pd.DataFrame]:
    """The HTML tables of ``text`` (pandas' read_html needs lxml, which talentsim does not install)."""
    out = []
    for table in re.findall(r"<table.*?</table>", text, flags=re.S):
        head = [html.unescape(c).strip() for c in re.findall(r"<th>(.*?)</th>", table, flags=re.S)]
        rows = [
            [html.unescape(c).strip() for c in re.findall(r"<td>(.*?)</td>", row, flags=re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table.split("</thead>")[-1], flags=re.S)
        ]
        out.append(pd.DataFrame([r for r in rows if r], columns=head))
    return out


def _section(page: str, ident: str) -> str:
    match = re.search(rf'<section id="{ident}">.*?</section>', page, flags=re.S)
    assert match, f"no section {ident}"
    return match.group(0)


@pytest.mark.usefixtures("no_figures")
def test_confidence_section_gives_intervals_replicates_and_the_cost_rule(results):
    page = render_report(results)
    text = _section(page, "confidence")
    assert "95 % confidence interval" in text and "paired replicates" in text
    rows = _tables(text)
    effects, cost = rows[0], rows[1]
    assert set(effects["paired replicates"]) == {"3"}
    assert set(effects["distinguishable from 0"]) <= {"yes", "no"}
    row = results.cost_effectiveness.iloc[0]
    cell = cost.iloc[0, 1]
    if row["digital_talent_distinguishable"]:
        assert "not distinguishable" not in cell
    else:
        assert cell.startswith("not distinguishable from 0")
    # the effects table and the cost table of the effects section carry the replicate count too
    effects_section = _section(page, "effects")
    assert effects_section.count("paired replicates") == 2
    assert "Replicates behind each column: baseline 3, skills_west_central 3." in _section(page, "headline")


@pytest.mark.usefixtures("no_figures")
def test_regions_section_for_a_regionally_targeted_lever(results):
    assert targeted_regions(results.scenarios) == {"skills_west_central": ["West", "Central"]}
    text = _section(render_report(results), "regions")
    table = _tables(text)[0]
    assert len(table) == 8  # one row per region
    starred = table.loc[table["targeted"] == "\u2605", "region"].tolist()
    assert starred == ["Central", "West"]
    assert any("lives here" in c for c in table.columns) and any("trained here" in c for c in table.columns)
    assert '<figure id="fig-regions-effects"><img alt="regions_effects" src="data:image/png;base64,' in text
    zh = _section(render_report(results, lang="zh"), "regions")
    assert "分地区结果" in zh and "西部" in zh


@pytest.mark.usefixtures("no_figures")
def test_no_regional_section_without_targeted_levers(results):
    untargeted = json.loads(json.dumps(results.scenarios))
    for spec in untargeted.values():
        for lever in spec.get("policy", []):
            lever["regions"] = None
    res = type(results)(**{**results.__dict__, "scenarios": untargeted})
    assert "No scenario targets levers at some regions only" in _section(render_report(res), "regions")


@pytest.mark.usefixtures("no_figures")
def test_scenario_files_and_differences_are_embedded(results):
    text = _section(render_report(results), "scenario-files")
    assert text.count("<details>") == 3  # baseline TOML; scenario TOML and its differences
    assert "skills_west_central: scenario file (TOML)" in text and "key(s) differ from the baseline" in text
    assert "regions = [" in text and "[[policy]]" in text
    assert "policy.skills_upgrade.regions" in text


def test_scenario_difference_key_by_key():
    base = load_scenario(SCENARIOS / "baseline.toml").model_dump(mode="json")
    plan = load_scenario(SCENARIOS / "levers" / "funding.toml").model_dump(mode="json")
    diff = {k: (b, s) for k, b, s in scenario_difference(base, plan)}
    assert diff["name"] == ("baseline", "funding")
    assert diff["policy.funding.coverage"] == (None, 1.0)
    assert "scale" not in diff and all(not k.startswith("regions.") for k in diff)
    assert flatten({"policy": [{"type": "a", "x": 1}, {"type": "a", "x": 2}]}) == {"policy.a.x": 1, "policy.a#2.x": 2}
    import tomllib

    assert tomllib.loads(scenario_toml(plan))["policy"][0]["type"] == "funding"


@pytest.mark.usefixtures("no_figures")
def test_provenance_has_command_lines_commit_and_versions(results, monkeypatch):
    page = render_report(results, command_line="talentsim report out")
    text = _section(page, "provenance")
    assert "talentsim report out" in text
    assert "talentsim compare baseline.toml regional.toml --replicates 3" in text
    for lib in ("numpy", "scipy", "pandas", "mesa"):
        assert f"version of {lib}" in text
    assert "confidence level" in text and "paired replicates of skills_west_central" in text
    meta = next(iter(results.metadata.values()))
    if meta.get("git_commit"):  # run inside a git repository
        assert meta["git_commit"] in text
    # outside a repository: no commit row, no error
    monkeypatch.setattr(talentsim.provenance, "git_commit", lambda where=None: None)
    for m in results.metadata.values():
        m.pop("git_commit", None)
    assert "git commit" not in _section(render_report(results), "provenance")


def test_git_commit_outside_a_repository_is_none(tmp_path):
    assert git_commit(tmp_path) is None
    assert git_commit(tmp_path / "missing") is None


@pytest.mark.usefixtures("no_figures")
def test_sections_are_a_list_of_functions_with_inputs(results, tmp_path):
    seen = {}

    def extra(ctx: ReportContext) -> str:
        seen.update(ctx.inputs)
        return '<section id="extra"><h2>Extra</h2></section>'

    page = render_report(results, sections=[*_report_sections(), extra], inputs={"extra_folder": tmp_path})
    assert page.index('<section id="provenance">') < page.index('<section id="extra">')
    assert seen == {"extra_folder": tmp_path}
    assert '<section id="confidence">' not in render_report(results, sections=[extra])


def test_trained_talent_metrics_add_up(results):
    ts = results.timeseries
    ts = ts[(ts["field"] == "all") & (ts["level"] == "all")]
    end = ts[ts["date"] == ts["date"].max()]
    for metric in ("n_trained_talent", "n_trained_talent_by_course_region"):
        rows = end[end["metric"] == metric]
        national = rows[rows["region"] == "all"].set_index(["scenario", "replicate"])["value"]
        regional = rows[rows["region"] != "all"].groupby(["scenario", "replicate"])["value"].sum()
        pd.testing.assert_series_equal(national.sort_index(), regional.sort_index(), check_names=False)
        assert national.sum() > 0  # some course-trained talent at this coarse scale
    wide = end[end["region"] == "all"].pivot_table(index=["scenario", "replicate"], columns="metric", values="value")
    assert (wide["n_trained_talent"] == wide["n_trained_talent_by_course_region"]).all()
    assert (wide["n_trained_talent"] <= wide["n_digital_talent"]).all()
