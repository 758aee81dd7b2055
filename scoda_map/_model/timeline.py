"""The story over time: what the data says was true as of a date.

The explorer's time control, the kiosk's growth step and notebooks all ask the same
question ("the network as of 2021") and must get the same answer, so the rules live
here, once, without widgets. They only read dated, sourced fields; where a record has
no date the answer says "date unknown" rather than guessing.

The rules, for an as-of date given as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a year
or a month stands for its last day, so ``2021`` means "by the end of 2021"):

* A route appears once its first run is certainly past: its ``first_run`` period
  (a year, a month or a day) has ended by the as-of date. A route with no
  ``first_run`` but a status that says it ran (``single_run``, ``regular``,
  ``suspended``) appears from the date of the earliest source shown for that status
  (``status_source_ids``; "first evidence"). Any other route is "date unknown".
* A ``planned`` route is shown as planned from the date of its status source (else
  its record's ``date``) until it has a first run.
* Status: ``single_run`` holds from the first run. ``regular`` and ``suspended`` hold
  from the date of the earliest source shown for them; between the first run and
  that date the status is ``unknown`` (it ran; nothing dated says how often).
* Indicators (trains per year) count up to the as-of year; claims count once their
  date has passed; a document's measures are in force from the document's ``issued``
  date (else its ``date``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

import pandas as pd

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
RAN = ("single_run", "regular", "suspended")
UNDATED = "undated"  # the status key of a route whose first run has no date


def period_end(value: object) -> dt.date | None:
    """The last day of a partial date (``2021`` -> 2021-12-31); None if there is none.

    >>> period_end("2023-02"), period_end("2021-01-15"), period_end(None)
    (datetime.date(2023, 2, 28), datetime.date(2021, 1, 15), None)
    """
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    match = _DATE.match(value.strip())
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        if day:
            return dt.date(year, month, day)
        if month:
            return dt.date(year, month, calendar.monthrange(year, month)[1])
        return dt.date(year, 12, 31)
    except ValueError:
        return None


def parse_as_of(value: object) -> str | None:
    """A checked as-of date as text (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), or None.

    >>> parse_as_of("2021"), parse_as_of(2016), parse_as_of("21"), parse_as_of("2021-13")
    ('2021', '2016', None, None)
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or period_end(value) is None:
        return None
    year = int(value[:4])
    return value.strip() if 1900 <= year <= 2100 else None


def _source_dates(atlas, source_ids) -> list[dt.date]:
    dates = []
    for source_id in source_ids or ():
        if source_id in atlas.sources.index:
            end = period_end(atlas.sources.at[source_id, "date"])
            if end is not None:
                dates.append(end)
    return dates


@dataclass(frozen=True)
class RouteHistory:
    """When a route appeared and when its status became known, from dated sources."""

    route_id: str
    appears: dt.date | None  # None: date unknown
    basis: str  # "first_run", "evidence", "planned" or "unknown"
    status: str  # the route's status today
    status_from: dt.date | None  # when that status is first shown by a dated source
    planned_from: dt.date | None = None

    def status_at(self, date: dt.date) -> str | None:
        """The status on ``date``; None when the route is not yet known to exist.

        ``"undated"`` for a route whose first run has no date (shown, never placed in time).
        """
        if self.basis == "unknown":
            return UNDATED
        if self.appears is None or date < self.appears:
            if self.planned_from is not None and date >= self.planned_from:
                return "planned"
            return None
        if self.status in RAN and self.status_from is not None and date < self.status_from:
            return "unknown"
        return self.status if self.status != "planned" else "unknown"


def route_history(atlas, route_id: str) -> RouteHistory:
    """The dated facts of one route (see the module's rules)."""
    route = atlas.routes.loc[route_id]
    status = str(route["status"])
    evidence = _source_dates(atlas, route.get("status_source_ids"))
    first_evidence = min(evidence) if evidence else None
    first_run = period_end(route.get("first_run"))
    if status == "planned":
        planned_from = first_evidence or period_end(route.get("date"))
        if first_run is not None:
            return RouteHistory(route_id, first_run, "first_run", "unknown", None, planned_from)
        return RouteHistory(route_id, None, "planned", status, None, planned_from)
    if first_run is not None:
        status_from = first_run if status == "single_run" else (max(first_evidence, first_run) if first_evidence else None)
        return RouteHistory(route_id, first_run, "first_run", status, status_from)
    if status in RAN and first_evidence is not None:
        return RouteHistory(route_id, first_evidence, "evidence", status, first_evidence)
    return RouteHistory(route_id, None, "unknown", status, None)


def histories(atlas) -> dict[str, RouteHistory]:
    """Every route's history, by route id (cached on the atlas: the data does not change)."""
    cached = getattr(atlas, "_scoda_histories", None)
    if cached is None:
        cached = {route_id: route_history(atlas, route_id) for route_id in atlas.routes.index}
        try:
            atlas._scoda_histories = cached
        except AttributeError:  # a frozen stand-in in a test: compute each time
            pass
    return cached


def _issued(document) -> dt.date | None:
    return period_end(document.get("issued")) or period_end(document.get("date"))


def years(atlas) -> list[int]:
    """The slider's years: from the first dated route, indicator or document to the last.

    >>> import scoda_map
    >>> span = years(scoda_map.load())
    >>> span == list(range(span[0], span[-1] + 1))
    True
    """
    dates = [h.appears for h in histories(atlas).values() if h.appears is not None]
    dates += [h.planned_from for h in histories(atlas).values() if h.planned_from is not None]
    dates += [d for d in (_issued(doc) for _, doc in atlas.documents.iterrows()) if d is not None]
    trains = atlas.indicators[(atlas.indicators["indicator"] == "trains_per_year") & (atlas.indicators["kind"] != "target")]
    found = [d.year for d in dates] + [int(y) for y in trains["year"].dropna()]
    if not found:
        return []
    return list(range(min(found), max(found) + 1))


@dataclass
class AsOf:
    """The atlas as of a date: what existed then, in what state, and what is undated.

    Build it with :func:`as_of` (``scoda_map.as_of``).

    Attributes
    ----------
    date : str
        The as-of date as given (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``).
    end : datetime.date
        The last day that date stands for.
    routes : geopandas.GeoDataFrame
        Routes that existed (or were planned) by then, with ``status_as_of`` and
        ``since`` (the date they appear from) columns.
    undated_routes : geopandas.GeoDataFrame
        Routes whose first run has no date: never placed in time, listed apart.
    trains : pandas.DataFrame
        Trains-per-year indicators for years up to the as-of year.
    claims : pandas.DataFrame
        Headline claims dated on or before the date.
    documents : pandas.DataFrame
        Every document with ``in_force`` (issued by then) and ``in_force_from``.
    measures : pandas.DataFrame
        Every measure with ``in_force`` from its document.
    """

    atlas: object
    date: str
    end: dt.date
    routes: pd.DataFrame
    undated_routes: pd.DataFrame
    trains: pd.DataFrame
    claims: pd.DataFrame
    documents: pd.DataFrame
    measures: pd.DataFrame
    status_counts: dict[str, int] = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.end.year

    def trains_in_year(self) -> pd.DataFrame:
        """The trains-per-year rows of the as-of year (actual, derived, partial, target)."""
        return self.trains[self.trains["year"] == self.year]

    def __repr__(self) -> str:
        counts = ", ".join(f"{k} {v}" for k, v in self.status_counts.items())
        return f"<AsOf {self.date}: {len(self.routes)} routes ({counts}); {len(self.undated_routes)} date unknown>"


def route_status_at(atlas, end: dt.date) -> dict[str, str]:
    """Each route's status on ``end``; routes not yet known to exist are left out."""
    shown = {}
    for route_id, history in histories(atlas).items():
        status = history.status_at(end)
        if status is not None:
            shown[route_id] = status
    return shown


def as_of(atlas, date) -> AsOf:
    """The atlas as of ``date``: routes by status, trains, claims and measures in force.

    Parameters
    ----------
    atlas : Atlas
        Loaded data (:func:`scoda_map.load`).
    date : str or int
        ``2021``, ``"2021-06"`` or ``"2021-06-30"``; a year means "by the end of that year".

    Examples
    --------
    >>> import scoda_map
    >>> atlas = scoda_map.load()
    >>> early, late = scoda_map.as_of(atlas, 2016), scoda_map.as_of(atlas, "2025")
    >>> len(early.routes) < len(late.routes)
    True
    >>> set(late.routes["status_as_of"]) <= {"planned", "single_run", "regular", "suspended", "unknown"}
    True
    >>> bool(early.documents["in_force"].any()), bool(late.documents["in_force"].all())
    (False, True)
    """
    text = parse_as_of(date)
    if text is None:
        raise ValueError(f"as_of: {date!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2021)")
    end = period_end(text)
    status = route_status_at(atlas, end)
    dated = {rid: s for rid, s in status.items() if s != UNDATED}
    history = histories(atlas)
    routes = atlas.routes.loc[[rid for rid in atlas.routes.index if rid in dated]].copy()
    routes["status_as_of"] = [dated[rid] for rid in routes.index]
    routes["since"] = [history[rid].appears or history[rid].planned_from for rid in routes.index]
    undated = atlas.routes.loc[[rid for rid, s in status.items() if s == UNDATED]].copy()
    indicators = atlas.indicators
    trains = indicators[(indicators["indicator"] == "trains_per_year") & (indicators["year"] <= end.year)]
    claim_dates = atlas.claims["date"].map(period_end)
    claims = atlas.claims[[d is not None and d <= end for d in claim_dates]]
    documents = atlas.documents.copy()
    documents["in_force_from"] = [_issued(doc) for _, doc in documents.iterrows()]
    documents["in_force"] = [d is not None and d <= end for d in documents["in_force_from"]]
    measures = atlas.measures.copy()
    measures["in_force"] = measures["document_id"].map(documents["in_force"]).fillna(False).astype(bool)
    counts = routes["status_as_of"].value_counts().to_dict()
    order = ("regular", "single_run", "suspended", "unknown", "planned")
    return AsOf(atlas, text, end, routes, undated, trains, claims, documents, measures,
                {key: int(counts[key]) for key in order if key in counts})
