"""`prikaz status`: what is due, done, late and due soon — per programme and per organisation (docs/monitoring.md).

A programme is reported on only if it keeps execution records (a `progress` section): one without them is
listed as not monitored, never as late. The day is `--as-of` or today in the programme's own time zone; the
status itself is the export's `progress` (engine/export.py) as of that day, so the JSON form is that data and
the other forms read it. Nothing here depends on the clock but the default day.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from engine import formats, report
from engine.building.pipeline import check_tree
from engine.diagnostics import Diagnostic, Severity, Span, has_errors
from engine.export import export_progress
from engine.model.execution import State, planned_items
from engine.model.text import lower_first
from engine.model.validate import ProgrammeModel

STATUS_FORMAT = "prikaz-status/1"
_DAYS = ("день", "дня", "дней")


@dataclass
class ProgrammeReport:
    folder: Path
    id: str
    title: str
    progress: dict | None                     # export_progress(); None: not monitored or not checked
    spans: dict[str, Span | None] = field(default_factory=dict)   # item ref → where its deadline is written
    checked: bool = True                      # False: the specs have errors, so there is no status

    @property
    def overdue(self) -> int:
        return self.progress["summary"]["overdue"] if self.progress else 0


@dataclass
class StatusRun:
    within: int
    programmes: list[ProgrammeReport]
    diagnostics: list[Diagnostic]             # the errors that kept programmes from a status
    texts: dict[Path, str]

    @property
    def overdue(self) -> int:
        return sum(programme.overdue for programme in self.programmes)

    @property
    def failed(self) -> bool:
        return bool(self.overdue) or any(not programme.checked for programme in self.programmes)


def today_in(timezone: str) -> dt.date:
    """Today where the programme is: Lysva's Monday starts two hours before Moscow's."""
    return dt.datetime.now(zoneinfo.ZoneInfo(timezone)).date()


def _spans(model: ProgrammeModel) -> dict[str, Span | None]:
    field_of = {"roadmap": "time", "specification": "time", "decree": "deadline"}
    return {item.ref: model.span(item.target, field_of[item.document]) for item in planned_items(model.programme)}


def collect(specs: Path, as_of: dt.date | None, within: int) -> StatusRun:
    checked = check_tree(specs)
    programmes = []
    for result in checked.programmes:
        model = result.model
        if model is None or has_errors(result.diagnostics):
            programmes.append(ProgrammeReport(result.directory, result.directory.name, "", None, checked=False))
            continue
        info = model.programme.programme
        if model.programme.progress is None:
            programmes.append(ProgrammeReport(result.directory, model.id, info.title, None))
            continue
        day = as_of or today_in(info.timezone)
        programmes.append(ProgrammeReport(result.directory, model.id, info.title, export_progress(model, day, within),
                                          _spans(model)))
    errors = [d for d in checked.diagnostics if d.severity is Severity.ERROR]
    return StatusRun(within, programmes, errors, checked.texts)


# --- words ---------------------------------------------------------------------------------------


def _share(value: str | None) -> str:
    return "—" if value is None else f"{Decimal(value):f}".replace(".", ",") + formats.NBSP + "%"


def _date(iso: str) -> str:
    return formats.date_numeric(dt.date.fromisoformat(iso))


def _days(count: int) -> str:
    return f"{count} {formats.plural(count, _DAYS)}"


def _summary_lines(summary: dict) -> list[str]:
    due = [f"срок наступил: {summary['due']}",
           f"выполнено в срок: {summary['done_on_time']} ({_share(summary['share_on_time'])})",
           f"с нарушением срока: {summary[State.DONE_LATE]}", f"просрочено: {summary[State.OVERDUE]}"]
    ahead = [f"срок наступает: {summary[State.DUE_SOON]}", f"срок не наступил: {summary[State.PLANNED]}",
             f"без срока: {summary[State.UNDATED]}", f"отменено: {summary[State.CANCELLED]}"]
    return [" · ".join(due).capitalize(), " · ".join(ahead).capitalize()]


def _parties(item: dict) -> str:
    return ", ".join(party.get("short") or party.get("name", "") for party in item["parties"])


def _entries(progress: dict, *states: State) -> list[tuple[dict, dict]]:
    return [(item, occurrence) for item in progress["items"] for occurrence in item["occurrences"]
            if occurrence["state"] in states]


def _what(item: dict, occurrence: dict) -> str:
    """«3. Экспертиза муниципальных программ …», with the window for an item of several."""
    several = len(item["occurrences"]) > 1 and occurrence["planned"]
    window = f" ({occurrence['planned']['text']})" if several else ""
    number = f"п. {item['number']}" if item["document"] == "decree" else item["number"]
    return f"{number} {formats.shortened(item['title'], 70)}{window}"


def _when(occurrence: dict, as_of: dt.date) -> str:
    deadline = dt.date.fromisoformat(occurrence["deadline"])
    moved = occurrence["moved"]
    decision = moved["decision"] if moved else None
    term = f"срок {formats.date_numeric(deadline)}" + (
        (f" (перенесён: {lower_first(decision['text'])})" if decision else " (перенесён без решения)") if moved else "")
    if deadline < as_of:
        return f"{term}, просрочено на {_days((as_of - deadline).days)}"
    if deadline == as_of:
        return f"{term}, сегодня"
    return f"{term}, через {_days((deadline - as_of).days)}"


def _human_programme(programme: ProgrammeReport) -> list[str]:
    folder = report.display_path(programme.folder)
    if not programme.checked:
        return [f"{folder}: в спецификации есть ошибки (см. выше) — исполнение не посчитано"]
    if programme.progress is None:
        return [f"{folder}: записей об исполнении нет (progress.yaml) — не отслеживается"]
    progress = programme.progress
    as_of = dt.date.fromisoformat(progress["as_of"])
    lines = [f"{programme.id} — {programme.title}, на {formats.date_numeric(as_of)}"]
    lines += [f"  {line}" for line in _summary_lines(progress["summary"])]
    for state, heading in ((State.OVERDUE, "Просрочено"), (State.DUE_SOON, "Срок наступает")):
        entries = _entries(progress, state)
        if not entries:
            continue
        lines.append(f"  {heading} ({len(entries)}):")
        for item, occurrence in entries:
            where = programme.spans.get(item["ref"])
            parties = _parties(item) or "исполнитель не указан"
            lines.append(f"    {_what(item, occurrence)} — {_when(occurrence, as_of)} — {parties}")
            if where is not None:
                lines.append(f"      {report.display_path(where.file)}:{where.line}")
    if progress["organisations"]:
        lines.append("  По исполнителям:")
        for organisation in progress["organisations"]:
            summary = organisation["summary"]
            name = organisation.get("short") or organisation.get("name") or organisation["id"]
            lines.append(f"    {name}: срок наступил {summary['due']} · в срок {summary['done_on_time']} "
                         f"({_share(summary['share_on_time'])}) · просрочено {summary[State.OVERDUE]} · "
                         f"срок наступает {summary[State.DUE_SOON]}")
    if progress["indicators"]:
        lines.append("  Показатели:")
        for indicator in progress["indicators"]:
            actual = (f"факт {indicator['actual']} на {_date(indicator['date'])} — {_share(indicator['achievement'])}"
                      + (", достигнуто" if indicator["achieved"] else ", не достигнуто")
                      if indicator["actual"] is not None else "факт не внесён")
            lines.append(f"    {indicator['number']}. {formats.shortened(indicator['name'], 60)}: "
                         f"план {indicator['target']} {indicator['unit']}, {actual}")
    return lines


def human(run: StatusRun) -> str:
    blocks = [f"«Срок наступает» — в ближайшие {_days(run.within)}."]
    blocks += ["\n".join(_human_programme(programme)) for programme in run.programmes]
    overdue = run.overdue
    late_programmes = sum(1 for programme in run.programmes if programme.overdue)
    blocks.append(f"Итого просрочено: {overdue} в {late_programmes} "
                  f"{formats.plural(late_programmes, ('программе', 'программах', 'программах'))}."
                  if overdue else "Просроченных сроков нет.")
    return "\n\n".join(blocks) + "\n"


def as_json(run: StatusRun) -> str:
    data = {"format": STATUS_FORMAT, "within": run.within, "overdue": run.overdue,
            "programmes": [{"id": programme.id, "folder": report.display_path(programme.folder),
                            "title": programme.title, "checked": programme.checked, "progress": programme.progress}
                           for programme in run.programmes]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def github(run: StatusRun) -> str:
    """An error annotation on the deadline's line for each overdue occurrence, a warning for each due soon, and a
    notice with each programme's tally."""
    lines = []
    for programme in run.programmes:
        if programme.progress is None:
            continue
        progress = programme.progress
        as_of = dt.date.fromisoformat(progress["as_of"])
        for state, severity, title in ((State.OVERDUE, Severity.ERROR, "Просрочено"),
                                       (State.DUE_SOON, Severity.WARNING, "Срок наступает")):
            for item, occurrence in _entries(progress, state):
                message = f"{_what(item, occurrence)} — {_when(occurrence, as_of)}"
                if item["parties"]:
                    message += f" — {_parties(item)}"
                lines.append(report.annotation(severity, f"{title}: {programme.id}", message,
                                               programme.spans.get(item["ref"])))
        lines.append(report.annotation(Severity.INFO, f"Исполнение {programme.id} на {formats.date_numeric(as_of)}",
                                       "; ".join(_summary_lines(progress["summary"])), None))
    return "\n".join(lines) + ("\n" if lines else "")


def render(run: StatusRun, fmt: str) -> str:
    if fmt == "json":
        return as_json(run)
    if fmt == "github":
        return github(run)
    return human(run)

