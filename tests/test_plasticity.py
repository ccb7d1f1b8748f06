"""The plasticity models show what the course says they show, quickly and safely.

1. Disinhibition: moderate NMDA block raises pyramidal firing, near-complete
   block lowers it below baseline (moghaddam1997; homayoun2007).
2. Spines sustain, not start, the effect of one dose (li2010; modasava2019).
"""

import dataclasses
import math
import re
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketamine_course import data, plasticity
from ketamine_course.plasticity import (
    DEFAULT_EI,
    DEFAULT_SPINES,
    EIParameters,
    EITrace,
    SpineTimeCourse,
    antidepressant_effect,
    output_vs_block,
    simulate_ei,
    spine_density,
    steady_state_rates,
)

BLOCKS = np.linspace(0.0, 1.0, 101)
FAST = settings(max_examples=60, deadline=None)


# ---------------------------------------------------------------------------
# Parameter sets
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("params", [DEFAULT_EI, DEFAULT_SPINES], ids=["ei", "spines"])
def test_parameter_sets_are_illustrative_frozen_and_cite_known_sources(params):
    assert params.status == "illustrative"
    assert "not fitted" in params.note.lower()
    keys = set(params.source.split(";"))
    assert keys <= data.reference_keys()
    with pytest.raises(dataclasses.FrozenInstanceError):
        params.status = "fitted"


def test_parameter_sources_are_the_papers_behind_each_model():
    assert set(DEFAULT_EI.source.split(";")) == {"moghaddam1997", "homayoun2007"}
    assert set(DEFAULT_SPINES.source.split(";")) == {"li2010", "modasava2019"}


def test_interneurons_depend_more_on_nmda_receptors():
    assert DEFAULT_EI.nmda_fraction_i > DEFAULT_EI.nmda_fraction_e


@pytest.mark.parametrize("change, message", [
    ({"tau_e_ms": 0.0}, "EIParameters.tau_e_ms (ms) must be greater than 0 ms; got 0"),
    ({"nmda_fraction_i": 1.2}, "EIParameters.nmda_fraction_i (fraction) must be between 0 and 1; got 1.2"),
    ({"w_e_from_i": -1.0}, "EIParameters.w_e_from_i (dimensionless) must be at least 0; got -1"),
    ({"drive_e_hz": float("nan")}, "drive_e_hz must be finite"),
])
def test_bad_ei_parameters_are_rejected(change, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        dataclasses.replace(DEFAULT_EI, **change)


@pytest.mark.parametrize("change, fragment", [
    ({"spine_decay_days": 0.1}, "spine_decay_days (days)"),
    ({"fast_weight": 0.8}, "fast_weight + spine_weight"),
    ({"peak_extra_spine_fraction": 0.0}, "peak_extra_spine_fraction"),
    ({"spine_lag_days": -1.0}, "SpineTimeCourse.spine_lag_days (days) must be at least 0 days; got -1"),
])
def test_bad_spine_parameters_are_rejected(change, fragment):
    with pytest.raises(ValueError) as info:
        dataclasses.replace(DEFAULT_SPINES, **change)
    assert fragment in str(info.value)


# ---------------------------------------------------------------------------
# 1. Disinhibition
# ---------------------------------------------------------------------------

def test_baseline_rates_are_positive_finite_and_plausible():
    e_hz, i_hz = steady_state_rates(0.0)
    assert isinstance(e_hz, float) and isinstance(i_hz, float)
    assert math.isfinite(e_hz) and math.isfinite(i_hz)
    assert e_hz > 0 and i_hz > 0
    # Regression values for the illustrative set (spikes/s).
    assert e_hz == pytest.approx(4.834, abs=1e-3)
    assert i_hz == pytest.approx(19.634, abs=1e-3)
    assert i_hz > e_hz, "fast-spiking interneurons fire faster than pyramidal cells"


def test_moderate_block_raises_pyramidal_output_by_at_least_20_percent():
    base = output_vs_block([0.0])[0]
    moderate = output_vs_block([0.4])[0]
    assert moderate >= 1.2 * base
    assert moderate == pytest.approx(6.689, abs=1e-3)


def test_near_complete_block_lowers_pyramidal_output_below_baseline():
    base, high = output_vs_block([0.0, 0.95])
    assert high < base
    assert high == pytest.approx(3.436, abs=1e-3)


def test_output_is_an_inverted_u_with_its_peak_at_moderate_block():
    rates = output_vs_block(BLOCKS)
    peak = BLOCKS[np.argmax(rates)]
    assert 0.2 <= peak <= 0.7
    assert 0.3 <= peak <= 0.6, "the design target for a clear figure"
    # rises up to the peak, falls after it
    assert np.all(np.diff(rates[BLOCKS <= peak]) > 0)
    assert np.all(np.diff(rates[BLOCKS >= peak]) < 0)
    # falls below baseline somewhere between 0.7 and 0.9
    below = BLOCKS[(BLOCKS > peak) & (rates < rates[0])]
    assert 0.7 <= below[0] <= 0.9


def test_interneuron_rate_falls_monotonically_with_block():
    _, i_hz = steady_state_rates(BLOCKS)
    assert np.all(np.diff(i_hz) < 0)
    assert i_hz[-1] < 0.1 * i_hz[0], "a full block nearly silences the interneurons"


def test_steady_state_is_vectorised_and_matches_scalar_calls():
    grid = np.array([[0.0, 0.3], [0.6, 1.0]])
    e_hz, i_hz = steady_state_rates(grid)
    assert e_hz.shape == i_hz.shape == (2, 2)
    for b, e, i in zip(grid.flat, e_hz.flat, i_hz.flat):
        assert (e, i) == pytest.approx(steady_state_rates(float(b)), rel=1e-9)
    assert output_vs_block(grid).shape == (2, 2)
    assert output_vs_block(np.array([])).shape == (0,)


@pytest.mark.parametrize("block", [0.3, 0.9])
def test_steady_state_is_the_only_fixed_point(block):
    """Scan the pyramidal rate: the fixed-point equation changes sign exactly once."""
    p = DEFAULT_EI
    e_hz = np.linspace(0.0, p.max_rate_hz, 4001)
    low, high = np.zeros_like(e_hz), np.full_like(e_hz, p.max_rate_hz)
    for _ in range(60):  # interneuron rate that balances each pyramidal rate
        mid = 0.5 * (low + high)
        x_i = (1 - p.nmda_fraction_i * block) * (p.w_i_from_e * e_hz + p.drive_i_hz) \
            - p.w_i_from_i * mid
        target = p.max_rate_hz / (1 + np.exp(-p.gain_i_per_hz * (x_i - p.threshold_i_hz)))
        low, high = np.where(target > mid, mid, low), np.where(target > mid, high, mid)
    x_e = (1 - p.nmda_fraction_e * block) * (p.w_e_from_e * e_hz + p.drive_e_hz) \
        - p.w_e_from_i * 0.5 * (low + high)
    mismatch = p.max_rate_hz / (1 + np.exp(-p.gain_e_per_hz * (x_e - p.threshold_e_hz))) - e_hz
    crossings = np.nonzero(np.diff(np.sign(mismatch)))[0]
    assert len(crossings) == 1
    assert e_hz[crossings[0]] == pytest.approx(steady_state_rates(block)[0], abs=0.05)


@pytest.mark.parametrize("block", [0.0, 0.2, 0.4, 0.7, 0.95, 1.0])
def test_simulation_converges_to_the_steady_state(block):
    trace = simulate_ei(block, duration_ms=1000.0, block_onset_ms=200.0, dt_ms=0.5)
    e_ss, i_ss = steady_state_rates(block)
    assert trace.pyramidal_hz[-1] == pytest.approx(e_ss, rel=0.01)
    assert trace.interneuron_hz[-1] == pytest.approx(i_ss, rel=0.01)


def test_simulation_starts_at_baseline_and_holds_it_until_onset():
    trace = simulate_ei(0.5, duration_ms=400.0, block_onset_ms=100.0, dt_ms=0.5)
    assert isinstance(trace, EITrace)
    assert trace.time_ms[0] == 0.0 and trace.time_ms[-1] == 400.0
    assert len(trace.time_ms) == len(trace.pyramidal_hz) == len(trace.interneuron_hz) == 801
    assert np.allclose(np.diff(trace.time_ms), 0.5)
    e0, i0 = steady_state_rates(0.0)
    before = trace.time_ms <= 100.0
    assert np.allclose(trace.pyramidal_hz[before], e0, rtol=1e-9)
    assert np.allclose(trace.interneuron_hz[before], i0, rtol=1e-9)
    assert trace.interneuron_hz[-1] < 0.5 * i0


def test_step_is_shrunk_so_the_trace_ends_at_the_duration():
    trace = simulate_ei(0.4, duration_ms=10.0, block_onset_ms=0.0, dt_ms=3.0)
    assert trace.time_ms.tolist() == pytest.approx([0.0, 2.5, 5.0, 7.5, 10.0])


def test_trace_arrays_are_read_only():
    trace = simulate_ei(0.4, duration_ms=50.0, block_onset_ms=10.0)
    with pytest.raises(ValueError):
        trace.pyramidal_hz[0] = 0.0


def test_interneurons_fall_before_pyramidal_cells_rise():
    """Homayoun & Moghaddam 2007: the pyramidal increase comes with a delay."""
    trace = simulate_ei(0.4, duration_ms=600.0, block_onset_ms=100.0, dt_ms=0.1)

    def half_time(rate):
        change = np.abs(rate - rate[0])
        return trace.time_ms[np.argmax(change > 0.5 * abs(rate[-1] - rate[0]))]

    t_interneuron = half_time(trace.interneuron_hz) - 100.0
    t_pyramidal = half_time(trace.pyramidal_hz) - 100.0
    assert 0 < t_interneuron < 10.0
    assert t_pyramidal > 3 * t_interneuron
    assert trace.pyramidal_hz[-1] > trace.pyramidal_hz[0]


def test_large_steps_stay_stable():
    trace = simulate_ei(0.95, duration_ms=2000.0, dt_ms=5.0)
    assert np.all(np.isfinite(trace.pyramidal_hz)) and np.all(trace.pyramidal_hz > 0)
    assert trace.pyramidal_hz[-1] == pytest.approx(steady_state_rates(0.95)[0], rel=0.01)


def test_other_parameters_change_the_answer():
    """The rise comes from the interneurons' greater NMDA dependence: remove it and it goes."""
    no_nmda_bias = dataclasses.replace(DEFAULT_EI, nmda_fraction_i=DEFAULT_EI.nmda_fraction_e)
    rates = output_vs_block([0.0, 0.4], params=no_nmda_bias)
    assert rates[1] < rates[0], "without the interneurons' NMDA bias there is no rise"


# Strong recurrent excitation with feedback inhibition: damped oscillations when
# inhibition is fast (tau_i 5 ms), a limit cycle when it is slower (10 ms).
RINGING = dataclasses.replace(
    DEFAULT_EI, w_e_from_e=1.6, w_e_from_i=1.2, w_i_from_e=1.5, w_i_from_i=0.3,
    drive_e_hz=10.0, drive_i_hz=0.0, gain_e_per_hz=0.13, gain_i_per_hz=0.2,
    threshold_e_hz=20.0, threshold_i_hz=37.0)


def test_a_lightly_damped_network_still_finds_its_steady_state():
    e_hz, i_hz = steady_state_rates(0.0, params=RINGING)
    trace = simulate_ei(0.0, duration_ms=3000.0, dt_ms=0.5, params=RINGING)
    assert e_hz == pytest.approx(30.504, abs=1e-3)
    assert trace.pyramidal_hz[-1] == pytest.approx(e_hz, rel=0.01)
    assert trace.interneuron_hz[-1] == pytest.approx(i_hz, rel=0.01)


def test_a_network_that_never_settles_is_reported_not_hidden():
    oscillating = dataclasses.replace(RINGING, tau_i_ms=10.0)
    with pytest.raises(RuntimeError, match="did not settle"):
        steady_state_rates(0.0, params=oscillating)
    trace = simulate_ei(0.0, duration_ms=1000.0, dt_ms=0.5, params=oscillating)
    late = trace.pyramidal_hz[trace.time_ms > 500.0]
    assert late.max() - late.min() > 50.0, "the rates keep swinging"


@FAST
@given(st.floats(min_value=0.0, max_value=1.0))
def test_rates_are_finite_non_negative_and_below_max_for_any_block(block):
    e_hz, i_hz = steady_state_rates(block)
    for rate in (e_hz, i_hz):
        assert math.isfinite(rate)
        assert 0.0 <= rate < DEFAULT_EI.max_rate_hz


@settings(max_examples=15, deadline=None)
@given(st.floats(min_value=0.0, max_value=1.0))
def test_simulated_rates_stay_in_range_for_any_block(block):
    trace = simulate_ei(block, duration_ms=300.0, block_onset_ms=50.0, dt_ms=1.0)
    for rate in (trace.pyramidal_hz, trace.interneuron_hz):
        assert np.all(np.isfinite(rate))
        assert np.all((rate >= 0) & (rate < DEFAULT_EI.max_rate_hz))


# ---------------------------------------------------------------------------
# 2. Spines sustain, not start
# ---------------------------------------------------------------------------

def test_spine_density_starts_at_baseline():
    assert spine_density(0.0) == 1.0
    assert isinstance(spine_density(0.0), float)


def test_spines_peak_around_day_one_and_return_to_baseline():
    t = np.linspace(0.0, 21.0, 4201)
    density = spine_density(t)
    assert density.shape == t.shape
    peak_day = t[np.argmax(density)]
    assert 0.5 <= peak_day <= 3.0
    assert density.max() > 1.0
    assert density.max() == pytest.approx(1.0 + DEFAULT_SPINES.peak_extra_spine_fraction)
    assert peak_day == pytest.approx(DEFAULT_SPINES.spine_peak_days, abs=0.01)
    assert abs(spine_density(21.0) - 1.0) < 0.1
    assert np.all(density >= 1.0)


def test_effect_starts_within_hours_with_or_without_new_spines():
    for intact in (True, False):
        assert antidepressant_effect(0.0, spines_intact=intact) == 0.0
        assert antidepressant_effect(0.1, spines_intact=intact) > 0.0
        assert antidepressant_effect(2 / 24, spines_intact=intact) > 0.1


def test_removing_new_spines_does_not_prevent_the_start_but_shortens_the_effect():
    early = np.linspace(0.0, DEFAULT_SPINES.spine_lag_days, 20)
    assert np.array_equal(antidepressant_effect(early, True), antidepressant_effect(early, False))
    assert antidepressant_effect(7.0, spines_intact=False) < antidepressant_effect(7.0)
    t = np.linspace(0.0, 30.0, 3001)
    intact, ablated = antidepressant_effect(t, True), antidepressant_effect(t, False)
    assert np.all(ablated <= intact)

    def last_day_above(effect, level=0.1):
        return t[np.nonzero(effect > level)[0][-1]]

    assert last_day_above(ablated) < last_day_above(intact) - 2.0


def test_effect_is_between_0_and_1_on_a_grid():
    t = np.linspace(0.0, 60.0, 6001)
    for intact in (True, False):
        effect = antidepressant_effect(t, spines_intact=intact)
        assert effect.shape == t.shape
        assert np.all((effect >= 0.0) & (effect <= 1.0))
    assert antidepressant_effect(60.0) < 1e-3


@FAST
@given(st.floats(min_value=0.0, max_value=60.0), st.booleans())
def test_effect_is_in_unit_interval_for_any_time(t_days, intact):
    effect = antidepressant_effect(t_days, spines_intact=intact)
    assert 0.0 <= effect <= 1.0
    density = spine_density(t_days)
    assert 1.0 <= density <= 1.0 + DEFAULT_SPINES.peak_extra_spine_fraction + 1e-12


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("block", [1.5, -0.1, float("nan"), float("inf")])
@pytest.mark.parametrize("func", [steady_state_rates, output_vs_block, simulate_ei])
def test_bad_block_fraction_names_the_parameter_unit_and_range(func, block):
    with pytest.raises(ValueError) as info:
        func(block)
    message = str(info.value)
    assert "block_fraction" in message
    assert "(fraction of NMDA current blocked) must be" in message
    assert "between 0 and 1; got" in message


@pytest.mark.parametrize("kwargs, name, allowed", [
    ({"duration_ms": -5.0}, "duration_ms", "greater than 0 and at most 60000 ms"),
    ({"duration_ms": 0.0}, "duration_ms", "greater than 0 and at most 60000 ms"),
    ({"duration_ms": 60001.0}, "duration_ms", "greater than 0 and at most 60000 ms"),
    ({"duration_ms": float("nan")}, "duration_ms", "finite"),
    ({"dt_ms": 0.001}, "dt_ms", "between 0.01 and 5 ms"),
    ({"dt_ms": 10.0}, "dt_ms", "between 0.01 and 5 ms"),
    ({"dt_ms": float("inf")}, "dt_ms", "finite"),
    ({"block_onset_ms": -1.0}, "block_onset_ms", "between 0 and 1000 ms"),
    ({"block_onset_ms": 2000.0}, "block_onset_ms", "between 0 and 1000 ms"),
])
def test_bad_simulation_settings_name_the_parameter_unit_and_range(kwargs, name, allowed):
    with pytest.raises(ValueError) as info:
        simulate_ei(0.4, **kwargs)
    message = str(info.value)
    assert name in message and "(ms)" in message and allowed in message


def test_simulation_takes_one_block_fraction():
    with pytest.raises(ValueError, match="single number"):
        simulate_ei([0.2, 0.4])
    with pytest.raises(ValueError, match="block_fraction"):
        steady_state_rates("a lot")


@pytest.mark.parametrize("t_days", [-1.0, 61.0, float("nan"), [1.0, -0.5]])
@pytest.mark.parametrize("func", [spine_density, antidepressant_effect])
def test_bad_times_name_the_parameter_unit_and_range(func, t_days):
    with pytest.raises(ValueError) as info:
        func(t_days)
    message = str(info.value)
    assert "t_days" in message and "days" in message
    assert "between 0 and 60 days; got" in message


def test_module_needs_neither_matplotlib_nor_ipywidgets():
    code = ("import sys, ketamine_course.plasticity; "
            "print('matplotlib' in sys.modules, 'ipywidgets' in sys.modules, "
            "'scipy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["False", "False", "False"]


def test_public_api_is_listed():
    for name in plasticity.__all__:
        assert hasattr(plasticity, name), name
    assert {"simulate_ei", "steady_state_rates", "output_vs_block", "spine_density",
            "antidepressant_effect", "EIParameters", "EITrace",
            "SpineTimeCourse"} <= set(plasticity.__all__)
    assert isinstance(DEFAULT_EI, EIParameters) and isinstance(DEFAULT_SPINES, SpineTimeCourse)
