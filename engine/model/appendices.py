"""Appendix numbers, marks and approval stamps — computed from the decree, never typed.

ГОСТ Р 7.0.97-2016, п. 5.23–5.24: an appendix carries a mark «Приложение № 1 к
приказу … от 03.02.2020 № 178-р» in the top right corner; a document approved
by the decree carries a stamp «УТВЕРЖДЕН приказом … от … № …» whose word agrees
with the document's name (план-график — УТВЕРЖДЕН, смета — УТВЕРЖДЕНА,
техническое задание — УТВЕРЖДЕНО, целевые показатели — УТВЕРЖДЕНЫ).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from engine import formats
from engine.model.grammar import _WORD, _morph, inflect_phrase
from engine.model.spec import AppendixDocument, Decree, Programme
from engine.model.text import appendix_numbers, lower_first, org_full

KIND_NAMES = {"roadmap": "дорожная карта", "budget": "смета", "indicators": "целевые показатели",
              "specification": "техническое задание"}
BLANK_DATE = "«___» __________"


@dataclass(frozen=True)
class Appendix:
    kind: str
    number: int
    numbered: bool
    document: AppendixDocument
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


def decree_reference(programme: Programme, case: str) -> str:
    """«приказу управления образования и науки Липецкой области от 03.02.2020 № 266» in `case`."""
    decree = programme.decree
    authority = programme.organisations.get(decree.authority)
    issuer = f" {lower_first(org_full(authority, 'gen'))}" if authority else ""
    return f"{inflect_phrase(decree.kind, case)}{issuer} от {decree_date(decree)} №{formats.NBSP}{decree.number}"


def appendices(programme: Programme) -> list[Appendix]:
    numbers = appendix_numbers(programme)
    numbered = len(numbers) > 1
    result = []
    for kind, number in sorted(numbers.items(), key=lambda item: item[1]):
        document = getattr(programme, kind)
        if document is None:
            continue
        label = f"Приложение №{formats.NBSP}{number}" if numbered else "Приложение"
        word = document.stamp_word or stamp_word_for(document.title)
        result.append(Appendix(
            kind=kind, number=number, numbered=numbered, document=document, label=label,
            mark=f"{label} к {decree_reference(programme, 'dat')}",
            stamp_word=word, stamp=f"{word} {decree_reference(programme, 'ins')}",
        ))
    return result
