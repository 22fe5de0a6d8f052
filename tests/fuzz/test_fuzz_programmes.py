"""Fuzzing whole programmes: the pipeline's invariants on valid and broken programmes made by hypothesis.

* `check_tree` never raises;
* a valid programme has no problem at all and always renders;
* its DOCX, read back with python-docx, holds every activity title, budget line (title and sum) and
  indicator name; its calendar.ics parses back with icalendar and has one event per dated window,
  with the dates the deadline's words mean (computed by the strategy, not by the engine);
* a broken programme gets diagnostics, each located inside the programme's files, the one its
  mutation must cause among them, and a build of it writes nothing.

Run time is bounded (FUZZ_EXAMPLES, default 30–50 per test) and the examples are derandomised, so CI
sees the same programmes every run; FUZZ_RANDOM=1 FUZZ_EXAMPLES=500 explores new ones.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from programme_strategies import PROGRAMME, Generated, files_of, money, programmes

from engine.building.build import build
from engine.building.pipeline import check_tree
from engine.diagnostics import Severity, has_errors

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or None


def fuzz_settings(default: int) -> settings:
    return settings(max_examples=EXAMPLES or default, deadline=None, derandomize=not os.environ.get("FUZZ_RANDOM"),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much], database=None)


def _write(folder: Path, files: dict[str, str | bytes]) -> Path:
    programme = folder / "specs" / PROGRAMME
    programme.mkdir(parents=True)
    for name, content in files.items():
        if isinstance(content, bytes):
            (programme / name).write_bytes(content)
        else:
            (programme / name).write_text(content, encoding="utf-8")
    return programme


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def _docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    return _plain(" \n ".join("".join(t.text or "" for t in p.iter(qn("w:t")))
                              for p in document.element.body.iter(qn("w:p"))))


def _events(data: bytes) -> dict[str, list[tuple[dt.date, dt.date]]]:
    """calendar.ics → {UID stem («roadmap.<id>»): [(first day, last day)] of its windows in date order}.

    A window is one event (its key: an ordinal, or a date for a repeating deadline); a window longer than a day
    also has its due date, «<key>.due», on its last day, checked here and left out of the windows.
    """
    calendar = Calendar.from_ical(data)
    found: dict[str, dict[str, tuple[dt.date, dt.date]]] = {}
    due: dict[tuple[str, str], dt.date] = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event["UID"])
        match = re.fullmatch(rf"{re.escape(PROGRAMME)}\.(.+)\.([0-9][0-9-]*)(\.due)?@prikaz", uid)
        assert match, uid
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert isinstance(start, dt.date) and not isinstance(start, dt.datetime), "событие на весь день"
        if match[3]:
            assert end - start == dt.timedelta(days=1), uid
            due[(match[1], match[2])] = start
        else:
            found.setdefault(match[1], {})[match[2]] = (start, end - dt.timedelta(days=1))
    for (stem, key), day in due.items():
        first, last = found[stem][key]
        assert first < last and day == last, (stem, key)    # the due date of a window longer than a day
    assert len(due) == sum(first < last for windows in found.values() for first, last in windows.values())
    return {stem: sorted(windows.values()) for stem, windows in found.items()}


# --- valid programmes -------------------------------------------------------------------------------


@fuzz_settings(30)
@given(programmes())
def test_valid_programme_is_clean_renders_and_shows_every_item(generated: Generated):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _write(folder, generated.files)
        checked = check_tree(folder / "specs")
        assert [(d.code, d.message) for d in checked.diagnostics] == [], generated.files
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
            report = build(folder / "specs", folder / "outputs")
        assert not report.failed, [(d.code, d.message) for d in report.all_diagnostics]
        assert report.programmes[0].rendered
        outputs = folder / "outputs" / PROGRAMME

        documents = sorted(outputs.glob("*.docx"))
        decree = next(path for path in documents if not path.name.startswith("prilozhenie-"))
        text = _docx_text(decree)                     # the decree holds all its appendices
        for title in generated.activity_titles:
            assert _plain(title) in text, title
        for title, amount in generated.budget_lines:
            assert _plain(title) in text, title
            assert money(amount).replace(" ", " ") in text.replace("\u00a0", " "), (title, money(amount))
        for name in generated.indicator_names:
            assert _plain(name) in text, name
        appendices = " ".join(_docx_text(path) for path in documents if path != decree)
        for title in generated.activity_titles + [t for t, _ in generated.budget_lines] + generated.indicator_names:
            assert _plain(title) in appendices, title

        data = (outputs / "calendar.ics").read_bytes()
        events = _events(data)
        assert events == generated.windows
        assert _events(Calendar.from_ical(data).to_ical()) == events, "календарь не переживает разбор и запись"
        assert sum(len(w) + sum(a < b for a, b in w) for w in events.values()) == len(Calendar.from_ical(data).walk("VEVENT"))
        protected = data.decode("utf-8")
        assert "<class" not in protected and "{{" not in protected


# --- broken programmes ---------------------------------------------------------------------------------


def _activities(data: dict) -> list[dict]:
    roadmap = data.get("roadmap") or {}
    return list(roadmap.get("activities", [])) + [a for s in roadmap.get("sections", []) for a in s["activities"]]


def _mutations(data: dict) -> list[tuple[str, str]]:
    """(name, the code it must cause) of the semantic mutations this programme allows."""
    found = [("unknown-key", "M001"), ("missing-key", "M002"), ("wrong-type", "M003"), ("bad-date", "P501"),
             ("bad-timezone", "P801"), ("bad-id", "P701"), ("unknown-placeholder", "R506"), ("jinja", "X101"),
             ("bad-kind", "M004")]
    if _activities(data):
        found += [("unknown-owner", "O301"), ("reversed-window", "P102"), ("impossible-day", "P101"),
                  ("outside-period", "T201"), ("jinja-in-title", "X101")]
        if len(_activities(data)) > 1:
            found += [("duplicate-id", "R505"), ("cycle", "T204")]
    if "budget" in data:
        found += [("bad-amount", "P201"), ("negative-amount", "P202"), ("total-off", "S101")]
    if any(i.get("unit") == "%" for i in (data.get("indicators") or {}).get("items", [])):
        found += [("percent", "I403")]
    return found


def _mutate(data: dict, name: str, index: int) -> dict:
    data = copy.deepcopy(data)
    activities = _activities(data)
    activity = activities[index % len(activities)] if activities else None
    year = int(data["programme"]["period"][:4])
    last = int(data["programme"]["period"][-4:])
    if name == "unknown-key":
        data["programme"]["titel"] = data["programme"]["title"]
    elif name == "missing-key":
        del data["decree"]["title"]         # the number may be missing: a draft
    elif name == "wrong-type":
        data["decree"]["title"] = [data["decree"]["title"]]
    elif name == "bad-date":
        data["decree"]["date"] = f"31.02.{year}"
    elif name == "bad-timezone":
        data["programme"]["timezone"] = "../../etc/Moscow"
    elif name == "bad-id":
        data["decree"]["clauses"][0]["id"] = "Пункт один"
    elif name == "unknown-placeholder":
        data["decree"]["clauses"][0]["text"] += " {{ budget.totl }}"
    elif name == "jinja":
        data["decree"]["preamble"] += " {% for x in y %}{{ x }}{% endfor %}"
    elif name == "bad-kind":
        data["decree"]["kind"] = "указ"
    elif name == "unknown-owner":
        activity["owners"] = ["ghost"]
    elif name == "reversed-window":
        activity["time"] = f"31.03.{year} – 01.03.{year}"
    elif name == "impossible-day":
        activity["time"] = f"31.02.{year}"
    elif name == "outside-period":
        activity["time"] = f"01.03.{last + 1}"
    elif name == "jinja-in-title":
        activity["title"] += " {{ ''.__class__.__mro__ }}"
    elif name == "duplicate-id":
        activity["id"] = activities[(index + 1) % len(activities)]["id"]
    elif name == "cycle":
        other = activities[(index + 1) % len(activities)]
        activity["depends_on"], other["depends_on"] = [other["id"]], [activity["id"]]
    elif name == "bad-amount":
        data["budget"]["total"] = "12 34,5"
    elif name == "negative-amount":
        data["budget"]["lines"][0].pop("quantity", None)
        data["budget"]["lines"][0].pop("unit_price", None)
        data["budget"]["lines"][0]["amount"] = "-" + data["budget"]["total"]
    elif name == "total-off":
        total = Decimal(data["budget"]["total"].replace(" ", "").replace(",", "."))
        data["budget"]["total"] = money(total + Decimal("0.01"))
    elif name == "percent":
        indicator = next(i for i in data["indicators"]["items"] if i.get("unit") == "%")
        indicator["target"] = "150"
    return data


def _assert_located(diagnostics, programme: Path, files: dict[str, str | bytes]) -> None:
    for d in diagnostics:
        assert re.fullmatch(r"[A-Z]\d{3}", d.code) and d.message and isinstance(d.severity, Severity), d
        assert d.code not in ("E900", "E901"), f"сбой движка: {d.message}"
        assert d.span is not None, d
        assert d.span.file == programme or d.span.file.parent == programme, d
        if d.span.file == programme:
            assert (d.span.line, d.span.column) == (1, 1), d
            continue
        assert d.span.file.name in files, d
        content = files[d.span.file.name]
        if isinstance(content, bytes):
            try:
                content = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                assert (d.span.line, d.span.column) >= (1, 1), d
                continue
        lines = content.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        assert 1 <= d.span.line <= len(lines), (d, len(lines))
        assert 1 <= d.span.column <= len(lines[d.span.line - 1]) + 1, (d, lines[d.span.line - 1][:100])
        assert (d.span.end_line, d.span.end_column) >= (d.span.line, d.span.column), d


@st.composite
def broken(draw) -> tuple[dict[str, str], str]:
    generated = draw(programmes())
    name, code = draw(st.sampled_from(_mutations(generated.data)))
    mutated = _mutate(generated.data, name, draw(st.integers(0, 10)))
    return files_of(mutated), code


@fuzz_settings(50)
@given(broken())
def test_broken_programme_gets_its_diagnostic_located_and_builds_nothing(case):
    files, code = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        programme = _write(folder, files)
        checked = check_tree(folder / "specs")
        codes = [d.code for d in checked.diagnostics]
        assert code in codes, (code, [(d.code, d.message) for d in checked.diagnostics])
        assert has_errors(checked.diagnostics)
        _assert_located(checked.diagnostics, programme, files)
        report = build(folder / "specs", folder / "outputs")
        assert report.failed and not report.programmes[0].rendered
        assert not (folder / "outputs" / PROGRAMME).exists()


# --- text-level damage: whatever happens to the bytes, the answer is located diagnostics -----------------


@st.composite
def damaged(draw) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = dict(draw(programmes()).files)
    name = draw(st.sampled_from(sorted(files)))
    text = files[name]
    how = draw(st.sampled_from(["truncate", "tab", "bytes", "swap-lines", "duplicate-line", "delete-line",
                                "insert-token"]))
    lines = text.split("\n")
    at = draw(st.integers(0, max(0, len(lines) - 2)))
    if how == "truncate":
        files[name] = text[: draw(st.integers(0, len(text)))]
    elif how == "tab":
        lines[at] = "\t" + lines[at]
        files[name] = "\n".join(lines)
    elif how == "bytes":
        raw = text.encode("utf-8")
        cut = draw(st.integers(0, len(raw)))
        files[name] = raw[:cut] + draw(st.binary(min_size=1, max_size=16)) + raw[cut:]
    elif how == "swap-lines" and len(lines) > 2:
        lines[at], lines[at + 1] = lines[at + 1], lines[at]
        files[name] = "\n".join(lines)
    elif how == "duplicate-line":
        lines.insert(at, lines[at])
        files[name] = "\n".join(lines)
    elif how == "delete-line":
        del lines[at]
        files[name] = "\n".join(lines)
    else:
        token = draw(st.sampled_from(["&a", "*a", "!!python/object:os.system", "<<: *a", "[", "{", "'", '"', ": -",
                                      "- -", "? x", "%YAML 1.1", "---", "{{ x", "{% if %}", "\u0085", "\u2028"]))
        column = draw(st.integers(0, len(lines[at])))
        lines[at] = lines[at][:column] + token + lines[at][column:]
        files[name] = "\n".join(lines)
    return files


@fuzz_settings(50)
@given(damaged())
def test_damaged_files_never_crash_and_every_diagnostic_is_located(files):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        programme = _write(folder, files)
        checked = check_tree(folder / "specs")    # must not raise
        _assert_located(checked.diagnostics, programme, files)
