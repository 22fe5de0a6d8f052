"""A programme's documents as printed, unit by unit; how two versions differ; amendments replayed on them.

An amendment («О внесении изменений в …») names what it changes the way the signed document
prints it — «пункт 3», «строка 1.3», «графа „Срок“» — and quotes the words as printed. So versions
are compared, and amendments applied, on the printed form of each document (its *edition*): a
list of units — a clause, a roadmap section or row, a budget line, an indicator, a ТЗ item, or a
part of the document (its title, preamble, total) — each with cells holding the paragraphs as
printed (a clause has its text; a row its columns).

    edition_of(model)              the edition of a programme as it is now
    differences(old, new)          what changed, as the change items of an amendment (plain data)
    apply(edition, changes)        the edition after an amendment; what did not fit
    undo(edition, changes)         the edition before it; what did not fit

An amendment's change item (`AmendmentChange`) is one of:

    cell      item + field, old → new        a cell of a unit changed (addresses of the edition before)
    removed   item + removed cells + after    a unit taken out (after: its predecessor, before)
    renumber  {old number: new number}        numbering that follows an addition or a removal
    added     item + added cells + after      a unit put in (addresses of the edition after)

and is applied in that order, so replaying the amendments backwards from the current spec
gives every edition in between: what each amending decree attaches, and whether the
amendments together account for every change since the signed version.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from engine import formats
from engine.diagnostics import DiagnosticError
from engine.model.printing import budget_amount, deliverable, owner_rows, upper_first
from engine.model.spec import (
    AmendmentChange,
    Budget,
    Clause,
    Indicators,
    Programme,
    Roadmap,
    Specification,
    SpecModel,
)
from engine.model.text import TextContext, appendix_numbers, person_name, render_text
from engine.model.timeexpr import TimeExpr
from engine.model.validate import ProgrammeModel

DOCUMENTS = ("decree", "roadmap", "budget", "indicators", "specification")
PART = "part"
# kinds whose address is a number (a budget's «из них» lines are numbered within their line, never printed)
NUMBERED = frozenset({"clause", "section", "row", "indicator", "item", "subline"})
# a unit whose text is this similar to the one it replaces is the same unit changed (clauses without an id)
_SAME_UNIT_RATIO = 0.5

Cells = dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class PastVersion:
    """A programme as a git revision holds it (loaded by engine.building.history), or why it cannot be had."""

    model: ProgrammeModel | None
    problem: str | None = None


@dataclass
class Unit:
    address: str            # what an amendment calls it: a printed number, a budget line id, or a part's name
    kind: str               # clause | section | row | line | indicator | item | part
    cells: Cells
    key: str | None = field(default=None, compare=False)   # what identifies it from version to version (an id)
    source: SpecModel | None = field(default=None, compare=False)   # the spec object printed (current edition)


Edition = dict[str, list[Unit]]


def normalised(text: str) -> str:
    """Printed text compared and quoted without the non-breaking spaces typography adds."""
    return " ".join(text.replace(formats.NBSP, " ").split(" ")).strip()


def _cells(**cells: Iterable[str]) -> Cells:
    return {name: tuple(normalised(text) for text in texts) for name, texts in cells.items()}


# --- the edition of a programme ------------------------------------------------------------


class _Printer:
    def __init__(self, model: ProgrammeModel):
        self.programme: Programme = model.programme
        self.period = self.programme.programme.period
        self.numbers = appendix_numbers(self.programme)

    def text(self, text: str, **local) -> str:
        """The text as printed; as written when a placeholder does not resolve (R506 reports it)."""
        try:
            return render_text(text, TextContext(self.programme, self.numbers, **local))
        except DiagnosticError:
            return text

    def parts(self, document, *names: str) -> list[Unit]:
        """The document's parts; one left out of the spec is there, empty, so that filling it in is a change of it."""
        units = []
        for name in names:
            value = getattr(document, name)
            printed = None if value is None else value.wording if isinstance(value, TimeExpr) else self.text(value)
            units.append(Unit(name, PART, _cells(text=[printed] if printed else []), name, document))
        return units

    def decree(self) -> list[Unit]:
        decree = self.programme.decree
        if decree is None:
            return []
        units = self.parts(decree, "title", "preamble")

        def clauses(items: list[Clause], after_colon: bool = False) -> None:
            for clause in items:
                # as the decree prints it: as written, but a clause that begins with a substituted value begins a
                # sentence unless it continues its parent's after a colon (engine/render/docx/context.py)
                text = self.text(clause.text, deadline=clause.deadline)
                if clause.text.startswith("{{") and not after_colon:
                    text = upper_first(text)
                units.append(Unit(clause.number, "clause", _cells(text=[text]), clause.id, clause))
                clauses(clause.clauses, after_colon=clause.text.endswith(":"))

        clauses(decree.clauses)
        return units

    def party(self, ref: str) -> str:
        """An owner as the table prints it; its id when it names nobody (O301 reports it)."""
        if ref in self.programme.organisations:
            return self.programme.organisations[ref].short
        return person_name(self.programme.people[ref]) if ref in self.programme.people else ref

    def roadmap(self, roadmap: Roadmap) -> list[Unit]:
        fields = [column.field for column in roadmap.columns if column.field != "number"]
        units = self.parts(roadmap, "title", "subtitle")

        def rows(activities) -> None:
            for activity in activities:
                shared = [self.text(t) for t in activity.result]
                printed = owner_rows([(self.party(owner.org), [self.text(t) for t in owner.result])
                                      for owner in activity.owners], shared)
                title, details = self.text(activity.title), [self.text(t) for t in activity.details]
                cells = {"time": [activity.time.wording], "activity": [title, *details],
                         "title": [title], "details": details,
                         "owners": [row["owners"] for row in printed],
                         # a row's result cell holds each owner row's paragraphs, one owner row a paragraph
                         "result": ["\n".join(row["result"]) for row in printed]}
                units.append(Unit(activity.number, "row",
                                  _cells(**{name: cells[name] for name in fields}), activity.id, activity))

        for section in roadmap.sections:
            units.append(Unit(section.number, "section", _cells(title=[self.text(section.title)]),
                              section.id, section))
            rows(section.activities)
        rows(roadmap.activities)
        return units

    def budget(self, budget: Budget) -> list[Unit]:
        units = self.parts(budget, "title", "subtitle")
        for line in budget.lines:
            amount = line.effective_amount
            printed = budget_amount(amount, line.quantity, line.unit_price) if amount is not None else ""
            units.append(Unit(line.id, "line", _cells(title=[self.text(line.title)], amount=[printed]), line.id, line))
            for index, sub in enumerate(line.of_which, start=1):
                units.append(Unit(f"{line.id}.{index}", "subline", _cells(
                    title=[f"{budget.of_which_label} {self.text(sub.title)}"], amount=[formats.money(sub.amount)]), None, sub))
        codes = " ".join(f"{name} {code}" for name, code in budget.codes.items())
        units.append(Unit("total", PART, _cells(text=[formats.money(budget.total)]), "total", budget))
        units.append(Unit("codes", PART, _cells(text=[codes] if codes else []), "codes", budget))
        units.extend(self.parts(budget, "funding_source"))
        return units

    def indicators(self, indicators: Indicators) -> list[Unit]:
        units = self.parts(indicators, "title", "subtitle")
        for item in indicators.all_items():
            target = [item.final_target.render()] + ([item.target_note] if item.target_note else [])
            units.append(Unit(item.number, "indicator", _cells(
                name=[self.text(item.name)], unit=[item.unit], target=target), item.id, item))
        return units

    def specification(self, specification: Specification) -> list[Unit]:
        units = self.parts(specification, "title", "subtitle", "event_name")
        for item in specification.items:
            units.append(Unit(item.number, "item", _cells(
                text=[self.text(item.text, quantities=item.quantities)],
                time=[item.time.wording] if item.time else [],
                deliverables=[deliverable(self.text(d, quantities=item.quantities)) for d in item.deliverables]),
                item.id, item))
        units.extend(self.parts(specification, "service_period", "funding_source"))
        return units


def edition_of(model: ProgrammeModel) -> Edition:
    """Every document of the programme as printed now."""
    printer = _Printer(model)
    programme = model.programme
    edition = {"decree": printer.decree()}
    if programme.roadmap is not None:
        edition["roadmap"] = printer.roadmap(programme.roadmap)
    if programme.budget is not None:
        edition["budget"] = printer.budget(programme.budget)
    if programme.indicators is not None:
        edition["indicators"] = printer.indicators(programme.indicators)
    if programme.specification is not None:
        edition["specification"] = printer.specification(programme.specification)
    return edition


def copy_edition(edition: Edition) -> Edition:
    return {document: [replace(unit, cells=dict(unit.cells)) for unit in units] for document, units in edition.items()}


# --- differences -----------------------------------------------------------------------------


def _token(unit: Unit) -> tuple:
    return (unit.kind, unit.key) if unit.key else (unit.kind, tuple(sorted(unit.cells.items())))


def _text(unit: Unit) -> str:
    return "\n".join(text for texts in unit.cells.values() for text in texts)


def _same_unit(old: Unit, new: Unit) -> bool:
    """In a stretch where units differ: a unit changed in place, or one removed and another added."""
    if old.kind != new.kind or (old.key and new.key and old.key != new.key):
        return False
    return difflib.SequenceMatcher(None, _text(old), _text(new), autojunk=False).ratio() >= _SAME_UNIT_RATIO


def _pairs(old: list[Unit], new: list[Unit]) -> tuple[list[tuple[Unit, Unit]], list[Unit], list[Unit]]:
    """Units of the two versions matched up; the removed ones; the added ones."""
    matcher = difflib.SequenceMatcher(None, [_token(u) for u in old], [_token(u) for u in new], autojunk=False)
    pairs: list[tuple[Unit, Unit]] = []
    removed: list[Unit] = []
    added: list[Unit] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(zip(old[i1:i2], new[j1:j2], strict=True))
            continue
        candidates = list(new[j1:j2])
        for unit in old[i1:i2]:
            match = next((c for c in candidates if _same_unit(unit, c)), None)
            if match is None:
                removed.append(unit)
            else:
                # what stood before the match in the new version was added
                index = candidates.index(match)
                added.extend(candidates[:index])
                candidates = candidates[index + 1:]
                pairs.append((unit, match))
        added.extend(candidates)
    return pairs, removed, added


def _predecessor(units: list[Unit], unit: Unit) -> str:
    index = next(i for i, u in enumerate(units) if u is unit)
    return units[index - 1].address if index else ""


def _plain(texts: tuple[str, ...]) -> list[str] | str:
    return texts[0] if len(texts) == 1 else list(texts)


def differences(old: Edition, new: Edition) -> list[dict]:
    """What changed from `old` to `new`, as change items of an amendment (the keys of `AmendmentChange`), in the
    order an amending decree lists them: document by document, cells and removals in the order of the old
    edition, then the renumbering, then additions in the order of the new one."""
    changes: list[dict] = []
    for document in DOCUMENTS:
        before, after = old.get(document, []), new.get(document, [])
        pairs, removed, added = _pairs(before, after)
        in_order: list[tuple[int, dict]] = []
        position = {id(unit): index for index, unit in enumerate(before)}
        for was, now in pairs:
            for name in dict.fromkeys([*was.cells, *now.cells]):
                if was.cells.get(name, ()) != now.cells.get(name, ()):
                    in_order.append((position[id(was)], {
                        "document": document, "item": was.address, "field": name,
                        "old": _plain(was.cells.get(name, ())), "new": _plain(now.cells.get(name, ()))}))
        for unit in removed:
            in_order.append((position[id(unit)], {
                "document": document, "item": unit.address, "removed": {k: _plain(v) for k, v in unit.cells.items()},
                "after": _predecessor(before, unit)}))
        changes.extend(change for _, change in sorted(in_order, key=lambda pair: pair[0]))
        renumber = {was.address: now.address for was, now in pairs
                    if was.kind in NUMBERED and was.address != now.address}
        if renumber:
            changes.append({"document": document, "renumber": renumber})
        for unit in added:
            changes.append({"document": document, "item": unit.address,
                            "added": {k: _plain(v) for k, v in unit.cells.items()}, "after": _predecessor(after, unit)})
    return changes


# --- replaying amendments --------------------------------------------------------------------


@dataclass(frozen=True)
class Misfit:
    """A change item that does not fit the edition it is applied to (or undone from)."""

    change: AmendmentChange
    address: str            # the unit it is about, in the numbering of the edition it was applied to
    found: str | None       # what the edition holds there (None: no such unit; for an addition: one already there)
    expected: str = ""      # what the change says is there
    unit: Unit | None = None   # that unit, when the edition has it


def _cells_of(values: dict[str, list[str]] | None) -> Cells:
    return {name: tuple(normalised(t) for t in texts) for name, texts in (values or {}).items()}


def _texts(values: list[str] | None) -> tuple[str, ...]:
    return tuple(normalised(t) for t in values or ())


def _find(units: list[Unit], address: str) -> int | None:
    return next((index for index, unit in enumerate(units) if unit.address == address), None)


def unit_at(edition: Edition, document: str, address: str | None) -> Unit | None:
    """The unit of a document with this address (number, id or part name), if the edition has it."""
    return next((unit for unit in edition.get(document, []) if unit.address == address), None)


def kind_of(document: str, address: str, cells: Cells | dict) -> str:
    """The kind of a unit an amendment puts back or adds, from what it holds."""
    if document == "roadmap":
        return "section" if set(cells) == {"title"} else "row"
    if document == "budget":
        return "subline" if "." in address else "line"
    return {"decree": "clause", "indicators": "indicator", "specification": "item"}[document]


class _Replay:
    def __init__(self, edition: Edition):
        self.edition = edition
        self.misfits: list[Misfit] = []

    def units(self, change: AmendmentChange) -> list[Unit]:
        return self.edition.setdefault(change.document, [])

    def misfit(self, change: AmendmentChange, address: str, found: str | None, expected: str = "",
               unit: Unit | None = None) -> None:
        self.misfits.append(Misfit(change, address, found, expected, unit))

    def set_cell(self, change: AmendmentChange, expected: tuple[str, ...], value: tuple[str, ...]) -> None:
        units = self.units(change)
        index = _find(units, change.item or "")
        if index is None:
            self.misfit(change, change.item or "", None)
            return
        unit = units[index]
        found = unit.cells.get(change.field or "", ())
        if found != expected:
            self.misfit(change, unit.address, " / ".join(found), " / ".join(expected), unit)
        unit.cells = dict(unit.cells, **{change.field or "": value})

    def take_out(self, change: AmendmentChange, expected: Cells, address: str) -> None:
        units = self.units(change)
        index = _find(units, address)
        if index is None:
            self.misfit(change, address, None)
            return
        if units[index].cells != expected:
            self.misfit(change, address, _text(units[index]), "\n".join(t for ts in expected.values() for t in ts),
                        units[index])
        del units[index]

    def put_in(self, change: AmendmentChange, cells: Cells, address: str, after: str) -> None:
        units = self.units(change)
        present = _find(units, address)
        if present is not None:
            self.misfit(change, address, _text(units[present]), "", units[present])
            return
        index = 0 if not after else _find(units, after)
        if index is None:
            self.misfit(change, after, None)
            index = len(units)
        elif after:
            index += 1
        units.insert(index, Unit(address, kind_of(change.document, address, cells), cells))

    def renumber(self, change: AmendmentChange, mapping: dict[str, str]) -> None:
        units = self.units(change)
        for address in mapping:
            if _find(units, address) is None:
                self.misfit(change, address, None)
        for unit in units:
            if unit.address in mapping:
                unit.address = mapping[unit.address]


def _kind(change: AmendmentChange) -> str:
    if change.renumber is not None:
        return "renumber"
    if change.added is not None:
        return "added"
    if change.removed is not None:
        return "removed"
    return "cell"


def apply(edition: Edition, changes: list[AmendmentChange]) -> tuple[Edition, list[Misfit]]:
    """The edition after these changes (a copy), and the changes that did not fit it."""
    replay = _Replay(copy_edition(edition))
    by_kind = {kind: [c for c in changes if _kind(c) == kind] for kind in ("cell", "removed", "renumber", "added")}
    for change in by_kind["cell"]:
        replay.set_cell(change, _texts(change.old), _texts(change.new))
    for change in by_kind["removed"]:
        replay.take_out(change, _cells_of(change.removed), change.item or "")
    for change in by_kind["renumber"]:
        replay.renumber(change, change.renumber or {})
    for change in by_kind["added"]:
        replay.put_in(change, _cells_of(change.added), change.item or "", change.after or "")
    return replay.edition, replay.misfits


def undo(edition: Edition, changes: list[AmendmentChange]) -> tuple[Edition, list[Misfit]]:
    """The edition before these changes (a copy), and the changes that did not fit it."""
    replay = _Replay(copy_edition(edition))
    by_kind = {kind: [c for c in changes if _kind(c) == kind] for kind in ("cell", "removed", "renumber", "added")}
    for change in reversed(by_kind["added"]):
        replay.take_out(change, _cells_of(change.added), change.item or "")
    for change in reversed(by_kind["renumber"]):
        replay.renumber(change, {new: old for old, new in (change.renumber or {}).items()})
    for change in by_kind["removed"]:
        replay.put_in(change, _cells_of(change.removed), change.item or "", change.after or "")
    for change in reversed(by_kind["cell"]):
        replay.set_cell(change, _texts(change.new), _texts(change.old))
    return replay.edition, replay.misfits


@dataclass
class AmendmentEditions:
    """The editions an amendment turned one into the other, and its changes that did not fit them."""

    amendment: str          # its id
    before: Edition
    after: Edition
    misfits: list[Misfit]


def amendment_editions(model: ProgrammeModel) -> list[AmendmentEditions]:
    """Every amendment of the programme with the editions before and after it, oldest first: the amendments
    are undone one by one from the current spec, the last first. The first one's `before` is the signed
    edition as the amendments tell it. An amendment amends a decree: without one there is nothing to replay."""
    if model.programme.decree is None:
        return []
    current = edition_of(model)
    found = []
    for amendment_id, amendment in reversed(model.programme.amendments.items()):
        before, misfits = undo(current, amendment.changes)
        found.append(AmendmentEditions(amendment_id, before, current, misfits))
        current = before
    return found[::-1]
