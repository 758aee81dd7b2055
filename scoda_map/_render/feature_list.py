"""Every map feature as a button: the keyboard's (and a shaky finger's) way to a route.

A route is a 3 px line; clicking it must not be the only way to its details
(WCAG 2.1.1). This list names every route (grouped by corridor, with the line as
the map draws it) and every member of the point layers; a press selects it as a
click on the map would (``ExplorerState.select_feature``).
"""

from __future__ import annotations

from markupsafe import Markup

from .._data.atlas import Atlas
from .._i18n import data_text, t
from .html import aside, punct
from .legend import corridor_dashes, line_sample
from .memo import per_atlas


def _name(record, lang: str) -> str:
    return data_text(record, "name", lang)[0] or str(record.name)


def _button(feature_id: str, label, selected: str | None, drawn: bool, lang: str) -> Markup:
    off_map = Markup("") if drawn else aside(t("features.not_on_map", lang), lang, "scoda-fl-off")
    return Markup('<li><button type="button" class="scoda-fl-item" data-pick="{}" aria-pressed="{}">{}{}</button></li>').format(
        feature_id, "true" if feature_id == selected else "false", label, off_map)


@per_atlas(key=lambda lang, layers, selected=None: (lang, tuple(layers), selected))
def render(atlas: Atlas, lang: str, layers: tuple[str, ...] | list[str], selected: str | None = None) -> Markup:
    """Buttons for the features of the visible ``layers``: routes by corridor, then points by layer.

    Examples
    --------
    >>> import scoda_map
    >>> atlas = scoda_map.load()
    >>> html = render(atlas, "en", ["routes"])
    >>> html.count("data-pick=") == len(atlas.routes)
    True
    """
    groups = []
    for name in atlas.layer_names():
        if name not in layers:
            continue
        info = atlas.layer_info(name)
        title = info.title.get(lang) or info.title["en"]
        frame = atlas.layer(name)
        if info.kind == "routes":
            dashes = corridor_dashes(atlas)
            for cid, corridor in atlas.corridors.iterrows():
                members = frame[frame["corridor"] == cid]
                if not len(members):
                    continue
                sample = line_sample(corridor["color"], dashes[cid])
                cname = data_text(corridor, "name", lang)[0] or cid
                items = [_button(rid, _name(route, lang), selected, bool(route["on_map"]), lang) for rid, route in members.iterrows()]
                groups.append(Markup('<h5 class="scoda-fl-group">{}{}{}{}</h5><ul class="scoda-fl-list">{}</ul>').format(
                    sample, title, punct(": ", lang), cname, Markup("").join(items)))
        else:
            items = [_button(fid, _name(member, lang), selected, bool(member["on_map"]), lang) for fid, member in frame.iterrows()]
            groups.append(Markup('<h5 class="scoda-fl-group">{}</h5><ul class="scoda-fl-list">{}</ul>').format(
                title, Markup("").join(items)))
    return Markup('<div class="scoda-fl">{}</div>').format(Markup("").join(groups))
