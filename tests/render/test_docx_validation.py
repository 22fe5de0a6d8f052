"""Word opens every document without repairing it, as an independent validator sees it.

openxml-audit is a port of the Open XML SDK's validation (Office's schemas, its semantic rules, and the
Word behaviours that end in a repair dialog), written without python-docx: it judges our packages by
Office's rules, not by those of the library that wrote them. Every rendered document of the bundled
programmes and every bundled template passes it under the Office 2016 and Microsoft 365 profiles with
nothing found — not an error, not a warning: it grades an element in the wrong namespace of core.xml
(the defect Word reports as unreadable content) only a warning. The planted defects below show that
each class of defect it is trusted with is found.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import docxcompose.composer  # noqa: F401 - rebinds python-docx's `cp` prefix, as in every build (the cause planted below)
import pytest
from docx_reading import APPENDIX_FILES, REPO, TEMPLATES, build_with_epoch, own_template, use_template
from lxml import etree
from openxml_audit import FileFormat, OpenXmlValidator

PROFILES = (FileFormat.OFFICE_2016, FileFormat.MICROSOFT_365)
CORE = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
DC, DCTERMS = "{http://purl.org/dc/elements/1.1/}", "{http://purl.org/dc/terms/}"
APP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


@pytest.fixture(scope="module")
def validators() -> dict[FileFormat, OpenXmlValidator]:
    return {profile: OpenXmlValidator(file_format=profile, max_errors=0) for profile in PROFILES}


def _findings(validator: OpenXmlValidator, path: Path) -> list[str]:
    return [f"{finding.severity.value} {finding.part_uri}: {finding.description}"
            for finding in validator.validate(path).errors]


def _bundled_documents(outputs: Path) -> list[Path]:
    """The decrees with their appendices, each appendix alone, and each programme's report on its execution."""
    documents = sorted(outputs.glob("*/*.docx"))
    assert len(documents) == 14      # the three decrees with their appendices, the municipal programme and its appendix 1
    assert len([path for path in documents if path.name.startswith("informatsiya-o-khode-realizatsii-")]) == 4
    return documents


@pytest.mark.parametrize("profile", PROFILES, ids=lambda profile: profile.value)
def test_every_rendered_document_passes_the_validator(docx_outputs, validators, profile):
    found = {str(path.relative_to(docx_outputs)): _findings(validators[profile], path)
             for path in _bundled_documents(docx_outputs)}
    assert {name: findings for name, findings in found.items() if findings} == {}


@pytest.mark.parametrize("profile", PROFILES, ids=lambda profile: profile.value)
def test_every_bundled_template_passes_the_validator(validators, profile):
    templates = sorted(TEMPLATES.glob("*.docx"))
    assert len(templates) == 8
    found = {path.name: _findings(validators[profile], path) for path in templates}
    assert {name: findings for name, findings in found.items() if findings} == {}


def _packages(outputs: Path) -> list[tuple[str, zipfile.ZipFile]]:
    return [(str(path), zipfile.ZipFile(path)) for path in [*_bundled_documents(outputs), *sorted(TEMPLATES.glob("*.docx"))]]


def test_package_properties_are_true_to_the_document(docx_outputs):
    """One of each core property, in its own namespace; the application that made it and nothing it cannot
    know; no template's thumbnail or stale copy of its styles; Word 2013+ layout mode, not compatibility mode."""
    for name, package in _packages(docx_outputs):
        core = etree.fromstring(package.read("docProps/core.xml"))
        tags = [child.tag for child in core]
        assert sorted(tags) == sorted([f"{DC}title", f"{DC}creator", f"{CORE}lastModifiedBy", f"{CORE}revision",
                                       f"{DCTERMS}created", f"{DCTERMS}modified", f"{DC}language"]), name
        assert core.findtext(f"{CORE}lastModifiedBy") == core.findtext(f"{DC}creator") == "prikaz", name
        assert core.findtext(f"{CORE}revision") == "1" and core.findtext(f"{DC}language") == "ru-RU", name
        app = etree.fromstring(package.read("docProps/app.xml"))
        assert [(child.tag, child.text) for child in app] == [(f"{APP}Application", "prikaz")], name
        members = package.namelist()
        assert not [member for member in members if "thumbnail" in member or "stylesWithEffects" in member], name
        relationships = b"".join(package.read(member) for member in members if member.endswith(".rels"))
        assert b"thumbnail" not in relationships and STYLES_WITH_EFFECTS.encode() not in relationships, name
        settings = etree.fromstring(package.read("word/settings.xml"))
        modes = [setting.get(f"{W}val") for setting in settings.iter(f"{W}compatSetting")
                 if setting.get(f"{W}name") == "compatibilityMode"]
        assert modes == ["15"], name
        assert settings.find(f"{W}savePreviewPicture") is None, name


def test_document_titles_in_core_properties(docx_outputs):
    titles = {path.name: etree.fromstring(zipfile.ZipFile(path).read("docProps/core.xml")).findtext(f"{DC}title")
              for path in _bundled_documents(docx_outputs)}
    assert titles["prikaz-266.docx"] == "Приказ № 266"
    assert titles[APPENDIX_FILES["lipetsk-2022"]["budget"]].startswith("Приложение\u00a02: Смета расходов")  # number_sign: нет


# --- planted defects: each class the validator is trusted with, planted into a valid rendered document ----


def _rewritten(data: bytes, member: str, change: Callable[[bytes], bytes]) -> bytes:
    """The package with one member changed (or added), every other member as it was."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        for name in names:
            blob = source.read(name)
            changed = change(blob) if name == member else blob
            assert name != member or changed != blob, f"{member}: дефект не внесён"
            target.writestr(name, changed)
        if member not in names:
            target.writestr(member, change(b""))
    return output.getvalue()


def _core_properties_set_through_python_docx(data: bytes) -> bytes:
    """The defect as it arose: python-docx sets core properties after docxcompose rebound its `cp` prefix."""
    document = docx.Document(io.BytesIO(data))
    document.core_properties.last_modified_by = "Иванова"
    document.core_properties.revision = 2
    output = io.BytesIO()
    document.save(output)
    names = [etree.QName(element).localname for element in
             etree.fromstring(zipfile.ZipFile(output).read("docProps/core.xml"))]
    assert names.count("lastModifiedBy") == names.count("revision") == 2
    return output.getvalue()


def _stale_styles_with_effects(data: bytes) -> bytes:
    """python-docx's default stylesWithEffects.xml put back, as every document carried it before."""
    default = zipfile.ZipFile(Path(docx.__file__).parent / "templates" / "default.docx")
    data = _rewritten(data, "word/stylesWithEffects.xml", lambda _: default.read("word/stylesWithEffects.xml"))
    data = _rewritten(data, "[Content_Types].xml", lambda xml: xml.replace(b"</Types>", (
        b'<Override PartName="/word/stylesWithEffects.xml" '
        b'ContentType="application/vnd.ms-word.stylesWithEffects+xml"/></Types>')))
    return _rewritten(data, "word/_rels/document.xml.rels", lambda xml: xml.replace(b"</Relationships>", (
        b'<Relationship Id="rId99" Type="' + STYLES_WITH_EFFECTS.encode() + b'" Target="stylesWithEffects.xml"/>'
        b"</Relationships>")))


DEFECTS: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    # name: (plant it into a package, the part the validator must name)
    "core.xml: lastModifiedBy and revision again, in the custom-properties namespace":
        (_core_properties_set_through_python_docx, "/docProps/core.xml"),
    "stylesWithEffects.xml: a stale copy of other styles":
        (_stale_styles_with_effects, "/word/stylesWithEffects.xml"),
    "document.xml: run properties out of schema order":
        (lambda data: _rewritten(data, "word/document.xml", lambda xml: xml.replace(
            b"<w:r><w:t>", b'<w:r><w:rPr><w:sz w:val="24"/><w:b/></w:rPr><w:t>', 1)), "/word/document.xml"),
    "document.xml: an attribute value outside its enumeration":
        (lambda data: _rewritten(data, "word/document.xml", lambda xml: re.sub(
            rb'(<w:tab [^>]*w:val=")\w+', rb"\1sideways", xml, count=1)), "/word/document.xml"),
    "document.xml: a paragraph style that styles.xml does not define":
        (lambda data: _rewritten(data, "word/document.xml", lambda xml: re.sub(
            rb'(<w:pStyle w:val=")\w+', rb"\1NoSuchStyle", xml, count=1)), "/word/document.xml"),
    "document.xml.rels: a relationship to a part the package lacks":
        (lambda data: _rewritten(data, "word/_rels/document.xml.rels", lambda xml: xml.replace(
            b'Target="numbering.xml"', b'Target="lost.xml"')), "/word/lost.xml"),
    "app.xml: a page count that is not a number":
        (lambda data: _rewritten(data, "docProps/app.xml", lambda xml: xml.replace(
            b"<Application>", b"<Pages>\xd0\xbc\xd0\xbd\xd0\xbe\xd0\xb3\xd0\xbe</Pages><Application>")),
         "/docProps/app.xml"),
}


@pytest.mark.parametrize("defect", list(DEFECTS))
def test_a_planted_defect_fails_the_validation(docx_outputs, validators, tmp_path, defect):
    plant, part = DEFECTS[defect]
    document = docx_outputs / "lipetsk-2022" / "prikaz-266.docx"
    planted = tmp_path / "planted.docx"
    planted.write_bytes(plant(document.read_bytes()))
    for profile in PROFILES:
        assert _findings(validators[profile], document) == []
        found = _findings(validators[profile], planted)
        assert any(part in finding for finding in found), (profile, found)


def test_own_template_with_the_defects_renders_a_valid_document(tmp_path, copy_programme, validators):
    """An own template brings its own package properties, thumbnail and styles copy: the document gets true ones."""
    folder = copy_programme(tmp_path, "lipetsk-2022")

    def restyle_with_python_docx(document):
        document.add_paragraph("Смета согласована с {{ programme.region }}", style="Текст документа")

    own_template(folder, "budget.docx", "my-budget.docx", restyle_with_python_docx)
    template = folder / "my-budget.docx"
    template.write_bytes(_stale_styles_with_effects(_core_properties_set_through_python_docx(template.read_bytes())))
    assert _findings(validators[FileFormat.MICROSOFT_365], template)
    use_template(folder, "budget", "my-budget.docx")
    report = build_with_epoch(tmp_path / "specs", tmp_path / "out")
    assert not report.failed, [d.message for d in report.all_diagnostics]
    for name in ("prikaz-266.docx", APPENDIX_FILES["lipetsk-2022"]["budget"]):
        path = tmp_path / "out" / "lipetsk-2022" / name
        assert "Смета согласована с Липецкая область" in docx.Document(str(path)).paragraphs[-1].text
        for profile in PROFILES:
            assert _findings(validators[profile], path) == [], (name, profile)


def test_the_validator_is_a_test_dependency():
    """.ci/run installs the test extras: the validator is among them, so CI runs these tests and never skips them."""
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    test_extras = pyproject[pyproject.index("test = ["):]
    assert '"openxml-audit' in test_extras[:test_extras.index("]")]
