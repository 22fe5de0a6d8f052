"""Which template renders which document: the bundled one, or the programme's own.

A programme may name its own templates (`programme.templates: {roadmap: my-roadmap.docx}`),
relative to its folder. A path that leads outside the specs folder is refused: specs
come from many hands, and a build must not read arbitrary files of the machine. Nor is a
template read that is, or unpacks to, more than any template is; one that python-docx cannot
open is reported with the broken part and its line and column.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import get_args

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.parts.hdrftr import FooterPart, HeaderPart
from docx.parts.numbering import NumberingPart
from docx.parts.settings import SettingsPart
from docx.parts.styles import StylesPart
from lxml import etree

from engine.diagnostics import Diagnostic, Severity, Span
from engine.model.appendices import appendices
from engine.model.spec import TemplateKind
from engine.model.validate import ProgrammeModel
from engine.render import BuildOptions, RenderError

BUNDLED: dict[str, str | dict[str, str]] = {
    "decree": {"приказ": "decree-prikaz.docx", "распоряжение": "decree-rasporyazhenie.docx"},
    # an amending decree is a decree: its template, unless the programme names one of its own for amendments
    "amendment": {"приказ": "decree-prikaz.docx", "распоряжение": "decree-rasporyazhenie.docx"},
    "roadmap": "roadmap.docx",
    "budget": "budget.docx",
    "indicators": "indicators.docx",
    "specification": "specification.docx",
    "programme_document": "programme-document.docx",
    "progress": "progress.docx",
}

_KINDS: dict[str, TemplateKind] = {kind: kind for kind in get_args(TemplateKind)}
# A template is an ordinary Word document with tags: a few hundred KB, a few MB with pictures.
TEMPLATE_BYTES = 64 * 2**20
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
_LIBXML_POSITION = re.compile(r", line \d+, column \d+$")        # libxml2 repeats the position in its message


def bundled_name(kind: str, decree_kind: str | None) -> str:
    bundled = BUNDLED[kind]
    if isinstance(bundled, str):
        return bundled
    assert decree_kind is not None, kind        # only the decree's template depends on the decree's kind
    return bundled[decree_kind]


def _bundled(model: ProgrammeModel, kind: str) -> str:
    """The bundled template of `kind` for this programme (a decree's depends on its kind)."""
    decree = model.programme.decree
    return bundled_name(kind, decree.kind if decree else None)


def template_span(model: ProgrammeModel, kind: str) -> Span:
    """Where the programme names its own template for `kind` (programme.yaml), else the programme's folder."""
    info = model.programme.programme
    return model.sources.span(info.path + ("templates", kind)) or Span.whole_file(model.directory)


def _unavailable(model: ProgrammeModel, kind: str, message: str, hint: str) -> RenderError:
    return RenderError([Diagnostic("D103", Severity.ERROR, message, template_span(model, kind), hint,
                                   "template-unavailable")])


def own_template_path(model: ProgrammeModel, kind: str) -> Path | None:
    """The programme's own template file for `kind`, checked to be in the specs folder; None: the bundled one."""
    own = model.programme.programme.templates.get(_KINDS[kind])
    if own is None:
        return None
    specs_root = model.directory.parent.resolve()
    path = (model.directory / own).resolve()
    if not path.is_relative_to(specs_root):
        raise _unavailable(model, kind, f"шаблон «{own}» лежит за пределами папки спецификаций",
                           "положите свой шаблон в папку программы и укажите путь относительно неё, "
                           "например templates: {roadmap: my-roadmap.docx}")
    if not path.is_file():
        raise _unavailable(model, kind, f"шаблон «{own}» не найден (путь считается от папки программы)",
                           f"проверьте имя файла; за образец можно взять templates/"
                           f"{_bundled(model, kind)}")
    return path


def template_path(model: ProgrammeModel, options: BuildOptions, kind: str) -> Path:
    """The template file for `kind` (decree, programme_document, roadmap, budget, indicators, specification,
    progress)."""
    return own_template_path(model, kind) or options.templates / _bundled(model, kind)


def unreadable_template(model: ProgrammeModel, kind: str, path: Path, reason: str) -> RenderError:
    return _unavailable(model, kind, f"шаблон {path.name} не читается как документ DOCX: {reason}",
                        "откройте шаблон в Word или LibreOffice и сохраните его в формате .docx")


def read_template(model: ProgrammeModel, kind: str, path: Path) -> bytes:
    """The template's bytes, refused (D103) when it, or what it unpacks to, is larger than any template: a
    zip's directory declares each member's size, and reading never gives more than declared."""
    limit = f"{TEMPLATE_BYTES // 2**20} МБ"
    hint = "шаблон — обычный документ Word с тегами; уменьшите или уберите из него большие картинки и вложения"
    try:
        if path.stat().st_size > TEMPLATE_BYTES:
            raise _unavailable(model, kind, f"шаблон {path.name} больше {limit}", hint)
        data = path.read_bytes()
    except OSError as exc:
        raise unreadable_template(model, kind, path, exc.strerror or type(exc).__name__) from None
    try:
        unpacked = sum(member.file_size for member in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, ValueError, EOFError):
        return data            # not a zip: opening it says so
    if unpacked > TEMPLATE_BYTES:
        raise _unavailable(model, kind, f"шаблон {path.name} в распакованном виде занимает {unpacked // 2**20} МБ — "
                                        f"больше {limit}", hint)
    return data


def malformed_part(data: bytes) -> str | None:
    """The first XML part of a DOCX that is not well-formed, with its line and column; None when all are
    (or it is no zip: opening it says so). python-docx parses only the parts it knows, docxtpl copies the others."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError):
        return None
    with package:
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                try:
                    etree.fromstring(package.read(name), _SAFE_PARSER)
                except etree.XMLSyntaxError as broken:
                    line, column = broken.position
                    detail = _LIBXML_POSITION.sub("", broken.msg or "")
                    return f"часть {name} повреждена (строка {line}, столбец {column}: {detail})"
                except Exception:       # an unreadable member: opening the package says what
                    return None
    return None


# the parts rendering reads through python-docx, by relationship: what python-docx makes of their content type
_PART_CLASSES = {RT.STYLES: StylesPart, RT.NUMBERING: NumberingPart, RT.SETTINGS: SettingsPart,
                 RT.HEADER: HeaderPart, RT.FOOTER: FooterPart}


def mistyped_part(document: Document) -> str | None:
    """A body that is not WordprocessingML as python-docx reads it (Word's «Strict Open XML» names other
    namespaces), or a part the document relates to as styles, numbering, settings or a page header or footer
    that [Content_Types].xml declares as something else: python-docx then keeps it as mere bytes."""
    root = etree.QName(document.element)
    if root.text != qn("w:document"):
        return (f"главная часть {document.part.partname.lstrip('/')} — не документ Word в обычном формате "
                f"(корневой элемент «{root.localname}» из {root.namespace}); сохраните шаблон как «Документ Word "
                f"(*.docx)», не «Strict Open XML»")
    for rel in document.part.rels.values():
        expected = _PART_CLASSES.get(rel.reltype)
        if expected is not None and not rel.is_external and not isinstance(rel.target_part, expected):
            part = rel.target_part
            return (f"часть {part.partname.lstrip('/')} объявлена в [Content_Types].xml с типом «{part.content_type}», "
                    f"не подходящим для неё")
    return None


def why_unreadable(data: bytes, exc: Exception) -> str:
    """Why python-docx could not open a template: the part that is not well-formed XML, if that is why."""
    return ((isinstance(exc, etree.XMLSyntaxError) and malformed_part(data))
            or "файл не является документом Word (.docx) или повреждён")


def beyond_limits(model: ProgrammeModel, kind: str | None, what: str) -> Diagnostic:
    """D105: rendering stopped at a limit of bounded.py (`what` says which) in the template of `kind` (None: before
    any template was opened)."""
    if kind is None:
        info = model.programme.programme
        subject, span = "шаблоны программы", model.sources.span(info.path + ("templates",)) or Span.whole_file(model.directory)
    else:
        name = model.programme.programme.templates.get(_KINDS[kind]) or _bundled(model, kind)
        subject, span = f"шаблон {Path(name).name}", template_span(model, kind)
    return Diagnostic("D105", Severity.ERROR, f"{subject}: отрисовка остановлена — {what}", span,
                      "шаблон только подставляет значения программы и повторяет строки по её спискам: уберите из "
                      "него вложенные циклы по range(), умножение строк и огромные числа", "template-limits")


def templates_used(model: ProgrammeModel, options: BuildOptions) -> tuple[str, ...]:
    """The template files a programme's documents are rendered from: the decree's, the programme document's,
    then one per appendix, then the report on the programme's execution."""
    programme = model.programme
    kinds = (["decree"] if programme.decree else []) + [appendix.kind for appendix in appendices(programme)
                                                        if appendix.kind != "programme_document"]
    if programme.programme_document:
        kinds.insert(1 if programme.decree else 0, "programme_document")
    if programme.decree and programme.amendments:
        kinds.append("amendment")
    if programme.progress is not None:
        kinds.append("progress")
    return tuple(str(template_path(model, options, kind)) for kind in kinds)
