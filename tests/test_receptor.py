"""The receptor model: published equations, the trapping scheme's facts, and clear errors."""

import dataclasses
import math
import re
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketamine_course import data, receptor
from ketamine_course.receptor import (
    AFFINITIES,
    ANTIDEPRESSANT_PEAK_UM,
    BLOCKERS,
    NMDA_GATING,
    mg_unblocked_fraction,
    ng_per_ml_to_um,
    nmda_current_pa,
    occupancy,
    simulate_block,
)

from .conftest import DATA


def _at(trace, t_s):
    """Index of the sample at time ``t_s``."""
    i = int(round(t_s / (trace.time_s[1] - trace.time_s[0])))
    assert trace.time_s[i] == pytest.approx(t_s)
    return i


# ---------------------------------------------------------------------------
# Mg2+ block: Jahr & Stevens (1990)
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("voltage_mv, expected", [
    # 1 / (1 + 1/3.57 * exp(-0.062 V)), worked by hand with 1 mM Mg2+
    (-80.0, 0.02442),   # exp(4.96) = 142.59  -> 1 / (1 + 39.94)
    (-40.0, 0.2302),    # exp(2.48) = 11.941  -> 1 / (1 + 3.345)
    (0.0, 0.7812),      # 1 / (1 + 1/3.57)
])
def test_mg_block_matches_the_published_equation(voltage_mv, expected):
    assert mg_unblocked_fraction(voltage_mv, 1.0) == pytest.approx(expected, rel=5e-4)


def test_mg_block_constants_are_jahr_stevens():
    assert receptor.JAHR_STEVENS_MG_MM == 3.57
    assert receptor.JAHR_STEVENS_PER_MV == 0.062
    assert receptor.JAHR_STEVENS_SOURCE == "jahr1990"


def test_mg_block_vanishes_without_mg():
    assert mg_unblocked_fraction(-80.0, 0.0) == 1.0
    assert mg_unblocked_fraction(-80.0, 1e-6) == pytest.approx(1.0, abs=1e-4)
    fractions = [mg_unblocked_fraction(-80.0, mg) for mg in (1.0, 0.1, 0.01, 0.001)]
    assert fractions == sorted(fractions)


def test_scalar_in_float_out_array_in_array_out():
    assert type(mg_unblocked_fraction(-70.0)) is float
    assert type(nmda_current_pa(-70.0)) is float
    assert type(occupancy(0.5, 0.5)) is float
    volts = np.linspace(-100, 40, 8)
    out = mg_unblocked_fraction(volts, 1.0)
    assert isinstance(out, np.ndarray) and out.shape == (8,)
    assert mg_unblocked_fraction([-80.0, 0.0]) == pytest.approx([0.02442, 0.7812], rel=5e-4)
    assert nmda_current_pa(volts).shape == (8,)
    assert occupancy([0.0, 0.5], 0.5) == pytest.approx([0.0, 0.5])


# ---------------------------------------------------------------------------
# The channel: coincidence detection
# ---------------------------------------------------------------------------
def test_no_current_without_both_agonists():
    for glutamate, glycine in [(False, True), (True, False), (False, False)]:
        assert nmda_current_pa(-20.0, glutamate=glutamate, glycine=glycine) == 0.0
        assert np.all(nmda_current_pa(np.linspace(-100, 40, 15), glutamate=glutamate,
                                      glycine=glycine) == 0.0)
    assert nmda_current_pa(-20.0) < 0.0


def test_mg_silences_the_channel_at_rest_relative_to_driving_force():
    def conductance_ns(v):
        return nmda_current_pa(v, mg_mm=1.0) / (v - 0.0)

    # B(-70) = 1 / (1 + 76.71/3.57) = 0.04447, B(-20) = 0.5081: 11x less at rest.
    assert conductance_ns(-70.0) == pytest.approx(0.04447, rel=5e-4)
    assert conductance_ns(-20.0) == pytest.approx(0.5081, rel=5e-4)
    assert conductance_ns(-70.0) / conductance_ns(-20.0) < 0.1
    # Without Mg2+ the conductance does not depend on voltage.
    assert nmda_current_pa(-70.0, mg_mm=0.0) / -70.0 == pytest.approx(1.0)


def test_current_sign_units_and_blocker():
    # 10 nS, -70 mV, no Mg2+: 10 nS * (-70 mV) = -700 pA, inward.
    assert nmda_current_pa(-70.0, mg_mm=0.0, g_max_ns=10.0) == pytest.approx(-700.0)
    assert nmda_current_pa(40.0, mg_mm=1.0) > 0.0          # outward above E_rev
    assert nmda_current_pa(0.0) == 0.0                      # no driving force
    full = nmda_current_pa(-40.0)
    assert nmda_current_pa(-40.0, blocker_occupancy=0.6) == pytest.approx(0.4 * full)
    assert nmda_current_pa(-40.0, blocker_occupancy=1.0) == 0.0


# ---------------------------------------------------------------------------
# Binding at equilibrium
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(AFFINITIES))
def test_occupancy_is_half_at_the_ki(name):
    ki = AFFINITIES[name].ki_um
    assert occupancy(ki, ki) == pytest.approx(0.5)
    assert occupancy(ki, ki, hill=2.5) == pytest.approx(0.5)


def test_affinities_are_ebert_1997():
    s, r, rac = AFFINITIES["esketamine (S)"], AFFINITIES["arketamine (R)"], AFFINITIES["racemic ketamine"]
    assert (s.ki_um, r.ki_um, rac.ki_um) == (0.3, 1.4, 0.5)
    assert 3.0 <= r.ki_um / s.ki_um <= 5.0          # S is the more potent form
    assert s.ki_um < rac.ki_um < r.ki_um
    assert occupancy(1.0, s.ki_um) > occupancy(1.0, r.ki_um)
    assert rac.status == "unconfirmed" and "unconfirmed" in rac.note.lower()
    assert all(a.source == "ebert1997" and "MK-801" in a.population for a in AFFINITIES.values())


def test_hill_equation_values():
    assert occupancy(0.0, 0.5) == 0.0
    assert occupancy(1.0, 0.5) == pytest.approx(2.0 / 3.0)
    assert occupancy(1.0, 0.5, hill=2.0) == pytest.approx(0.8)
    assert occupancy(1000.0, 1e-3) == pytest.approx(1.0)


def test_antidepressant_peak_concentration():
    assert receptor.KETAMINE_MW_G_PER_MOL == 237.73
    assert ng_per_ml_to_um(185.0) == pytest.approx(0.7782, rel=1e-3)
    assert ng_per_ml_to_um(185.0) == pytest.approx(ANTIDEPRESSANT_PEAK_UM, abs=0.005)
    assert ng_per_ml_to_um(237.73) == pytest.approx(1.0)
    assert ng_per_ml_to_um(100.0, mw_g_per_mol=200.0) == pytest.approx(0.5)
    # At that peak, racemic ketamine occupies ~61 % of sites by the binding constant.
    assert occupancy(ANTIDEPRESSANT_PEAK_UM, AFFINITIES["racemic ketamine"].ki_um) == pytest.approx(0.609, abs=1e-3)


def test_every_parameter_set_cites_a_usable_reference():
    bib = (DATA / "references.bib").read_text(encoding="utf-8")
    keys = data.reference_keys()
    sets = [*AFFINITIES.values(), *BLOCKERS.values(), receptor.NMDA_GATING]
    cited = {k.strip() for p in sets for k in p.source.split(";")}
    cited |= {receptor.JAHR_STEVENS_SOURCE, receptor.ANTIDEPRESSANT_PEAK_SOURCE}
    assert {"jahr1990", "ebert1997", "blanpied1997", "kotermanski2009", "zanos2018",
            "traynelis2010"} <= cited
    for key in cited:
        assert key in keys, key
        body = re.search(rf"@\w+\s*\{{\s*{key}\s*,(.*?)\n\}}", bib, flags=re.S).group(1)
        assert "NOT CONFIRMED" not in body, key
    for p in sets:
        assert p.status in receptor.STATUSES and p.note


def test_blocker_parameters_keep_the_published_contrasts():
    ket, mem, mg = BLOCKERS["ketamine"], BLOCKERS["memantine"], BLOCKERS["Mg2+"]
    assert all(b.status == "illustrative" for b in BLOCKERS.values())
    assert ket.trapping_fraction == 1.0
    assert 0.0 < mem.trapping_fraction < 1.0
    assert mg.trapping_fraction == 0.0 and mg.voltage_dependent
    assert not ket.voltage_dependent and not mem.voltage_dependent
    # Same binding kinetics (Kotermanski & Johnson: similar affinity and kinetics); trapping differs.
    assert ket.k_off_per_s == mem.k_off_per_s < mg.k_off_per_s and ket.kd_um == mem.kd_um
    assert ket.kd_um == pytest.approx(AFFINITIES["racemic ketamine"].ki_um)
    # k_off / k_on of Mg2+ is the Jahr-Stevens 3.57 mM (in uM) at 0 mV.
    assert mg.kd_um == pytest.approx(3570.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ket.k_off_per_s = 0.0


# ---------------------------------------------------------------------------
# The trapping scheme
# ---------------------------------------------------------------------------
def test_trace_shape_and_start():
    trace = simulate_block("ketamine", 0.78)
    assert trace.time_s[0] == 0.0 and trace.time_s[-1] == pytest.approx(60.0)
    assert np.allclose(np.diff(trace.time_s), 0.05)
    assert (trace.c[0], trace.o[0], trace.ob[0], trace.cb[0]) == (1.0, 0.0, 0.0, 0.0)
    assert set(trace.fractions) == {"C", "O", "OB", "CB"}
    assert np.array_equal(trace.blocked, trace.ob + trace.cb)
    assert not trace.c.flags.writeable
    assert trace.blocker == "ketamine" and simulate_block("KETAMINE", 0.78, duration_s=1).blocker == "ketamine"


def test_block_is_use_dependent():
    silent = simulate_block("ketamine", ANTIDEPRESSANT_PEAK_UM, pulse_hz=0.0)
    assert np.max(silent.blocked) < 1e-12                     # closed channels cannot be blocked
    active = simulate_block("ketamine", ANTIDEPRESSANT_PEAK_UM, pulse_hz=1.0)
    assert active.blocked[-1] > 0.3
    assert np.all(np.diff(active.blocked) > -1e-12)            # builds, never drops
    busy = simulate_block("ketamine", ANTIDEPRESSANT_PEAK_UM, pulse_hz=10.0, duration_s=10.0)
    assert busy.blocked[-1] > active.blocked[_at(active, 10.0)]  # more activity, faster block


def test_full_trapping_reaches_the_binding_equilibrium_at_any_rate():
    kd = BLOCKERS["ketamine"].kd_um
    continuous = simulate_block("ketamine", kd, pulse_hz=1.0, pulse_ms=1000.0, duration_s=10.0)
    pulsed = simulate_block("ketamine", kd, pulse_hz=1.0, duration_s=300.0)
    assert continuous.blocked[-1] == pytest.approx(occupancy(kd, kd), abs=1e-3)
    assert pulsed.blocked[-1] == pytest.approx(occupancy(kd, kd), abs=1e-3)


def test_ketamine_is_trapped_until_channels_reopen():
    kw = dict(blocker="ketamine", concentration_um=ANTIDEPRESSANT_PEAK_UM, washout_s=30.0)
    quiet = simulate_block(**kw, agonist_after_washout=False)
    at_washout = quiet.blocked[_at(quiet, 30.0)]
    assert at_washout > 0.3
    assert quiet.blocked[-1] == pytest.approx(at_washout, rel=0.02)   # 30 s later, still blocked
    active = simulate_block(**kw, agonist_after_washout=True)
    assert active.blocked[_at(active, 30.0)] == pytest.approx(at_washout)
    assert active.blocked[-1] < 0.75 * at_washout                     # reopening lets it out
    assert np.all(np.diff(active.blocked[_at(active, 30.0):]) < 1e-12)


def test_memantine_is_only_partly_trapped():
    # Blanpied 1997 protocol: steady block under agonist, then wash off drug and agonist.
    kw = dict(concentration_um=10.0, pulse_hz=1.0, pulse_ms=1000.0, duration_s=20.0,
              washout_s=10.0, agonist_after_washout=False)
    released = {}
    for name in ("memantine", "ketamine"):
        trace = simulate_block(name, **kw)
        before = trace.blocked[_at(trace, 10.0)]
        released[name] = 1.0 - trace.blocked[-1] / before
        assert trace.blocked[-1] == pytest.approx(trace.blocked[_at(trace, 15.0)], abs=1e-6)  # settled
    assert 0.10 < released["memantine"] < 0.25         # about one-sixth escapes
    assert released["ketamine"] < 0.05                 # nearly all trapped
    assert released["memantine"] > 3 * released["ketamine"]


def test_mg_block_is_fast_voltage_dependent_and_not_trapped():
    kw = dict(concentration_um=1000.0, pulse_hz=1.0, pulse_ms=1000.0, duration_s=0.05, dt_s=1e-4)
    final = {}
    for v in (-80.0, -20.0):
        trace = simulate_block("Mg2+", voltage_mv=v, **kw)
        ratio = trace.open_blocked_fraction
        assert np.isnan(ratio[0])                                   # nothing open yet
        # Steady within a few ms; what lags is the opening of new, unblocked channels.
        assert ratio[_at(trace, 0.005)] == pytest.approx(ratio[-1], rel=0.01)
        assert ratio[-1] == pytest.approx(1.0 - mg_unblocked_fraction(v, 1.0), abs=0.005)
        final[v] = ratio[-1]
    assert final[-80.0] > final[-20.0] + 0.4
    washed = simulate_block("Mg2+", voltage_mv=-80.0, washout_s=0.03, **kw)
    assert washed.blocked[_at(washed, 0.029)] > 0.5
    assert washed.blocked[_at(washed, 0.031)] < 1e-3                # gone within 1 ms
    closed = simulate_block("Mg2+", voltage_mv=-80.0, washout_s=0.02,
                            agonist_after_washout=False, **{**kw, "duration_s": 1.0, "dt_s": 1e-3})
    assert closed.blocked[-1] < 1e-6                                # never trapped


def test_a_minute_of_pulses_needs_few_decompositions():
    """One eigendecomposition per rate matrix, however many step lengths (`make bench` times it)."""
    before = receptor._eigen_decomposition.cache_info()
    expm_before = receptor._transition_matrix.cache_info()
    # 4.75 Hz against a 50 ms grid: about 250 distinct step lengths.
    simulate_block("ketamine", 0.63, pulse_hz=4.75, washout_s=30.0)   # a protocol not used elsewhere
    after = receptor._eigen_decomposition.cache_info()
    assert after.misses - before.misses <= 4                        # agonist on/off x drug on/off
    assert receptor._transition_matrix.cache_info().misses == expm_before.misses   # no expm fallback


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(sorted(BLOCKERS)), fraction=st.floats(0.0, 1.0),
       voltage=st.floats(-120.0, 60.0), agonist=st.booleans(),
       steps=st.lists(st.integers(1, 60_000_000_000), min_size=1, max_size=5))
def test_transition_matrices_equal_the_matrix_exponential(name, fraction, voltage, agonist, steps):
    """The eigendecomposition gives expm(Q t) for every step, stiff Mg2+ included."""
    kin = BLOCKERS[name]
    top = 10_000.0 if name == "Mg2+" else 1000.0
    entry = kin.k_on_per_um_s * (math.exp(-receptor.JAHR_STEVENS_PER_MV * voltage) if kin.voltage_dependent else 1.0)
    args = (NMDA_GATING.open_per_s, NMDA_GATING.close_per_s, kin.k_off_per_s, kin.trapping_fraction,
            entry * fraction * top, agonist)
    got = receptor._transition_matrices(*args, steps)
    for step, m in zip(steps, got):
        assert np.allclose(m, receptor._transition_matrix(*args, step), rtol=0, atol=1e-7)
        assert np.allclose(m.sum(axis=1), 1.0) and (m >= 0).all()


def test_an_ill_conditioned_decomposition_falls_back_to_expm(monkeypatch):
    """A nearly defective Q is not decomposed: every step comes from expm itself."""
    kin = BLOCKERS["ketamine"]
    args = (NMDA_GATING.open_per_s, NMDA_GATING.close_per_s, kin.k_off_per_s, kin.trapping_fraction, 3.0, True)
    monkeypatch.setattr(receptor, "EIGEN_CONDITION_MAX", 0.0)
    receptor._eigen_decomposition.cache_clear()
    try:
        assert receptor._eigen_decomposition(*args) is None
        got = receptor._transition_matrices(*args, [1_000, 5_000_000_000])
    finally:
        receptor._eigen_decomposition.cache_clear()
    assert np.array_equal(got, np.stack([receptor._transition_matrix(*args, 1_000),
                                         receptor._transition_matrix(*args, 5_000_000_000)]))


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------
@st.composite
def protocols(draw):
    name = draw(st.sampled_from(sorted(BLOCKERS)))
    top = 10_000.0 if name == "Mg2+" else 1000.0
    hz = draw(st.one_of(st.just(0.0), st.floats(0.1, 100.0)))
    period_ms = 1000.0 / hz if hz else 1000.0
    duration = draw(st.floats(0.01, 2.0))
    washout = draw(st.one_of(st.none(), st.floats(0.0, 1.0).map(lambda f: f * duration)))
    return dict(
        blocker=name,
        concentration_um=draw(st.floats(0.0, top)),
        pulse_hz=hz,
        pulse_ms=draw(st.floats(0.01, min(period_ms, 1000.0))),
        duration_s=duration,
        washout_s=washout,
        agonist_after_washout=draw(st.booleans()),
        voltage_mv=draw(st.floats(-120.0, 60.0)),
    )


@settings(max_examples=25, deadline=None)
@given(protocols())
def test_state_fractions_are_probabilities(kwargs):
    trace = simulate_block(**kwargs)
    states = np.stack([trace.c, trace.o, trace.ob, trace.cb])
    assert np.all(np.isfinite(states))
    assert np.all((states >= 0.0) & (states <= 1.0))
    assert np.allclose(states.sum(axis=0), 1.0, rtol=0, atol=1e-9)
    assert np.all((trace.blocked >= 0.0) & (trace.blocked <= 1.0))


@settings(max_examples=60, deadline=None)
@given(mg_mm=st.floats(0.0, 10.0, exclude_min=True),
       v1=st.floats(-120.0, 60.0), v2=st.floats(-120.0, 60.0))
def test_depolarisation_relieves_mg_block(mg_mm, v1, v2):
    low, high = sorted((v1, v2))
    assert mg_unblocked_fraction(low, mg_mm) <= mg_unblocked_fraction(high, mg_mm)
    grid = mg_unblocked_fraction(np.linspace(-120.0, 60.0, 181), mg_mm)
    assert np.all(np.diff(grid) >= 0.0)
    assert np.all((grid > 0.0) & (grid <= 1.0))
    if mg_mm >= 1e-6:
        assert np.all(np.diff(grid) > 0.0)


@settings(max_examples=60, deadline=None)
@given(c=st.floats(0.0, 1000.0), ki=st.floats(1e-3, 100.0), hill=st.floats(0.1, 5.0))
def test_occupancy_is_a_fraction(c, ki, hill):
    value = occupancy(c, ki, hill)
    assert 0.0 <= value <= 1.0
    assert occupancy(min(c * 2, 1000.0), ki, hill) >= value


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------
NAN, INF = float("nan"), float("inf")


@pytest.mark.parametrize("call, message", [
    (lambda: occupancy(-1.0, 0.5), r"concentration_um \(uM\) must be between 0 and 1000 uM; got -1"),
    (lambda: occupancy(NAN, 0.5), r"concentration_um \(uM\) must be finite and between 0 and 1000 uM; got nan"),
    (lambda: occupancy([0.1, INF], 0.5), r"concentration_um .* uM; got inf at index 1"),
    (lambda: occupancy("lots", 0.5), r"concentration_um \(uM\) must be a number between 0 and 1000 uM"),
    (lambda: occupancy(1.0, 0.0), r"ki_um \(uM\) must be greater than 0 uM; got 0"),
    (lambda: occupancy(1.0, 0.5, hill=10.0), r"hill \(dimensionless\) must be between 0.1 and 5"),
    (lambda: mg_unblocked_fraction(NAN), r"voltage_mv \(mV\) must be finite and between -120 and 60 mV; got nan"),
    (lambda: mg_unblocked_fraction(80.0), r"voltage_mv \(mV\) must be between -120 and 60 mV; got 80"),
    (lambda: mg_unblocked_fraction(-70.0, -1.0), r"mg_mm \(mM\) must be between 0 and 10 mM; got -1"),
    (lambda: nmda_current_pa(-200.0), r"voltage_mv \(mV\) must be between -120 and 60 mV; got -200"),
    (lambda: nmda_current_pa(-70.0, glutamate="yes"), r"glutamate must be True or False"),
    (lambda: nmda_current_pa(-70.0, blocker_occupancy=1.5), r"blocker_occupancy \(fraction\) must be between 0 and 1"),
    (lambda: nmda_current_pa(-70.0, g_max_ns=-1.0), r"g_max_ns \(nS\) must be between 0 and 10000 nS"),
    (lambda: ng_per_ml_to_um(-5.0), r"c \(ng/mL\) must be between 0 and 100000 ng/mL"),
    (lambda: simulate_block("ketamine", -0.1), r"concentration_um \(uM\) must be between 0 and 1000 uM; got -0.1"),
    (lambda: simulate_block("ketamine", NAN), r"concentration_um \(uM\) must be finite and between 0 and 1000 uM; got nan"),
    (lambda: simulate_block("Mg2+", 20_000.0), r"concentration_um \(uM\) must be between 0 and 10000 uM"),
    (lambda: simulate_block("ketamine", 1.0, voltage_mv=-130.0), r"voltage_mv \(mV\) must be between -120 and 60 mV"),
    (lambda: simulate_block("ketamine", 1.0, voltage_mv=INF), r"voltage_mv .* mV; got inf"),
    (lambda: simulate_block("lidocaine", 1.0), r"blocker must be one of 'ketamine', 'memantine', 'Mg2\+'"),
    (lambda: simulate_block("ketamine", 1.0, pulse_hz=200.0), r"pulse_hz \(Hz\) must be between 0 and 100 Hz"),
    (lambda: simulate_block("ketamine", 1.0, pulse_hz=2.0, pulse_ms=600.0), r"pulse_ms \(ms\) must be .* 500 ms"),
    (lambda: simulate_block("ketamine", 1.0, duration_s=0.0), r"duration_s \(s\) must be greater than 0 and at most 3600 s"),
    (lambda: simulate_block("ketamine", 1.0, duration_s=4000.0), r"duration_s \(s\) must be .* 3600 s; got 4000"),
    (lambda: simulate_block("ketamine", 1.0, washout_s=70.0), r"washout_s \(s\) must be between 0 and 60 s; got 70"),
    (lambda: simulate_block("ketamine", 1.0, dt_s=1e-9), r"dt_s \(s\) must be between 1e-06 and 60 s"),
    (lambda: simulate_block("ketamine", 1.0, duration_s=3600.0, dt_s=1e-5), r"dt_s \(s\) must be at least .* s"),
    (lambda: simulate_block("ketamine", 1.0, agonist_after_washout=None),
     r"agonist_after_washout must be True or False"),
    (lambda: dataclasses.replace(BLOCKERS["ketamine"], trapping_fraction=1.5),
     r"trapping_fraction \(fraction\) must be between 0 and 1"),
])
def test_bad_input_names_parameter_unit_and_range(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ---------------------------------------------------------------------------
# Housekeeping
# ---------------------------------------------------------------------------
def test_import_stays_light():
    code = ("import sys, ketamine_course.receptor; "
            "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'scipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
