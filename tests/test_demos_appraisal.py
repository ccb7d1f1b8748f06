"""Notebook 07's demos redraw in place, plot what the model computes, and keep text inside the figure."""

import base64
import io

import numpy as np
import pytest
from PIL import Image

from ketamine_course import appraisal, demos

CASES = {
    "forest_esketamine": (lambda: demos.forest_plot("esketamine"), dict(trial_1=False, method="fixed")),
    "forest_iv": (lambda: demos.forest_plot("iv_ketamine"), dict(method="fixed")),
    "blinding": (demos.blinding, dict(share_unblinded=0.9, expectation_points=8.0)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_redraws_in_place_and_matches_a_full_draw(name):
    build, change = CASES[name]
    demo = build()
    fig, before = demo.figure, demo.image.value
    children = [len(ax.get_children()) for ax in fig.axes]
    demo.set(**change)
    assert demo.image.value != before
    assert demo.figure is fig and [len(ax.get_children()) for ax in fig.axes] == children
    fast = np.asarray(Image.open(io.BytesIO(demo.image.value)).convert("L"), dtype=float)
    full = np.asarray(Image.open(io.BytesIO(demos.render_png(fig))).convert("L"), dtype=float)
    assert np.mean(np.abs(fast - full) > 40) < 0.01


@pytest.mark.parametrize("name", sorted(CASES))
def test_static_fallback_and_text_inside_the_figure(name):
    build, change = CASES[name]
    demo = build()
    bundle, _metadata = demo._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")
    assert bundle["text/plain"].startswith("[Interactive demo]")
    for values in ({}, change):
        demo.set(**values)
        fig = demo.figure
        renderer = fig.canvas.get_renderer()
        width, height = fig.canvas.get_width_height()
        for ax in fig.axes:
            texts = [t for t in ax.texts + [ax.title, ax.xaxis.label, ax.yaxis.label] if t.get_text()]
            low, high = sorted(ax.get_ylim())
            texts += [t for v, t in zip(ax.get_yticks(), ax.get_yticklabels()) if t.get_text() and low <= v <= high]
            for text in texts:
                box = text.get_window_extent(renderer)
                assert box.x0 >= -1 and box.x1 <= width + 1 and box.y0 >= -1 and box.y1 <= height + 1, \
                    f"'{text.get_text()[:40]}' leaves the figure"


def test_forest_plot_draws_the_pooled_result_and_the_trials():
    demo = demos.forest_plot("esketamine")
    rows = appraisal.trials("esketamine")
    ax = demo.figure.axes[0]
    squares = [line for line in ax.lines if line.get_marker() == "s"]
    assert [float(s.get_xdata()[0]) for s in squares] == [r["effect"] for r in rows]
    for method in ("random", "fixed"):
        demo.set(method=method)
        pooled = appraisal.pool(rows, method)
        xs = [x for x, _ in ax.patches[0].get_xy()]
        assert min(xs) == pytest.approx(pooled.ci_low) and max(xs) == pytest.approx(pooled.ci_high)
    demo.set(positive_only=True)
    assert "2 trial comparisons" in demo.children[-1].value
    assert demo.figure.axes[0].patches[0].get_xy()[1][0] == pytest.approx(
        appraisal.pool([r for r in rows if appraisal.significant(r)], "fixed").estimate)


def test_forest_plot_with_nothing_selected_pools_nothing():
    demo = demos.forest_plot("esketamine")
    demo.set(**{f"trial_{i}": False for i in range(4)})
    assert "Nothing pooled" in demo.children[-1].value and "selection is empty" in demo.children[-1].value
    xs = [x for x, _ in demo.figure.axes[0].patches[0].get_xy()]
    assert max(xs) < demo.figure.axes[0].get_xlim()[0], "the diamond is off the axes"


def test_iv_forest_plot_lists_trials_it_cannot_pool():
    demo = demos.forest_plot("iv_ketamine")
    detail = demo.children[-1].value
    assert "Berman 2000: no confidence interval reported" in detail and "never pooled" in detail
    assert "Zarate 2006" in detail and "not plotted and not pooled" in detail
    assert list(demo.controls) == ["method", "positive_only", "trial_0"]


def test_blinding_demo_plots_the_model():
    demo = demos.blinding(share_unblinded=0.5, expectation_points=6.0, true_effect_points=4.0)
    lines = demo.figure.axes[0].lines
    apparent = next(line for line in lines if line.get_label() == "difference the trial would measure")
    x, y = apparent.get_xdata(), apparent.get_ydata()
    assert np.allclose(y, appraisal.apparent_effect(4.0, x, 6.0))
    assert "measured as 7.0 points" in demo.figure.axes[0].get_title(loc="left")
    assert any("ILLUSTRATIVE" in t.get_text() for t in demo.figure.axes[0].texts)
