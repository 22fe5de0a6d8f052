"""Safe templating: text is text (autoescape), a missing value is a located error, templates stay in their folder."""

from __future__ import annotations

import zipfile

from docx_reading import APPENDIX_FILES, DECREE_FILES, TEMPLATES, build_with_epoch, open_docx, own_template, plain, use_template
from lxml import etree


def _errors(report, code: str) -> list:
    return [d for d in report.all_diagnostics if d.code == code]


def test_ampersand_angle_brackets_and_quotes_render_as_text(tmp_path, copy_programme, replace_in):
    folder = copy_programme(tmp_path, "lipetsk-2022")
    title = 'Услуги наставников & консультантов <очно> "лично"'
    replace_in(folder / "budget.yaml", "      title: Услуги наставников", f"      title: '{title}'")
    report = build_with_epoch(tmp_path / "specs", tmp_path / "out")
    assert not report.failed, [d.message for d in report.all_diagnostics]
    for name in (DECREE_FILES["lipetsk-2022"], APPENDIX_FILES["lipetsk-2022"]["budget"]):
        path = tmp_path / "out" / "lipetsk-2022" / name
        with zipfile.ZipFile(path) as package:
            etree.fromstring(package.read("word/document.xml"))            # still well-formed XML
        cells = [plain(cell.text) for table in open_docx(path).tables for row in table.rows for cell in row.cells]
        assert title in cells, name


def test_a_missing_value_names_the_template_and_the_cell(tmp_path, copy_programme):
    folder = copy_programme(tmp_path, "lipetsk-2022")
    good = build_with_epoch(tmp_path / "specs", tmp_path / "out")
    assert not good.failed
    before = {path.name: path.read_bytes() for path in (tmp_path / "out" / "lipetsk-2022").iterdir() if path.is_file()}

    def add_missing_values(document):
        document.tables[0].rows[2].cells[1].paragraphs[0].add_run(" {{ line.price }}")
        document.add_paragraph("Всего: {{ budget.grand_total }}")

    own_template(folder, "budget.docx", "my-budget.docx", add_missing_values)
    use_template(folder, "budget", "my-budget.docx")
    report = build_with_epoch(tmp_path / "specs", tmp_path / "out")
    assert report.failed
    messages = sorted(d.message for d in _errors(report, "D101"))
    assert messages == [
        "шаблон my-budget.docx, абзац 60: нет значения «grand_total» в «{{ budget.grand_total }}»",
        "шаблон my-budget.docx, таблица 1, строка 3, столбец 2: нет значения «price» в «{{ line.price }}»",
    ]
    assert all(d.span.file == folder / "my-budget.docx" and d.hint for d in _errors(report, "D101"))
    after = {path.name: path.read_bytes() for path in (tmp_path / "out" / "lipetsk-2022").iterdir() if path.is_file()}
    assert after == before          # a programme that fails to render keeps its previous documents


def test_a_value_under_a_false_condition_is_not_required(tmp_path, copy_programme):
    """lysva names no place: what a template shows only with a place is neither linted nor rendered."""
    folder = copy_programme(tmp_path, "lysva-2021")

    def add_conditional(document):
        document.add_paragraph("{%p if decree.place %}")
        document.add_paragraph("{{ decree.place_in_words }}")
        document.add_paragraph("{%p endif %}")

    own_template(folder, "decree-prikaz.docx", "decree.docx", add_conditional)
    use_template(folder, "decree", "decree.docx")
    report = build_with_epoch(tmp_path / "specs", tmp_path / "out")
    assert not report.failed, [d.message for d in report.all_diagnostics]


def test_template_syntax_error_is_located(tmp_path, copy_programme):
    folder = copy_programme(tmp_path, "lysva-2021")
    own_template(folder, "roadmap.docx", "roadmap.docx", lambda d: d.add_paragraph("{%p if roadmap.glossary %}"))
    use_template(folder, "roadmap", "roadmap.docx")
    report = build_with_epoch(tmp_path / "specs", tmp_path / "out")
    [error] = _errors(report, "D102")
    assert error.message.startswith("шаблон roadmap.docx") and "ошибка в теге" in error.message


def test_sandbox_refuses_python_internals(tmp_path, copy_programme):
    folder = copy_programme(tmp_path, "lysva-2021")
    own_template(folder, "decree-prikaz.docx", "decree.docx",
                  lambda d: d.add_paragraph("{{ decree.title.__class__.__mro__ }}"))
    use_template(folder, "decree", "decree.docx")
    report = build_with_epoch(tmp_path / "specs", tmp_path / "out")
    [error] = _errors(report, "D102")
    appended = len(open_docx(TEMPLATES / "decree-prikaz.docx").paragraphs) + 1     # after the template's last one
    assert f"абзац {appended}: «{{{{ decree.title.__class__.__mro__ }}}}»" in error.message
    assert "обращение к внутренностям Python запрещено" in error.message


def test_template_outside_the_specs_folder_is_refused(tmp_path, copy_programme):
    folder = copy_programme(tmp_path, "lysva-2021")
    (tmp_path / "elsewhere.docx").write_bytes((TEMPLATES / "roadmap.docx").read_bytes())
    line = use_template(folder, "roadmap", "../../elsewhere.docx")
    report = build_with_epoch(tmp_path / "specs", tmp_path / "out")
    [error] = _errors(report, "D103")
    assert "за пределами папки спецификаций" in error.message
    assert error.span.file == folder / "programme.yaml" and error.span.line == line


def test_missing_and_unreadable_templates(tmp_path, copy_programme):
    folder = copy_programme(tmp_path, "lysva-2021")
    use_template(folder, "roadmap", "no-such.docx")
    report = build_with_epoch(tmp_path / "specs", tmp_path / "out")
    assert "не найден" in _errors(report, "D103")[0].message
    (folder / "no-such.docx").write_text("не документ", encoding="utf-8")
    report = build_with_epoch(tmp_path / "specs", tmp_path / "out")
    assert "не читается как документ DOCX" in _errors(report, "D103")[0].message


def test_own_template_restyled_in_word_is_used(tmp_path, copy_programme):
    folder = copy_programme(tmp_path, "lysva-2021")

    def restyle(document):
        document.styles["Текст таблицы"].font.italic = True
        document.add_paragraph("Дорожная карта размещена на сайте {{ programme.title }}", style="Текст документа")

    own_template(folder, "roadmap.docx", "roadmap.docx", restyle)
    use_template(folder, "roadmap", "roadmap.docx")
    report = build_with_epoch(tmp_path / "specs", tmp_path / "out")
    assert not report.failed, [d.message for d in report.all_diagnostics]
    document = open_docx(tmp_path / "out" / "lysva-2021" / APPENDIX_FILES["lysva-2021"]["roadmap"])
    assert document.styles["Текст таблицы"].font.italic
    assert plain(document.paragraphs[-1].text).startswith("Дорожная карта размещена на сайте Развитие")
    combined = open_docx(tmp_path / "out" / "lysva-2021" / DECREE_FILES["lysva-2021"])
    assert plain(combined.paragraphs[-1].text).startswith("Дорожная карта размещена на сайте Развитие")
