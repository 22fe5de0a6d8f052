"""What the calendar renderer needs to know of the past: SEQUENCE and LAST-MODIFIED of each event.

The types only. `engine.building.history` fills them from git before a programme is rendered;
`engine.render.ics` reads them from `BuildOptions.calendar_history`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from engine.diagnostics import Diagnostic

Fingerprints = dict[str, str]  # UID → fingerprint of the event's content


@dataclass(frozen=True)
class Revision:
    sequence: int
    last_modified: dt.datetime
    created: dt.datetime     # when the event first appeared (CREATED)


@dataclass(frozen=True)
class CalendarHistory:
    """SEQUENCE and LAST-MODIFIED of the events of one programme, and how they were found."""

    revisions: dict[str, Revision]
    note: str  # for the build report, in Russian
    diagnostics: tuple[Diagnostic, ...] = field(default=())

    @classmethod
    def unknown(cls) -> CalendarHistory:
        return cls({}, "история изменений не вычислялась: SEQUENCE 0, LAST-MODIFIED — время сборки")

    def revision(self, uid: str, build_time: dt.datetime) -> Revision:
        """An event the history does not know has never changed: SEQUENCE 0 as of this build."""
        return self.revisions.get(uid) or Revision(0, build_time, build_time)
