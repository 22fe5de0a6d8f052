"""Rendering: a checked programme → files, in memory.

A renderer is a pure function: it gets the validated model and the build
options and returns {relative path: bytes}. It never reads YAML and never
writes to disk; `engine.build` writes what renderers return, atomically.
A renderer that finds a problem it cannot render around raises RenderError
with diagnostics (a template that names a value the model lacks, say).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from engine.diagnostics import Diagnostic
from engine.model.build import ProgrammeModel


@dataclass(frozen=True)
class BuildOptions:
    """What every renderer may depend on besides the model."""

    build_time: dt.datetime          # fixed per build: SOURCE_DATE_EPOCH or the specs' last change
    templates: Path                  # folder of the bundled DOCX templates
    outputs: Path                    # where the build writes (renderers only read previous state there)
    pdf: bool = False
    extra: dict = field(default_factory=dict)


class RenderError(Exception):
    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics


@dataclass(frozen=True)
class RenderedProgramme:
    """A programme as the renderers that span programmes see it: its model and the files it has in outputs/."""

    model: ProgrammeModel
    files: tuple[str, ...]


ProgrammeRenderer = Callable[[ProgrammeModel, BuildOptions], dict[str, bytes]]
# renders after the others, from what they produced: a page that links to the programme's files
ProgrammeIndexRenderer = Callable[[ProgrammeModel, BuildOptions, tuple[str, ...]], dict[str, bytes]]
RepositoryRenderer = Callable[[list[RenderedProgramme], BuildOptions], dict[str, bytes]]


def programme_renderers() -> list[ProgrammeRenderer]:
    """Renderers of one programme's folder `outputs/<programme>/`, in order."""
    from engine.render.docx import render_docx
    from engine.render.ics import render_build_report, render_programme_calendars

    renderers: list[ProgrammeRenderer] = [render_docx, render_programme_calendars, render_build_report]
    return renderers


def programme_index_renderers() -> list[ProgrammeIndexRenderer]:
    """Renderers that finish a programme's folder from the list of its files (the site's programme page)."""
    from engine.render.site import render_programme_page

    renderers: list[ProgrammeIndexRenderer] = [render_programme_page]
    return renderers


def repository_renderers() -> list[RepositoryRenderer]:
    """Renderers of files that span programmes (`outputs/calendars/<org>.ics`, the site index)."""
    from engine.render.ics import render_organisation_calendars
    from engine.render.site import render_site

    renderers: list[RepositoryRenderer] = [render_organisation_calendars, render_site]
    return renderers
