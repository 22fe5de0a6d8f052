"""The registry of published feeds: every calendar address ever published, so that none ever disappears.

Types and bytes only: `engine.building.published` reads the registry of the previous publication
(outputs/feeds.json, or the one on the published site) and records the new one; the calendar
renderers publish an emptied calendar at every registered address they no longer fill
(docs/calendars.md, «Адрес календаря не пропадает»).

outputs/feeds.json is published with the site, so that the next build — in CI, a fresh checkout
with an empty outputs/ — reads it from there:

    {"format": "prikaz-feeds/1",
     "feeds": {"lipetsk-2022/calendars/oo.ics": {"name": "ОО — …", "zones": ["Europe/Moscow"]}, …}}

`name` and `zones` are those of the last calendar published at the address with events of its own:
an emptied calendar keeps the name its subscribers know, with «календарь закрыт / перенесён».
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

FEEDS_REGISTRY = "feeds.json"
FORMAT = "prikaz-feeds/1"


@dataclass(frozen=True)
class PublishedFeed:
    name: str
    zones: tuple[str, ...]


def registry_bytes(feeds: Mapping[str, PublishedFeed]) -> bytes:
    """The registry as published: sorted, so that the same feeds give the same bytes."""
    data = {"format": FORMAT, "feeds": {path: {"name": feed.name, "zones": list(feed.zones)}
                                        for path, feed in sorted(feeds.items())}}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def read_registry(data: bytes) -> dict[str, PublishedFeed]:
    """The feeds of a registry; ValueError when it is not one (damaged, foreign or of another format)."""
    try:
        parsed = json.loads(data.decode("utf-8"))
        if not isinstance(parsed, dict) or parsed.get("format") != FORMAT or not isinstance(parsed.get("feeds"), dict):
            raise ValueError("не реестр календарей prikaz")
        feeds = {}
        for path, feed in parsed["feeds"].items():
            if not _safe_path(path):
                raise ValueError(f"адрес «{path}» вне папки сайта")
            feeds[path] = PublishedFeed(str(feed["name"]), tuple(str(zone) for zone in feed["zones"]))
        return feeds
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(str(exc)) from None


def _safe_path(path: object) -> bool:
    """A feed address relative to the site: «a/b.ics», never «/…», «..» or a backslash (the registry comes from
    the network)."""
    if not isinstance(path, str) or not path.endswith(".ics") or "\\" in path or path.startswith("/"):
        return False
    parts = path.split("/")
    return all(part and part not in (".", "..") and not part.startswith(".") for part in parts)
