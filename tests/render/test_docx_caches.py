"""What the DOCX renderer keeps per process (templates, their styles, compiled Jinja, deflated members) is never stale.

`prikaz serve` renders again and again in one process while staff edit templates: an edited template must be
read anew, and nothing one document changes may leak into the next.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.oxml import serialize_part_xml
from docx.shared import Pt
from docx_reading import APPENDIX_FILES, DECREE_FILES, DOCX_BUILD_TIME, TEMPLATES, all_paragraphs, own_template, use_template

from engine.building.pipeline import check_tree
from engine.render import BuildOptions, RenderError
from engine.render.docx import package, package_cache, render_docx


def _render(specs: Path, name: str) -> dict[str, bytes]:
    """The programme's documents, rendered in this process."""
    model = next(item.model for item in check_tree(specs).programmes if item.model.id == name)
    return render_docx(model, BuildOptions(build_time=DOCX_BUILD_TIME, templates=TEMPLATES))


def _budget(files: dict[str, bytes]):
    return docx.Document(io.BytesIO(files[APPENDIX_FILES["lipetsk-2022"]["budget"]]))


def _edit(path: Path, edit) -> None:
    document = docx.Document(str(path))
    edit(document)
    document.save(str(path))


def test_a_template_edited_between_two_renders_is_read_anew(tmp_path, copy_programme):
    folder = copy_programme(tmp_path, "lipetsk-2022")
    template = folder / "my-budget.docx"
    template.write_bytes((TEMPLATES / "budget.docx").read_bytes())
    use_template(folder, "budget", "my-budget.docx")
    before = _budget(_render(tmp_path / "specs", "lipetsk-2022"))

    def add_text_and_resize(document):          # the body (patched, compiled Jinja) and styles.xml change
        document.add_paragraph("Проверено: {{ budget.total }}")
        document.styles["Normal"].font.size = Pt(13)

    _edit(template, add_text_and_resize)
    after = _budget(_render(tmp_path / "specs", "lipetsk-2022"))
    assert not any(p.startswith("Проверено:") for p in all_paragraphs(before))
    assert any(p.startswith("Проверено: ") and p != "Проверено:" for p in all_paragraphs(after))
    assert before.styles["Normal"].font.size != Pt(13) == after.styles["Normal"].font.size

    _edit(template, lambda document: document.add_paragraph("{{ budget.grand_total }}"))   # the lint's turn
    with pytest.raises(RenderError) as failure:
        _render(tmp_path / "specs", "lipetsk-2022")
    assert [d.code for d in failure.value.diagnostics] == ["D101"]
    assert "budget.grand_total" in failure.value.diagnostics[0].message


def test_one_programmes_font_does_not_reach_the_next(tmp_path, copy_programme, replace_in, docx_outputs):
    """The font rewrites a document's styles: its own parse, never the parse the process shares."""
    folder = copy_programme(tmp_path, "lipetsk-2022")
    plain = _render(tmp_path / "specs", "lipetsk-2022")
    replace_in(folder / "programme.yaml", "  timezone: Europe/Moscow", "  timezone: Europe/Moscow\n  font: PT Serif")
    with_font = _render(tmp_path / "specs", "lipetsk-2022")
    replace_in(folder / "programme.yaml", "  font: PT Serif\n", "")
    again = _render(tmp_path / "specs", "lipetsk-2022")
    assert with_font != plain == again
    assert again == {name: (docx_outputs / "lipetsk-2022" / name).read_bytes() for name in again}
    for name in ("decree-prikaz.docx", "roadmap.docx", "budget.docx"):
        with zipfile.ZipFile(TEMPLATES / name) as template:
            shared = package_cache._shared(template.read("word/styles.xml"))
        assert serialize_part_xml(shared.element) == shared.blob, name


def test_a_style_an_appendix_brings_is_added_to_its_decree_alone(tmp_path, copy_programme, docx_outputs):
    """Composing adds the appendix's style to the decree's own styles, not to the parse the process shares."""
    folder = copy_programme(tmp_path, "lipetsk-2022")

    def add_style(document):
        document.styles.add_style("Особый стиль", WD_STYLE_TYPE.PARAGRAPH).font.size = Pt(11)
        document.add_paragraph("Итого: {{ budget.total }}", style="Особый стиль")

    own_template(folder, "budget.docx", "my-budget.docx", add_style)
    use_template(folder, "budget", "my-budget.docx")
    decree = DECREE_FILES["lipetsk-2022"]
    with_style = docx.Document(io.BytesIO(_render(tmp_path / "specs", "lipetsk-2022")[decree]))
    assert "Особый стиль" in [style.name for style in with_style.styles]
    bundled = copy_programme(tmp_path / "again", "lipetsk-2022")
    again = _render(bundled.parent, "lipetsk-2022")
    assert again == {name: (docx_outputs / "lipetsk-2022" / name).read_bytes() for name in again}
    with zipfile.ZipFile(TEMPLATES / "decree-prikaz.docx") as template:
        shared = package_cache._shared(template.read("word/styles.xml"))
    assert serialize_part_xml(shared.element) == shared.blob


def test_zip_is_written_as_zipfile_writes_it():
    members = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>" * 1000,
               "word/media/схема.png": bytes(range(256)) * 40, "customXml/item1.xml": b""}
    moment = dt.datetime(2023, 11, 14, 22, 13, 21)
    expected = io.BytesIO()
    with zipfile.ZipFile(expected, "w") as target:
        for name in ("[Content_Types].xml", "customXml/item1.xml", "word/document.xml", "word/media/схема.png"):
            info = zipfile.ZipInfo(name, date_time=moment.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            target.writestr(info, members[name])
    assert package._zip(members, moment) == package._zip(members, moment) == expected.getvalue()
    assert package._zipped(members, moment) == expected.getvalue()       # the public path of PRIKAZ_FAST_PATHS=0
