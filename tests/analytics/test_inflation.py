"""Inflation tension: the 5y5y forward, the real policy rate and the policy flags."""

import dataclasses
import math

import pandas as pd
import pytest

from analytics.inflation import (
    PolicyFlagThresholds,
    forward_5y5y,
    policy_flags,
    real_policy_rate,
)
from analytics.transforms import yoy_pct
from tests.conftest import snapshot_series


def days(values, start="2026-08-17"):
    return pd.Series(values, index=pd.date_range(start, periods=len(values), name="date"), dtype=float)


def test_forward_5y5y_by_hand():
    out = forward_5y5y(days([2.0, 2.3]), days([2.5, 2.3]))
    assert out.iloc[0] == pytest.approx(((1.025 ** 10 / 1.02 ** 5) ** 0.2 - 1) * 100)  # ≈ 3.0025
    assert out.iloc[1] == pytest.approx(2.3)  # flat breakevens → flat forward
    assert forward_5y5y(days([]), days([])).empty


def test_real_policy_rate_without_look_ahead():
    pce_yoy = pd.Series([3.0, 2.5], index=pd.DatetimeIndex(["2026-05-01", "2026-06-01"]))
    policy = pd.Series([3.63, 3.63, 3.63], index=pd.DatetimeIndex(["2026-06-15", "2026-07-15", "2026-08-20"]))
    out = real_policy_rate(policy, pce_yoy, lag_days=60)
    # 06-15: May's reading is public only from 06-30 → NaN; 07-15: May; 08-20: June.
    assert math.isnan(out.iloc[0])
    assert out.iloc[1:].tolist() == pytest.approx([0.63, 1.13])
    assert real_policy_rate(policy, pce_yoy, lag_days=0).tolist() == pytest.approx([1.13, 1.13, 1.13])


def test_real_policy_rate_on_the_snapshot():
    """EFFR minus the core PCE YoY known that day, by hand from the CSVs: on 2026-08-20 June 2026
    (public from 2026-07-31 under the 60-day lag), on 2026-07-30 still May 2026."""
    yoy = yoy_pct(snapshot_series("core_pce"))
    effr = snapshot_series("effr")
    out = real_policy_rate(effr, yoy)
    june, may = (130.266 / 126.121 - 1) * 100, (130.094 / 125.79 - 1) * 100  # PCEPILFE.csv
    assert effr["2026-08-20"] == 3.63
    assert out["2026-08-20"] == pytest.approx(3.63 - june, abs=1e-9)  # 0.3435
    assert out["2026-07-31"] == pytest.approx(effr["2026-07-31"] - june, abs=1e-9)
    assert out["2026-07-30"] == pytest.approx(effr["2026-07-30"] - may, abs=1e-9)


def test_core_pce_yoy_on_the_snapshot():
    # Raw PCEPILFE values copied from ../shared/data/snapshot/fred/PCEPILFE.csv.
    yoy = yoy_pct(snapshot_series("core_pce"))
    assert yoy.index[-1] == pd.Timestamp("2026-06-01")
    assert yoy.iloc[-1] == pytest.approx((130.266 / 126.121 - 1) * 100, abs=1e-9)  # 3.287 %


RISING = pd.Series([0.1, 0.2, 0.3, 0.4], index=pd.date_range("2026-01-01", periods=4, freq="MS"))
FALLING = RISING[::-1].set_axis(RISING.index)


def test_policy_flags_too_tight():
    flags = policy_flags(real_rate=2.5, r_star=1.0, sahm=RISING, core_pce_3m_ann=2.0,
                         fwd_5y5y=2.2, cuts_priced=1.0)
    assert flags.too_tight and not flags.too_loose
    assert flags.conditions["sahm_rising"] and flags.conditions["real_rate_restrictive"]
    assert "too tight" in flags.reading
    # Each leg is required: Sahm falling, real rate at r* + 1 exactly, core PCE at 2.5.
    assert not policy_flags(2.5, 1.0, FALLING, 2.0, 2.2, 1.0).too_tight
    assert not policy_flags(2.0, 1.0, RISING, 2.0, 2.2, 1.0).too_tight
    assert not policy_flags(2.5, 1.0, RISING, 2.5, 2.2, 1.0).too_tight


def test_policy_flags_too_loose():
    assert policy_flags(0.3, 1.0, FALLING, 2.0, 2.6, cuts_priced=2.0).too_loose
    assert policy_flags(0.3, 1.0, FALLING, 3.2, 2.2, cuts_priced=2.0).too_loose
    hikes = policy_flags(0.3, 1.0, FALLING, 3.2, 2.6, cuts_priced=-1.8)
    assert not hikes.too_loose and not hikes.too_tight  # hot, but no cuts priced
    assert "No policy-mistake flag" in hikes.reading


def test_policy_flags_thresholds_are_user_settable():
    stricter = PolicyFlagThresholds(loose_5y5y_above=2.7)
    assert not policy_flags(0.3, 1.0, FALLING, 2.0, 2.6, 2.0, stricter).too_loose
    assert policy_flags(0.3, 1.0, FALLING, 2.0, 2.6, 2.0, stricter).thresholds.loose_5y5y_above == 2.7
    with pytest.raises(dataclasses.FrozenInstanceError):
        stricter.loose_5y5y_above = 3.0
    # "Rising" over one month instead of three.
    wobble = pd.Series([0.3, 0.2, 0.1, 0.2], index=RISING.index)  # down on 3 months, up on 1
    assert not policy_flags(2.5, 1.0, wobble, 2.0, 2.2, 1.0).too_tight
    one_month = PolicyFlagThresholds(sahm_rising_months=1)
    assert policy_flags(2.5, 1.0, wobble, 2.0, 2.2, 1.0, one_month).too_tight


def test_policy_flags_nan_inputs():
    flags = policy_flags(math.nan, 1.0, True, 2.0, math.nan, 1.0)
    assert not flags.too_tight and not flags.too_loose
    assert not flags.conditions["real_rate_restrictive"]
    assert "missing: real_rate, fwd_5y5y" in flags.reading
    assert set(flags.inputs) == {"real_rate", "r_star", "core_pce_3m_ann", "fwd_5y5y", "cuts_priced"}
