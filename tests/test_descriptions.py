"""Each demo state carries one sentence with its numbers, from the same model call as the figure."""

import html
import re

import pytest

from ketamine_course import demos

from .test_demos import DEMOS
from .test_demos_appraisal import CASES


def numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"[-+]?\d+(?:\.\d+)?", text)]


@pytest.mark.parametrize("name", sorted(DEMOS))
def test_every_demo_describes_each_state_and_uses_it_as_alt_text(name):
    demo = getattr(demos, name)()
    before = demo.description
    assert before and before != demo.caption
    assert demo.image.tooltip == before, "the sentence is the figure's text alternative"
    assert "aria-live='polite'" in demo.description_html.value
    assert html.escape(before) in demo.description_html.value
    demo.set(**DEMOS[name])
    assert demo.description != before, "a new state needs a new sentence"
    assert demo.image.tooltip == demo.description


@pytest.mark.parametrize("name", sorted(DEMOS))
def test_display_bundle_names_the_demo_and_its_arguments(name):
    bundle, _metadata = getattr(demos, name)()._repr_mimebundle_()
    recipe = bundle[demos.RECIPE_MIME]
    assert recipe["demo"] == name
    rebuilt = getattr(demos, name)(**recipe["arguments"])
    assert rebuilt.values() == getattr(demos, name)().values()


def test_mg_block_sentence_has_the_jahr_stevens_numbers():
    from ketamine_course import receptor

    demo = demos.mg_block(voltage_mv=-40.0, mg_mm=1.0)
    free = float(receptor.mg_unblocked_fraction(-40.0, 1.0))
    assert round(100 * free) == 23  # 1 / (1 + 1/3.57 * exp(0.062 * 40)) = 0.230
    current = float(receptor.nmda_current_pa(-40.0, 1.0))
    assert demo.description == (f"At -40 mV with 1.0 mM Mg2+, 23% of open channels are unblocked; "
                                f"the current is {current:.1f} pA for 1 nS of channels (inward).")
    demo.set(voltage_mv=-100.0, mg_mm=2.0)
    free = float(receptor.mg_unblocked_fraction(-100.0, 2.0))
    assert demo.description.startswith(f"At -100 mV with 2.0 mM Mg2+, {100 * free:.0f}% of open channels")


def test_half_life_sentence_is_the_closed_form():
    demo = demos.half_life(half_life_h=6.0)
    assert numbers(demo.description)[:4] == [6.0, 6.25, 24.0, 97.0]  # 0.5 ** (24 / 6) = 1/16
    assert "30.0 h" in demo.description


def test_occupancy_sentence_matches_the_model():
    from ketamine_course import receptor

    demo = demos.occupancy(form="esketamine (S)", concentration_um=1.0)
    ki = receptor.AFFINITIES["esketamine (S)"].ki_um
    assert f"{100 * float(receptor.occupancy(1.0, ki)):.0f}% of the channel sites" in demo.description


def test_disinhibition_sentence_matches_the_steady_state():
    from ketamine_course import plasticity

    demo = demos.disinhibition(block_fraction=0.6)
    e_rate, i_rate = (float(x) for x in plasticity.steady_state_rates(0.6))
    baseline = float(plasticity.steady_state_rates(0.0)[0])
    got = numbers(demo.description)
    assert got[:3] == [60.0, round(i_rate, 1), round(e_rate, 1)]
    assert got[3] == round(100 * (e_rate / baseline - 1))


def test_esketamine_sentence_matches_the_population_model():
    import numpy as np

    from ketamine_course import pk

    demo = demos.esketamine_spray(dose_mg=84)
    result = pk.esketamine_nasal(84, t_end_min=720.0, dt_min=1.0)
    t_peak, c_peak = result.peak()
    at_2h = float(np.interp(120.0, result.time_min, result.concentration_ng_per_ml))
    assert numbers(demo.description)[:4] == [84, round(c_peak), round(t_peak - result.last_dose_min), round(at_2h)]


def test_adverse_effects_sentence_lists_the_top_rates():
    from ketamine_course import safety

    demo = demos.adverse_effects(order="drug")
    top = max(safety.paired_rates(), key=lambda r: r["drug_pct"])
    assert f"{top['effect']} {top['drug_pct']:g}% vs {top['placebo_pct']:g}%" in demo.description


APPRAISAL = CASES  # the 07 demos and a change for each, as tests/test_demos_appraisal.py moves them


@pytest.mark.parametrize("name", sorted(APPRAISAL))
def test_notebook_07_demos_describe_each_state(name):
    build, change = APPRAISAL[name]
    demo = build()
    before = demo.description
    assert before and before != demo.caption and demo.image.tooltip == before
    assert "aria-live='polite'" in demo.description_html.value
    demo.set(**change)
    assert demo.description != before and demo.image.tooltip == demo.description


def test_forest_plot_sentence_is_the_pooled_model():
    from ketamine_course import appraisal

    demo = demos.forest_plot("esketamine")
    rows = [r for r in appraisal.trials("esketamine") if r["effect"] is not None and r["ci_low"] is not None]
    pooled = appraisal.pool(rows, "random")
    got = numbers(demo.description)  # estimate, 95 (% CI), low, high
    assert got[:4] == [round(pooled.estimate, 2), 95.0, round(pooled.ci_low, 2), round(pooled.ci_high, 2)]
    assert f"{pooled.k} trial comparisons out of {len(rows)} poolable" in demo.description
    assert f"I² = {100 * pooled.i2:.0f}%" in demo.description

    demo.set(trial_1=False, method="fixed")
    kept = [r for i, r in enumerate(rows) if i != 1]
    fixed = appraisal.pool(kept, "fixed")
    got = numbers(demo.description)
    assert got[:4] == [round(fixed.estimate, 2), 95.0, round(fixed.ci_low, 2), round(fixed.ci_high, 2)]
    assert "fixed effect" in demo.description
    assert demo.description.endswith(f"left out: {rows[1]['trial']}.")
    assert fixed.estimate != pooled.estimate


def test_forest_plot_sentence_never_turns_an_empty_selection_into_a_result():
    demo = demos.forest_plot("esketamine")
    demo.set(**{name: False for name in demo.controls if name.startswith("trial_")})
    assert demo.description.startswith("Nothing pooled (")
    assert "MADRS points" not in demo.description


def test_blinding_sentence_is_the_model():
    from ketamine_course import appraisal

    demo = demos.blinding(share_unblinded=0.5, expectation_points=6.0, true_effect_points=4.0)
    here = float(appraisal.apparent_effect(4.0, 0.5, 6.0))
    assert here == 7.0  # 4 + 0.5 * 6
    got = numbers(demo.description)
    assert got[:4] == [50.0, 6.0, 4.0, 7.0]
    murrough = next(r for r in appraisal.trials("iv_ketamine") if r["source"][0] == "murrough2013b")
    assert got[-2] == round(-murrough["effect"], 2)
    assert demo.description.startswith("Illustrative model:")
