"""One wording for bad input: parameter, unit, allowed range or choices, and the value."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketamine_course import checks, units


@pytest.mark.parametrize("kwargs, text", [
    (dict(low=0, high=1, unit="mV"), "between 0 and 1 mV"),
    (dict(low=0, high=1, unit="fraction"), "between 0 and 1"),
    (dict(low=0, unit="min", low_open=True), "greater than 0 min"),
    (dict(low=0, high=480, unit="min", low_open=True), "greater than 0 and at most 480 min"),
    (dict(high=5, unit="s"), "at most 5 s"),
    (dict(low=0, high=0, unit="min"), "exactly 0 min"),
    (dict(low=0, high=math.inf, unit="uM", low_open=True), "greater than 0 uM"),
])
def test_range_text(kwargs, text):
    assert checks.range_text(**kwargs) == text


@pytest.mark.parametrize("value, message", [
    (-1.0, "x (mV) must be between 0 and 10 mV; got -1"),
    (float("nan"), "x (mV) must be finite and between 0 and 10 mV; got nan"),
    ("3", "x (mV) must be a number between 0 and 10 mV; got '3'"),
    (True, "x (mV) must be a number between 0 and 10 mV; got True"),
    ([1.0, 11.0], "x (mV) must be between 0 and 10 mV; got 11 at index 1"),
])
def test_one_wording_for_every_bad_value(value, message):
    with pytest.raises(ValueError) as info:
        checks.array(value, "x", "mV", 0.0, 10.0) if isinstance(value, list) else checks.number(value, "x", "mV", 0.0, 10.0)
    assert str(info.value) == message


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6))
def test_number_accepts_exactly_the_closed_range(x):
    inside = 0.0 <= x <= 10.0
    try:
        assert checks.number(x, "x", "mV", 0.0, 10.0) == x and inside
    except ValueError:
        assert not inside


def test_choice_and_flag_and_status():
    assert checks.choice(56, "dose_mg", (28, 56, 84), unit="mg") == 56
    with pytest.raises(ValueError, match=r"^dose_mg \(mg\) must be one of 28, 56, 84 mg; got 42$"):
        checks.choice(42, "dose_mg", (28, 56, 84), unit="mg")
    with pytest.raises(ValueError, match=r"^glutamate must be True or False \(bound\?\); got 1$"):
        checks.flag(1, "glutamate", "bound?")
    assert checks.flag(np.bool_(True), "glutamate", "bound?") is True
    with pytest.raises(ValueError, match="status must be one of confirmed, secondary"):
        checks.status("probably", "status", checks.statuses("confirmed", "secondary"))
    with pytest.raises(ValueError, match="got 'probably'"):
        checks.statuses("confirmed", "probably")


@pytest.mark.parametrize("typed, value", [
    ("0.78", 0.78), (" 0,78 ", 0.78), ("185 ng/mL", 185.0), (3, 3.0), ("abc", None), ("", None),
    (None, None), (float("nan"), None), ("inf", None), (True, None),
])
def test_parse_number(typed, value):
    assert checks.parse_number(typed) == value


def test_units_are_named_once_with_their_values():
    # 13 C + 16 H + Cl + N + O with standard atomic weights
    assert units.MW_KETAMINE_G_PER_MOL == pytest.approx(13 * 12.011 + 16 * 1.008 + 35.45 + 14.007 + 15.999,
                                                        abs=0.005)
    assert units.PROTOCOL_PEAK_NG_PER_ML == 185.0 and units.PROTOCOL_PEAK_SOURCE == "zanos2018"
    assert units.PROTOCOL_PEAK_UM == 0.78
    assert units.ng_per_ml_to_um([0.0, 237.73]) == pytest.approx([0.0, 1.0])
    from ketamine_course import pk, receptor

    assert pk.ng_per_ml_to_um is units.ng_per_ml_to_um is receptor.ng_per_ml_to_um
    assert pk.MW_KETAMINE_G_PER_MOL == receptor.KETAMINE_MW_G_PER_MOL == units.MW_KETAMINE_G_PER_MOL
