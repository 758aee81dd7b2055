"""Find places by name in English, Chinese or Russian, and what stands there."""

from __future__ import annotations

from collections import defaultdict

from .._data.atlas import Atlas
from .._i18n import LANGUAGES


class PlaceIndex:
    """Search labels for every place, and the features at each place.

    A label holds the place's names in all three languages and its country, so
    one search box finds "Almaty", "阿拉木图" or "Алматы".
    """

    def __init__(self, atlas: Atlas):
        self._at: dict[str, list[str]] = defaultdict(list)
        self._layers_at: dict[str, set[str]] = defaultdict(set)
        for name in atlas.layer_names():
            frame = atlas.layer(name)
            if name == "routes":
                stops = atlas.route_stops[atlas.route_stops["role"] != "origin"]
                for route_id, place_id in zip(stops["route_id"], stops["place_id"]):
                    self._at[place_id].append(route_id)
                    self._layers_at[place_id].add(name)
            else:
                for member_id, place_id in zip(frame.index, frame["place_id"]):
                    self._at[place_id].append(member_id)
                    self._layers_at[place_id].add(name)
        self.labels: dict[str, str] = {}
        places = atlas.places
        columns = [places[f"name_{lang}"].tolist() for lang in LANGUAGES]
        for place_id, country, *names in zip(places.index, places["country"], *columns):
            label = " · ".join(dict.fromkeys(n for n in names if isinstance(n, str))) + f" ({country})"
            self.labels[label] = place_id

    def options(self, skip_layers: frozenset[str] = frozenset()) -> list[str]:
        """Search labels, sorted; without the places that only ``skip_layers`` use."""
        if not skip_layers:
            return sorted(self.labels)
        return sorted(label for label, place_id in self.labels.items()
                      if not self._layers_at.get(place_id) or self._layers_at[place_id] - skip_layers)

    def matches(self, text: str, limit: int = 50) -> tuple[list[str], int]:
        """Labels that contain ``text`` (any language, any case): the first ``limit``, sorted, and how many in all."""
        needle = text.strip().casefold()
        if not needle:
            return [], 0
        hits = [label for label in self.labels if needle in label.casefold()]
        return sorted(hits)[:limit], len(hits)

    def place_for(self, text: str) -> str | None:
        """The place a label (or a unique name fragment, any language) names."""
        if text in self.labels:
            return self.labels[text]
        shown, count = self.matches(text, limit=1)
        return self.labels[shown[0]] if count == 1 else None

    def features_at(self, place_id: str) -> list[str]:
        """Layer features at a place: members there and routes that reach it."""
        return list(dict.fromkeys(self._at.get(place_id, [])))
