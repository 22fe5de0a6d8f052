"""Russian case forms of people, positions and organisation names.

Surnames go through petrovich (it knows surname paradigms and gender);
positions and organisation names through pymorphy3: the head of the phrase —
the leading adjectives and the first noun — agrees with the case, the rest
(«…начальника управления образования») is a genitive tail and stays as is.
A spec can always override a form; these are defaults, not a last word.
"""

from __future__ import annotations

import functools
import re
from contextlib import contextmanager

CASES = ("nom", "gen", "dat", "acc", "ins", "loc")
_PYMORPHY_CASE = {"nom": "nomn", "gen": "gent", "dat": "datv", "acc": "accs", "ins": "ablt", "loc": "loct"}
_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)?")


@functools.lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@functools.lru_cache(maxsize=1)
def _petrovich():
    from petrovich.main import Petrovich

    return Petrovich()


_FORMS = [True]  # False within nominative_only()


@contextmanager
def nominative_only():
    """Within it every surname and phrase stays in the nominative: for checks, which only ask
    whether each placeholder of a text resolves, not how it reads — so `prikaz check` never
    loads the pymorphy3 dictionaries (0.1 s of a 0.3 s check of the bundled specs)."""
    _FORMS.append(False)
    try:
        yield
    finally:
        _FORMS.pop()


def inflect_surname(surname: str, gender: str, case: str) -> str:
    return _inflect_surname(surname, gender, case) if _FORMS[-1] else surname


def inflect_phrase(phrase: str, case: str) -> str:
    """Put the head of a noun phrase into `case`: «первый заместитель начальника» → dat «первому заместителю начальника».

    Stops at the first noun, at a quote or a bracket: what follows is a tail
    (genitive complement or a name) that keeps its form.
    """
    return _inflect_phrase(phrase, case) if _FORMS[-1] else phrase


@functools.lru_cache(maxsize=4096)
def _inflect_surname(surname: str, gender: str, case: str) -> str:
    if case == "nom":
        return surname
    from petrovich.enums import Case, Gender

    petrovich_case = {"gen": Case.GENITIVE, "dat": Case.DATIVE, "acc": Case.ACCUSATIVE,
                      "ins": Case.INSTRUMENTAL, "loc": Case.PREPOSITIONAL}[case]
    petrovich_gender = Gender.FEMALE if gender == "female" else Gender.MALE
    parts = surname.split("-")
    return "-".join(_petrovich().lastname(part, petrovich_case, petrovich_gender) for part in parts)


def _match_case(template: str, word: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _nominative_parse(word: str):
    for parse in _morph().parse(word):
        if "nomn" in parse.tag and parse.tag.POS in ("NOUN", "ADJF", "PRTF", "NUMR") and "Abbr" not in parse.tag:
            return parse
    return None


@functools.lru_cache(maxsize=4096)
def _inflect_phrase(phrase: str, case: str) -> str:
    if case == "nom" or not phrase:
        return phrase
    grammeme = _PYMORPHY_CASE[case]
    pieces: list[str] = []
    position = 0
    for match in _WORD.finditer(phrase):
        between = phrase[position:match.start()]
        if any(ch in between for ch in "«\"(„"):
            break
        parse = _nominative_parse(match.group())
        if parse is None:
            break
        wanted = {grammeme}
        if parse.tag.POS in ("ADJF", "PRTF", "NUMR"):
            wanted |= _head_agreement(phrase[match.end():], case)
        inflected = parse.inflect(wanted) or parse.inflect({grammeme})
        if inflected is None:
            break
        pieces.append(phrase[position:match.start()] + _match_case(match.group(), inflected.word))
        position = match.end()
        if parse.tag.POS == "NOUN":
            break
    return "".join(pieces) + phrase[position:]


def _head_agreement(rest: str, case: str) -> set[str]:
    """Grammemes an adjective takes from its head noun: number, gender, and animacy in the accusative."""
    for match in _WORD.finditer(rest):
        parse = _nominative_parse(match.group())
        if parse is None:
            return set()
        if parse.tag.POS == "NOUN":
            tags = {parse.tag.number} if parse.tag.number == "plur" else {parse.tag.gender}
            if case == "acc":
                tags.add("anim" if "anim" in parse.tag else "inan")
            return {t for t in tags if t}
    return set()


def inflect_noun(noun: str, case: str, plural: bool = False) -> str:
    """One noun in `case`, singular or plural: «пункт» → loc «пункте», plural ins «пунктами»."""
    return _inflect_noun(noun, case, plural) if _FORMS[-1] else noun


@functools.lru_cache(maxsize=256)
def _inflect_noun(noun: str, case: str, plural: bool) -> str:
    parse = _nominative_parse(noun)
    wanted = {_PYMORPHY_CASE[case]} | ({"plur"} if plural else set())
    inflected = parse.inflect(wanted) if parse is not None else None
    return _match_case(noun, inflected.word) if inflected is not None else noun


def gender_of(noun: str) -> str:
    """«masc», «femn» or «neut» of a noun in the nominative (masculine when unknown): for the participle
    that agrees with it — «пункт изменён», «строка изменена», «наименование изменено»."""
    parse = _nominative_parse(noun)
    return (parse.tag.gender if parse is not None else None) or "masc"
