"""A message for the visitor, stored as a catalog key and its values.

The model keeps the key, not the translated text: the render layer translates
it each time it draws (:func:`scoda_map._render.messages.notice_html`), so a
notice follows a language switch instead of staying in the old language.

Examples
--------
>>> Notice("notice.unknown_feature", value="r-nowhere").values
{'value': 'r-nowhere'}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Notice"]


@dataclass(frozen=True, init=False)
class Notice:
    """A message key (from the catalogs) and the values its text names."""

    key: str
    params: tuple[tuple[str, str], ...] = field(default=())

    def __init__(self, key: str, **values: Any):
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "params", tuple((name, str(value)) for name, value in values.items()))

    @property
    def values(self) -> dict[str, str]:
        """The values as a dict, for the message's placeholders."""
        return dict(self.params)
