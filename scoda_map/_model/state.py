"""The explorer's state, without widgets: what is selected, shown and filtered.

Views observe an :class:`ExplorerState` and redraw; controls call its methods.
Every value that comes from outside (a click, a URL, a crafted widget message)
goes through a method that checks it against the atlas, so the state can only
hold ids that exist.
"""

from __future__ import annotations

import pandas as pd
from traitlets import Enum, HasTraits, Instance, TraitError, Tuple, Unicode, validate

from .._data.atlas import Atlas
from .._i18n import LANGUAGES
from .notice import Notice
from .places import PlaceIndex
from .timeline import parse_as_of

MAX_QUERY = 200


def search_keys(measures: pd.DataFrame) -> pd.Series:
    """What the measure search looks in: titles, summaries, agencies and quote, casefolded.

    The static site ships these keys, so its search finds what the explorer's does.
    """
    text_columns = [c for c in measures.columns if c.startswith(("title_", "summary_", "agencies_"))] + ["quote"]
    return measures[text_columns].fillna("").astype(str).agg(" ".join, axis=1).str.casefold()


class ExplorerState(HasTraits):
    """Selection, visible layers, measure filters and language of one visitor.

    Examples
    --------
    >>> import scoda_map
    >>> from scoda_map._model.state import ExplorerState
    >>> state = ExplorerState(scoda_map.load())
    >>> state.select_feature("r-almaty")
    True
    >>> state.linked_measures()["measure_id"].tolist()[:1]
    ['op24-01']
    """

    lang = Enum(LANGUAGES, default_value="en")
    layers = Tuple()  # names of the visible map layers
    feature = Unicode(None, allow_none=True)  # a layer feature or a place id
    measure = Unicode(None, allow_none=True)
    document = Unicode(None, allow_none=True)  # measure-list filter
    query = Unicode("")  # measure-list text search
    notice = Instance(Notice, allow_none=True)  # a message key for the visitor (unknown id, ...), translated when drawn
    spotlight = Tuple()  # features lit by a tour step rather than a selection
    as_of = Unicode(None, allow_none=True)  # the time control's date (YYYY[-MM[-DD]]); None: today

    def __init__(self, atlas: Atlas, **kwargs):
        self.atlas = atlas
        self.places = PlaceIndex(atlas)
        # (document, query) -> the measures they leave, in reading order: a language switch
        # redraws the list and its count from the same filter (the atlas never changes).
        self._visible: dict[tuple, pd.DataFrame] = {}
        kwargs.setdefault("layers", tuple(n for n in atlas.layer_names() if atlas.layer_info(n).visible))
        super().__init__(**kwargs)

    # -- invariants: only ids that exist ------------------------------------
    @validate("feature")
    def _check_feature(self, proposal):
        value = proposal["value"]
        if value is not None and not self.is_feature(value):
            raise TraitError(f"no feature {value!r}")
        return value

    @validate("measure")
    def _check_measure(self, proposal):
        value = proposal["value"]
        if value is not None and value not in self.atlas.measures.index:
            raise TraitError(f"no measure {value!r}")
        return value

    @validate("document")
    def _check_document(self, proposal):
        value = proposal["value"]
        if value is not None and value not in self.atlas.documents.index:
            raise TraitError(f"no document {value!r}")
        return value

    @validate("layers")
    def _check_layers(self, proposal):
        known = self.atlas.layer_names()
        return tuple(name for name in known if name in proposal["value"])

    @validate("as_of")
    def _check_as_of(self, proposal):
        value = proposal["value"]
        if value is not None and parse_as_of(value) is None:
            raise TraitError(f"not a date {value!r}")
        return value

    @validate("query")
    def _check_query(self, proposal):
        return proposal["value"][:MAX_QUERY]

    def key(self) -> tuple:
        """Every trait's value, hashable: all a render of this state can depend on besides the
        data (``_render.memo`` remembers fragments by it).

        >>> import scoda_map
        >>> state = ExplorerState(scoda_map.load())
        >>> before = state.key()
        >>> state.lang = "zh"
        >>> state.key() == before
        False
        """
        return tuple(sorted(self.trait_values().items()))

    def is_feature(self, feature_id: object) -> bool:
        """Whether ``feature_id`` names a layer feature or a place."""
        if not isinstance(feature_id, str):
            return False
        try:
            self.atlas.layer_of(feature_id)
            return True
        except KeyError:
            return feature_id in self.atlas.places.index

    # -- actions -------------------------------------------------------------
    def select_feature(self, feature_id: str | None) -> bool:
        """Select a feature (or a place); an unknown id leaves a notice instead."""
        if feature_id is not None and not self.is_feature(feature_id):
            self.notice = Notice("notice.unknown_feature", value=str(feature_id)[:80])
            return False
        with self.hold_trait_notifications():
            self.measure = None
            self.spotlight = ()
            self.feature = feature_id
            self.notice = None
        return True

    def select_measure(self, measure_id: str | None) -> bool:
        """Select a measure; its linked features become the highlight."""
        if measure_id is not None and measure_id not in self.atlas.measures.index:
            self.notice = Notice("notice.unknown_measure", value=str(measure_id)[:80])
            return False
        with self.hold_trait_notifications():
            self.feature = None
            self.spotlight = ()
            self.measure = measure_id
            self.notice = None
        return True

    def clear(self) -> None:
        with self.hold_trait_notifications():
            self.feature = None
            self.measure = None
            self.spotlight = ()

    def show_layer(self, name: str, visible: bool = True) -> None:
        current = set(self.layers)
        self.layers = tuple(current | {name} if visible else current - {name})

    # -- what the views show ----------------------------------------------------
    def feature_layer(self, feature_id: str | None = None) -> str:
        """The layer of the selected (or given) feature; ``places`` for a bare place."""
        feature_id = feature_id or self.feature
        try:
            return self.atlas.layer_of(feature_id)
        except KeyError:
            return "places"

    def linked_measures(self) -> pd.DataFrame:
        """Measures supporting the selected feature (for a place: everything there)."""
        if self.feature is None:
            return self.atlas.measures_for("")
        frames = [self.atlas.measures_for(fid) for fid in self.features_at_selection()]
        frame = pd.concat(frames, ignore_index=True) if frames else self.atlas.measures_for("")
        return frame.drop_duplicates("measure_id", ignore_index=True)

    def features_at_selection(self) -> list[str]:
        """The selected feature, or for a place the features at that place."""
        if self.feature is None:
            return []
        if self.feature_layer() != "places":
            return [self.feature]
        return self.places.features_at(self.feature)

    def measure_features(self) -> pd.DataFrame:
        """Features the selected measure reaches."""
        return self.atlas.features_for(self.measure) if self.measure else self.atlas.features_for("")

    def highlight_ids(self) -> list[str]:
        """Feature (or place) ids to draw in the highlight layer."""
        if self.measure is not None:
            return self.measure_features()["feature_id"].tolist()
        if self.feature is not None:
            return [self.feature]
        return list(self.spotlight)

    def visible_measures(self) -> pd.DataFrame:
        """Measures after the document filter and the text search, in reading order."""
        key = (self.document, self.query.strip().casefold())
        if key not in self._visible:
            if len(self._visible) > 32:  # a visitor typing: keep the last few filters
                self._visible.pop(next(iter(self._visible)))
            self._visible[key] = self._filter_measures()
        return self._visible[key].copy()  # the caller's own: the remembered one stays right

    def _filter_measures(self) -> pd.DataFrame:
        measures = self.atlas.measures
        if self.document is not None:
            measures = measures[measures["document_id"] == self.document]
        query = self.query.strip().casefold()
        if query:
            measures = measures[search_keys(measures).str.contains(query, regex=False)]
        section_order = self.atlas.sections["order"].to_dict()
        # Newest document first, then by section and measure number.
        issued = self.atlas.documents["issued"].fillna("").to_dict()
        keys = measures.assign(
            _document=measures["document_id"].map(issued).fillna(""),
            _section=measures["section_id"].map(section_order).fillna(999),
            _number=measures["number"].fillna(999),
        )
        keys = keys.sort_values(["_section", "_number", "id"]).sort_values("_document", ascending=False, kind="stable")
        return keys.drop(columns=["_document", "_section", "_number"])
