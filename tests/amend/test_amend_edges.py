"""`prikaz amend` where it cannot work, and the amending decree as a built document like every other.

* a revision that does not exist, named by the decree (`decree.revision`): the diagnostic points at that line
  (named only on the command line, at the programme's folder, as every folder-wide problem: tests/amend/test_amend.py);
* a programme without a decree (only a programme document): a diagnostic, never a traceback — from `prikaz
  amend` (exit 2) and from `prikaz check` on amendments written by hand (A601);
* the indicators of a распоряжение changed in every row: the appendix attached in a new edition, as a table.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_amend import EPOCH, REPO, body_lines, commit, edit, fill_in, git

from engine.building.build import build
from engine.building.pipeline import check_tree
from engine.commands.cli import main

PROGRAMME_DOCUMENT_BASE = REPO / "tests" / "checks" / "base" / "programme-2021"


def repository(tmp_path: Path, source: Path, name: str) -> Path:
    """A git repository holding one programme, copied from `source`, committed; the programme's folder."""
    root = tmp_path / "repository"
    programme = root / "specs" / name
    shutil.copytree(source, programme)
    git(root, "init", "-q")
    commit(root, "Подписано")
    return programme


def line_of(path: Path, fragment: str) -> tuple[int, int]:
    text = path.read_text(encoding="utf-8")
    before = text[:text.index(fragment)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def test_a_missing_revision_named_by_the_decree_is_shown_on_its_line(tmp_path: Path, capsys):
    programme = repository(tmp_path, REPO / "specs" / "lipetsk-2022", "lipetsk-2022")
    edit(programme / "decree.yaml", "  control: kirina\n", "  control: kirina\n  revision: v2022-266\n")
    assert main(["amend", str(programme), "--since", "v2022-266"]) == 2
    line, column = line_of(programme / "decree.yaml", "v2022-266")
    err = capsys.readouterr().err
    assert f"decree.yaml:{line}:{column}: A621 ошибка: в репозитории нет ревизии «v2022-266» (коммита, тега или " \
           "ветки) [unknown-revision]" in err
    assert f"{line} |   revision: v2022-266" in err           # the line itself, under the message


def test_amend_of_a_programme_without_a_decree_is_a_diagnostic(tmp_path: Path, capsys):
    programme = repository(tmp_path, PROGRAMME_DOCUMENT_BASE, "programme-2021")
    edit(programme / "document.yaml", "  name: Повышение качества", "  name: Повышение  качества")
    commit(programme.parents[1], "Правка")
    assert main(["amend", str(programme), "--since", "HEAD~1"]) == 2
    err = capsys.readouterr().err
    assert "document.yaml:1:1: A624 ошибка: у программы programme-2021 нет приказа (decree): изменения вносятся " \
           "в приказ [no-decree]" in err
    assert "Traceback" not in err


def test_amendments_of_a_programme_without_a_decree_are_reported_not_a_crash(tmp_path: Path):
    programme = tmp_path / "programme-2021"
    shutil.copytree(PROGRAMME_DOCUMENT_BASE, programme)
    (programme / "amendments.yaml").write_text(
        "amendments:\n  amendment-1:\n    number: \"12\"\n    date: 01.03.2021\n    preamble: В связи с уточнением\n"
        "    changes:\n      - {document: roadmap, item: \"1\", field: time, old: Март, new: Апрель}\n",
        encoding="utf-8")
    found = sorted((d.code, d.span.file.name, d.span.line, d.message) for d in check_tree(programme).diagnostics)
    assert found == [
        ("A601", "amendments.yaml", 6, "изменение amendment-1 некуда внести: у программы нет приказа (decree)"),
        ("A605", "amendments.yaml", 3, "у изменения amendment-1 не заполнен(а) подписант")]


def test_indicators_changed_in_every_row_are_attached_in_a_new_edition(tmp_path: Path):
    programme = repository(tmp_path, REPO / "specs" / "leningrad-2020", "leningrad-2020")
    indicators = programme / "indicators.yaml"
    indicators.write_text(indicators.read_text(encoding="utf-8").replace("unit: Ед.", "unit: ед."), encoding="utf-8")
    assert main(["amend", str(programme), "--since", "HEAD"]) == 0
    fill_in(programme, "amendment-1", "45-р", "16.03.2020", "В связи с уточнением единиц измерения")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        report = build(programme.parent, tmp_path / "outputs")
    assert not report.failed, [d.message for d in report.all_diagnostics]
    [amending] = (tmp_path / "outputs" / "leningrad-2020").glob("*o-vnesenii-izmeneniy.docx")
    lines = body_lines(amending)
    assert "приложение 2 изложить в новой редакции согласно приложению к настоящему распоряжению." in lines
    attached = lines[lines.index("(в редакции распоряжения комитета общего и профессионального образования "
                                 "Ленинградской области от 16.03.2020 № 45-р)"):]
    rows = [line.split(" | ") for line in attached if line.count(" | ") >= 3]
    assert rows[0][:3] == ["№ п/п", "Наименование показателя", "Единица измерения"]
    assert [row[0] for row in rows[1:]] == [f"{n}." for n in range(1, 14)]
    assert {row[2] for row in rows[1:]} == {"ед."}
    assert rows[1][3] == "1\nНе менее 50 человек"
