"""Rendered fragments remembered per atlas, so a language switch back and forth is cheap.

A language switch redraws every pane: the overview, the charts, the measure browser, the
feature list, the footer. Each is a pure function of the data and a few hashable values
(language, selection, visible layers), and a visitor switching languages (or a kiosk's tour
stepping through them) asks for the same few again and again. In the kernel these renders
were most of a switch's time (docs/performance.md). An atlas is never changed once loaded
(a staff import writes files; the next kernel loads them), so a fragment made from it stays
right for as long as the atlas lives; the cache goes with the atlas (a weak reference) and
keeps the last ``maxsize`` fragments of each function.

Only for functions whose result is immutable (``Markup``, ``str``, tuples) or copied by
the caller: a cached dict handed out twice and changed once would change both.

Examples
--------
>>> class Data:
...     pass
>>> calls = []
>>> @per_atlas()
... def title(atlas, lang):
...     calls.append(lang)
...     return f"title in {lang}"
>>> data = Data()
>>> title(data, "zh"), title(data, "zh"), calls
('title in zh', 'title in zh', ['zh'])
"""

from __future__ import annotations

import functools
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

__all__ = ["per_atlas"]


def per_atlas(maxsize: int = 48, key: Callable[..., Hashable] | None = None):
    """Remember ``fn(atlas, *args, **kwargs)`` per atlas object, the last ``maxsize`` results.

    ``key(*args, **kwargs)`` makes the hashable key where an argument is not hashable
    (a DataFrame of the visible measures: its index); by default the arguments themselves.
    """
    def decorate(fn):
        caches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

        @functools.wraps(fn)
        def remembered(atlas, *args, **kwargs) -> Any:
            made = key(*args, **kwargs) if key else (args, tuple(sorted(kwargs.items())))
            cache = caches.get(atlas)
            if cache is None:
                cache = caches[atlas] = OrderedDict()
            if made in cache:
                cache.move_to_end(made)
                return cache[made]
            value = cache[made] = fn(atlas, *args, **kwargs)
            if len(cache) > maxsize:
                cache.popitem(last=False)
            return value

        remembered.cache_clear = caches.clear
        return remembered
    return decorate
