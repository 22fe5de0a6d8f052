"""Appendix numbers, marks and approval stamps — computed from the decree, never typed.

ГОСТ Р 7.0.97-2016, п. 5.23–5.24: an appendix carries a mark «Приложение № 1 к
приказу … от 03.02.2020 № 178-р» in the top right corner; a document approved
by the decree carries a stamp «УТВЕРЖДЕН приказом … от … № …» whose word agrees
with the document's name (план-график — УТВЕРЖДЕН, смета — УТВЕРЖДЕНА,
техническое задание — УТВЕРЖДЕНО, целевые показатели — УТВЕРЖДЕНЫ).

A programme document (муниципальная программа) may be one of the decree's appendices
and has appendices of its own: «Приложение 1 к муниципальной программе», numbered
even when there is one (the programme's text refers to «приложение 1»), without a
stamp — they are parts of the programme, approved with it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from engine import formats
from engine.model.grammar import _WORD, _morph, inflect_noun, inflect_phrase
from engine.model.spec import ActRef, AppendixDocument, Decree, Programme
from engine.model.text import act_issuer, lower_first, org_full
from engine.model.walk import all_clauses

KIND_NAMES = {"roadmap": "дорожная карта", "budget": "смета", "indicators": "целевые показатели",
              "specification": "техническое задание", "programme_document": "программный документ"}
BLANK_DATE = "«___» __________"
BLANK_NUMBER = "______"
DECREE, PROGRAMME_DOCUMENT = "decree", "programme_document"
# what `appendices` reads of each appendix document to word its mark and stamp (the checks that call it declare these)
APPENDIX_FORM = ("title", "stamp_word", "corner", "number_sign", "stamp_with_number")


@dataclass(frozen=True)
class Appendix:
    """An appendix with its mark and stamp in words. Both are always computed (a calendar event names its document
    by the mark); `corner` says which of them the document prints."""

    kind: str
    number: int
    numbered: bool
    document: AppendixDocument
    label: str
    mark: str
    stamp_word: str
    stamp: str
    owner: str = DECREE       # the document it is an appendix of: decree or programme_document
    corner: str = "both"      # both | mark | stamp | none

    @property
    def prints_mark(self) -> bool:
        return self.corner in ("both", "mark")

    @property
    def prints_stamp(self) -> bool:
        return self.corner in ("both", "stamp")


@dataclass(frozen=True)
class Approval:
    """How a programme document is approved: the stamp «УТВЕРЖДЕНА приказом …» and, when a decree of the
    folder approves it, the mark of the decree's appendix it is."""

    label: str
    mark: str
    stamp_word: str
    stamp: str


@functools.lru_cache(maxsize=256)
def stamp_word_for(title: str) -> str:
    """The participle agreeing with the first noun of the document's name."""
    for match in _WORD.finditer(title):
        for parse in _morph().parse(match.group().split("-")[0]):
            if parse.tag.POS == "NOUN" and "nomn" in parse.tag:
                if parse.tag.number == "plur":
                    return "УТВЕРЖДЕНЫ"
                return {"femn": "УТВЕРЖДЕНА", "neut": "УТВЕРЖДЕНО"}.get(parse.tag.gender, "УТВЕРЖДЕН")
    return "УТВЕРЖДЕН"


def decree_date(decree: Decree) -> str:
    """03.02.2020, or room for a handwritten date when the decree is not signed yet: «___» __________ 2022 г."""
    if decree.date:
        return formats.date_numeric(decree.date)
    return f"{BLANK_DATE} {decree.year or '20__'} г."


def decree_number(decree: Decree) -> str:
    """The registration number, or room for it in a draft."""
    return decree.number or BLANK_NUMBER


def decree_issuer(programme: Programme, decree: Decree) -> str:
    """Who issues the decree, in the genitive, as references to it name them: the spec's `issuer` as written
    («начальника управления образования» for a приказ of the head), else the authority's full name inflected."""
    if decree.issuer:
        return decree.issuer
    authority = programme.organisations.get(decree.authority)
    return lower_first(org_full(authority, "gen")) if authority else ""


def decree_reference(programme: Programme, decree: Decree, case: str) -> str:
    """«приказу управления образования и науки Липецкой области от 03.02.2020 № 266» in `case`."""
    return issued_reference(programme, decree, [(decree_date(decree), decree_number(decree))], case)


def issued_reference(programme: Programme, decree: Decree, issued: list[tuple[str, str]], case: str) -> str:
    """Documents of the decree's kind its issuer issued, by (date, number): «приказа управления … от
    10.03.2022 № 300», or for several «приказов управления … от 10.03.2022 № 300, от 01.06.2022 № 410»."""
    issuer = decree_issuer(programme, decree)
    issuer = f" {issuer}" if issuer else ""
    kind = inflect_phrase(decree.kind, case) if len(issued) == 1 else inflect_noun(decree.kind, case, plural=True)
    return f"{kind}{issuer} " + ", ".join(f"от {date} №{formats.NBSP}{number}" for date, number in issued)


def act_stamp_reference(programme: Programme, act: ActRef) -> str:
    """«постановлением администрации … от 03.02.2020 № 12»: an act outside the folder, in a stamp's form."""
    return (f"{inflect_phrase(act.kind, 'ins')} {act_issuer(programme, act)} от {formats.date_numeric(act.date)} "
            f"№{formats.NBSP}{act.number}")


def _stamp_word(document: AppendixDocument) -> str:
    return document.stamp_word or stamp_word_for(document.title)


def appendix_owner(programme: Programme, kind: str) -> str:
    """Whose appendix `kind` is: the decree's when one of its clauses approves it, else the programme document's."""
    document = programme.programme_document
    if document is not None and kind in document.appendices and not any(
            appendix.kind == kind for appendix in _decree_appendices(programme)):
        return PROGRAMME_DOCUMENT
    return DECREE


def _decree_appendices(programme: Programme) -> list[Appendix]:
    decree = programme.decree
    if decree is None:
        return []
    kinds = list(dict.fromkeys(clause.approves for clause in all_clauses(decree.clauses) if clause.approves))
    numbered = len(kinds) > 1
    result = []
    for number, kind in enumerate(kinds, start=1):
        document = getattr(programme, kind)
        if document is None:
            continue
        sign = f"№{formats.NBSP}" if document.number_sign else ""
        label = f"Приложение {sign}{number}" if numbered else "Приложение"
        word = _stamp_word(document)
        # «(приложение 2)» after the stamp: how a document with a stamp and no mark says which appendix it is
        stamp_number = f" (приложение {sign}{number})" if document.stamp_with_number and numbered else ""
        result.append(Appendix(
            kind=kind, number=number, numbered=numbered, document=document, label=label,
            mark=f"{label} к {decree_reference(programme, decree, 'dat')}",
            stamp_word=word, stamp=f"{word} {decree_reference(programme, decree, 'ins')}{stamp_number}",
            corner=document.corner,
        ))
    return result


def _programme_document_appendices(programme: Programme, taken: set[str]) -> list[Appendix]:
    document = programme.programme_document
    if document is None:
        return []
    to_document = inflect_phrase(lower_first(document.title), "dat")
    result = []
    for number, kind in enumerate(dict.fromkeys(document.appendices), start=1):
        appendix = getattr(programme, kind)
        if appendix is None or kind in taken:
            continue
        label = f"Приложение{formats.NBSP}{number}"
        result.append(Appendix(kind=kind, number=number, numbered=True, document=appendix, label=label,
                               mark=f"{label} к {to_document}", stamp_word="", stamp="", owner=PROGRAMME_DOCUMENT,
                               corner=appendix.corner))
    return result


def appendices(programme: Programme) -> list[Appendix]:
    """Every appendix: the decree's (in the order its clauses approve them), then the programme document's."""
    of_decree = _decree_appendices(programme)
    return of_decree + _programme_document_appendices(programme, {appendix.kind for appendix in of_decree})


def programme_document_approval(programme: Programme) -> Approval | None:
    """The programme document's stamp: computed from the decree of the folder that approves it, or from the act
    named in `approved_by`; None for a draft, which prints neither mark nor stamp."""
    document = programme.programme_document
    if document is None:
        return None
    for appendix in _decree_appendices(programme):
        if appendix.kind == PROGRAMME_DOCUMENT:
            return Approval(appendix.label, appendix.mark, appendix.stamp_word, appendix.stamp)
    if document.approved_by is not None:
        word = _stamp_word(document)
        return Approval("", "", word, f"{word} {act_stamp_reference(programme, document.approved_by)}")
    return None
