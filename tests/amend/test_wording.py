"""The wording of single changes in the fixed phrases of legal technique, and the edition replay they rest on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.loading import load_programme
from engine.model.amending import amending_text, word_edits, words_sentence
from engine.model.edition import apply, differences, edition_of, undo
from engine.model.spec import Amendment
from engine.model.validate import build_model

REPO = Path(__file__).resolve().parents[2]


def sentence(old: str, new: str) -> str:
    edits, _, _ = word_edits(old, new)
    return words_sentence("пункте 3", "пункт 3", edits)


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("Контроль за исполнением данного приказа", "Контроль за исполнением настоящего приказа",
     "в пункте 3 слово «данного» заменить словом «настоящего»"),
    ("в срок до 1 марта 2022 года", "в срок до 15 апреля 2022 года",
     "в пункте 3 слова «1 марта» заменить словами «15 апреля»"),
    ("в размере 1 900 000,00 рублей", "в размере 1 920 000,00 рублей",
     "в пункте 3 цифры «1 900 000,00» заменить цифрами «1 920 000,00»"),
    # «отчёт» occurs twice: the quoted words are widened until they name one place
    ("промежуточный отчёт и итоговый отчёт", "промежуточный отчёт и годовой отчёт",
     "в пункте 3 слово «итоговый» заменить словом «годовой»"),
    ("представить отчёт, отчёт", "представить отчёт, сводный отчёт",
     "пункт 3 после слова «отчёт,» дополнить словом «сводный»"),
    ("Провести семинар для педагогов", "Провести семинар для педагогов и руководителей",
     "пункт 3 дополнить словами «и руководителей»"),
    ("Провести семинар для педагогов и руководителей", "Провести семинар для педагогов",
     "в пункте 3 слова «и руководителей» исключить"),
])
def test_word_changes(old: str, new: str, expected: str):
    assert sentence(old, new) == expected


def test_share_of_changed_words():
    _, changed, share = word_edits("один два три четыре", "один два пять шесть")
    assert (changed, share) == (2, 0.5)


def programme(name: str):
    model, problems = build_model(load_programme(REPO / "specs" / name))
    assert model is not None, problems
    return model


def test_every_bundled_edition_replays_onto_itself():
    """No change between a version and itself; the changes between two versions applied forwards and backwards
    give back each version exactly."""
    # two documents both programmes have: a whole appendix added or dropped is not an amendment's (A622)
    lipetsk, lysva = ({document: edition_of(programme(name))[document] for document in ("decree", "roadmap")}
                      for name in ("lipetsk-2022", "lysva-2021"))
    assert differences(lipetsk, lipetsk) == []
    changes = Amendment.model_validate({"changes": differences(lipetsk, lysva)}).changes
    forwards, misfits = apply(lipetsk, changes)
    assert misfits == [] and forwards == lysva
    backwards, misfits = undo(lysva, changes)
    assert misfits == [] and backwards == lipetsk


def test_a_change_that_does_not_fit_is_told():
    edition = edition_of(programme("lipetsk-2022"))
    amendment = Amendment.model_validate({"changes": [
        {"document": "roadmap", "item": "3", "field": "time", "old": "Май", "new": "Июнь"}]})
    _, misfits = apply(edition, amendment.changes)
    assert [(m.address, m.found, m.expected) for m in misfits] == [("3", "Март", "Май")]


def test_most_of_an_appendix_changed_is_a_new_edition_and_the_threshold_is_the_spec_s():
    model = programme("lipetsk-2022")
    before = edition_of(model)
    rows = [u for u in before["roadmap"] if u.kind == "row"]
    changes = [{"document": "roadmap", "item": u.address, "field": "result", "old": list(u.cells["result"]),
                "new": [t + " (уточнено)" for t in u.cells["result"]]} for u in rows[:7]]
    amendment = Amendment.model_validate({"changes": changes})
    after, misfits = apply(before, amendment.changes)
    assert misfits == []
    text = amending_text(model.programme, model.programme.decree, amendment, before, after)
    assert text.lines()[1:] == ["приложение 1 изложить в новой редакции согласно приложению к настоящему приказу."]
    assert text.attachments == ["roadmap"] and text.title.startswith("О внесении изменения в приказ")
    stricter = Amendment.model_validate({"changes": changes, "forms": {"appendix": "60"}})
    text = amending_text(model.programme, model.programme.decree, stricter, before, after)
    assert text.attachments == [] and text.lines()[1] == "в приложении 1:"


BASE = REPO / "tests" / "checks" / "base" / "base-2022"


def edited_base(tmp_path: Path, old: str, new: str):
    folder = tmp_path / "base-2022"
    shutil.copytree(BASE, folder)
    text = (folder / "decree.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    (folder / "decree.yaml").write_text(text.replace(old, new), encoding="utf-8")
    model, problems = build_model(load_programme(folder))
    assert model is not None, problems
    return model


REPORT = """    - id: report
      text: "{{ orgs.iro }} представить в {{ orgs.uo.full.acc }}:"
      responsible: [iro]
      clauses:
        - id: report-interim
          deadline: до 1 июля 2022 года
          text: в срок {{ deadline }} – промежуточный отчёт;
          responsible: [iro]
        - id: report-final
          deadline: до 20 декабря 2022 года
          text: в срок {{ deadline }} – итоговый отчёт.
"""


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("до 1 июля 2022 года", "до 15 июля 2022 года",
     ["Внести в приказ управления образования Условной области от 14.01.2022 № 15 «Об утверждении документов "
      "программы поддержки школ в 2022 году» следующее изменение:",
      "в подпункте 5.1 цифру «1» заменить цифрами «15»."]),
    (REPORT, "",
     ["1) пункт 5 признать утратившим силу;", "2) пункт 6 считать пунктом 5."]),
    ("    - id: approve-indicators\n", "    - text: Настоящий приказ вступает в силу со дня подписания.\n"
                                     "    - id: approve-indicators\n",
     ["1) пункты 3–6 считать соответственно пунктами 4–7;", "2) дополнить новым пунктом 3 следующего содержания:",
      "«3. Настоящий приказ вступает в силу со дня подписания.»."]),
], ids=["sub-clause", "clause-removed", "clause-inserted"])
def test_clauses_of_the_decree(tmp_path: Path, old: str, new: str, expected: list[str]):
    signed = build_model(load_programme(BASE))[0]
    model = edited_base(tmp_path, old, new)
    before, after = edition_of(signed), edition_of(model)
    amendment = Amendment.model_validate({"changes": differences(before, after)})
    assert apply(before, amendment.changes) == (after, []) and undo(after, amendment.changes) == (before, [])
    text = amending_text(model.programme, model.programme.decree, amendment, before, after)
    lines = [line.replace("\u00a0", " ") for line in text.lines()]
    assert lines[-len(expected):] == expected
