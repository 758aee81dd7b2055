"""The time control's output as plain data: route classes, the as-of panel, the chart mark.

Pure functions of the atlas and an as-of date, so the live explorer, the kiosk and
tests render the same thing. The map is never redrawn for a date: the browser gets
a class per route (``scoda-t-<status>``; ``hidden`` before its first run) and
styles the paths it already has.
"""

from __future__ import annotations

from markupsafe import Markup

from .._data.atlas import Atlas
from .._i18n import data_text, t
from .._model.timeline import UNDATED, as_of, histories, period_end, route_status_at

HIDDEN = "hidden"
STATUS_ORDER = ("regular", "single_run", "suspended", "unknown", "planned")
TRAIN_KIND_ORDER = ("actual", "derived", "partial")


def route_classes(atlas: Atlas, date: str | None) -> dict[str, str]:
    """Each drawn route's look on ``date``: a status, ``undated`` or ``hidden``; {} for today.

    >>> import scoda_map
    >>> classes = route_classes(scoda_map.load(), "2016")
    >>> "hidden" in classes.values() and route_classes(scoda_map.load(), None) == {}
    True
    """
    if not date:
        return {}
    status = route_status_at(atlas, period_end(date))
    drawn = atlas.routes.index[atlas.routes["on_map"]]
    return {route_id: status.get(route_id, HIDDEN) for route_id in drawn}


def _trains_row(view):
    rows = view.trains_in_year()
    rows = rows[rows["kind"].isin(TRAIN_KIND_ORDER)]
    if rows.empty:
        return None
    rank = rows["kind"].map({k: i for i, k in enumerate(TRAIN_KIND_ORDER)})
    # The latest partial count of the year: the period that ends last ("2021-01/2021-11").
    ends = rows["period"].astype(str).str.split("/").str[-1]
    rows = rows.assign(_rank=rank, _end=ends).sort_values(["_rank", "_end"], ascending=[True, False])
    return rows.iloc[0]


def _date_label(date: str, lang: str) -> str:
    """A year reads as a year in each language ("2021", "2021年", "2021 г.")."""
    if len(date) == 4:
        return {"zh": f"{date}年", "ru": f"{date} г."}.get(lang, date)
    return date


def panel_html(atlas: Atlas, date: str | None, lang: str = "en") -> str:
    """The counts that follow the time control: routes by status, date unknown, trains, documents.

    >>> import scoda_map
    >>> "As of 2021" in panel_html(scoda_map.load(), "2021")
    True
    """
    if not date:
        return str(Markup('<div class="scoda-time-panel"><p class="scoda-muted">{}</p></div>').format(t("timeline.present", lang)))
    view = as_of(atlas, date)
    parts = [Markup('<p class="scoda-time-asof">{}</p>').format(t("timeline.as_of", lang, date=_date_label(view.date, lang)))]
    parts.append(Markup('<p class="scoda-time-routes" data-count="{}">{}</p>').format(
        len(view.routes), t("timeline.routes", lang, count=len(view.routes))))
    items = [Markup('<li class="scoda-time-{0}" data-count="{2}"><span class="scoda-t-swatch scoda-t-{0}"></span>{1}: {2}</li>').format(
        status, t(f"status.{status}", lang), count) for status, count in view.status_counts.items()]
    if items:
        parts.append(Markup('<ul class="scoda-time-status">{}</ul>').format(Markup("").join(items)))
    if len(view.undated_routes):
        parts.append(Markup('<p class="scoda-time-undated" data-count="{}"><span class="scoda-t-swatch scoda-t-undated"></span>{}</p>').format(
            len(view.undated_routes), t("timeline.undated", lang, count=len(view.undated_routes))))
    row = _trains_row(view)
    if row is not None:
        comparator = row["comparator"] if row["comparator"] not in ("=", None) else ""
        value = f"{comparator}{row['value']:,.0f}"
        kind = t(f"charts.kind.{row['kind']}", lang)
        if row["kind"] == "partial":
            kind = f"{kind}, {row['period']}"
        parts.append(Markup('<p class="scoda-time-trains">{}</p>').format(t("timeline.trains", lang, year=view.year, value=value, kind=kind)))
    else:
        parts.append(Markup('<p class="scoda-time-trains scoda-muted">{}</p>').format(t("timeline.trains_none", lang, year=view.year)))
    route_claims = view.claims[view.claims["layer"] == "routes"] if "layer" in view.claims else view.claims.iloc[0:0]
    for _, claim in route_claims.sort_values("date").tail(1).iterrows():
        parts.append(Markup('<p class="scoda-time-claim">{}</p>').format(
            t("timeline.claimed", lang, date=claim["date"], count=int(claim["count"]))))
    documents = []
    for _, document in view.documents.sort_values("in_force_from").iterrows():
        issued = document["in_force_from"].isoformat() if document["in_force_from"] else "?"
        key = "timeline.in_force" if document["in_force"] else "timeline.not_yet"
        state = "in-force" if document["in_force"] else "not-yet"
        documents.append(Markup('<li class="scoda-doc-{}">{} — {}</li>').format(
            state, data_text(document, "title", lang)[0] or document.name, t(key, lang, date=issued)))
    if documents:
        parts.append(Markup('<p class="scoda-label">{}</p><ul class="scoda-time-docs">{}</ul>').format(
            t("timeline.documents", lang), Markup("").join(documents)))
    return str(Markup('<div class="scoda-time-panel" data-as-of="{}">{}</div>').format(view.date, Markup("").join(parts)))


def trains_mark(date: str | None) -> dict:
    """A plotly layout patch marking the as-of year on the trains figure ({} clears it)."""
    if not date:
        return {"shapes": []}
    year = period_end(date).year
    return {"shapes": [{"type": "rect", "xref": "x", "yref": "paper", "x0": year - 0.5, "x1": year + 0.5, "y0": 0, "y1": 1,
                        "fillcolor": "#f0b400", "opacity": 0.18, "line": {"width": 0}, "layer": "below"}],
            "mark_year": year}


def undated_ids(atlas: Atlas) -> list[str]:
    """Routes that are never placed in time."""
    return [route_id for route_id, history in histories(atlas).items() if history.status_at(period_end("2100")) == UNDATED]

