"""The kernel websocket as the page received it: Jupyter's v1 binary protocol decoded by widget model."""

from __future__ import annotations

import json
import re
import struct


def parse_frame(payload):
    """(channel, header, content, buffers) of one websocket frame; None if unreadable."""
    try:
        if isinstance(payload, str):
            message = json.loads(payload)
            return message.get("channel"), message.get("header", {}), message.get("content", {}), []
        count = struct.unpack_from("<Q", payload, 0)[0]
        offsets = list(struct.unpack_from(f"<{count}Q", payload, 8)) + [len(payload)]
        parts = [payload[offsets[i]:offsets[i + 1]] for i in range(count)]
        return parts[0].decode(), json.loads(parts[1]), json.loads(parts[4]), parts[5:]
    except Exception:  # noqa: BLE001 - a diagnostic; never fail a run on it
        return None


def model_label(model_name: str, state: dict, parent: str | None = None) -> str:
    """``HTMLModel .scoda-details``; a widget without a scoda class: ``in .scoda-share``."""
    bits = [model_name]
    if state.get("name"):
        bits.append(f"name={state['name']}")
    classes = [c for c in state.get("_dom_classes", []) if c.startswith("scoda")]
    if classes:
        bits.append("." + ".".join(classes))
    elif parent:
        bits.append(f"in .{parent}")
    return " ".join(bits)


def label_states(states: dict[str, dict]) -> dict[str, str]:
    """Labels for an ``update_states`` reply: model id -> label (parent box's class if none)."""
    parents = {}
    for state in states.values():
        classes = [c for c in state.get("state", {}).get("_dom_classes", []) if c.startswith("scoda")]
        for child in state.get("state", {}).get("children", []) or []:
            if classes and isinstance(child, str):
                parents[child.replace("IPY_MODEL_", "")] = ".".join(classes)
    return {model_id: model_label(s.get("model_name", "?"), s.get("state", {}), parents.get(model_id))
            for model_id, s in states.items()}


def analyse_frames(frames: list) -> dict:
    """What the websocket carried: by message kind, by widget model type, top models."""
    by_kind: dict[str, list[int]] = {}
    by_model_type: dict[str, list[int]] = {}
    models: list[tuple[int, str]] = []
    for payload in frames:
        size = len(payload)
        parsed = parse_frame(payload)
        if parsed is None:
            by_kind.setdefault("unparsed", [0, 0])
            by_kind["unparsed"][0] += 1
            by_kind["unparsed"][1] += size
            continue
        channel, header, content, buffers = parsed
        data = content.get("data") if isinstance(content, dict) else None
        method = data.get("method") if isinstance(data, dict) else None
        kind = f"{channel}:{header.get('msg_type')}" + (f":{method}" if method else "")
        entry = by_kind.setdefault(kind, [0, 0])
        entry[0] += 1
        entry[1] += size
        states = []
        if method == "update_states":  # ipywidgets 8: every model's state in one reply
            labels = label_states(data.get("states", {}))
            states = [(s.get("model_name", "?"), s.get("state", {}), labels[i]) for i, s in data.get("states", {}).items()]
        elif header.get("msg_type") == "comm_open" and isinstance(data, dict) and "state" in data:
            name = data["state"].get("_model_name", "?")
            states = [(name, data["state"], model_label(name, data["state"]))]
        for model_name, state, label in states:
            nbytes = len(json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode())
            entry = by_model_type.setdefault(model_name, [0, 0])
            entry[0] += 1
            entry[1] += nbytes
            models.append((nbytes, label))
        if method == "update_states" and buffers:
            entry = by_model_type.setdefault("(binary buffers)", [0, 0])
            entry[0] += len(buffers)
            entry[1] += sum(len(b) for b in buffers)
    models.sort(reverse=True)
    return {
        "by_kind": {k: {"frames": v[0], "bytes": v[1]} for k, v in sorted(by_kind.items(), key=lambda kv: -kv[1][1])},
        "by_model_type": {k: {"models": v[0], "state_bytes": v[1]}
                          for k, v in sorted(by_model_type.items(), key=lambda kv: -kv[1][1])},
        "largest_models": [{"state_bytes": n, "model": label} for n, label in models[:10]],
        "model_count": len(models),
    }


def model_labels(frames: list) -> dict[str, str]:
    """Widget model id -> a readable label, from the state reply the page received."""
    labels = {}
    for payload in frames:
        parsed = parse_frame(payload)
        if parsed is None:
            continue
        data = parsed[2].get("data") if isinstance(parsed[2], dict) else None
        if isinstance(data, dict) and data.get("method") == "update_states":
            labels.update(label_states(data.get("states", {})))
    return labels


def updates_by_model(frames: list, labels: dict[str, str]) -> dict[str, dict]:
    """Bytes of comm messages per widget model (what one interaction sent to the page)."""
    out: dict[str, list[int]] = {}
    for payload in frames:
        parsed = parse_frame(payload)
        if parsed is None:
            continue
        channel, header, content, _ = parsed
        if header.get("msg_type") == "comm_msg":
            comm_id = content.get("comm_id", "?")
            data = content.get("data") or {}
            keys = ",".join(sorted((data.get("state") or {}).keys())) or data.get("method", "")
            label = f"{labels.get(comm_id, comm_id[:8])} [{keys}]"
        else:
            label = f"{channel}:{header.get('msg_type')}"
        entry = out.setdefault(label, [0, 0])
        entry[0] += 1
        entry[1] += len(payload)
    return {k: {"frames": v[0], "bytes": v[1]} for k, v in sorted(out.items(), key=lambda kv: -kv[1][1])}


def http_group(url: str) -> str:
    path = re.sub(r"^https?://[^/]+", "", url).split("?")[0]
    match = re.match(r"/voila/labextensions/((?:@[^/]+/)?[^/]+)/", path)
    if match:
        return f"labextension {match.group(1)}"
    if path.startswith("/voila/static/"):
        return "voila static"
    if path in ("/", "") or path.endswith(".ipynb"):
        return "page HTML"
    return path.rsplit("/", 1)[0] + "/" if "/" in path.strip("/") else path

