"""The time language against every deadline form in the three source documents, plus properties."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.diagnostics import DiagnosticError
from engine.model.timeexpr import Period, Recurrence, Window, parse_period, parse_time

LIPETSK = parse_period("2022")
LENINGRAD = parse_period("2020")
LYSVA = parse_period("2021-2024 гг")

MONTHS = ["январь", "февраль", "март", "апрель", "май", "июнь",
          "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"]


def w(start: str, end: str | None = None) -> Window:
    return Window(dt.date.fromisoformat(start), dt.date.fromisoformat(end or start))


def months(year: int, first: int, last: int | None = None) -> Window:
    last = last or first
    return Window(dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1]))


def lysva_every_year(first: int, last: int | None = None) -> list[Window]:
    return [months(year, first, last) for year in (2021, 2022, 2023, 2024)]


def whole_years(*years: int) -> list[Window]:
    return [months(year, 1, 12) for year in years]


# Every deadline written in shared/sources/*.txt, with the programme period it lives in.
SOURCE_FORMS = [
    # lipetsk-2022.txt, appendix 1 (plan-schedule)
    ("Февраль-март", LIPETSK, "months", [months(2022, 2, 3)], "февраль – март 2022 года"),
    ("Март", LIPETSK, "months", [months(2022, 3)], "март 2022 года"),
    ("Март-декабрь 2022", LIPETSK, "months", [months(2022, 3, 12)], "март – декабрь 2022 года"),
    ("Март-\nдекабрь 2022", LIPETSK, "months", [months(2022, 3, 12)], "март – декабрь 2022 года"),
    ("Март- декабрь 2022", LIPETSK, "months", [months(2022, 3, 12)], "март – декабрь 2022 года"),
    ("01.06.2022 – 27.06.2022 15.11.2022 –\n30.11.2022", LIPETSK, "windows",
     [w("2022-06-01", "2022-06-27"), w("2022-11-15", "2022-11-30")],
     "01.06.2022 – 27.06.2022; 15.11.2022 – 30.11.2022"),
    ("28.06.2022 – 30.06.2022 01.12.2022 – 03.12.2022", LIPETSK, "windows",
     [w("2022-06-28", "2022-06-30"), w("2022-12-01", "2022-12-03")],
     "28.06.2022 – 30.06.2022; 01.12.2022 – 03.12.2022"),
    ("Май-декабрь 2022", LIPETSK, "months", [months(2022, 5, 12)], "май – декабрь 2022 года"),
    ("Февраль 2022", LIPETSK, "months", [months(2022, 2)], "февраль 2022 года"),
    ("Апрель-ноябрь 2022", LIPETSK, "months", [months(2022, 4, 11)], "апрель – ноябрь 2022 года"),
    # item 13 as corrected in the spec (the source has «В соответствии и …», see test_lipetsk_item_13_typo)
    ("В соответствии с календарными планами ОО", LIPETSK, "undated", [],
     "В соответствии с календарными планами ОО"),
    # leningrad-2020.txt: clauses, technical specification
    ("в срок до 10 февраля 2020 года", LENINGRAD, "deadline", [w("2020-02-10")], "до 10 февраля 2020 года"),
    ("в срок до 20 декабря 2020 года", LENINGRAD, "deadline", [w("2020-12-20")], "до 20 декабря 2020 года"),
    ("февраль - май 2020 года", LENINGRAD, "months", [months(2020, 2, 5)], "февраль – май 2020 года"),
    ("февраль - апрель 2020 года", LENINGRAD, "months", [months(2020, 2, 4)], "февраль – апрель 2020 года"),
    ("март – 2020", LENINGRAD, "months", [months(2020, 3)], "март 2020 года"),
    ("октябрь 2020 года", LENINGRAD, "months", [months(2020, 10)], "октябрь 2020 года"),
    ("июнь 2020 года", LENINGRAD, "months", [months(2020, 6)], "июнь 2020 года"),
    ("апрель 2020 года", LENINGRAD, "months", [months(2020, 4)], "апрель 2020 года"),
    ("май, июнь 2020 года", LENINGRAD, "month_list", [months(2020, 5), months(2020, 6)], "май, июнь 2020 года"),
    ("март, сентябрь 2020 года", LENINGRAD, "month_list", [months(2020, 3), months(2020, 9)],
     "март, сентябрь 2020 года"),
    ("апрель, май, сентябрь, октябрь, ноябрь 2020 года", LENINGRAD, "month_list",
     [months(2020, m) for m in (4, 5, 9, 10, 11)], "апрель, май, сентябрь, октябрь, ноябрь 2020 года"),
    ("по графику в течение года", LENINGRAD, "undated", [], "по графику в течение года"),
    ("по запросу", LENINGRAD, "undated", [], "по запросу"),
    ("ежемесячно", LENINGRAD, "monthly", [months(2020, m) for m in range(1, 13)], "ежемесячно"),
    ("ноябрь", LENINGRAD, "months", [months(2020, 11)], "ноябрь 2020 года"),
    ("май, октябрь 2020 года", LENINGRAD, "month_list", [months(2020, 5), months(2020, 10)],
     "май, октябрь 2020 года"),
    ("ноябрь 2020 года", LENINGRAD, "months", [months(2020, 11)], "ноябрь 2020 года"),
    ("февраль - декабрь 2020 года", LENINGRAD, "months", [months(2020, 2, 12)], "февраль – декабрь 2020 года"),
    ("25 декабря 2019 года", LENINGRAD, "day", [w("2019-12-25")], "25.12.2019"),
    ("14 ноября 2013 г.", LENINGRAD, "day", [w("2013-11-14")], "14.11.2013"),
    # lysva-2021.txt: the roadmap for 2021–2024
    ("28.10.2021", LYSVA, "day", [w("2021-10-28")], "28.10.2021"),
    ("Август, 2021", LYSVA, "months", [months(2021, 8)], "август 2021 года"),
    ("Сентябрь-октябрь, 2021", LYSVA, "months", [months(2021, 9, 10)], "сентябрь – октябрь 2021 года"),
    ("Сентябрь-октябрь", LYSVA, "months", lysva_every_year(9, 10), "ежегодно, сентябрь – октябрь"),
    ("2021 год", LYSVA, "whole_year", whole_years(2021), "в течение 2021 года"),
    ("Июнь-июль", LYSVA, "months", lysva_every_year(6, 7), "ежегодно, июнь – июль"),
    ("Ноябрь, январь, март, июнь", LYSVA, "month_list",
     sorted(window for m in (11, 1, 3, 6) for window in lysva_every_year(m)),
     "ноябрь, январь, март, июнь (ежегодно)"),
    ("Август-сентябрь", LYSVA, "months", lysva_every_year(8, 9), "ежегодно, август – сентябрь"),
    ("По итогам выявления", LYSVA, "undated", [], "По итогам выявления"),
    ("Декабрь", LYSVA, "months", lysva_every_year(12), "ежегодно, декабрь"),
    ("Август", LYSVA, "months", lysva_every_year(8), "ежегодно, август"),
    ("По плану", LYSVA, "undated", [], "По плану"),
    ("В течение года", LYSVA, "whole_year", whole_years(2021, 2022, 2023, 2024), "в течение года (ежегодно)"),
    ("В соответствии с графиками проведения", LYSVA, "undated", [], "В соответствии с графиками проведения"),
    ("Февраль -март", LYSVA, "months", lysva_every_year(2, 3), "ежегодно, февраль – март"),
    ("Ежегодно", LYSVA, "yearly", whole_years(2021, 2022, 2023, 2024), "ежегодно"),
]


@pytest.mark.parametrize(("text", "period", "kind", "windows", "rendered"), SOURCE_FORMS,
                         ids=[form[0] for form in SOURCE_FORMS])
def test_source_form(text, period, kind, windows, rendered):
    expr = parse_time(text)
    assert expr.kind == kind
    assert expr.windows(period) == windows
    assert expr.render(period) == rendered
    assert expr.dated == bool(windows)
    assert parse_time(rendered).windows(period) == windows


def test_lipetsk_item_8_is_two_windows_as_laid_out_in_the_source():
    expr = parse_time("01.06.2022 – 27.06.2022 15.11.2022 – 30.11.2022")
    assert expr.windows(LIPETSK) == [w("2022-06-01", "2022-06-27"), w("2022-11-15", "2022-11-30")]
    assert expr.first_day(LIPETSK) == dt.date(2022, 6, 1)
    assert expr.last_day(LIPETSK) == dt.date(2022, 11, 30)
    assert expr.recurrence(LIPETSK) is None


def test_lipetsk_item_13_typo_is_an_error_not_an_undated_deadline():
    text = "В соответствии и календарными планами ОО"
    with pytest.raises(DiagnosticError) as caught:
        parse_time(text)
    assert caught.value.code == "P101"
    assert text[caught.value.offset:caught.value.offset + caught.value.length] == "и"


def test_lysva_june_july_repeats_every_year_of_the_plan():
    expr = parse_time("Июнь-июль")
    assert len(expr.windows(LYSVA)) == 4
    rule = expr.recurrence(LYSVA)
    assert rule == Recurrence(months(2021, 6, 7), "YEARLY", dt.date(2024, 6, 1))
    assert rule.starts() == [window.start for window in expr.windows(LYSVA)]


def test_lysva_school_year_months_are_each_listed_month_every_year():
    expr = parse_time("Ноябрь, январь, март, июнь")
    windows = expr.windows(LYSVA)
    assert len(windows) == 16
    assert {window.start.month for window in windows} == {1, 3, 6, 11}
    rule = expr.recurrence(LYSVA)
    assert (rule.freq, rule.by_month, rule.first, rule.until) == ("YEARLY", (1, 3, 6, 11), months(2021, 1),
                                                                   dt.date(2024, 11, 1))
    assert rule.starts() == [window.start for window in windows]
    assert expr.render(LYSVA) == "ноябрь, январь, март, июнь (ежегодно)"
    # in a one-year programme the same list is four months of that year, not a repeating rule
    assert expr.windows(LIPETSK) == [months(2022, m) for m in (1, 3, 6, 11)]
    assert expr.recurrence(LIPETSK) is None
    assert expr.render(LIPETSK) == "ноябрь, январь, март, июнь 2022 года"


def test_leningrad_monthly_is_every_whole_month_of_2020():
    expr = parse_time("ежемесячно")
    windows = expr.windows(LENINGRAD)
    assert len(windows) == 12
    for number, window in enumerate(windows, start=1):
        assert window.start == dt.date(2020, number, 1)
        assert window.end == dt.date(2020, number, calendar.monthrange(2020, number)[1])
    rule = expr.recurrence(LENINGRAD)
    assert (rule.freq, rule.until, rule.by_month, rule.interval) == ("MONTHLY", dt.date(2020, 12, 1), (), 1)


def test_monthly_within_named_months():
    expr = parse_time("ежемесячно, март–декабрь 2022")
    assert expr.kind == "monthly"
    assert expr.windows(LIPETSK) == [months(2022, m) for m in range(3, 13)]
    assert expr.render(LIPETSK) == "ежемесячно, март – декабрь 2022 года"
    every_spring = parse_time("ежемесячно, март – май")
    assert len(every_spring.windows(LYSVA)) == 12
    assert every_spring.recurrence(LYSVA).by_month == (3, 4, 5)


def test_quarterly_is_every_quarter_of_the_period():
    expr = parse_time("ежеквартально")
    assert expr.windows(LENINGRAD) == [months(2020, 1, 3), months(2020, 4, 6), months(2020, 7, 9),
                                       months(2020, 10, 12)]
    assert expr.recurrence(LENINGRAD).interval == 3


def test_deadline_is_the_single_named_day():
    for text in ("до 10 февраля 2020 года", "в срок до 10.02.2020", "не позднее 2020-02-10"):
        expr = parse_time(text)
        assert expr.kind == "deadline"
        assert expr.windows(LENINGRAD) == [w("2020-02-10")]
        assert expr.render(LENINGRAD) == "до 10 февраля 2020 года"
    assert parse_time("до 01.03.2022").render(LIPETSK) == "до 1 марта 2022 года"


def test_year_less_kinds_take_the_year_of_a_one_year_programme():
    assert parse_time("Ежегодно").windows(LIPETSK) == whole_years(2022)
    assert parse_time("В течение года").render(LIPETSK) == "в течение 2022 года"
    assert parse_time("Июнь-июль").recurrence(LIPETSK) is None
    assert parse_time("2021").windows(LYSVA) == whole_years(2021)


def test_range_over_a_year_end():
    wrapped = parse_time("ноябрь – январь")
    assert wrapped.windows(LIPETSK) == [Window(dt.date(2022, 11, 1), dt.date(2023, 1, 31))]
    assert wrapped.render(LIPETSK) == "ноябрь 2022 года – январь 2023 года"
    assert len(wrapped.windows(LYSVA)) == 4
    both_years = parse_time("ноябрь 2021 – январь 2022 года")
    assert both_years.windows(LYSVA) == [Window(dt.date(2021, 11, 1), dt.date(2022, 1, 31))]


def test_a_year_belongs_to_the_months_written_before_it():
    expr = parse_time("май, июнь 2020 года, январь 2021 г.")
    assert expr.windows(LENINGRAD) == [months(2020, 5), months(2020, 6), months(2021, 1)]
    assert expr.render(LENINGRAD) == "май, июнь 2020 года, январь 2021 года"


@pytest.mark.parametrize("variants", [
    ["Февраль-март", "февраль – март", "ФЕВРАЛЬ—МАРТ", "Февраль -март", "февраль - март", "ежегодно, февраль – март"],
    ["март 2020", "март 2020 года", "март 2020 г.", "Март, 2020", "март – 2020", "март 2020 год"],
    ["16.03.2021", "2021-03-16", "16 марта 2021 года", "16 марта 2021 г.", "16 марта 2021"],
    ["01.06.2022 – 27.06.2022; 15.11.2022 – 30.11.2022", "01.06.2022-27.06.2022 15.11.2022-30.11.2022",
     "01.06.2022 — 27.06.2022,\n15.11.2022 — 30.11.2022"],
    ["В течение года", "в течении года", "в течение года (ежегодно)"],
    ["2021 год", "2021", "в течение 2021 года", "2021 г."],
    ["Ноябрь, январь, март, июнь", "ноябрь, январь, март, июнь (ежегодно)", "ежегодно, ноябрь, январь, март, июнь"],
])
def test_spellings_of_the_same_deadline_are_equal(variants):
    parsed = [parse_time(text) for text in variants]
    assert all(expr == parsed[0] for expr in parsed)
    assert len({hash(expr) for expr in parsed}) == 1
    assert [expr.text for expr in parsed] == variants


def test_undated_keeps_the_text_and_has_no_calendar():
    expr = parse_time("  по   отдельному\nграфику ")
    assert (expr.kind, expr.dated) == ("undated", False)
    assert expr.windows(LYSVA) == []
    assert expr.first_day(LYSVA) is None and expr.last_day(LYSVA) is None
    assert expr.recurrence(LYSVA) is None
    assert expr.render(LYSVA) == "по отдельному графику"
    assert parse_time("по мере необходимости").kind == "undated"
    assert parse_time("По итогам выявления") != parse_time("По плану")


def test_to_json():
    assert parse_time("Июнь-июль").to_json(LYSVA) == {
        "text": "Июнь-июль",
        "kind": "months",
        "rendered": "ежегодно, июнь – июль",
        "windows": [{"start": f"{year}-06-01", "end": f"{year}-07-31"} for year in (2021, 2022, 2023, 2024)],
        "recurrence": {"first": {"start": "2021-06-01", "end": "2021-07-31"}, "freq": "YEARLY",
                       "until": "2024-06-01", "by_month": [], "interval": 1},
    }
    assert parse_time("по запросу").to_json(LIPETSK)["windows"] == []


@pytest.mark.parametrize(("text", "start", "end", "multi_year"), [
    ("2022", "2022-01-01", "2022-12-31", False),
    ("2021–2024", "2021-01-01", "2024-12-31", True),
    ("2021-2024 гг", "2021-01-01", "2024-12-31", True),
    ("2021 - 2024 гг.", "2021-01-01", "2024-12-31", True),
    ("2022 год", "2022-01-01", "2022-12-31", False),
    ("01.02.2020 – 31.12.2020", "2020-02-01", "2020-12-31", False),
    ("2020-02-01/2020-12-31", "2020-02-01", "2020-12-31", False),
])
def test_parse_period(text, start, end, multi_year):
    period = parse_period(text)
    assert period == Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    assert period.multi_year is multi_year
    assert period.years == list(range(period.start.year, period.end.year + 1))


def test_yaml_scalars_are_read_as_text():
    assert parse_period(2022) == LIPETSK
    assert parse_time(2021).windows(LYSVA) == whole_years(2021)
    assert parse_time(dt.date(2020, 2, 3)).windows(LENINGRAD) == [w("2020-02-03")]


@pytest.mark.parametrize(("text", "code", "bad_part", "message"), [
    ("31.02.2021", "P101", "31.02.2021", "31 февраля 2021 года не существует"),
    ("29.02.2021", "P101", "29.02.2021", "29 февраля 2021 года не существует"),
    ("00.00.2020", "P101", "00.00.2020", "месяца 00 не существует"),
    ("31 апреля 2020 года", "P101", "31 апреля 2020 года", "31 апреля 2020 года не существует"),
    ("15.03.2021 – 09.03.2021", "P102", "09.03.2021", "окончание периода 09.03.2021 раньше начала 15.03.2021"),
    ("ноябрь – январь 2022", "P102", "январь", "окончание периода"),
    ("послезавтра", "P101", "послезавтра", "не распознан срок «послезавтра»"),
    ("13-й месяц", "P101", "13", "не распознан срок"),
    ("март 2020 послезавтра", "P101", "послезавтра", "лишний текст"),
    ("до", "P101", "до", "не указана дата"),
    ("до послезавтра", "P101", "послезавтра", "не распознан срок"),
    ("3 февраля", "P101", "3 февраля", "не указан год"),
    ("май 2020, июнь", "P101", "июнь", "не указан год"),
    ("ежегодно, июнь 2022", "P101", "ежегодно, июнь 2022", "ежегодно"),
    ("по 10.03.2021", "P101", "10.03.2021", ""),
    ("16.03.21", "P101", "16", "не распознан срок"),
    ("01.06.2022 – 27.06.2022 15.11.2022 –", "P101", "–", "не распознан срок"),
    ("март 3020", "P101", "3020", "год 3020"),
    ("   ", "P101", "", "срок не указан"),
])
def test_errors_point_inside_the_text(text, code, bad_part, message):
    with pytest.raises(DiagnosticError) as caught:
        parse_time(text)
    error = caught.value
    assert error.code == code
    assert message in error.message
    assert error.hint
    assert text[error.offset:error.offset + error.length] == bad_part


@pytest.mark.parametrize(("text", "code"), [
    ("2024–2021", "P102"), ("31.12.2020 – 01.02.2020", "P102"), ("в течение года", "P101"),
    ("2021 год 2022", "P101"), ("", "P101"), ("01.02.2020", "P101"),
])
def test_period_errors(text, code):
    with pytest.raises(DiagnosticError) as caught:
        parse_period(text)
    assert caught.value.code == code


def test_non_text_is_rejected_with_a_diagnostic():
    for value in (None, 3.5, True, ["март"]):
        with pytest.raises(DiagnosticError):
            parse_time(value)


# --- properties ----------------------------------------------------------------------------

DEADLINE_TOKENS = [
    "март", "Февраль", "мая", "до", "в", "срок", "течение", "года", "год", "г.", "ежегодно", "ежемесячно",
    "ежеквартально", "по", "соответствии", "с", "не", "позднее", "2020", "2021", "16.03.2021", "31.02.2021",
    "2020-02-03", "3", "-", "–", "—", ",", ";", "(", ")", ".", "/", "\n", "0000", "99",
]


def assert_only_diagnostics(parse, text):
    try:
        parse(text)
    except DiagnosticError as error:
        assert error.code in ("P101", "P102")
        assert 0 <= error.offset <= len(text)
        assert 0 <= error.length <= len(text) - error.offset


@settings(max_examples=400)
@given(st.text())
def test_any_text_raises_nothing_but_diagnostics(text):
    assert_only_diagnostics(parse_time, text)
    assert_only_diagnostics(parse_period, text)


@settings(max_examples=400)
@given(st.lists(st.sampled_from(DEADLINE_TOKENS), max_size=8).map(" ".join))
def test_near_miss_text_raises_nothing_but_diagnostics(text):
    assert_only_diagnostics(parse_time, text)
    assert_only_diagnostics(parse_period, text)


DASHES = st.sampled_from(["-", " - ", "–", " – ", " —", "— "])
YEAR_SUFFIXES = st.sampled_from(["", " года", " г.", " год"])
dates = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31))
month_numbers = st.integers(1, 12)
years = st.integers(2015, 2030)


def cased(text: str, capitalise: bool) -> str:
    return text.capitalize() if capitalise else text


GENITIVE = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
            "сентября", "октября", "ноября", "декабря"]


@st.composite
def spelled(draw, day: dt.date) -> str:
    return draw(st.sampled_from([
        f"{day:%d.%m.%Y}",
        day.isoformat(),
        f"{day.day} {GENITIVE[day.month - 1]} {day.year}{draw(YEAR_SUFFIXES)}",
    ]))


@st.composite
def window_texts(draw) -> str:
    start, end = sorted(draw(st.lists(dates, min_size=2, max_size=2)))
    if draw(st.booleans()):
        return draw(spelled(start))
    return f"{draw(spelled(start))}{draw(DASHES)}{draw(spelled(end))}"


@st.composite
def windows_texts(draw) -> str:
    parts = draw(st.lists(window_texts(), min_size=1, max_size=3))
    separator = draw(st.sampled_from(["; ", ", ", " ", "\n"]))
    return separator.join(parts)


@st.composite
def relative_month_texts(draw) -> str:
    spans = []
    for _ in range(draw(st.integers(1, 4))):
        first = cased(MONTHS[draw(month_numbers) - 1], draw(st.booleans()))
        last = MONTHS[draw(month_numbers) - 1]
        spans.append(draw(st.sampled_from([first, f"{first}{draw(DASHES)}{last}"])))
    return ", ".join(spans)


@st.composite
def absolute_month_texts(draw) -> str:
    spans = []
    for _ in range(draw(st.integers(1, 3))):
        year, first, last = draw(years), draw(month_numbers), draw(month_numbers)
        if first <= last:
            spans.append(f"{MONTHS[first - 1]}{draw(DASHES)}{MONTHS[last - 1]} {year}{draw(YEAR_SUFFIXES)}")
        else:  # over a year end: both years written
            spans.append(f"{MONTHS[first - 1]} {year}{draw(DASHES)}{MONTHS[last - 1]} {year + 1}{draw(YEAR_SUFFIXES)}")
    return ", ".join(spans)


@st.composite
def same_year_list_texts(draw) -> str:
    names = [MONTHS[m - 1] for m in draw(st.lists(month_numbers, min_size=1, max_size=5))]
    return f"{', '.join(names)}{draw(st.sampled_from([' ', ', ']))}{draw(years)}{draw(YEAR_SUFFIXES)}"


@st.composite
def other_texts(draw) -> str:
    return draw(st.sampled_from([
        f"до {draw(spelled(draw(dates)))}",
        f"в срок до {draw(spelled(draw(dates)))}",
        "ежемесячно", "Ежеквартально", "Ежегодно", "В течение года",
        f"ежемесячно, {draw(st.one_of(relative_month_texts(), absolute_month_texts()))}",
        f"ежегодно, {draw(relative_month_texts())}",
        f"{draw(years)}{draw(YEAR_SUFFIXES)}",
        f"в течение {draw(years)} года",
    ]))


valid_texts = st.one_of(windows_texts(), relative_month_texts(), absolute_month_texts(), same_year_list_texts(),
                        other_texts())


@st.composite
def periods(draw) -> Period:
    first = draw(years)
    last = first + draw(st.sampled_from([0, 0, 1, 3]))
    return Period(dt.date(first, 1, 1), dt.date(last, 12, 31))


@settings(max_examples=500)
@given(valid_texts, periods())
def test_render_parses_back_to_the_same_windows(text, period):
    expr = parse_time(text)
    rendered = expr.render(period)
    again = parse_time(rendered)
    assert again.windows(period) == expr.windows(period)
    assert again.render(period) == rendered
    rule = expr.recurrence(period)
    if rule is not None:
        assert rule.starts() == [window.start for window in expr.windows(period)]


def test_parsed_deadlines_and_their_windows_are_shared_but_never_changed_by_a_caller():
    """parse_time and windows are cached: the same text gives the same expression, a caller's list is its own."""
    first, again = parse_time("Июнь-июль"), parse_time("Июнь-июль")
    assert first is again
    windows = first.windows(LIPETSK)
    windows.clear()
    assert first.windows(LIPETSK) == again.windows(LIPETSK) != []
    # equal meaning, other wording: windows are shared, the text is each one's own
    assert parse_time("июнь - июль").text == "июнь - июль"
    assert parse_time("июнь - июль").windows(LIPETSK) == first.windows(LIPETSK)
    for _ in range(2):  # an error is raised every time, with its position
        with pytest.raises(DiagnosticError) as caught:
            parse_time("Июнь-июлб")
        assert caught.value.code == "P101"
    with pytest.raises(DiagnosticError):  # not text: still a diagnostic, not a TypeError of the cache
        parse_time(["Июнь"])
