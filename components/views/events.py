"""View of Macro days (``/events``): data in (already loaded), views out.

Do stocks trade the cost of capital on the days it is repriced by scheduled news? The events
are FOMC statements and the CPI, jobs (Employment Situation) and PCE releases; the formulas
(event trading days, the reaction β and its interval) live in ``analytics.events``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.events import (
    REFERENCE_BETA_PER_10BP,
    Reaction,
    daily_moves,
    event_trading_days,
    event_window,
    reaction,
    rolling_reaction,
    yield_change_bp,
)
from analytics.rates import CUTS_HORIZON_DAYS, ImpliedPath, implied_path
from analytics.transforms import BP_PER_PERCENTAGE_POINT, PERCENT, log_returns
from components.controls import DateWindow
from components.views.market import band_on, futures_prices
from components.views.common import EMPTY, View, day_text, no_data, on_common_dates, sentence_start, signed, span_words, symbols
from data_sources.cache import LoadResult
from data_sources.catalogue import SECTOR_KEYS, Key

EVENT_KEYS = (Key.spx, Key.rut, Key.t_2y)
STUDY_KEYS = (Key.spx, Key.t_2y)  # the study itself; without the Russell 2000 only its columns go
SMALL_CAP_KEYS = (Key.rut,)
# What else moved on an event day (the drill-down's bars): small caps with and without an
# earnings screen, and the sectors.
DAY_MOVE_KEYS = (Key.iwm, Key.ijr, *SECTOR_KEYS)
FOMC, CPI, JOBS, PCE, ALL = "FOMC", "CPI", "Jobs", "PCE", "All macro"
OTHER = "Other days"
EVENT_TYPES = (ALL, FOMC, CPI, JOBS, PCE)  # the page's choices, "All macro" first (the default)
SINGLE_TYPES = (FOMC, CPI, JOBS, PCE)
# Release calendar (``data_sources.calendars``) behind each release type.
RELEASE_OF_TYPE = {CPI: "cpi", JOBS: "employment", PCE: "pio"}
# FOMC rows studied: rate decisions, scheduled or not. The two liquidity statements of 2007-08
# (kind "liquidity" in data/calendars/fomc.csv) announced no change to the cost of money.
FOMC_KINDS_STUDIED = ("scheduled", "unscheduled")
# Returns the page studies: column -> what it is.
ASSETS = {"spx_pct": "S&P 500", "rut_pct": "Russell 2000", "rel_pct": "Russell 2000 − S&P 500"}
ASSET_CHOICES = tuple(ASSETS.values())
ROLL_CHOICES = ("1Y", "3Y", "5Y")  # rolling windows of the "through time" chart, in years
ROLL_DEFAULT = "3Y"
LATEST_N = 20  # events listed in the table


def coming_up(announced: dict[str, pd.DatetimeIndex], today, scheduled: list[str]) -> str:
    """'Next: FOMC 2026-09-16; CPI 2026-09-11 (FRED's schedule)': the next FOMC statement day
    after ``today`` from the shipped calendar and the next release days FRED has scheduled
    (``scheduled``, e.g. 'CPI 2026-09-11'; empty without a FRED key)."""
    later = announced.get(FOMC, pd.DatetimeIndex([]))
    later = later[later > pd.Timestamp(today)]
    parts = [f"FOMC {day_text(later.min())}"] if len(later) else []
    parts += [f"{item} (FRED's schedule)" for item in scheduled]
    return "Next macro days: " + "; ".join(parts) + "." if parts else ""


def roll_years(label: str) -> int:
    """'3Y' -> 3."""
    return int(label.rstrip("Y"))


def asset_column(label: str) -> str:
    """'Russell 2000' -> 'rut_pct'."""
    return next(column for column, name in ASSETS.items() if name == label)


def announcements(fomc: pd.DataFrame, calendars: dict[str, pd.DataFrame]) -> dict[str, pd.DatetimeIndex]:
    """Announcement days by event type: FOMC statement days of the studied kinds (``fomc``:
    ``date``, ``kind``) and the release days of the CPI, jobs and PCE calendars (frames with a
    ``date`` column, by release name). A missing calendar gives no days for its type."""
    days = {FOMC: pd.DatetimeIndex(fomc.loc[fomc["kind"].isin(FOMC_KINDS_STUDIED), "date"])}
    for kind, release in RELEASE_OF_TYPE.items():
        calendar = calendars.get(release)
        days[kind] = pd.DatetimeIndex(calendar["date"] if calendar is not None else [])
    return days


@dataclass(frozen=True)
class EventStudy:
    """Daily moves on the days all three inputs trade (``moves``: ``spx_pct``, ``rut_pct``,
    ``rel_pct`` in %, ``change_bp`` in bp), the event trading days by type (``ALL`` = any
    type), what happened on each event day in words (``labels``, e.g. "FOMC, CPI"), and the
    index levels behind the moves (``levels``: ``spx``, ``rut``, ``t_2y``)."""

    moves: pd.DataFrame
    days: dict[str, pd.DatetimeIndex]
    labels: pd.Series
    levels: pd.DataFrame

    def other_days(self) -> pd.DatetimeIndex:
        """Trading days with no macro event of any type."""
        return self.moves.index.difference(self.days[ALL])


def event_study(spx: pd.Series, rut: pd.Series | None, t_2y: pd.Series,
                announced: dict[str, pd.DatetimeIndex]) -> EventStudy:
    """Moves on the common trading days of the inputs and each type's event days on them
    (``analytics.events.event_trading_days``: a weekend decision counts on Monday). Without the
    Russell 2000 (``rut`` None) its columns are NaN and the S&P 500 study stands alone."""
    inputs = (spx.rename("spx"), t_2y.rename("t_2y")) + ((rut.rename("rut"),) if rut is not None else ())
    levels = on_common_dates(*inputs).reindex(columns=["spx", "rut", "t_2y"])
    large = daily_moves(levels["spx"], levels["t_2y"])
    small = daily_moves(levels["rut"], levels["t_2y"]).reindex(large.index)
    moves = pd.DataFrame({
        "spx_pct": large["return_pct"], "rut_pct": small["return_pct"],
        "rel_pct": small["return_pct"] - large["return_pct"], "change_bp": large["change_bp"],
    })
    days = {kind: event_trading_days(announced.get(kind, []), moves.index) for kind in SINGLE_TYPES}
    days[ALL] = pd.DatetimeIndex(sorted(set().union(*days.values())), name="date")
    return EventStudy(moves, days, event_labels(days), levels)


def event_labels(days: dict[str, pd.DatetimeIndex]) -> pd.Series:
    """What was announced on each day of ``days[ALL]``: the types whose days include it, joined
    in ``SINGLE_TYPES`` order ('CPI, Jobs')."""
    labels = np.full(len(days[ALL]), "", dtype=object)
    for kind in SINGLE_TYPES:
        hit = days[ALL].isin(days[kind])
        labels = np.where(hit, np.where(labels == "", kind, labels + ", " + kind), labels)
    return pd.Series(labels, index=days[ALL], name="events", dtype=object)


def _in_window(days: pd.DatetimeIndex, window: DateWindow) -> pd.DatetimeIndex:
    start = pd.Timestamp(window.start) if window.start else days.min() if len(days) else None
    return days[(days >= start) & (days <= pd.Timestamp(window.end))] if start is not None else days


def _reactions(study: EventStudy, days: pd.DatetimeIndex) -> dict[str, Reaction]:
    rate = study.moves["change_bp"]
    return {column: reaction(study.moves[column], rate, days) for column in ASSETS}


TABLE_COLUMNS = {
    "n": "Days",
    "beta_spx": "S&P 500 β, % per +10 bp",
    "ci_low": "95% low",
    "ci_high": "95% high",
    "corr": "Correlation",
    "beta_rut": "Russell 2000 β",
    "beta_rel": "Russell − S&P β",
    "mean_abs_rate_bp": "Mean |Δ2y|, bp",
    "mean_abs_return_pct": "Mean |S&P move|, %",
}


def _table_row(found: dict[str, Reaction]) -> dict[str, float]:
    spx = found["spx_pct"]
    return {"n": spx.n, "beta_spx": spx.beta_per_10bp, "ci_low": spx.ci_low, "ci_high": spx.ci_high, "corr": spx.corr,
            "beta_rut": found["rut_pct"].beta_per_10bp, "beta_rel": found["rel_pct"].beta_per_10bp,
            "mean_abs_rate_bp": spx.mean_abs_rate_bp, "mean_abs_return_pct": spx.mean_abs_return_pct}


def reaction_table_view(study: EventStudy, window: DateWindow) -> View:
    """One row per event type and one for all other days (no macro event), over the window:
    the S&P 500's β per +10 bp in the 2-year yield with its 95% interval, the correlation, the
    Russell 2000's β and the relative one, the days counted and the mean size of the moves."""
    moves = window.clip(study.moves)
    if len(moves) < 2:
        return no_data(study.moves)
    rows = {kind: _table_row(_reactions(study, _in_window(study.days[kind], window))) for kind in EVENT_TYPES}
    rows[OTHER] = _table_row(_reactions(study, moves.index.difference(study.days[ALL])))
    frame = pd.DataFrame.from_dict(rows, orient="index").rename_axis("event")
    return View(frame, reaction_takeaway(frame, window), moves.index[0], moves.index[-1])


def _beta_text(row: pd.Series) -> str:
    if math.isnan(row["beta_spx"]):
        return f"too few days ({int(row['n'])}) for a β"
    return (f"{row['beta_spx']:+.2f}% per +10 bp (95% interval {row['ci_low']:+.2f} to {row['ci_high']:+.2f}, "
            f"correlation {row['corr']:+.2f}, {int(row['n'])} days)")


def reaction_takeaway(table: pd.DataFrame, window: DateWindow) -> str:
    """The answer in numbers: macro days vs other days, and the reference magnitude."""
    macro, other = table.loc[ALL], table.loc[OTHER]
    if math.isnan(macro["beta_spx"]):
        return f"Too few macro days {span_words(window)} ({int(macro['n'])}) to measure a reaction."
    against = macro["ci_high"] < 0
    verdict = ("stocks moved against the 2-year yield on macro days" if against else
               "stocks moved WITH the 2-year yield on macro days" if macro["ci_low"] > 0 else
               "the macro-day reaction of stocks to the 2-year yield is not distinguishable from zero")
    ratio = macro["mean_abs_rate_bp"] / other["mean_abs_rate_bp"] if other["mean_abs_rate_bp"] else math.nan
    small = macro["beta_rel"]
    small_text = ("" if math.isnan(small) else
                  f" Small caps {'fell more' if small < 0 else 'fell less'} than large caps per +10 bp "
                  f"(Russell 2000 − S&P 500 β {small:+.2f}%).")
    return (f"{sentence_start(span_words(window))}, {verdict}: S&P 500 {_beta_text(macro)}; on other days "
            f"{_beta_text(other)}. {_by_type(table)} The 2-year moved {macro['mean_abs_rate_bp']:.1f} bp on an average macro day vs "
            f"{other['mean_abs_rate_bp']:.1f} bp on other days ({ratio:.2f}×).{small_text} Reference: Bernanke and "
            f"Kuttner (2005), {REFERENCE_BETA_PER_10BP:+.1f}% per +10 bp of policy surprise.")


def _by_type(table: pd.DataFrame) -> str:
    """'By type: FOMC −0.67% (against the yield), CPI −0.35%, ...': each type's β, flagged when
    its interval excludes zero."""
    parts = []
    for kind in SINGLE_TYPES:
        row = table.loc[kind]
        if math.isnan(row["beta_spx"]):
            continue
        side = " (against the yield)" if row["ci_high"] < 0 else " (with the yield)" if row["ci_low"] > 0 else ""
        parts.append(f"{kind} {row['beta_spx']:+.2f}%{side}")
    return f"By type: {', '.join(parts)}; unflagged ones are within noise." if parts else ""


def scatter_view(study: EventStudy, kind: str, asset: str, window: DateWindow) -> View:
    """Every trading day of the window as a point (x = Δ2y in bp, y = the asset's return in %),
    ``event`` True on ``kind``'s event days, with the OLS fit of the event days (``fit``) and of
    the days without any macro event (``fit_other``), each defined on its own days only."""
    column = asset_column(asset)
    moves = window.clip(study.moves)[["change_bp", column]].dropna()
    if moves.empty:
        return no_data(study.moves)
    frame = moves.rename(columns={column: "return_pct"})
    frame["event"] = frame.index.isin(study.days[kind])
    frame["events"] = study.labels.reindex(frame.index).fillna("")
    fits = {name: (days, reaction(frame["return_pct"], frame["change_bp"], days))
            for name, days in (("fit", frame.index[frame["event"]]), ("fit_other", frame.index.difference(study.days[ALL])))}
    for name, (days, fitted) in fits.items():
        frame[name] = _fit_line(frame.loc[days], fitted).reindex(frame.index)
    found = fits["fit"][1]
    takeaway = (f"{int(frame['event'].sum())} {kind} days {span_words(window)}: {asset} "
                + (f"{found.beta_per_10bp:+.2f}% per +10 bp in the 2-year yield (95% interval {found.ci_low:+.2f} to "
                   f"{found.ci_high:+.2f}). Click a point to open that day." if not math.isnan(found.beta_per_10bp)
                   else "too few days for a β."))
    return View(frame, takeaway, frame.index[0], frame.index[-1])


def _fit_line(points: pd.DataFrame, found: Reaction) -> pd.Series:
    """The fitted return at each point's Δ2y (a line through the means with the OLS slope)."""
    if math.isnan(found.beta_per_10bp):
        return pd.Series(np.nan, index=points.index)
    slope = found.beta_per_10bp / 10.0
    centre_x, centre_y = points["change_bp"].mean(), points["return_pct"].mean()
    return centre_y + slope * (points["change_bp"] - centre_x)


def rolling_view(study: EventStudy, asset: str, years: int, window: DateWindow) -> View:
    """Each event type's β of ``asset`` per +10 bp over the trailing ``years`` (month-ends of
    the window), and the same for days without macro news: a regime change shows as a break."""
    column = asset_column(asset)
    shown = window.clip(study.moves)
    if shown.empty:
        return no_data(study.moves)
    ends = shown.index.to_series().groupby(shown.index.to_period("M")).max()
    rate, ret = study.moves["change_bp"], study.moves[column]
    series = {kind: rolling_reaction(ret, rate, study.days[kind], ends, years)["beta_per_10bp"] for kind in EVENT_TYPES}
    series[OTHER] = rolling_reaction(ret, rate, study.other_days(), ends, years)["beta_per_10bp"]
    frame = pd.DataFrame(series).dropna(how="all")
    if frame.empty:
        return View(frame, f"Not enough event days for a {years}-year window in this date range.")
    last = frame.iloc[-1]
    low, high = frame[ALL].idxmin(), frame[ALL].idxmax()
    takeaway = (f"{asset}, β per +10 bp over rolling {years}-year windows: on macro days {last[ALL]:+.2f}% now "
                f"({day_text(frame.index[-1])}), between {frame[ALL].min():+.2f}% ({low:%b %Y}) and "
                f"{frame[ALL].max():+.2f}% ({high:%b %Y}) in this range; on other days {last[OTHER]:+.2f}% now. "
                f"The dashed line is the Bernanke–Kuttner magnitude ({REFERENCE_BETA_PER_10BP:+.1f}%).")
    return View(frame, takeaway, frame.index[0], frame.index[-1])


EVENT_TABLE_COLUMNS = {"events": "Events", "change_bp": "Δ2y, bp", "spx_pct": "S&P 500, %", "rut_pct": "Russell 2000, %",
                       "rel_pct": "Russell − S&P, pp"}


def latest_events_view(study: EventStudy, kind: str, window: DateWindow, count: int = LATEST_N) -> View:
    """The latest ``count`` event days of ``kind`` in the window, newest first: what was
    announced and the day's moves."""
    days = _in_window(study.days[kind], window)[-count:][::-1]
    if days.empty:
        return EMPTY
    frame = study.moves.loc[days, ["change_bp", "spx_pct", "rut_pct", "rel_pct"]]
    frame.insert(0, "events", study.labels.reindex(days))
    biggest = frame["change_bp"].abs().idxmax()
    takeaway = (f"The latest {len(frame)} {kind} days. The biggest 2-year move among them: "
                f"{frame.loc[biggest, 'change_bp']:+.0f} bp on {day_text(biggest)} ({frame.loc[biggest, 'events']}), "
                f"when the S&P 500 moved {frame.loc[biggest, 'spx_pct']:+.2f}%. Open the table below and click a row to open that day.")
    return View(frame, takeaway, days.min(), days.max())


def event_label(study: EventStudy, day) -> str:
    """What was announced on event ``day``: 'FOMC', 'CPI, Jobs', ... ('' for no event)."""
    return str(study.labels.get(pd.Timestamp(day), ""))


def event_days_of(study: EventStudy) -> tuple[str, ...]:
    """Every event day as 'YYYY-MM-DD', the values a link's ``event`` may carry."""
    return tuple(study.days[ALL].strftime("%Y-%m-%d"))


def event_drill_view(study: EventStudy, day) -> View:
    """``WINDOW_TRADING_DAYS`` trading days either side of event ``day``: both indices rebased to
    100 at the close before the event (``spx``, ``rut``), the 2-year yield as its change since
    then in bp (``t_2y_bp``), and ``offset`` (trading days from the event)."""
    day = pd.Timestamp(day)
    around = event_window(study.levels, day)
    at = around.index.get_indexer([day])[0] if day in around.index else -1
    if at < 1:
        return EMPTY
    before = around.index[at - 1]
    frame = around[["spx", "rut"]] / around.loc[before, ["spx", "rut"]] * 100.0
    frame["t_2y_bp"] = yield_change_bp(around["t_2y"], before)
    frame["offset"] = around["offset"]
    moves = study.moves.loc[day]
    after = frame.iloc[-1]
    takeaway = (f"{day_text(day)} ({event_label(study, day)}): the 2-year yield moved {moves['change_bp']:+.0f} bp, "
                f"the S&P 500 {signed(moves['spx_pct'], digits=2)} and the Russell 2000 "
                f"{signed(moves['rut_pct'], digits=2)} that day. {int(after['offset'])} trading days later: 2-year "
                f"{after['t_2y_bp']:+.0f} bp, S&P 500 {signed(after['spx'] - 100)}, Russell 2000 "
                f"{signed(after['rut'] - 100)} since the close before ({day_text(before)}).")
    return View(frame, takeaway, frame.index[0], frame.index[-1])


def day_moves_view(study: EventStudy, levels: pd.DataFrame, day) -> View:
    """Close-to-close log returns in % on event ``day`` (each series against its own previous
    close): the S&P 500, the Russell 2000, IWM / IJR (unprofitable vs profitable small caps) and
    each sector ETF in ``levels`` (columns = catalogue keys; missing ones are left out), sorted."""
    day = pd.Timestamp(day)
    moves = {"S&P 500": study.moves.at[day, "spx_pct"], "Russell 2000": study.moves.at[day, "rut_pct"]}
    returns = {key: _return_on(levels[key], day) for key in levels.columns}
    if "iwm" in returns and "ijr" in returns:
        moves["IWM / IJR"] = returns.pop("iwm") - returns.pop("ijr")
    names = symbols(key for key in returns)
    moves.update({names[key]: value for key, value in returns.items() if key in SECTOR_KEYS})
    frame = pd.Series(moves, name="return_pct").dropna().sort_values().to_frame()
    top, bottom = frame.index[-1], frame.index[0]
    takeaway = (f"That day: best {top} {frame.at[top, 'return_pct']:+.2f}%, worst {bottom} "
                f"{frame.at[bottom, 'return_pct']:+.2f}% (close to close, log returns).")
    return View(frame, takeaway, day, day)


def _return_on(series: pd.Series, day: pd.Timestamp) -> float:
    """100·ln(close on ``day`` / the previous close) (NaN when ``day`` has no close)."""
    known = series.dropna().loc[:day]
    if len(known) < 2 or known.index[-1] != day:
        return math.nan
    return float(log_returns(known.iloc[-2:]).iloc[-1] * PERCENT)


def previous_trading_day(study: EventStudy, day) -> pd.Timestamp | None:
    """The trading day before ``day`` in the study (None for the first)."""
    index = study.levels.index
    at = index.searchsorted(pd.Timestamp(day))
    return index[at - 1] if at > 0 else None


def path_change_sentence(result: LoadResult, months: dict[str, pd.Period], day, previous, meetings) -> str:
    """What the fed funds futures path did on an FOMC ``day``: the expected policy rate at the
    12-month horizon (``CUTS_HORIZON_DAYS``; after the last meeting priced within it) at the
    close before (``previous``) and on the day, from the loaded strip (``result``, contracts by
    key -> delivery month ``months``) and the FOMC statement days ``meetings``.

    The futures window: the strip starts with the current month (the catalogue's contracts), so
    only a meeting in a month of the strip, with prices on both days, has a path; otherwise the
    sentence says what the loaded futures cover."""
    day = pd.Timestamp(day)
    prices = futures_prices(result, months).dropna(how="all")
    covered = (day.to_period("M") in set(months.values()) and previous is not None
               and {day, previous} <= set(prices.index))
    paths = [implied_path(prices.loc[:d], d, *band_on(result, d), meetings=meetings) for d in (previous, day)] if covered else []
    rates = [expected_rate_within(p, day, CUTS_HORIZON_DAYS) for p in paths]
    if not covered or any(math.isnan(r) for r in rates):
        first = min(months.values()) if months else None
        span = (f"prices from {day_text(prices.index[0])} to {day_text(prices.index[-1])}" if not prices.empty
                else "no prices")
        strip = f"the contracts from {first:%b %Y} on ({span})" if first is not None else "none"
        return f"No FedWatch path for this meeting: the fed funds futures loaded are {strip}."
    then, now = rates
    return (f"Fed funds futures (FedWatch): the expected policy rate 12 months out went from {then:.2f}% to "
            f"{now:.2f}% ({(now - then) * BP_PER_PERCENTAGE_POINT:+.0f} bp) on the day.")


def expected_rate_within(path: ImpliedPath, day: pd.Timestamp, horizon_days: int) -> float:
    """The expected rate after the last meeting the path prices within ``horizon_days`` of
    ``day`` (NaN for an empty path)."""
    if path.empty:
        return math.nan
    table = path.meetings
    inside = table[table["meeting"] <= day + pd.Timedelta(days=horizon_days)]
    return float(inside["end"].iloc[-1]) if not inside.empty else math.nan

