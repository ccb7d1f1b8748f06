"""The static-site frame planner and page snippet (scripts/build_frames.py), without a browser."""

from __future__ import annotations

import importlib.util
import json
import math

import pytest

from ketamine_course import demos

from .conftest import ROOT


@pytest.fixture(scope="module")
def bf():
    spec = importlib.util.spec_from_file_location("build_frames", ROOT / "scripts" / "build_frames.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def frames(specs) -> int:
    return math.prod(len(s["values"]) for s in specs)


@pytest.mark.parametrize("name", ["half_life", "mg_block", "occupancy", "trapping_block", "plasma_curve",
                                  "timeline", "onset_comparison"])
def test_plan_stays_within_the_budget_and_keeps_the_default(bf, name):
    demo = getattr(demos, name)()
    specs = bf.plan(name, demo)
    assert frames(specs) <= bf.FRAME_BUDGET
    for spec in specs:
        assert spec["values"][spec["default"]] == pytest.approx(demo.controls[spec["name"]].value) \
            if spec["kind"] == "range" else spec["values"][spec["default"]] == demo.controls[spec["name"]].value
        if not spec["live"]:
            assert len(spec["values"]) == 1 and "notebook" in spec["note"]


def test_main_slider_keeps_every_step_and_the_second_becomes_a_grid(bf):
    specs = {s["name"]: s for s in bf.plan("mg_block", demos.mg_block())}
    assert specs["voltage_mv"]["values"] == [-100.0 + 5 * k for k in range(29)]
    assert specs["mg_mm"]["values"] == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_half_life_uses_every_slider_step_and_both_axes(bf):
    specs = {s["name"]: s for s in bf.plan("half_life", demos.half_life())}
    assert specs["half_life_h"]["values"] == [0.5 * k for k in range(1, 25)]
    assert specs["scale"]["values"] == ["linear", "log"]


def test_timeline_varies_only_the_milestone(bf):
    live = [s["name"] for s in bf.plan("timeline", demos.timeline()) if s["live"]]
    assert live == ["milestone"]


def test_snippet_has_native_controls_live_description_and_disabled_notes(bf):
    demo = demos.plasma_curve()
    specs = bf.plan("plasma_curve", demo)
    n = frames(specs)
    manifest = {"demo": "plasma_curve", "caption": demo.caption, "controls": specs, "width": 10, "height": 5,
                "frames": [[f"{k}.webp", f"state {k}", []] for k in range(n)], "extras": []}
    html = bf.snippet(manifest, "frames/04/", "kc-04-1", controller="frames/frames.js")
    assert 'aria-live="polite"' in html and 'role="status"' in html
    assert html.count('aria-disabled="true"') == 2  # body weight and model
    assert 'type="range"' in html and "<select" in html
    data = json.loads(html.split('class="kc-manifest">')[1].split("</script>")[0].replace("<\\/", "</"))
    assert len(data["frames"]) == n and data["base"] == "frames/04/"
    default = bf._default_index(manifest)
    assert f'alt="state {default}"' in html


def test_prune_keeps_only_models_a_remaining_widget_uses(bf):
    import nbformat

    state = {"a": {"state": {"children": ["IPY_MODEL_b"]}}, "b": {"state": {}}, "c": {"state": {"x": "IPY_MODEL_d"}},
             "d": {"state": {}}}
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {bf.WIDGET_STATE: {"state": state, "version_major": 2, "version_minor": 0}}
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("display_data", data={bf.WIDGET_VIEW: {"model_id": "a"}})]
    nb.cells = [cell]
    bf.prune_widget_state(nb)
    assert set(nb.metadata["widgets"][bf.WIDGET_STATE]["state"]) == {"a", "b"}
    cell.outputs = []
    bf.prune_widget_state(nb)
    assert "widgets" not in nb.metadata
