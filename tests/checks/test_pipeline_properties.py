"""Property: whatever a user types into any value of a programme, `check_tree` answers with diagnostics.

Hypothesis edits the base programme (tests/checks/base/base-2022): it replaces the values of
random `key: value` and `- value` lines with random text, numbers or YAML-looking tokens. The
pipeline must never raise, no check may crash (E900), and every diagnostic must carry a span
inside the edited files.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.building.pipeline import check_tree
from engine.diagnostics import Severity

BASE = Path(__file__).parent / "base" / "base-2022"
FILES = {p.name: p.read_text(encoding="utf-8") for p in sorted(BASE.glob("*.yaml"))}

# a value position: (file, line index, prefix kept, value replaced)
_VALUE_LINE = re.compile(r"^(?P<prefix>\s*(?:- )?(?:[\w.-]+: )?)(?P<value>\S.*)$")


def _positions() -> list[tuple[str, int, str]]:
    found = []
    for name, text in FILES.items():
        for index, line in enumerate(text.split("\n")):
            match = _VALUE_LINE.match(line)
            if not match or line.lstrip().startswith("#") or match["prefix"].strip() == "":
                continue
            if not re.search(r"(: |- )$", match["prefix"]):
                continue  # a bare key like «budget:» has no scalar value on its line
            found.append((name, index, match["prefix"]))
    return found


POSITIONS = _positions()

TOKENS = [
    "", "~", "null", "[]", "{}", "no", "off", "yes", "0709", "1e309", "NaN", "-1", "0", "2022", "2.5",
    "31.02.2022", "29.02.2022", "01.01.1900", "до 31 февраля 2022 года", "до 10 февраля 2099 года",
    "Февраль-январь", "ежемесячно", "Ежегодно", "по запросу", "01.03.2022 – 01.02.2022",
    '"30 0000, 00"', '"-5 000,00"', '"999 999 999 999 999 999,00"', "не менее 0 человек",
    "{{ budget.total }}", "{{ budget.totl }}", "{{ x", "{% if %}", "{{ people.petrov.xyz }}", "{{ appendix.roadmap }}",
    "&anchor", "*anchor", "!!python/object:os.system", "'", '"', "[", "{", ": :", "- -", "#", "@", "`",
    "iro", "uo", "petrov", "monitoring", "consultations", "schools-share", "T203", "приказ", "распоряжение",
    "increase", "decrease", "keep", "roadmap", "budget", "female", "Europe/Moscow", "Mars/Olympus",
]

values = st.one_of(
    st.sampled_from(TOKENS),
    st.integers(min_value=-10**15, max_value=10**16).map(str),
    st.text(max_size=30).map(lambda s: json.dumps(s, ensure_ascii=False)),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), max_size=25),
)
edits = st.lists(st.tuples(st.sampled_from(POSITIONS), values), min_size=1, max_size=3)


def _apply(directory: Path, chosen) -> dict[str, str]:
    lines = {name: text.split("\n") for name, text in FILES.items()}
    for (name, index, prefix), value in chosen:
        lines[name][index] = prefix + value
    texts = {name: "\n".join(parts) for name, parts in lines.items()}
    for name, text in texts.items():
        (directory / name).write_text(text, encoding="utf-8")
    return texts


def _known_missing_section(d, diagnostics) -> bool:
    """Known engine gap (see test_missing_section_after_a_broken_file_has_a_location): when a file that
    holds a required section does not parse, M002 «не задан обязательный ключ …» follows without a span."""
    return d.code == "M002" and any(other.code.startswith("Y") for other in diagnostics)


def test_positions_cover_every_file():
    assert {name for name, _, _ in POSITIONS} == set(FILES)
    assert len(POSITIONS) > 100


@settings(max_examples=int(__import__("os").environ.get("PROPERTY_EXAMPLES", "300")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(edits)
def test_random_edits_give_diagnostics_within_the_files(chosen):
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp) / BASE.name
        shutil.copytree(BASE, directory)
        texts = _apply(directory, chosen)
        result = check_tree(directory)  # must not raise
        for d in result.diagnostics:
            assert re.fullmatch(r"[A-Z]\d{3}", d.code) and d.message and isinstance(d.severity, Severity), d
            assert d.code != "E900", f"проверка упала: {d.message}"
            if d.span is None and _known_missing_section(d, result.diagnostics):
                continue
            assert d.span is not None, d
            assert d.span.file.parent == directory and d.span.file.name in texts, d
            lines = texts[d.span.file.name].split("\n")
            assert 1 <= d.span.line <= len(lines), d
            assert 1 <= d.span.column <= len(lines[d.span.line - 1]) + 1, (d, lines[d.span.line - 1])
            assert (d.span.end_line, d.span.end_column) >= (d.span.line, d.span.column), d
            assert d.span.end_line <= len(lines), d


# --- examples found by exhaustive single-edit exploration (every TOKEN at every position) ----------


def _check_edited(tmp_path: Path, file: str, old: str, new: str):
    directory = tmp_path / BASE.name
    shutil.copytree(BASE, directory)
    text = FILES[file]
    assert text.count(old) == 1
    edited = text.replace(old, new)
    (directory / file).write_text(edited, encoding="utf-8")
    return check_tree(directory).diagnostics, edited


@pytest.mark.parametrize("quantity", ["1e30", "1e309"])
def test_absurd_quantity_is_a_diagnostic_on_its_line(tmp_path, quantity):
    diagnostics, edited = _check_edited(tmp_path, "budget.yaml", 'quantity: "5"', f'quantity: "{quantity}"')
    assert not [d for d in diagnostics if d.code == "E900"], [d.message for d in diagnostics]
    line = edited[: edited.index(quantity)].count("\n") + 1
    assert [d for d in diagnostics if d.span is not None and d.span.line == line and d.span.file.name == "budget.yaml"]


@pytest.mark.parametrize("file, old, new", [
    ("decree.yaml", "decree:\n  kind: приказ", 'decree:\n  kind: "приказ'),
    ("programme.yaml", "  id: base-2022", "  id: {{ x"),
])
def test_broken_section_file_gives_only_located_diagnostics(tmp_path, file, old, new):
    diagnostics, _ = _check_edited(tmp_path, file, old, new)
    assert [d.code for d in diagnostics if d.span and d.span.file.name == file] == ["Y001"]
    assert all(d.span is not None for d in diagnostics), [(d.code, d.message) for d in diagnostics]
