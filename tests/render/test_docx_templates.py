"""The bundled templates: real DOCX files, exactly what tools/make_templates.py produces, with their tags."""

from __future__ import annotations

import importlib.util
import sys

import docx
import pytest
from docx_reading import REPO

from engine.render.docx import styles
from engine.render.docx.lint import template_places
from engine.render.docx.templates import BUNDLED

TEMPLATES = REPO / "templates"
NAMES = sorted({name for value in BUNDLED.values() for name in (value.values() if isinstance(value, dict) else [value])})


def _make_templates():
    """tools/make_templates.py is a script, not a package module: load it by path."""
    if "make_templates" not in sys.modules:
        spec = importlib.util.spec_from_file_location("make_templates", REPO / "tools" / "make_templates.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["make_templates"] = module      # its dataclasses look themselves up there
        spec.loader.exec_module(module)
    return sys.modules["make_templates"]


def test_committed_templates_are_what_the_script_produces():
    produced = _make_templates().build_templates()
    assert sorted(produced) == NAMES == sorted(path.name for path in TEMPLATES.glob("*.docx"))
    for name, data in produced.items():
        assert (TEMPLATES / name).read_bytes() == data, f"{name}: запустите tools/make_templates.py"


def test_script_check_mode():
    assert _make_templates().main(["--check"]) == 0


@pytest.mark.parametrize("name, tags", [
    ("decree-prikaz.docx", ["{%p for line in decree.header %}", "{{ decree.kind }}", "{%p if decree.order_word %}",
                            "{%p for clause in decree.clauses %}", "{%p if clause.table %}", "{{p clause.table }}",
                            "{%p elif loop.last %}", "{%p if decree.edition %}", "{{ decree.signature.name }}"]),
    ("decree-rasporyazhenie.docx", ["{{ decree.date }}", "{{ decree.number }}", "{{ decree.preamble }}"]),
    ("roadmap.docx", ["{%p if appendix.mark %}", "{{ appendix.mark_text }}", "{%p if appendix.stamp %}",
                      "{{ appendix.stamp_word }}", "{%p for entry in roadmap.glossary %}",
                      "{{p roadmap.table }}"]),
    ("budget.docx", ["{%tr for line in budget.rows %}", "{%p if line.part %}", "{{ line.amount }}", "{{ budget.total }}"]),
    ("indicators.docx", ["{{p indicators.table }}", "{%p for entry in appendix.before %}",
                         "{%p for entry in appendix.after %}"]),
    ("specification.docx", ["{%p for requirement in specification.requirements %}",
                            "{%p for deliverable in requirement.deliverables %}", "{{ specification.amount }}"]),
    ("programme-document.docx", ["{%p if document.approval %}", "{{ document.title }}",
                                 "{%p for entry in document.body %}", '{%p elif entry.kind == "table" %}',
                                 "{{p entry.table }}"]),
])
def test_templates_open_in_python_docx_and_hold_their_tags(name, tags):
    document = docx.Document(str(TEMPLATES / name))
    found = {tag for place in template_places(document) for tag in place.tags}
    assert set(tags) <= found


def test_roadmap_template_defines_the_styles_the_table_is_built_from():
    document = docx.Document(str(TEMPLATES / "roadmap.docx"))
    assert all(name in document.styles for name in styles.ROADMAP_TABLE_STYLES)
