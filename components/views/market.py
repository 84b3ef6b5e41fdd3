"""The market-implied policy path, shared by the Fed path, Inflation and Overview views.

The futures strip as the frame ``analytics.rates.implied_path`` expects (delivery months from
the catalogue's own contract rows), the path now and 1 week / 1 month earlier, cuts priced
with its labelled fallbacks (bill forwards, then the crude EFFR − 2-year gauge), and the
sentences that say it. No loading here: ``components.loaders.load_market`` loads
``market_path_keys`` (and the ``BILL_TENORS`` only when the path is empty) and calls this.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from analytics.cuts import CUTS_PRICED_MIN, PRICES_CUTS, PRICES_HIKES
from analytics.rates import (
    CutsPriced,
    ImpliedPath,
    cuts_priced,
    crude_cuts,
    cuts_priced_crude,
    cuts_priced_from_forwards,
    implied_path,
)
from analytics.transforms import BP_PER_PERCENTAGE_POINT, asof_align
from components.views.common import last_date, latest, signed_bp
from data_sources.cache import LoadResult
from data_sources.catalogue import Key, fed_funds_contracts

BAND_KEYS = (Key.fed_target_lower, Key.fed_target_upper)
# Treasury bills for the forward-rate fallback: catalogue key -> tenor in years.
BILL_TENORS = {Key.t_1m: 1 / 12, Key.t_3m: 0.25, Key.t_6m: 0.5, Key.t_1y: 1.0}
PATH_KEYS = (*BAND_KEYS, Key.effr, Key.t_2y)
# "How the path moved": label -> how far before the futures date.
PATH_COMPARISONS = (("1 week earlier", pd.DateOffset(weeks=1)), ("1 month earlier", pd.DateOffset(months=1)))
CURRENT_PATH_LABEL = "Now"


def contract_months(as_of) -> dict[str, pd.Period]:
    """Futures keys in the catalogue of ``as_of`` -> delivery month.

    The month is never read back out of a key: the catalogue's own contract rows for that
    date (``fed_funds_contracts``) give both, so keys and months cannot drift apart.
    """
    first = pd.Period(pd.Timestamp(as_of), "M")
    return {spec.key: first + offset for offset, spec in enumerate(fed_funds_contracts(as_of))}


def market_path_keys(as_of) -> tuple[str, ...]:
    """Every series the implied path needs (the bill fallback: ``BILL_TENORS``)."""
    return (*contract_months(as_of), *PATH_KEYS)


def futures_prices(result, months: dict[str, pd.Period]) -> pd.DataFrame:
    """Loaded contract prices as rows = dates, columns = delivery months (``pd.Period``)."""
    return result.frame(list(months)).rename(columns=months)


def band_on(result, day) -> tuple[float, float]:
    """The target range (lower, upper) in force on ``day``; NaN where unknown."""
    lower, upper = (latest(result.series.get(key), day) for key in BAND_KEYS)
    return lower, upper


@dataclass(frozen=True)
class MarketPath:
    """The market-implied path, what it was earlier, and cuts priced with its method."""

    path: ImpliedPath  # empty when no futures are available
    cuts: CutsPriced
    futures_date: pd.Timestamp | None
    earlier: dict[str, ImpliedPath] = field(default_factory=dict)
    notes: tuple[str, ...] = field(default=())
    inputs: tuple[str, ...] = field(default=())  # the series the path is computed from
    cuts_date: pd.Timestamp | None = None  # the day ``cuts`` is read on (futures or fallback)


def market_path(result: LoadResult, as_of) -> MarketPath:
    """Implied path on the latest futures date, the 1 week / 1 month earlier paths that the
    data allows, and cuts priced over 12 months (futures; else bill forwards from the bills
    in ``result``, if any; else crude). A missing target band gives an empty path (the
    FedWatch method needs both bounds) and the fallback."""
    months = contract_months(as_of)
    prices = futures_prices(result, months).dropna(how="all")
    futures_date = prices.index[-1] if not prices.empty else None
    day = futures_date if futures_date is not None else pd.Timestamp(as_of)
    path = implied_path(prices, day, *band_on(result, day))
    if path.empty:
        cuts, read_on = fallback_cuts(result.series)
        return MarketPath(path, cuts, None, cuts_date=read_on)
    earlier, notes = {}, []
    for label, offset in PATH_COMPARISONS:
        then_day = futures_date - offset
        then = implied_path(prices, then_day, *band_on(result, then_day))
        if then.empty:
            notes.append(
                f"No {label} comparison: the futures prices in the data start "
                f"{prices.index[0]:%Y-%m-%d}, after {then_day:%Y-%m-%d}."
            )
        else:
            earlier[f"{label} ({then_day:%Y-%m-%d})"] = then
    return MarketPath(path, cuts_priced(path), futures_date, earlier, tuple(notes), (*months, *BAND_KEYS),
                      futures_date)


def _forward_bills(series: dict[str, pd.Series]) -> pd.DataFrame:
    """Bill yields on the dates where the 1-year bill and at least one shorter tenor all have
    a value (empty without the 1-year bill: a shorter forward does not reach a year)."""
    present = [key for key in BILL_TENORS if key in series]
    if Key.t_1y not in present or len(present) < 2:
        return pd.DataFrame()
    return pd.concat([series[key] for key in present], axis=1).dropna()


def effective_rate(series: dict[str, pd.Series]) -> pd.Series | None:
    """The effective fed funds rate: EFFR, and before EFFR starts (July 2000) or without it,
    FRED's DFF (the same rate, longer history), so that a day's reading never depends on
    whether later data exist. None without either."""
    effr, dff = series.get("effr"), series.get("fed_funds_daily")
    if effr is None or dff is None:
        return effr if effr is not None else dff
    effr = effr.dropna()
    return pd.concat([dff.loc[: effr.index[0] - pd.Timedelta(days=1)], effr]) if len(effr) else dff


def fallback_series(series: dict[str, pd.Series]) -> tuple[pd.Series, pd.Series]:
    """Cuts priced without futures on every date they can be read: by the bill forward to one
    year (``cuts_priced_from_forwards``; empty without the 1-year bill) and by the crude gauge
    (``crude_cuts`` on each 2-year date); EFFR as of each date in both."""
    nothing = pd.Series(dtype=float, index=pd.DatetimeIndex([]))
    effr = effective_rate(series)
    effr = nothing if effr is None else effr
    bills = _forward_bills(series)
    forward = pd.Series([
        cuts_priced_from_forwards(effr_now, {BILL_TENORS[key]: float(v) for key, v in row.items()}).cuts
        for effr_now, (_, row) in zip(asof_align(bills.index, effr), bills.iterrows())
    ], index=bills.index, dtype=float)
    t_2y = series.get("t_2y", nothing).dropna()
    return forward.dropna(), crude_cuts(asof_align(t_2y.index, effr), t_2y).dropna()


def fallback_cuts(series: dict[str, pd.Series]) -> tuple[CutsPriced, pd.Timestamp | None]:
    """Cuts priced without futures and the date they are read on: the bill forward to one
    year on the last date with the 1-year bill and a shorter one (``cuts_priced_from_forwards``),
    else the crude EFFR − 2-year gauge on the 2-year's last date (EFFR on or before it)."""
    bills = _forward_bills(series)
    if not bills.empty:
        day = bills.index[-1]
        yields = {BILL_TENORS[key]: float(value) for key, value in bills.iloc[-1].items()}
        return cuts_priced_from_forwards(latest(effective_rate(series), day), yields), day
    day = last_date(series.get("t_2y"))
    return cuts_priced_crude(latest(effective_rate(series), day), latest(series.get("t_2y"))), day


def expected_paths(market: MarketPath) -> pd.DataFrame:
    """Expected rate after each meeting (percent): one column per path, now first."""
    paths = {f"{CURRENT_PATH_LABEL} ({market.futures_date:%Y-%m-%d})": market.path, **market.earlier}
    columns = {label: p.meetings.set_index("meeting")["end"] for label, p in paths.items() if not p.empty}
    frame = pd.DataFrame(columns)
    frame.index.name = "meeting"
    return frame


def current_range_label(path: ImpliedPath) -> str:
    """Today's target range in the label style of ``ImpliedPath.probabilities`` columns."""
    return f"{path.target_lower:.2f}–{path.target_upper:.2f}"


def meeting_table(path: ImpliedPath) -> pd.DataFrame:
    """The meeting-by-meeting table shown on the page (probabilities as fractions)."""
    table = path.meetings
    most_likely = path.probabilities.idxmax(axis=1)
    return pd.DataFrame({
        "Meeting": table["meeting"].dt.date,
        "Expected rate (%)": table["end"],
        "Change vs now (bp)": table["change_bp"],
        "P(cut)": table["p_cut"],
        "P(hold)": table["p_hold"],
        "P(hike)": table["p_hike"],
        "Most likely range (%)": most_likely.to_numpy(),
        "Its probability": path.probabilities.max(axis=1).to_numpy(),
    })


def policy_rate_key(result) -> str:
    """The actual policy rate to compare with rules: EFFR, else the long DFF series."""
    return "effr" if "effr" in result.series else "fed_funds_daily"


def cuts_sentence(cuts: CutsPriced) -> str:
    """'Markets price 1.8 hikes, not cuts, over the next 12 months.' and friends, by the one
    rule of ``analytics.cuts`` (fewer than ``CUTS_PRICED_MIN`` either way: no clear move)."""
    method = f"method: {cuts.method}"
    if math.isnan(cuts.cuts):
        return f"Not enough data to say how many cuts are priced ({method})."
    if cuts.move == PRICES_HIKES:
        return f"Markets price {-cuts.cuts:.1f} hikes, not cuts, over {cuts.horizon} ({method})."
    if cuts.move == PRICES_CUTS:
        return f"Markets price {cuts.cuts:.1f} cuts over {cuts.horizon} ({method})."
    return (f"Markets price no clear move over {cuts.horizon}: {cuts.cuts:+.1f} cuts, less than "
            f"{CUTS_PRICED_MIN:g} of a 25 bp move either way ({method}).")


def path_takeaway(market: MarketPath) -> str:
    """The first meeting's odds and where the path ends."""
    table = market.path.meetings
    first, last = table.iloc[0], table.iloc[-1]
    odds = ", ".join(
        f"{first[col]:.0%} {name}" for col, name in (("p_cut", "cut"), ("p_hold", "hold"), ("p_hike", "hike"))
        if first[col] > 0
    )
    return (
        f"For {first['meeting']:%d %b %Y} futures price {odds}; by {last['meeting']:%b %Y} the expected rate is "
        f"{last['end']:.2f}%, {signed_bp(last['change_bp'] / BP_PER_PERCENTAGE_POINT)} today's "
        f"{market.path.current_rate:.2f}%."
    )


def moved_takeaway(paths: pd.DataFrame) -> str:
    """How the expected rate at the last common meeting moved against each earlier path."""
    if paths.shape[1] < 2:
        return "Only today's path is available, so there is nothing to compare it with."
    common = paths.dropna()
    if common.empty:
        return "The earlier paths cover different meetings, so they cannot be compared directly."
    meeting, row = common.index[-1], common.iloc[-1]
    now = row.iloc[0]
    moves = "; ".join(f"{signed_bp(now - row[label])} the path {label}" for label in paths.columns[1:])
    return f"For {meeting:%b %Y} the expected rate is now {moves}."
