"""The Russian production calendar: which days are working days, and why a day is not one.

The calendar is the `holidays` library's (`holidays.RU`), not a list typed here: the public holidays
of the Labour Code (ст. 112 ТК РФ) and the government's yearly transfers of days off («перенос
выходных»), both ways — a Monday made a day off (07.03.2022) and a Saturday made a working day
(05.03.2022). The transfers are known for the years the government has published and the library
has taken in; for later years the calendar is the holidays of the Code and the weekends.

Not in it: the «нерабочие дни с сохранением заработной платы» of 2020 and 2021 declared by the
President's decrees (30.03–11.05.2020, 04–07.05.2021, 30.10–07.11.2021). They were neither holidays
nor transferred days off, and the production calendar kept them as working days; so does this one.
"""

from __future__ import annotations

import datetime as dt
import functools

import holidays

from engine import formats

WEEKDAYS = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
_SEARCH_DAYS = 31     # the longest run of days off in Russia is the New Year's (up to 10 days): a month is plenty


@functools.cache
def _calendar() -> holidays.HolidayBase:
    """One per process, growing by the years asked about (the library adds a year the first time a day of it is asked)."""
    return holidays.RU(language="ru")


def is_working_day(day: dt.date) -> bool:
    return _calendar().is_working_day(day)


def why_not_working(day: dt.date) -> str | None:
    """Why `day` is not a working day, in Russian («воскресенье», «праздник «Новогодние каникулы»», «выходной
    (перенесено с 05.03.2022)»); None for a working day."""
    if is_working_day(day):
        return None
    name = _calendar().get(day)
    if name is None:
        return WEEKDAYS[day.weekday()]
    # the library names a transferred day off «Выходной (перенесено с …)»; a holiday by its own name
    return name[:1].lower() + name[1:] if name.startswith("Выходной") else f"праздник «{name}»"


def nearest_working_days(day: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The last working day before `day` and the first one after it (None where there is none within a month)."""
    before = next((day - dt.timedelta(days=n) for n in range(1, _SEARCH_DAYS)
                   if is_working_day(day - dt.timedelta(days=n))), None)
    after = next((day + dt.timedelta(days=n) for n in range(1, _SEARCH_DAYS)
                  if is_working_day(day + dt.timedelta(days=n))), None)
    return before, after


def day_with_weekday(day: dt.date) -> str:
    """«20.12.2020 (воскресенье)»."""
    return f"{formats.date_numeric(day)} ({WEEKDAYS[day.weekday()]})"
