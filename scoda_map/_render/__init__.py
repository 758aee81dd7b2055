"""The render layer: pure functions from data and state to what a page shows.

HTML fragments (:mod:`.details`, :mod:`.panels`, :mod:`.messages`), figure specs
(:mod:`.charts`, :mod:`.static_map`) and map features (:mod:`.features`,
:mod:`.aggregate`). No widgets here: the live explorer's widgets
(:mod:`scoda_map._views`) show what these return, the static site
(:mod:`scoda_map._export`) ships it pre-rendered, and :mod:`scoda_map.figures`
wraps it for notebooks. One renderer, so the live and the static explorer
cannot drift apart; importing it loads no ipywidgets.
"""

__all__ = ["aggregate", "charts", "details", "feature_list", "features", "html", "legend", "measure_browser", "messages",
           "overview", "panels", "static_map", "timeline"]
