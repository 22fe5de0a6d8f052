"""Rendering: a checked programme → files, in memory.

A renderer is a pure function: it gets the validated model and the build
options and returns {relative path: bytes}. It never reads YAML and never
writes to disk; `engine.building.build` writes what renderers return, atomically.
A renderer that finds a problem it cannot render around raises RenderError
with diagnostics (a template that names a value the model lacks, say).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from engine.diagnostics import Diagnostic
from engine.model.validate import ProgrammeModel
from engine.render.calendar_history import CalendarHistory
from engine.render.feed_registry import PublishedFeed


@dataclass(frozen=True)
class BuildOptions:
    """What every renderer may depend on besides the model."""

    build_time: dt.datetime          # fixed per build: SOURCE_DATE_EPOCH or the specs' last change
    templates: Path                  # folder of the bundled DOCX templates
    pdf: bool = False
    # {programme id: its events' history}; a programme not in it has an unknown history (SEQUENCE 0)
    calendar_history: Mapping[str, CalendarHistory] = field(default_factory=dict)
    # every feed address published before (engine.building.published): one no longer filled gets an emptied calendar
    published_feeds: Mapping[str, PublishedFeed] = field(default_factory=dict)
    site_url: str | None = None      # where the site is published («https://…/»): absolute links; None — relative


class RenderError(Exception):
    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics

    def __reduce__(self):
        """Pickled with its diagnostics (a renderer's child process hands it over), not with its message alone."""
        return RenderError, (self.diagnostics,)


ProgrammeRenderer = Callable[[ProgrammeModel, BuildOptions], dict[str, bytes]]
# renders after the others, from what they produced: a page that links to the programme's files
ProgrammeIndexRenderer = Callable[[ProgrammeModel, BuildOptions, tuple[str, ...]], dict[str, bytes]]


class RepositoryRenderer(Protocol):
    """Files that span programmes, gathered one programme at a time so that no model is kept.

    `part` runs where the programme is rendered (a worker process) and returns what the files need
    of it — picklable and small; the build `add`s the parts in the programmes' order and, when all
    are in, writes `files`: (path under outputs/, its bytes piece by piece), one file at a time.

    A sharded build (`prikaz build --shard`) writes each part as JSON and `prikaz merge` reads it back
    through pydantic by the return annotation of `part` (engine.building.shards): annotate it to the leaf
    (dataclasses, TypedDicts, tuples, bytes), so that what is read back equals what was written — the
    shard checks that it does, and a part that does not is the engine's failure (E901), never other bytes.
    """

    @staticmethod
    def part(model: ProgrammeModel, options: BuildOptions, files: tuple[str, ...]) -> Any: ...

    def add(self, part: Any) -> None: ...

    def files(self, options: BuildOptions) -> Iterator[tuple[str, Iterator[bytes]]]: ...

    def retired(self, relative: str, options: BuildOptions) -> Iterator[bytes] | None:
        """What to publish at `relative`, a file this renderer wrote in an earlier build and `files` no
        longer gives; None: not a file of this renderer (the build then leaves it as it is)."""


def programme_renderers() -> list[ProgrammeRenderer]:
    """Renderers of one programme's folder `outputs/<programme>/`, in order."""
    from engine.render.docx import render_docx
    from engine.render.ics import render_build_report, render_programme_calendars

    renderers: list[ProgrammeRenderer] = [render_docx, render_programme_calendars, render_build_report]
    return renderers


def templates_read(model: ProgrammeModel, options: BuildOptions) -> tuple[str, ...]:
    """The template files the programme renderers read for this programme: a new version of one means new
    documents, so the build records them beside the programme's other inputs."""
    from engine.render.docx.templates import templates_used

    return templates_used(model, options)


def programme_index_renderers() -> list[ProgrammeIndexRenderer]:
    """Renderers that finish a programme's folder from the list of its files (the site's programme page)."""
    from engine.render.site import render_programme_page

    renderers: list[ProgrammeIndexRenderer] = [render_programme_page]
    return renderers


def repository_renderers() -> list[type[RepositoryRenderer]]:
    """Renderers of files that span programmes (`outputs/calendars/<org>.ics`, the site index)."""
    from engine.render.ics import OrganisationCalendars
    from engine.render.site import SiteIndex

    return [OrganisationCalendars, SiteIndex]
