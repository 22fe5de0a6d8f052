"""engine.render.ics folds long lines on bytes; the feeds must stay exactly what icalendar writes."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Event
from icalendar.parser.string import _foldline

from engine.render.ics import component_bytes, fold

# Latin, Cyrillic, three- and four-byte characters, and the escapes folding must not split
LINE = st.text(alphabet=st.sampled_from(list("ab ,;:\\^\"") + list("абвгдеёжЯ") + ["€", "漢", "😀"]),
               max_size=400)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(LINE)
def test_folding_is_icalendars(text):
    line = "DESCRIPTION:" + text
    assert fold(line.encode("utf-8")) == _foldline(line).encode("utf-8")


def test_a_line_exactly_at_the_limit_and_one_past_it():
    assert fold(b"x" * 74) == b"x" * 74
    assert fold(b"x" * 75) == b"x" * 74 + b"\r\n x"
    assert fold(b"x" * 73 + b"\\n" + b"y") == b"x" * 73 + b"\r\n \\ny"     # the escape moves to the next line
    assert fold("ж".encode() * 40) == "ж".encode() * 37 + b"\r\n " + "ж".encode() * 3   # 74 octets = 37 letters


def test_an_event_is_byte_for_byte_to_ical():
    event = Event()
    event.add("uid", "lipetsk-2022.roadmap.monitoring-programmes.1@prikaz")
    event.add("dtstamp", dt.datetime(2022, 1, 1, tzinfo=dt.UTC))
    event.add("dtstart", dt.date(2022, 6, 1))
    event.add("summary", "Мониторинг реализации программ: «школы с низкими результатами», \\ и ^ " * 3)
    event.add("description", "Ответственные: ЛИРО; УО; ОО.\nРезультат — отчёт, 1 000 000,00 руб.; " * 5)
    event.add("categories", ["Дорожная карта"])
    assert component_bytes(event) == event.to_ical()
