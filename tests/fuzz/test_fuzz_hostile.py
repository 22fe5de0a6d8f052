"""Hostile values in every field of a valid programme: located diagnostics, never a crash (issue 10, item 5).

A valid programme (programme_strategies.programmes) gets extreme or hostile scalars — empty, huge, tiny,
negative, not a number, dates at the ends of the calendar, zone names that are folders or paths, template
syntax, invisible and bidi characters, line breaks — in one to three fields chosen anywhere in its data,
and now and then some checks turned off. Whatever it becomes:

* `check_tree` does not raise, says nothing of an internal error (E9xx), and locates every diagnostic
  inside the programme's files;
* if it has errors, `build` renders nothing of it; if it has none, `build` renders it without an
  internal error — the values the checks let through, the renderers must take.
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from programme_strategies import PROGRAMME, files_of, programmes
from test_fuzz_programmes import _assert_located, _write, fuzz_settings

from engine.building.build import build
from engine.building.pipeline import check_tree
from engine.checks import REGISTRY
from engine.diagnostics import has_errors

HOSTILE = [
    "", " ", "\n", "\t", "\r", "а\nб", "а\rб", "\x1b[2J", "\x00", "\x7f", "\x85",
    "0", "-0", "-1", "-2022", "0.0", "1e-300", "1e400", "-1e400", "NaN", "inf", "-Infinity", "99999999999999999999",
    "1 000 000 000 000 000,00", "0,001", "не менее -5", "100500 %", "%",
    "01.01.0001", "0001-01-01", "31.12.9999", "29.02.2023", "00.00.0000", "1900", "2101", "３１.１２.２０２２",
    "Europe", "localtime", "posixrules", "Factory", "Etc/../Europe/Moscow", "../../etc/passwd", "/dev/zero", "nul",
    "{{ x }}", "{{ ''.__class__.__mro__ }}", "{% for x in y %}{% endfor %}", "{#", "}}", "{{ budget.total }}",
    "\u202e", "\u2066x\u2069", "\ufffe", "\uffff", "\u200b", "\u200d", "\ufeff", "\U000e0041", "\u3164", "\u2800",
    "\u2028", "\u00ad", "✔\ufe0f",
    "<w:t>", "&amp;", "]]>", "<!--", "'; DROP TABLE", "\\", "\"", "'", ":", "#", "-", "- x", "*", "&", "!", "|", ">",
    "null", "~", "true", "да", "нет", "off", "да нет",
    "x" * 3000, "Ё" * 300, "мероприятие " * 200,
]
LEVELS = ["off", "warning", "info", "error"]


def scalar_paths(value, path=()):
    """Every scalar (text, number, empty) of raw data, by path."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from scalar_paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from scalar_paths(item, path + (index,))
    else:
        yield path


@st.composite
def hostile_programmes(draw) -> dict:
    data = copy.deepcopy(draw(programmes()).data)
    paths = sorted(scalar_paths(data), key=repr)
    for path in draw(st.lists(st.sampled_from(paths), min_size=1, max_size=3, unique=True)):
        target = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = draw(st.sampled_from(HOSTILE) | st.text(max_size=40))
    if draw(st.booleans()):
        codes = draw(st.lists(st.sampled_from(sorted(REGISTRY)), min_size=1, max_size=6, unique=True))
        data["programme"]["checks"] = {code: draw(st.sampled_from(LEVELS)) for code in codes}
    return data


@fuzz_settings(40)
@given(hostile_programmes())
def test_hostile_values_give_located_diagnostics_and_never_a_crash(data):
    files = files_of(data)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        programme = _write(folder, files)
        checked = check_tree(folder / "specs")
        _assert_located(checked.diagnostics, programme, files)
        report = build(folder / "specs", folder / "outputs")
        crashed = [(d.code, d.message) for d in report.all_diagnostics if d.code.startswith("E9")]
        assert not crashed, (crashed, files)
        if has_errors(checked.diagnostics):
            assert report.failed and not report.programmes[0].rendered
            assert not (folder / "outputs" / PROGRAMME).exists()
        else:
            assert report.programmes[0].rendered, [(d.code, d.message) for d in report.all_diagnostics]
