"""The history helpers, the timeline demo and the chemical structures."""

import pytest

from ketamine_course import demos, history, structures


def test_decimal_year_places_dates_mid_period():
    assert history.decimal_year("1970") == 1970.5
    assert history.decimal_year("2020-08") == pytest.approx(2020 + 7.5 / 12)
    assert history.decimal_year("1999-08-12") == pytest.approx(1999 + 7 / 12 + 11.5 / 365.25)


def test_select_filters_by_theme_and_era():
    rows = history.milestones()
    regulation = history.select(rows, ["regulation"], (1960, 2026))
    assert {r["category"] for r in regulation} == {"regulation"}
    assert [r["date"] for r in history.select(rows, ["psychiatry_research"], (2000, 2005))] == ["2000"]
    assert history.select(rows, [], (1960, 2026)) == []


@pytest.mark.parametrize("cats, era", [(["astrology"], (1960, 2026)), (["safety"], (2000, 1990)),
                                       (["safety"], (1900, 2000))])
def test_select_rejects_bad_filters(cats, era):
    with pytest.raises(ValueError, match="categories|era"):
        history.select(history.milestones(), cats, era)


def test_describe_shows_conflict_and_full_citation():
    fda = next(r for r in history.milestones() if "FDA approves ketamine" in r["event"])
    html = history.describe(fda)
    assert "sources conflict" not in html and "1971" in html
    assert "sources conflict" in history.describe({**fda, "status": "conflicting"})
    assert "Schedules of Controlled Substances" in html


def test_timeline_demo_filters_in_place():
    demo = demos.timeline()
    n_options = len(demo.controls["milestone"].options)
    assert n_options == len(history.milestones())
    axes = list(demo.figure.axes)
    demo.set(era=(1999, 2026))
    assert len(demo.controls["milestone"].options) < n_options
    assert demo.figure.axes == axes
    demo.set(chemistry=False, anesthesia=False, regulation=False, psychiatry_research=False, safety=False)
    assert demo.controls["milestone"].options == ()
    assert "No milestone" in demo.figure.axes[0].get_title()


def test_structures_match_their_formulas():
    rows = structures.molecules()
    assert len(rows) == 4
    for row in rows:
        assert structures.formula(row["mol"]) == row["formula"], row["name"]
        assert len(structures.chiral_centres(row["mol"])) == row["chiral_centres"]
        assert structures.core_atoms(row["mol"]), f"{row['name']} lacks the arylcyclohexylamine core"
    by_name = {r["name"]: r for r in rows}
    assert structures.molar_mass_g_per_mol(by_name["ketamine (racemic)"]["mol"]) == pytest.approx(237.73, abs=0.01)
    assert structures.chiral_centres(by_name["esketamine (S)"]["mol"])[0][1] == "S"
    assert structures.chiral_centres(by_name["arketamine (R)"]["mol"])[0][1] == "R"
    assert structures.chiral_centres(by_name["ketamine (racemic)"]["mol"])[0][1] == "?"


def test_structure_drawing_is_deterministic():
    from ketamine_course import diagrams

    assert diagrams.structure_grid() == diagrams.structure_grid()
