"""Every feed address ever published keeps answering: the registry of published feeds, read and recorded.

A subscriber's calendar keeps the last copy of a feed that answers 404 for good, so its events become
ghosts. The build therefore publishes an emptied calendar at every address it published before and no
longer fills; it needs the list of those addresses, and that list must survive a fresh CI checkout,
whose outputs/ is empty. It lives where the feeds themselves live: the published site.

    outputs/feeds.json      the registry (engine.render.feed_registry), published with the site

A build reads the registry of the previous build in outputs/ and, with `--site-url`, the one at
<site>/feeds.json — what subscribers have actually been given (a CI job's outputs/ is new every time).
Both are merged: an address once recorded is never dropped. After the build, every feed in outputs/
is recorded, and the registry is written. Why the site and not a file committed to the specs
repository: docs/ci.md («Календари не пропадают»).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterable
from pathlib import Path

from engine.building.atomic import write_bytes_if_changed
from engine.diagnostics import Diagnostic, Severity, Span
from engine.model.identity import SHARED_FEEDS
from engine.render import BuildOptions
from engine.render.feed_registry import FEEDS_REGISTRY, PublishedFeed, read_registry, registry_bytes
from engine.render.ics import published_feed, retired_feed

REGISTRY_UNREADABLE = "C202"
FETCH_SECONDS = 30
_HEAD_BYTES = 16384      # a feed's own properties come before its first event


def previous_feeds(outputs: Path, site_url: str | None) -> tuple[dict[str, PublishedFeed], list[Diagnostic]]:
    """The feeds published before: outputs/feeds.json merged with <site_url>/feeds.json.

    The site's registry must be read whenever a site is named: a build that could not read it would
    publish over it without the addresses it lists. So anything but «there is none yet» (HTTP 404, the
    first publication) is an error, and the build publishes nothing. A damaged local copy is only a warning:
    the site (or the files still in outputs/) has the same addresses.
    """
    feeds: dict[str, PublishedFeed] = {}
    problems: list[Diagnostic] = []
    local = outputs / FEEDS_REGISTRY
    if local.is_file():
        try:
            feeds.update(read_registry(local.read_bytes()))
        except (OSError, ValueError) as exc:
            problems.append(_unreadable(local.as_posix(), exc, Severity.WARNING,
                                        "файл пересоздаётся по календарям в папке; удалите его, если он не нужен"))
    if site_url:
        address = f"{site_url.rstrip('/')}/{FEEDS_REGISTRY}"
        try:
            with urllib.request.urlopen(address, timeout=FETCH_SECONDS) as response:
                remote = read_registry(response.read())
            for path, feed in remote.items():
                feeds.setdefault(path, feed)
        except urllib.error.HTTPError as exc:
            if exc.code != 404:
                problems.append(_unreadable(address, exc, Severity.ERROR, _RETRY))
        except (OSError, ValueError) as exc:
            if not (isinstance(exc, FileNotFoundError) or isinstance(getattr(exc, "reason", None), FileNotFoundError)):
                problems.append(_unreadable(address, exc, Severity.ERROR, _RETRY))
    return feeds, problems


_RETRY = ("без него календари, опубликованные раньше, могли бы пропасть у подписчиков; проверьте адрес сайта "
          "(--site-url) и запустите сборку снова")


def _unreadable(where: str, exc: Exception, severity: Severity, hint: str) -> Diagnostic:
    reason = getattr(exc, "reason", None) or exc
    return Diagnostic(REGISTRY_UNREADABLE, severity, f"реестр опубликованных календарей {where} не прочитан: {reason}",
                      Span.whole_file(Path(where)) if severity is Severity.WARNING else None, hint,
                      "feeds-registry")


def removed_programmes(published: Iterable[str], built_before: Iterable[str], current: set[str]) -> list[str]:
    """Programme folders that published feeds (or that an earlier build made here) and are no longer in the specs."""
    folders = {path.split("/", 1)[0] for path in published if "/" in path} | set(built_before)
    return sorted(folders - current - {SHARED_FEEDS})


def retired_programme(folder: str, published: dict[str, PublishedFeed], earlier_feeds: Iterable[str],
                      options: BuildOptions) -> dict[str, bytes]:
    """The files of a removed programme's folder: an emptied calendar at each of its feed addresses."""
    paths = {path for path in published if path.startswith(f"{folder}/")}
    paths |= {f"{folder}/{name}" for name in earlier_feeds if name.endswith(".ics")}
    return {path.removeprefix(f"{folder}/"): retired_feed(
        published.get(path) or PublishedFeed(path.rsplit("/", 1)[-1].removesuffix(".ics"), ()), (), options,
        "программы больше нет в репозитории спецификаций") for path in sorted(paths)}


def record_feeds(outputs: Path, previous: dict[str, PublishedFeed]) -> dict[str, PublishedFeed]:
    """The registry after this build, written to outputs/feeds.json: every feed in outputs/ with the name it is
    published under (an emptied one keeps the name recorded before), and every address recorded before."""
    feeds = dict(previous)
    for path in sorted(outputs.rglob("*.ics")):
        relative = path.relative_to(outputs)
        if any(part.startswith(".") for part in relative.parts):   # staging folders, the cache
            continue
        try:
            with path.open("rb") as stream:
                head = stream.read(_HEAD_BYTES)
        except OSError:
            continue
        found, retired = published_feed(head)
        if not retired or relative.as_posix() not in feeds:
            feeds[relative.as_posix()] = found
    write_bytes_if_changed(outputs / FEEDS_REGISTRY, registry_bytes(feeds))
    return feeds
