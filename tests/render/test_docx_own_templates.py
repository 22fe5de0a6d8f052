"""A programme's own template is code from outside the engine: bounded in time and memory, unable to change
what it is shown, a broken file reported with its place — and `prikaz check` finds what the build would.

Each class is tested in several forms, each through the build and through `prikaz check`, which must give
the same diagnostics (the build renders; check lints the own templates the build would use)."""

from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx_reading import (
    APPENDIX_FILES,
    DECREE_FILES,
    PROGRESS_FILES,
    TEMPLATES,
    build_with_epoch,
    open_docx,
    own_template,
    plain,
    use_template,
)

from engine.building.pipeline import check_tree
from engine.render.docx import bounded, templates

PROGRAMME = "lysva-2021"        # the smallest bundled programme: a decree and a roadmap


def _report(diagnostics) -> list[tuple]:
    return sorted((d.code, d.message, d.span.file.name if d.span else None, d.span.line if d.span else None)
                  for d in diagnostics)


def _build_and_check(tmp_path: Path) -> tuple[list[tuple], list[tuple], object]:
    """(build's diagnostics, check's diagnostics, the build report) of the copied specs."""
    report = build_with_epoch(tmp_path / "specs", tmp_path / "out")
    checked = check_tree(tmp_path / "specs", keep_models=False, lint_templates=True)
    return _report(report.all_diagnostics), _report(checked.diagnostics), report


def _outputs(tmp_path: Path) -> dict[str, bytes]:
    folder = tmp_path / "out" / PROGRAMME
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()} if folder.is_dir() else {}


@pytest.fixture
def programme(tmp_path, copy_programme) -> Path:
    """A copy of the programme, built once with its bundled templates: the documents a failed build must keep."""
    folder = copy_programme(tmp_path, PROGRAMME)
    assert not build_with_epoch(tmp_path / "specs", tmp_path / "out").failed
    return folder


def _with_own_decree(folder: Path, tag: str) -> int:
    """The decree rendered from an own template ending in a paragraph `tag`; the line of programme.templates.decree."""
    own_template(folder, "decree-prikaz.docx", "my-decree.docx", lambda document: document.add_paragraph(tag))
    return use_template(folder, "decree", "my-decree.docx")


def _fails_alike(tmp_path: Path, code: str) -> tuple[list[tuple], object]:
    """The build fails with `code`, keeps the previous documents; `prikaz check` reports exactly the same."""
    before = _outputs(tmp_path)
    built, checked, report = _build_and_check(tmp_path)
    assert [item[0] for item in built] == [code], built
    assert checked == built
    assert _outputs(tmp_path) == before
    return built, report


# --- bounded memory and time -----------------------------------------------------------------------------

@pytest.mark.parametrize("tag", [
    "{{ 'x' * 10**9 }}",
    "{{ 'x' | center(2 * 10**9) }}",
    "{{ [decree.number] * 10**9 }}",
    "{{ ('%0' ~ 10**9 ~ 'd') | format(1) }}",
    "{{ 'x' | indent(10**9, true) }}",
])
def test_a_template_asking_for_too_much_memory_is_stopped(tmp_path, programme, tag):
    line = _with_own_decree(programme, tag)
    [(_, message, file, at)], _ = _fails_alike(tmp_path, "D105")
    assert message == f"шаблон my-decree.docx: отрисовка остановлена — нужно больше {bounded.LIMITS.memory // 2**20} МБ памяти"
    assert (file, at) == ("programme.yaml", line)


@pytest.mark.slow          # a second of processor time each, through the build and the check
def test_a_template_running_too_long_is_stopped(tmp_path, programme, monkeypatch):
    monkeypatch.setattr(bounded, "LIMITS", bounded.Limits(seconds=1))
    line = _with_own_decree(programme, "{% for i in range(10**5) %}{% for j in range(10**5) %}{% endfor %}{% endfor %}")
    [(_, message, file, at)], _ = _fails_alike(tmp_path, "D105")
    assert message == "шаблон my-decree.docx: отрисовка остановлена — нужно больше 1 с процессорного времени"
    assert (file, at) == ("programme.yaml", line)


@pytest.mark.slow          # a second of processor time each, through the build and the check
def test_one_endless_step_is_stopped_and_the_limit_names_the_template_being_rendered(tmp_path, programme, monkeypatch):
    """One step of big-number arithmetic, which no signal interrupts; in the roadmap's own template, while the
    decree renders from the bundled one: the roadmap's template is named."""
    monkeypatch.setattr(bounded, "LIMITS", bounded.Limits(seconds=1))
    own_template(programme, "roadmap.docx", "my-roadmap.docx",
                 lambda document: document.add_paragraph("{{ (10 ** (10 ** 8)) is number }}"))
    line = use_template(programme, "roadmap", "my-roadmap.docx")
    [(_, message, file, at)], _ = _fails_alike(tmp_path, "D105")
    assert message == "шаблон my-roadmap.docx: отрисовка остановлена — нужно больше 1 с процессорного времени"
    assert (file, at) == ("programme.yaml", line)


def test_bounded_work_returns_its_value_and_its_exception():
    assert bounded.run_bounded(lambda report: {"файл": b"\x00" * 100_000}) == {"файл": b"\x00" * 100_000}
    with pytest.raises(KeyError, match="нет такого"):
        bounded.run_bounded(lambda report: {}["нет такого"])


# --- an immutable context ---------------------------------------------------------------------------------

@pytest.mark.parametrize("tag, method", [
    ("{{ decree.update({'number': 'X'}) }}", "update"),
    ("{{ decree.__setitem__('number', 'X') }}", None),
    ("{{ decree.setdefault('kind', 'X') }}", "setdefault"),
    ("{{ decree.pop('number') }}", "pop"),
    ("{{ decree.clauses.append(decree.clauses[0]) }}", "append"),
    ("{{ decree.clauses.clear() }}", "clear"),
    ("{{ appendices.pop() }}", "pop"),
    ("{% set d = decree %}{{ d.update(number='X') }}", "update"),
])
def test_a_template_cannot_change_what_it_is_shown(tmp_path, programme, tag, method):
    """Refused where the template asks, before anything is rendered: no file renamed, no document changed."""
    _with_own_decree(programme, tag)
    [(_, message, file, _)], _ = _fails_alike(tmp_path, "D102")
    expected = (f"шаблон не может изменять значения программы (вызов «{method}» запрещён)" if method
                else "обращение к внутренностям Python запрещено")
    assert message.endswith(expected) and "my-decree.docx, абзац" in message and file == "my-decree.docx"
    assert sorted(path.name for path in (tmp_path / "out" / PROGRAMME).glob("*.docx")) == sorted(
        [DECREE_FILES[PROGRAMME], *APPENDIX_FILES[PROGRAMME].values(), PROGRESS_FILES[PROGRAMME]])


def test_templates_still_count_and_remember_in_their_own_variables(tmp_path, programme):
    """The sandbox refuses changing the programme's values, not a template's own namespace."""
    _with_own_decree(programme, "{% set seen = namespace(count=0) %}{% for clause in decree.clauses %}"
                                "{% set seen.count = seen.count + 1 %}{% endfor %}Пунктов: {{ seen.count }}")
    built, checked, _ = _build_and_check(tmp_path)
    assert built == checked == []
    clauses = len(check_tree(programme).programmes[0].model.programme.decree.clauses)
    document = open_docx(tmp_path / "out" / PROGRAMME / DECREE_FILES[PROGRAMME])
    assert f"Пунктов: {clauses}" in [plain(paragraph.text) for paragraph in document.paragraphs]


# --- broken files -----------------------------------------------------------------------------------------

def _repacked(source: Path, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """The DOCX with each member passed through `change` (None drops it)."""
    output = io.BytesIO()
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for name in package.namelist():
            data = change(name, package.read(name))
            if data is not None:
                target.writestr(name, data)
    return output.getvalue()


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml", "word/header1.xml", "word/settings.xml",
                                  "word/numbering.xml", "word/_rels/document.xml.rels", "[Content_Types].xml",
                                  "_rels/.rels", "docProps/core.xml", "customXml/item1.xml"])
def test_a_malformed_xml_part_is_located(tmp_path, programme, part):
    def cut_short(name: str, data: bytes) -> bytes:
        return data[:len(data) * 2 // 3] if name == part else data

    (programme / "my-roadmap.docx").write_bytes(_repacked(TEMPLATES / "roadmap.docx", cut_short))
    line = use_template(programme, "roadmap", "my-roadmap.docx")
    [(_, message, file, at)], _ = _fails_alike(tmp_path, "D103")
    assert re.fullmatch(rf"шаблон my-roadmap\.docx не читается как документ DOCX: часть {re.escape(part)} повреждена "
                        r"\(строка \d+, столбец \d+: .+\)", message), message
    assert (file, at) == ("programme.yaml", line)


def _corrupt_deflate(data: bytes) -> bytes:
    """The compressed bytes of the body part garbled, its zip records intact."""
    package = zipfile.ZipFile(io.BytesIO(data))
    info = package.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    return data[:middle] + bytes(byte ^ 0x5A for byte in data[middle:middle + 64]) + data[middle + 64:]


@pytest.mark.parametrize("make", [
    lambda: b"not a document at all",
    lambda: (TEMPLATES / "roadmap.docx").read_bytes()[:5000],                                     # cut short
    lambda: _repacked(TEMPLATES / "roadmap.docx", lambda name, data: None if name == "word/document.xml" else data),
    lambda: _corrupt_deflate((TEMPLATES / "roadmap.docx").read_bytes()),
    lambda: _repacked(TEMPLATES / "roadmap.docx", lambda name, data: data.replace(
        b"wordprocessingml.document.main+xml", b"spreadsheetml.sheet.main+xml") if name == "[Content_Types].xml" else data),
    lambda: _repacked(TEMPLATES / "roadmap.docx", lambda name, data: data.replace(
        b"http://schemas.openxmlformats.org/wordprocessingml/2006/main", b"http://purl.oclc.org/ooxml/wordprocessingml/main")
        if name == "word/document.xml" else data),
    lambda: _repacked(TEMPLATES / "roadmap.docx", lambda name, data: data.replace(
        b"wordprocessingml.styles+xml", b"wordprocessingml.nothing+xml") if name == "[Content_Types].xml" else data),
], ids=["not a zip", "truncated", "no body part", "garbled deflate", "not a word document", "strict open xml",
        "styles of another type"])
def test_an_unreadable_template_is_d103_never_an_internal_error(tmp_path, programme, make):
    (programme / "my-roadmap.docx").write_bytes(make())
    line = use_template(programme, "roadmap", "my-roadmap.docx")
    [(_, message, file, at)], _ = _fails_alike(tmp_path, "D103")
    assert message.startswith("шаблон my-roadmap.docx не читается как документ DOCX") and (file, at) == ("programme.yaml", line)


def test_a_zip_bomb_part_is_refused_before_it_is_unpacked(tmp_path, programme, monkeypatch):
    monkeypatch.setattr(templates, "TEMPLATE_BYTES", 2**20)
    packed = io.BytesIO((TEMPLATES / "roadmap.docx").read_bytes())
    with zipfile.ZipFile(packed, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/media/image1.bin", bytes(8 * 2**20))      # 8 MB of zeros in 8 KB
    bomb = packed.getvalue()
    assert len(bomb) < 2**20
    (programme / "my-roadmap.docx").write_bytes(bomb)
    line = use_template(programme, "roadmap", "my-roadmap.docx")
    [(_, message, file, at)], _ = _fails_alike(tmp_path, "D103")
    assert message == "шаблон my-roadmap.docx в распакованном виде занимает 8 МБ — больше 1 МБ"
    assert (file, at) == ("programme.yaml", line)


def test_a_template_file_too_large_is_refused_unread(tmp_path, programme, monkeypatch):
    monkeypatch.setattr(templates, "TEMPLATE_BYTES", 2**20)
    shutil.copyfile(TEMPLATES / "roadmap.docx", programme / "my-roadmap.docx")
    with zipfile.ZipFile(programme / "my-roadmap.docx", "a", zipfile.ZIP_STORED) as package:
        package.writestr("word/media/image1.bin", random.randbytes(2 * 2**20))
    use_template(programme, "roadmap", "my-roadmap.docx")
    [(_, message, _, _)], _ = _fails_alike(tmp_path, "D103")
    assert message == "шаблон my-roadmap.docx больше 1 МБ"


def test_tags_that_cut_across_the_markup_are_d102(tmp_path, programme):
    """An «if» outside a table and its «endif» inside it: with the condition false, the markup between goes too."""
    def cut_across(document):
        document.add_paragraph("{%p if decree.place %}")
        table = document.add_table(rows=1, cols=1)
        table.rows[0].cells[0].paragraphs[0].text = "{%p endif %}"

    own_template(programme, "decree-prikaz.docx", "my-decree.docx", cut_across)
    use_template(programme, "decree", "my-decree.docx")
    [(_, message, file, _)], _ = _fails_alike(tmp_path, "D102")
    assert message.startswith("шаблон my-decree.docx: после подстановки документ не собирается") and file == "my-decree.docx"


def test_a_template_without_page_setup_is_d102(tmp_path, programme):
    def drop_page_setup(document):
        body = document.element.body
        body.remove(body.sectPr)

    own_template(programme, "roadmap.docx", "my-roadmap.docx", drop_page_setup)
    use_template(programme, "roadmap", "my-roadmap.docx")
    [(_, message, file, _)], _ = _fails_alike(tmp_path, "D102")
    assert message == "шаблон my-roadmap.docx: в документе после подстановки нет параметров страницы (размера, полей, " \
                      "колонтитулов)" and file == "my-roadmap.docx"


# --- check gives the build's verdict ----------------------------------------------------------------------

@pytest.mark.parametrize("tag, code", [
    ("{{ decree.no_such_value }}", "D101"),
    ("{{ decree.title | no_such_filter }}", "D102"),
    ("{% if %}", "D102"),
    ("{{ decree.number + 1 }}", "D102"),
])
def test_check_reports_what_the_build_would(tmp_path, programme, tag, code):
    _with_own_decree(programme, tag)
    _fails_alike(tmp_path, code)


@pytest.mark.parametrize("path, words", [("no-such.docx", "не найден"),
                                         ("../../elsewhere.docx", "за пределами папки спецификаций")])
def test_check_reports_a_missing_own_template_and_one_outside_the_specs(tmp_path, programme, path, words):
    shutil.copyfile(TEMPLATES / "roadmap.docx", tmp_path / "elsewhere.docx")
    line = use_template(programme, "roadmap", path)
    [(_, message, file, at)], _ = _fails_alike(tmp_path, "D103")
    assert words in message and (file, at) == ("programme.yaml", line)


def test_prikaz_check_fails_on_a_broken_own_template(tmp_path, programme, cli_main):
    _with_own_decree(programme, "{{ decree.no_such_value }}")
    result = cli_main("check", tmp_path / "specs")
    assert result.code == 1
    assert "D101" in result.stdout and "my-decree.docx" in result.stdout and "Проблем не найдено" not in result.output


def test_good_own_templates_check_clean(tmp_path, programme, cli_main):
    own_template(programme, "roadmap.docx", "my-roadmap.docx",
                 lambda document: document.add_paragraph("Дорожная карта: {{ programme.title }}"))
    use_template(programme, "roadmap", "my-roadmap.docx")
    assert cli_main("check", tmp_path / "specs").code == 0
    assert not build_with_epoch(tmp_path / "specs", tmp_path / "out").failed


def test_check_loads_no_template_library_for_bundled_templates():
    """`prikaz check` of programmes without own templates stays as fast as it was: no docxtpl, no python-docx."""
    code = ("import sys; from pathlib import Path; from engine.building.pipeline import check_tree; "
            "result = check_tree(Path('specs'), keep_models=False, lint_templates=True); "
            "print(len(result.diagnostics), sorted(m for m in ('docxtpl', 'docx', 'docxcompose') if m in sys.modules))")
    output = subprocess.run([sys.executable, "-c", code], cwd=TEMPLATES.parent, capture_output=True, text=True,
                            check=True).stdout
    assert output.strip() == "0 []"


@pytest.mark.parametrize("seed", range(10))
def test_any_garbled_template_is_a_template_diagnostic(tmp_path, copy_programme, seed):
    """Characters of a template's parts (its markup and its tags) replaced at random places, or bytes of the
    file itself: whatever breaks, it is the template's D-diagnostic, never an internal error."""
    folder = copy_programme(tmp_path, PROGRAMME)
    chance = random.Random(seed)
    if seed % 5 == 4:
        data = bytearray((TEMPLATES / "roadmap.docx").read_bytes())
        for position in chance.sample(range(len(data)), seed):
            data[position] ^= chance.randrange(1, 256)
        garbled = bytes(data)
    else:
        part = ["word/document.xml", "word/header2.xml", "word/styles.xml", "[Content_Types].xml"][seed % 4]

        def garble(name: str, data: bytes) -> bytes:
            if name != part:
                return data
            text = bytearray(data)
            for position in chance.sample(range(40, len(text)), 3):
                text[position] = ord(chance.choice("<>&\"'{}%/= "))
            return bytes(text)

        garbled = _repacked(TEMPLATES / "roadmap.docx", garble)
    (folder / "my-roadmap.docx").write_bytes(garbled)
    use_template(folder, "roadmap", "my-roadmap.docx")
    codes = {d.code for d in check_tree(tmp_path / "specs", keep_models=False, lint_templates=True).diagnostics}
    assert all(code.startswith("D") for code in codes), codes
