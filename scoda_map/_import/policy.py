"""Rows of a measures sheet -> ``measures.csv``; rows of a links sheet -> ``links.csv``.

A measures sheet has one row per measure: the document (id or title), its
number, titles and text in Chinese, with English and Russian where known, the
responsible agencies, and the usual source / date / confidence. A measure is
matched by id, by (document, number), or by title in any language.

A links sheet needs two columns, the measure (id, number or title) and the
feature (id, or the name of a route or of a layer member's place, in any
language). A link is ``inferred`` and rests on the measure's own sources unless
the sheet says otherwise: it is our reading of the measure.
"""

from __future__ import annotations

from collections import Counter

from .._data.schemas import Link, Measure, Source
from . import values
from .merge import RowError, check_model, finish, matching, merge, provenance, row_names
from .names import split_languages
from .report import RowResult
from .values import BadValue
from .workspace import Workspace, name_of, slug

TITLE_COLUMNS = ("title_en", "title_zh", "title_ru")


def _document(ws: Workspace, value: str | None) -> str:
    if not value:
        raise BadValue("document is required (its id, e.g. opinions_2024, or its title)")
    documents = ws.atlas.documents
    if value in documents.index:
        return value
    hits = matching(documents, {"any": value}, TITLE_COLUMNS)
    if len(hits) != 1:
        raise BadValue(f"document '{value}' is not in documents.csv (give its id, e.g. {', '.join(documents.index[:2])})")
    return hits[0]


def _section(ws: Workspace, value: str | None, document_id: str) -> str | None:
    if not value:
        return None
    sections = ws.atlas.sections[ws.atlas.sections["document_id"] == document_id]
    if value in sections.index:
        return value
    hits = matching(sections, {"any": value}, ("name_en", "name_zh", "name_ru"))
    if len(hits) != 1:
        raise BadValue(f"section '{value}' is not a section of {document_id}")
    return hits[0]


def _check_sources(ws: Workspace, sources: list[str], errors: list[str]) -> None:
    for record in ws.new_sources():
        if record["id"] in sources:
            errors += check_model(Source, record, "source")


def import_measures(ws: Workspace, rows: list[dict], document: str | None = None) -> list[RowResult]:
    """Turn every row of a measures sheet into a measure record (or say why not).

    Parameters
    ----------
    ws : Workspace
        The folder being imported into (its own ``measures`` file is written).
    rows : list of dict
        The sheet's rows (canonical fields, see :mod:`.sheets`).
    document : str, optional
        Document id (or title) for rows without a ``document`` cell.

    Returns
    -------
    list of RowResult
    """
    table = ws.table(ws.own("measures"))
    seen: dict[tuple, int] = {}
    results = []
    for row in rows:
        titles = row_names(row, "title") or row_names(row, "name")  # a "名称" column names the measure too
        result = RowResult(int(row["_row"]), "rejected", name=" / ".join(titles.values()) or (row.get("number") or ""))
        try:
            _measure_row(ws, table, row, titles, document, seen, result)
        except RowError as exc:
            finish(result, exc)
        results.append(result)
    return results


def _measure_row(ws, table, row, titles, document, seen, result) -> None:
    errors: list[str] = []
    parsed: dict = {}
    for key, parse in (("document_id", lambda: _document(ws, row.get("document") or document)),
                       ("number", lambda: values.measure_number(row.get("number"))),
                       ("text_status", lambda: values.vocabulary(row.get("text_status"), values.TEXT_STATUSES, "text status"))):
        try:
            parsed[key] = parse()
        except BadValue as exc:
            errors.append(str(exc))
    if parsed.get("document_id"):
        try:
            parsed["section_id"] = _section(ws, row.get("section"), parsed["document_id"])
        except BadValue as exc:
            errors.append(str(exc))
    if not titles and parsed.get("number") is None and not row.get("id"):
        errors.append("no title in any language (title / 标题 / заголовок) and no number")
    confidence, date, sources = provenance(ws, row, errors)
    _check_sources(ws, sources, errors)
    if errors:
        raise RowError("rejected", "; ".join(errors))
    document_id, number = parsed["document_id"], parsed["number"]
    keys = {("number", document_id, number)} if number else set()
    keys |= {("title", document_id, name_of(t)) for t in titles.values()} | ({("id", row["id"])} if row.get("id") else set())
    if any(key in seen for key in keys):
        first = next(seen[key] for key in keys if key in seen)
        raise RowError("rejected", f"duplicate of row {first} (same measure)", "duplicate")
    seen.update({key: result.row for key in keys})

    measures = ws.atlas.measures
    same_document = measures[measures["document_id"] == document_id]
    hits = [row["id"]] if row.get("id") in measures.index else []
    if not hits and number:
        hits = [str(i) for i in same_document.index[same_document["number"] == number]]
    if not hits:
        hits = matching(same_document, titles, TITLE_COLUMNS)
    if len(hits) > 1:
        raise RowError("ambiguous", f"matches several measures: {', '.join(hits)}; give the id", "record")
    text = row.get("text")
    notes = [row.get("note")] + ([f"Agencies (ru): {row['agencies_ru']}."] if row.get("agencies_ru") else [])
    note = " ".join(filter(None, notes)) or None
    fields = {"number": number, "section_id": parsed.get("section_id"), **{c: row.get(c) for c in TITLE_COLUMNS},
              "summary_en": row.get("summary_en"), "summary_zh": row.get("summary_zh"), "summary_ru": row.get("summary_ru"),
              "agencies_en": row.get("agencies_en"), "agencies_zh": row.get("agencies_zh"),
              "text_status": parsed["text_status"], "quote": text}
    if hits:
        result.record = hits[0]
        index = table.find("id", hits[0])
        if index is None:
            raise RowError("rejected", f"{hits[0]} belongs to the data this folder extends; it is not changed here")
        merged = merge({k: (v or None) for k, v in table.rows[index].items()}, fields, confidence, sources, date, note)
        if merged.refused:
            raise RowError("rejected", f"{hits[0]}: {merged.refused}", "weaker")
        if merged.unchanged:
            result.outcome, result.details = "unchanged", f"already in the data as {hits[0]}"
            return
        record, result.outcome, result.details = merged.record, "updated", f"{hits[0]}: {', '.join(merged.describe())}"
    else:
        prefix = _measure_prefix(same_document, document_id)
        base = f"{prefix}-{number:02d}" if number else (f"{prefix}-{slug(titles.get('en'), 40)}" if slug(titles.get("en")) else "")
        new_id = row.get("id") or (ws.unique(base, ws.measure_ids) if base else ws.counted(prefix, ws.measure_ids))
        fallback = None if titles.get("en") else next(iter(titles), None)
        if fallback:
            fields["title_en"] = titles[fallback]
            note = " ".join(filter(None, [note, f"No English title in the sheet: title_en repeats the {fallback} title."]))
        fields["text_status"] = fields["text_status"] or ("original" if text else "not_public")
        record = {"id": new_id, "document_id": document_id, **fields, "source_ids": ";".join(sources),
                  "confidence": confidence, "date": date, "note": note}
        result.record, result.outcome, result.details = new_id, "added", f"new measure {new_id} of {document_id}"
    problems = check_model(Measure, record, "measure")
    if problems:
        raise RowError("rejected", "; ".join(problems))
    index = table.find("id", record["id"])
    table.append(record) if index is None else table.replace(index, record)
    ws.measure_ids.add(record["id"])
    ws.use_sources(sources)


def _measure_prefix(measures, document_id: str) -> str:
    firsts = Counter(str(i).split("-", 1)[0] for i in measures.index if "-" in str(i))
    return firsts.most_common(1)[0][0] if firsts else slug(document_id, 24)


def import_links(ws: Workspace, rows: list[dict], document: str | None = None) -> list[RowResult]:
    """Turn every row of a links sheet into a link between a measure and a feature (or say why not).

    Parameters
    ----------
    ws : Workspace
        The folder being imported into (its own ``links`` file is written).
    rows : list of dict
        The sheet's rows: ``measure`` and ``feature`` at least.
    document : str, optional
        Limits measure numbers (``5``, ``第5条``) to this document.

    Returns
    -------
    list of RowResult
    """
    table = ws.table(ws.own("links"))
    features = _feature_names(ws)
    seen: dict[tuple, int] = {}
    results = []
    for row in rows:
        result = RowResult(int(row["_row"]), "rejected", name=f"{row.get('measure') or '?'} -> {row.get('feature') or '?'}")
        try:
            _link_row(ws, table, features, row, document, seen, result)
        except RowError as exc:
            finish(result, exc)
        results.append(result)
    return results


def _feature_names(ws: Workspace) -> list[tuple[str, str, set[str]]]:
    out = []
    for layer in ws.atlas.layer_names():
        for feature_id, record in ws.atlas.layer(layer).iterrows():
            names = {name_of(record.get(c)) for c in ("name_en", "name_zh", "name_ru") if isinstance(record.get(c), str)}
            out.append((str(feature_id), layer, names))
    return out


def _find_measure(ws: Workspace, value: str | None, document: str | None) -> str:
    measures = ws.atlas.measures
    if not value:
        raise RowError("rejected", "measure is required (its id, number or title)")
    if value in measures.index:
        return value
    try:
        number = values.measure_number(value)
    except BadValue:
        number = None
    if number is not None:
        pool = measures if document is None else measures[measures["document_id"] == document]
        hits = [str(i) for i in pool.index[pool["number"] == number]]
    else:
        hits = matching(measures, {"any": value}, TITLE_COLUMNS)
    if len(hits) > 1:
        raise RowError("ambiguous", f"measure '{value}' matches several: {', '.join(hits)}; give the id", "record")
    if not hits:
        raise RowError("rejected", f"no measure '{value}' (give its id, number or title)")
    return hits[0]


def _link_row(ws, table, features, row, document, seen, result) -> None:
    measure_id = _find_measure(ws, row.get("measure"), document)
    wanted, layer = name_of(row.get("feature")), row.get("layer")
    if not wanted:
        raise RowError("rejected", "feature is required (its id or name)")
    # "中白工业园 (Great Stone)": the whole cell or either language's part names the feature
    wanted_names = {wanted} | {name_of(part) for part in split_languages(row.get("feature")).values()}
    hits = [(fid, lyr) for fid, lyr, names in features
            if (layer is None or lyr == layer) and (fid == row.get("feature") or wanted_names & names)]
    if len({fid for fid, _ in hits}) > 1:
        raise RowError("ambiguous", f"feature '{row['feature']}' matches several: {', '.join(f for f, _ in hits)}; give the id", "record")
    if not hits:
        raise RowError("rejected", f"no feature '{row['feature']}' in any map layer (give its id or name)")
    feature_id, layer = hits[0]
    result.record = f"{measure_id} -> {feature_id}"
    measure = ws.atlas.measures.loc[measure_id]
    errors: list[str] = []
    relation = None
    try:
        relation = values.vocabulary(row.get("relation"), values.RELATIONS, "relation") or "supports"
    except BadValue as exc:
        errors.append(str(exc))
    confidence, date, sources = provenance(ws, row, errors, default_confidence="inferred",
                                           default_source=list(measure["source_ids"]), default_date=measure["date"])
    _check_sources(ws, sources, errors)
    if errors:
        raise RowError("rejected", "; ".join(errors))
    if (measure_id, feature_id) in seen:
        raise RowError("rejected", f"duplicate of row {seen[(measure_id, feature_id)]}", "duplicate")
    seen[(measure_id, feature_id)] = result.row
    rationale = row.get("rationale_en")
    index = next((i for i, r in enumerate(table.rows) if r["measure_id"] == measure_id and r["feature_id"] == feature_id), None)
    existing = ws.atlas.links[(ws.atlas.links["measure_id"] == measure_id) & (ws.atlas.links["feature_id"] == feature_id)] \
        if len(ws.atlas.links) else []
    if index is None and len(existing):
        raise RowError("rejected", f"{result.record} belongs to the data this folder extends; it is not changed here")
    if index is not None:
        fields = {"relation": relation if row.get("relation") else None, "rationale_en": rationale}
        merged = merge({k: (v or None) for k, v in table.rows[index].items()}, fields, confidence, sources, date, row.get("note"))
        if merged.refused:
            raise RowError("rejected", f"{result.record}: {merged.refused}", "weaker")
        if merged.unchanged:
            result.outcome, result.details = "unchanged", "the link is already in the data"
            return
        record, result.outcome, result.details = merged.record, "updated", f"{result.record}: {', '.join(merged.describe())}"
    else:
        record = {"measure_id": measure_id, "layer": layer, "feature_id": feature_id, "relation": relation,
                  "rationale_en": rationale or f"Linked by staff in the sheet {ws.sheet} (row {result.row}); no rationale given.",
                  "source_ids": ";".join(sources), "confidence": confidence, "date": date, "note": row.get("note")}
        result.outcome, result.details = "added", f"new link {result.record} ({layer}, {relation})"
    problems = check_model(Link, record, "link")
    if problems:
        raise RowError("rejected", "; ".join(problems))
    table.append(record) if index is None else table.replace(index, record)
    ws.use_sources(sources)
