"""What a visitor takes away: the selection as CSV and GeoJSON, and a citation."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from shapely.geometry import mapping

from .._i18n import t
from .state import ExplorerState

COLUMNS = ["layer", "id", "name_en", "name_zh", "name_ru", "country", "status", "confidence", "date", "sources", "source_urls", "note"]


def selection_ids(state: ExplorerState) -> list[str]:
    """Feature ids the visitor has selected: a feature, a place's features, or what a measure reaches."""
    if state.measure is not None:
        return state.measure_features()["feature_id"].tolist()
    return state.features_at_selection() or ([state.feature] if state.feature else [])


def selection_frame(state: ExplorerState) -> pd.DataFrame:
    """One row per selected feature, with its sources and confidence."""
    atlas, rows = state.atlas, []
    for feature_id in selection_ids(state):
        layer = state.feature_layer(feature_id)
        record = atlas.places.loc[feature_id] if layer == "places" else atlas.feature(feature_id)
        sources = atlas.sources.reindex(list(record.get("source_ids") or ()))
        rows.append({
            "layer": layer, "id": feature_id,
            "name_en": record.get("name_en"), "name_zh": record.get("name_zh"), "name_ru": record.get("name_ru"),
            "country": record.get("country"),
            "status": record.get("status_en", record.get("status")),
            "confidence": record.get("confidence"), "date": record.get("date"),
            "sources": " | ".join(sources["title"].dropna().astype(str)),
            "source_urls": " | ".join(sources["url"].dropna().astype(str)),
            "note": record.get("note"),
            "_geometry": record.get("geometry"),
        })
    frame = pd.DataFrame(rows, columns=COLUMNS + ["_geometry"])
    return frame


def selection_csv(state: ExplorerState) -> str:
    return selection_frame(state).drop(columns="_geometry").to_csv(index=False)


def selection_geojson(state: ExplorerState) -> str:
    features = []
    for row in selection_frame(state).to_dict("records"):
        geometry = row.pop("_geometry")
        clean = {k: (None if v is None or v != v else v) for k, v in row.items()}
        features.append({"type": "Feature", "properties": clean,
                         "geometry": mapping(geometry) if geometry is not None else None})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1)


def share_link(page_url: str, query: str, view_path: str | None = None) -> str:
    """The link a visitor shares: the kernel-free view at ``view_path`` beside the page
    when the server has one (a whole group can open it at once), else the live page.

    >>> share_link("http://10.0.0.5:8866/", "lang=zh&feature=r-almaty", "view/")
    'http://10.0.0.5:8866/view/?lang=zh&feature=r-almaty'
    >>> share_link("http://10.0.0.5:8866/", "lang=zh")
    'http://10.0.0.5:8866/?lang=zh'
    >>> share_link("http://10.0.0.5:8866/", "", "view/")
    'http://10.0.0.5:8866/view/'
    """
    from urllib.parse import urljoin

    base = urljoin(page_url, view_path) if view_path else page_url
    return f"{base}?{query}" if query else base


def citation(state: ExplorerState, link: str | None, today: dt.date | None = None) -> str:
    """A "cite this view" text in the visitor's language: data version, date, sources, credits
    and the view's link."""
    atlas = state.atlas
    today = today or dt.date.today()
    source_ids: list[str] = []
    for feature_id in selection_ids(state):
        layer = state.feature_layer(feature_id)
        record = atlas.places.loc[feature_id] if layer == "places" else atlas.feature(feature_id)
        source_ids += list(record.get("source_ids") or ())
    if state.measure is not None:
        source_ids += list(atlas.measures.at[state.measure, "source_ids"])
    titles = [str(atlas.sources.at[s, "title"]) for s in dict.fromkeys(source_ids) if s in atlas.sources.index]
    lang = state.lang
    lines = [t("cite.line", lang, version=atlas.version, date=today.isoformat())]
    if state.as_of:
        lines.append(t("cite.as_of", lang, date=state.as_of))
    if link:
        lines.append(t("cite.view", lang, link=link))
    if titles:  # titles stay as the sources give them: originals are cited, not translated
        lines.append(t("cite.sources", lang, titles="; ".join(titles)))
    lines.append(t("cite.credits", lang))
    return "\n".join(lines)
