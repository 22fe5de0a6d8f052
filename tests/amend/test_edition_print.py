"""The printed form amendments compare and quote is what the documents print, character for character.

An amendment quotes «the words as printed», and an appendix attached in a new edition is rendered
from the printed form (engine/render/docx/amendment.py): both must agree with the DOCX context of
the programme's own documents, or an amending decree would misquote the signed text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.loading import load_programme
from engine.model.edition import edition_of
from engine.model.validate import build_model
from engine.render.docx import amendment as printed
from engine.render.docx.context import document_context

REPO = Path(__file__).resolve().parents[2]
PROGRAMMES = [REPO / "specs" / name for name in ("lipetsk-2022", "leningrad-2020", "lysva-2021")] + [
    REPO / "tests" / "checks" / "base" / "base-2022"]
BUILDERS = {"roadmap": printed._roadmap, "budget": printed._budget, "indicators": printed._indicators,
            "specification": printed._specification}


def plain(value):
    """Typography aside (non-breaking spaces): the same characters."""
    if isinstance(value, str):
        return " ".join(value.replace("\u00a0", " ").split(" "))
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


@pytest.mark.parametrize("folder", PROGRAMMES, ids=lambda folder: folder.name)
def test_appendices_from_the_printed_form_are_the_documents_own(folder: Path):
    model, problems = build_model(load_programme(folder))
    assert model is not None, problems
    context = document_context(model)
    edition = edition_of(model)
    kinds = [appendix["kind"] for appendix in context["appendices"]]
    assert kinds
    for kind in kinds:
        assert plain(BUILDERS[kind](model.programme, edition[kind], context)) == plain(context[kind]), kind


@pytest.mark.parametrize("folder", PROGRAMMES, ids=lambda folder: folder.name)
def test_clauses_in_the_printed_form_are_the_decree_s_own(folder: Path):
    model, _ = build_model(load_programme(folder))
    context = document_context(model)
    clauses = [unit for unit in edition_of(model)["decree"] if unit.kind == "clause"]
    assert [(f"{unit.address}.", unit.cells["text"][0]) for unit in clauses] == \
        [(clause["number"], plain(clause["text"])) for clause in context["decree"]["clauses"]]
