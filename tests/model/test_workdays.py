"""The production calendar: holidays, the government's transfers of days off both ways, the nearest working days."""

from __future__ import annotations

import datetime as dt

import pytest

from engine.model.workdays import day_with_weekday, is_working_day, nearest_working_days, why_not_working


@pytest.mark.parametrize("day, reason", [
    (dt.date(2020, 12, 20), "воскресенье"),
    (dt.date(2022, 12, 3), "суббота"),
    (dt.date(2023, 1, 2), "праздник «Новогодние каникулы»"),
    (dt.date(2022, 3, 8), "праздник «Международный женский день»"),
    (dt.date(2022, 3, 7), "выходной (перенесено с 05.03.2022)"),     # a Monday made a day off
    (dt.date(2021, 11, 5), "выходной (перенесено с 02.01.2021)"),
    (dt.date(2024, 12, 31), "выходной (перенесено с 07.01.2024)"),
])
def test_days_off_and_why(day, reason):
    assert not is_working_day(day)
    assert why_not_working(day) == reason


@pytest.mark.parametrize("day", [
    dt.date(2022, 3, 5),     # a Saturday made a working day for 07.03.2022
    dt.date(2021, 2, 20),    # a Saturday made a working day for 22.02.2021
    dt.date(2024, 12, 28),   # a Saturday made a working day for 31.12.2024
    dt.date(2022, 12, 2),    # an ordinary Friday
    # the «нерабочие дни» of 2020 by the President's decrees were neither holidays nor transferred days off:
    # the production calendar kept them as working days (engine/model/workdays.py)
    dt.date(2020, 4, 15),
])
def test_working_days(day):
    assert is_working_day(day)
    assert why_not_working(day) is None


def test_nearest_working_days_cross_the_new_year_holidays():
    assert nearest_working_days(dt.date(2023, 1, 3)) == (dt.date(2022, 12, 30), dt.date(2023, 1, 9))
    assert nearest_working_days(dt.date(2022, 3, 7)) == (dt.date(2022, 3, 5), dt.date(2022, 3, 9))


def test_day_with_weekday():
    assert day_with_weekday(dt.date(2020, 12, 21)) == "21.12.2020 (понедельник)"
