"""O305, the check spanning programmes: what it compares, what it leaves alone, and that it answers the same
however the programmes are checked — one process keeping every model, workers keeping none, or a build.

Each tree is made of copies of the base programme (tests/checks/base/base-2022) under other ids, with edits.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine import report
from engine.building.build import build
from engine.building.parallel import MIN_PROGRAMMES, workers
from engine.building.pipeline import check_tree
from engine.diagnostics import Severity

BASE = Path(__file__).parent / "base" / "base-2022"
IRO = "    short: ИРО\n    full: институт развития образования Условной области\n"


def programme(specs: Path, name: str, *edits: tuple[str, str, str]) -> Path:
    """A copy of the base programme as specs/<name>, with (file, old, new) edits (each old found exactly once)."""
    folder = specs / name
    shutil.copytree(BASE, folder)
    for file, old, new in (("programme.yaml", "id: base-2022", f"id: {name}"), *edits):
        text = (folder / file).read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{file}: «{old}»"
        (folder / file).write_text(text.replace(old, new), encoding="utf-8")
    return folder


def region(name: str) -> tuple[str, str, str]:
    return "programme.yaml", "region: Условная область", f"region: {name}"


def iro(short: str = "ИРО", full: str = "институт развития образования Условной области", extra: str = ""):
    return "organisations.yaml", IRO, f"    short: {short}\n    full: {full}\n{extra}"


def iro_renamed(folder: Path) -> Path:
    """The institute of the programme under the id «ipk» everywhere."""
    for file in folder.glob("*.yaml"):
        file.write_text(file.read_text(encoding="utf-8").replace("iro", "ipk"), encoding="utf-8")
    return folder


def o305(diagnostics) -> list[tuple[str, str, int]]:
    return [(d.span.file.parent.name, d.span.file.name, d.span.line) for d in diagnostics if d.code == "O305"]


def test_one_organisation_named_two_ways(tmp_path):
    specs = tmp_path / "specs"
    programme(specs, "first-2022")
    programme(specs, "second-2022", iro(full="Институт развития образования условной области (ИРО)"))
    found = [d for d in check_tree(specs).diagnostics if d.code == "O305"]
    assert o305(found) == [("first-2022", "organisations.yaml", 7), ("second-2022", "organisations.yaml", 7)]
    first = found[0]
    assert first.severity is Severity.WARNING
    assert ("полное наименование организации «iro» региона «Условная область» — «институт развития образования "
            "Условной области», а в других программах она названа иначе: «Институт развития образования условной "
            "области (ИРО)» (second-2022)") in first.message
    assert "calendars/uslovnaya-oblast/iro.ics" in first.message
    assert [(r.span.file.parent.name, r.span.line) for r in first.related] == [("second-2022", 7)]
    assert first.related[0].label.startswith("в программе second-2022: полное наименование «Институт")


def test_one_name_two_organisations_of_one_region(tmp_path):
    """iro in one programme and ipk in another, with the same names: one institute, two shared feeds. Told once, at
    the full name, not again at the short one."""
    specs = tmp_path / "specs"
    programme(specs, "first-2022")
    iro_renamed(programme(specs, "second-2022"))
    found = [d for d in check_tree(specs).diagnostics if d.code == "O305"]
    assert o305(found) == [("first-2022", "organisations.yaml", 7), ("second-2022", "organisations.yaml", 7)]
    assert "такое же, как у организации в других программах: «ipk» (second-2022)" in found[0].message
    assert "calendars/uslovnaya-oblast/iro.ics" in found[0].message
    assert "calendars/uslovnaya-oblast/ipk.ics" in found[1].message


def test_names_of_other_regions_and_of_other_taxpayers_are_theirs(tmp_path):
    """«ИРО» of two regions are two institutes; so are two organisations with the same name and different ИНН."""
    specs = tmp_path / "specs"
    programme(specs, "first-2022")
    iro_renamed(programme(specs, "second-2022", region("Другая область")))
    assert o305(check_tree(specs).diagnostics) == []
    specs = tmp_path / "taxpayers"
    programme(specs, "first-2022", iro(extra='    inn: "7707083893"\n'))
    iro_renamed(programme(specs, "second-2022", iro(extra='    inn: "7736050003"\n')))
    diagnostics = check_tree(specs).diagnostics
    assert o305(diagnostics) == [], report.human(diagnostics, {})


def test_one_taxpayer_across_regions(tmp_path):
    specs = tmp_path / "specs"
    programme(specs, "first-2022", iro(extra='    inn: "7707083893"\n'))
    programme(specs, "second-2022", region("Другая область"), iro(short="ИРО ДО", extra='    inn: "7707083893"\n'))
    found = [d for d in check_tree(specs).diagnostics if d.code == "O305"]
    assert o305(found) == [("first-2022", "organisations.yaml", 6), ("second-2022", "organisations.yaml", 6)]
    assert "краткое наименование организации с ИНН 7707083893 — «ИРО»" in found[0].message
    assert "calendars/inn/7707083893.ics" in found[0].message


def test_spelling_is_not_a_difference(tmp_path):
    """Case, ё, quotes, dashes and spaces aside, the names are one."""
    specs = tmp_path / "specs"
    programme(specs, "first-2022", iro(short="ГАУДПО «ИРО»", full="учреждение «Институт развития» — условная область"))
    programme(specs, "second-2022",
              iro(short='гаудпо  "ИРО"', full="Учрежде\u0301ние „Институт развития“ - Условная  область".replace("\u0301", "")))
    assert o305(check_tree(specs).diagnostics) == []


def test_a_programme_silences_its_own_warning_only(tmp_path):
    specs = tmp_path / "specs"
    programme(specs, "first-2022", iro(extra='    silence: {O305: "так в приказе этой программы"}\n'))
    programme(specs, "second-2022", iro(short="ИРО УО"))
    assert o305(check_tree(specs).diagnostics) == [("second-2022", "organisations.yaml", 6)]


@pytest.mark.parametrize("level, expected", [
    ("off", [("second-2022", Severity.WARNING)]),     # the other programme is still told
    ("error", [("first-2022", Severity.ERROR), ("second-2022", Severity.WARNING)]),
])
def test_programme_settings(tmp_path, level, expected):
    specs = tmp_path / "specs"
    programme(specs, "first-2022", ("programme.yaml", "  timezone: Europe/Moscow\n",
                                    f"  timezone: Europe/Moscow\n  checks: {{O305: {level}}}\n"))
    programme(specs, "second-2022", iro(short="ИРО УО"))
    found = [(d.span.file.parent.name, d.severity) for d in check_tree(specs).diagnostics if d.code == "O305"]
    assert found == expected


def test_many_programmes_are_counted_not_listed(tmp_path):
    specs = tmp_path / "specs"
    programme(specs, "a-2022")
    for index in range(5):
        programme(specs, f"b{index}-2022", iro(short="ИРО УО"))
    found = [d for d in check_tree(specs).diagnostics if d.code == "O305"]
    first = found[0]
    assert first.span.file.parent.name == "a-2022"
    assert "«ИРО УО» (b0-2022), «ИРО УО» (b1-2022), «ИРО УО» (b2-2022) и ещё 2" in first.message
    assert len(first.related) == 3
    # each of the five is told about the one that differs, not about the four that agree with it
    assert all("«ИРО» (a-2022);" in d.message for d in found[1:]) and len(found) == 6


def _disagreeing_tree(specs: Path) -> Path:
    """More programmes than the workers take on, every second naming iro its own way."""
    for index in range(MIN_PROGRAMMES + 2):
        programme(specs, f"p{index:02d}-2022", *([iro(short=f"ИРО-{index}")] if index % 2 else []))
    return specs


@pytest.mark.skipif(not workers(MIN_PROGRAMMES + 2), reason="нужны два ядра и fork (или PRIKAZ_JOBS=1 задан)")
def test_workers_report_what_one_process_reports(tmp_path):
    specs = _disagreeing_tree(tmp_path / "specs")
    alone = check_tree(specs)                          # one process, every model kept
    streamed = check_tree(specs, keep_models=False)    # the workers, nothing kept but the parts
    assert streamed.diagnostics == alone.diagnostics
    assert len(o305(streamed.diagnostics)) == MIN_PROGRAMMES + 2
    # the snippets show the lines, though the texts were let go with the models
    assert report.human(streamed.diagnostics, streamed.texts) == report.human(alone.diagnostics, alone.texts)
    assert "6 |     short: ИРО-1" in report.human(streamed.diagnostics, streamed.texts)


def test_the_build_reports_it_and_an_error_holds_back_the_shared_feeds(tmp_path):
    specs = tmp_path / "specs"
    programme(specs, "first-2022")
    programme(specs, "second-2022", iro(short="ИРО УО"))
    built = build(specs, tmp_path / "outputs")
    assert o305(built.all_diagnostics) == [("first-2022", "organisations.yaml", 6), ("second-2022", "organisations.yaml", 6)]
    assert (tmp_path / "outputs" / "calendars" / "uslovnaya-oblast" / "iro.ics").is_file()
    settings = specs / "first-2022" / "programme.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "  checks: {O305: error}\n", encoding="utf-8")
    held = build(specs, tmp_path / "held")
    assert held.failed
    assert (tmp_path / "held" / "first-2022" / "calendar.ics").is_file()      # its own documents are written
    assert not (tmp_path / "held" / "calendars").exists()                     # what spans programmes is not
