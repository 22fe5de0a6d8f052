"""How official documents write dates, amounts and names (ГОСТ Р 7.0.97-2016, §5.7, §5.26)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"


def money(amount: Decimal) -> str:
    """1900000 → «1 900 000,00» with non-breaking spaces between digit groups."""
    from babel.numbers import format_decimal  # babel, num2words: imported on first use, not by every command

    return format_decimal(amount, format="#,##0.00", locale="ru").replace("\u202f", NBSP)


def figure(value: Decimal, decimals: int) -> str:
    """A figure of a table: 52.568 at 1 decimal → «52,6» (rounded half up), 12500 → «12 500» — digit groups
    (non-breaking spaces) from five digits on, as ГОСТ Р 7.0.97 writes numbers; 1250 stays «1250»."""
    rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    grouping = "," if abs(rounded) >= 10000 else ""
    return f"{rounded:{grouping}.{decimals}f}".replace(",", NBSP).replace(".", ",")


def date_numeric(day: dt.date) -> str:
    """03.02.2020 — the form for the date requisite (never «"03" 02 2020»)."""
    return day.strftime("%d.%m.%Y")


def date_long(day: dt.date, suffix: str = "года") -> str:
    """«3 февраля 2020 года» — verbal-numeric form used in text."""
    from babel.dates import format_date

    return f"{format_date(day, 'd MMMM y', locale='ru')} {suffix}".strip()


def plural(number: int, forms: tuple[str, str, str]) -> str:
    """The noun form for a count: 1 рубль, 2 рубля, 5 рублей."""
    if number % 10 == 1 and number % 100 != 11:
        return forms[0]
    if 2 <= number % 10 <= 4 and not 12 <= number % 100 <= 14:
        return forms[1]
    return forms[2]


def amount_in_words(amount: Decimal) -> str:
    """2500000.00 → «Два миллиона пятьсот тысяч рублей 00 копеек».

    Rubles in words (num2words, given an int of rubles so it never reads kopecks),
    kopecks in figures, as financial documents write them.
    """
    rubles = int(amount)
    kopecks = int((amount - rubles) * 100)
    from num2words import num2words

    words = num2words(rubles, lang="ru")
    text = (f"{words} {plural(rubles, ('рубль', 'рубля', 'рублей'))} "
            f"{kopecks:02d} {plural(kopecks, ('копейка', 'копейки', 'копеек'))}")
    return text[:1].upper() + text[1:]


def initials_name(initials: str, surname: str) -> str:
    """«С.Н. Кирина» — initials before the surname, joined by a non-breaking space."""
    return f"{initials.replace(' ', '')}{NBSP}{surname}"


# Where a line must not break (typesetting, ГОСТ Р 7.0.97-2016 п. 5.x and the usual rules of Russian typography):
# a number and the word that counts or names it.
_NUMBER_AND_YEAR = re.compile(r"(\d)[ \t]+(?=(?:годами|годах|годам|годов|годом|году|годы|года|год|гг\.|г\.)(?!\w))")
_INITIALS_AND_SURNAME = re.compile(r"(?<!\w)([А-ЯЁ]\.[ \t]?[А-ЯЁ]\.)[ \t]+(?=[А-ЯЁ][а-яё])")
_SURNAME_AND_INITIALS = re.compile(r"(?<!\w)([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)[ \t]+(?=[А-ЯЁ]\.[ \t]?[А-ЯЁ]\.)")
_WORD_AND_NUMBER = re.compile(r"(?<!\w)(приложени[еяюи]|пункт[аеу]?|п\.|№)[ \t]+(?=\d)", re.IGNORECASE)


def typeset(text: str) -> str:
    """No-break spaces where a printed line must not break: «2020 года», «С.Н. Кирина», «№ 266», «приложение 1»."""
    for pattern in (_NUMBER_AND_YEAR, _INITIALS_AND_SURNAME, _SURNAME_AND_INITIALS, _WORD_AND_NUMBER):
        text = pattern.sub(lambda match: match.group(1) + NBSP, text)
    return text


def shortened(text: str, limit: int = 45) -> str:
    """A long title cut at a word for a one-line mention: «Профессиональное развитие…»."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:—–- ")
    return f"{cut}…"
