"""`prikaz amend` on a scratch git repository of a bundled programme, to the amending DOCX and the «в ред.» marks.

lipetsk-2022 is signed (tag v1, decree.revision: v1). Then, in one pull request: one deadline moved,
one budget line and the total changed, an activity added, a clause removed — `prikaz amend --since
v1` writes amendment-1, staff fill in its requisites, and it is signed (tag v2). Then most of the
roadmap is rewritten: amendment-2 puts appendix 1 in a new edition, attached whole. The amending
decrees must read word for word as legal technique requires (tests/amend/golden/*.txt).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from icalendar import Calendar

from engine.building.build import build
from engine.building.pipeline import check_tree
from engine.commands.cli import main

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
NBSP = "\u00a0"
EPOCH = "1700000000"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.email=methodologist@example.org", "-c", "user.name=Методист", *args],
                          cwd=root, check=True, capture_output=True, text=True).stdout


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-qm", message)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name}: «{old}» встречается {text.count(old)} раз"
    path.write_text(text.replace(old, new), encoding="utf-8")


def body_lines(path: Path) -> list[str]:
    """The document as a person reads it: paragraphs, and table rows with cells joined by « | »."""
    lines = []
    for element in Document(str(path)).element.body:
        if element.tag == qn("w:p"):
            lines.append("".join(t.text or "" for t in element.iter(qn("w:t"))).replace(NBSP, " "))
        elif element.tag == qn("w:tbl"):
            for row in element.iter(qn("w:tr")):
                cells = ["\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in cell.iter(qn("w:p")))
                         for cell in row.iter(qn("w:tc"))]
                lines.append(" | ".join(cells).replace(NBSP, " "))
    return lines


def amending_lines(path: Path) -> list[str]:
    """From the title to the signature: what the amending decree says."""
    lines = body_lines(path)
    return lines[next(i for i, line in enumerate(lines) if line.startswith("О внесении")):]


def golden(name: str) -> list[str]:
    return (GOLDEN / name).read_text(encoding="utf-8").rstrip("\n").split("\n")


@dataclass
class Scratch:
    root: Path
    programme: Path
    outputs: Path


def prikaz(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(REPO / ".venv" / "bin" / "prikaz"), *args], cwd=cwd, capture_output=True, text=True,
                          env=dict(os.environ, SOURCE_DATE_EPOCH=EPOCH))


def fill_in(programme: Path, amendment: str, number: str, date: str, preamble: str) -> None:
    edit(programme / "amendments.yaml", f"  {amendment}:\n    # заполнить: номер и дату — когда приказ подписан, "
                                        "преамбулу — почему вносятся изменения\n    number:\n    date:\n    preamble:\n",
         f"  {amendment}:\n    number: \"{number}\"\n    date: {date}\n    preamble: {preamble}\n")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Scratch:
    root = tmp_path_factory.mktemp("repository")
    programme = root / "specs" / "lipetsk-2022"
    shutil.copytree(REPO / "specs" / "lipetsk-2022", programme)
    # as signed: the date of the decree is known, and the revision that holds the signed text is named
    edit(programme / "decree.yaml", "  date:\n", "  date: 10.02.2022\n")
    edit(programme / "decree.yaml", "  control: kirina\n", "  control: kirina\n  revision: v1\n")
    git(root, "init", "-q")
    commit(root, "Приказ № 266 подписан")
    git(root, "tag", "v1")
    return Scratch(root, programme, root / "outputs")


@pytest.fixture(scope="module")
def first(scratch: Scratch) -> Scratch:
    """The pull request: a deadline, a budget line and its total, an added activity, a removed clause."""
    programme = scratch.programme
    edit(programme / "roadmap.yaml", "      time: Март\n      owners: [mouo, iro]",
         "      time: Апрель\n      owners: [mouo, iro]")
    edit(programme / "budget.yaml", 'amount: "300 000,00"', 'amount: "320 000,00"')
    edit(programme / "budget.yaml", 'total: "1 900 000,00"', 'total: "1 920 000,00"')
    with (programme / "roadmap.yaml").open("a", encoding="utf-8") as roadmap:
        roadmap.write("\n    - id: final-conference\n      title: Итоговая региональная конференция по результатам "
                      "реализации Мероприятия 21\n      time: Декабрь\n      owners: [uoin, iro]\n"
                      "      result: Резолюция конференции\n")
    edit(programme / "decree.yaml", "    - id: control\n      text: Контроль за исполнением данного приказа возложить "
                                    "на {{ control.acc }}.\n", "")
    commit(scratch.root, "Сроки, смета и итоговая конференция")
    return scratch


@pytest.fixture(scope="module")
def first_amended(first: Scratch) -> subprocess.CompletedProcess:
    done = prikaz("amend", "specs/lipetsk-2022", "--since", "v1", cwd=first.root)
    fill_in(first.programme, "amendment-1", "300", "15.03.2022",
            "В связи с уточнением сроков мероприятий и объёмов их финансирования")
    commit(first.root, "Приказ о внесении изменений № 300 подписан")
    git(first.root, "tag", "v2")
    return done


@pytest.fixture(scope="module")
def second(first: Scratch, first_amended) -> Scratch:
    """Most of the roadmap rewritten: the centre of quality assessment (ЦМОКО) joins the owners of 8 rows of 14."""
    roadmap = first.programme / "roadmap.yaml"
    lines = roadmap.read_text(encoding="utf-8").split("\n")
    joined = [index for index, line in enumerate(lines) if line.startswith("      owners: [")][:8]
    for index in joined:
        lines[index] = lines[index].replace("]", ", cmoko]")
    roadmap.write_text("\n".join(lines), encoding="utf-8")
    commit(first.root, "План-график: к работе подключается ЦМОКО")
    done = prikaz("amend", "specs/lipetsk-2022", "--since", "v2", cwd=first.root)
    assert done.returncode == 0, done.stderr
    fill_in(first.programme, "amendment-2", "410", "20.05.2022", "В связи с уточнением плана-графика")
    commit(first.root, "Приказ о внесении изменений № 410 подписан")
    return first


@pytest.fixture(scope="module")
def built(second: Scratch) -> Scratch:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        report = build(second.root / "specs", second.outputs)
    assert not report.failed, [d.message for d in report.all_diagnostics]
    return second


# --- the command ----------------------------------------------------------------------------------


def test_amend_writes_the_changes_and_the_requisites_to_fill(first: Scratch, first_amended):
    assert first_amended.returncode == 0, first_amended.stderr
    assert "Изменений: 5 — записаны в specs/lipetsk-2022/amendments.yaml как amendment-1" in first_amended.stdout


def test_a_draft_is_checked_like_any_decree_and_says_what_to_fill(tmp_path: Path, first: Scratch, first_amended):
    draft = tmp_path / "lipetsk-2022"
    shutil.copytree(first.programme, draft)
    edit(draft / "amendments.yaml", '    number: "300"\n', "    number:\n")
    edit(draft / "amendments.yaml", "    preamble: В связи с уточнением сроков мероприятий и объёмов их финансирования\n",
         "    preamble:\n")
    # (outside the repository the signed version cannot be compared: A606 says so)
    found = [(d.code, d.span.line, d.message) for d in check_tree(draft).diagnostics if d.code != "A606"]
    text = (draft / "amendments.yaml").read_text(encoding="utf-8").split("\n")
    assert found == [("A605", text.index("    number:") + 1, "у изменения amendment-1 не заполнен(а) номер"),
                     ("A605", text.index("    preamble:") + 1, "у изменения amendment-1 не заполнен(а) преамбула")]


def test_the_signed_programme_with_its_amendments_checks_clean(built: Scratch):
    assert check_tree(built.programme).diagnostics == []


def test_nothing_to_amend_on_an_unchanged_programme(built: Scratch, capsys):
    assert main(["amend", str(built.programme), "--since", "HEAD"]) == 0
    assert "Изменять нечего" in capsys.readouterr().out


def test_a_revision_that_does_not_exist_is_a_usage_error(built: Scratch, capsys):
    assert main(["amend", str(built.programme), "--since", "v9"]) == 2
    assert "A621 ошибка: в репозитории нет ревизии «v9» (коммита, тега или ветки)" in capsys.readouterr().err


def test_a_folder_outside_git_is_a_usage_error(tmp_path: Path, capsys):
    outside = tmp_path / "lipetsk-2022"
    shutil.copytree(REPO / "specs" / "lipetsk-2022", outside)
    if subprocess.run(["git", "rev-parse"], cwd=tmp_path, capture_output=True).returncode == 0:
        pytest.skip("временная папка оказалась внутри репозитория git")
    assert main(["amend", str(outside), "--since", "v1"]) == 2
    assert "не в репозитории git" in capsys.readouterr().err


# --- the amending decrees -----------------------------------------------------------------------------


def test_first_amending_decree_reads_as_legal_technique_requires(built: Scratch):
    assert amending_lines(built.outputs / "lipetsk-2022" / "prikaz-300-o-vnesenii-izmeneniy.docx") == \
        golden("amendment-1.txt")


def test_decimal_numbering_numbers_the_changes_as_clauses_of_a_decree(built: Scratch, tmp_path: Path):
    """`numbering: decimal`: «1. Внести …: 1.1. …; 1.2. в приложении 1: 1.2.1. …» — the same changes, numbered as the
    clauses of a regional decree are."""
    root = tmp_path / "repository"
    shutil.copytree(built.root, root, ignore=shutil.ignore_patterns("outputs"))
    edit(root / "specs" / "lipetsk-2022" / "amendments.yaml", "  amendment-1:\n", "  amendment-1:\n    numbering: decimal\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        report = build(root / "specs", tmp_path / "outputs")
    assert not report.failed, [d.message for d in report.all_diagnostics]
    assert amending_lines(tmp_path / "outputs" / "lipetsk-2022" / "prikaz-300-o-vnesenii-izmeneniy.docx") == \
        golden("amendment-1-decimal.txt")


def test_most_of_an_appendix_rewritten_is_a_new_edition_attached_whole(built: Scratch):
    lines = amending_lines(built.outputs / "lipetsk-2022" / "prikaz-410-o-vnesenii-izmeneniy.docx")
    assert lines[:len(golden("amendment-2.txt"))] == golden("amendment-2.txt")
    attached = lines[len(golden("amendment-2.txt")):]
    assert attached[:6] == golden("amendment-2-attachment.txt")
    # the whole roadmap as amendment-2 leaves it: its 14 rows, the added one last
    assert [line.split(" | ")[0] for line in attached if line[:3].rstrip(" |").rstrip(".").isdigit()] == \
        [f"{n}." for n in range(1, 15)]


def test_documents_built_after_the_amendments_carry_the_edition_marks(built: Scratch):
    folder = built.outputs / "lipetsk-2022"
    decree = body_lines(folder / "prilozhenie-1-plan-grafik.docx")
    both = ("(в ред. приказов управления образования и науки Липецкой области от 15.03.2022 № 300, "
            "от 20.05.2022 № 410)")
    assert both in decree[:8]
    assert "(в ред. приказа управления образования и науки Липецкой области от 15.03.2022 № 300)" in \
        body_lines(folder / "prilozhenie-2-smeta-raskhodov.docx")[:8]
    main_text = body_lines(folder / "prikaz-266.docx")
    title = main_text.index(next(line for line in main_text if line.startswith("Об утверждении")))
    assert main_text[title + 1] == both


def test_the_moved_deadline_reaches_the_calendar_as_a_changed_event(built: Scratch):
    feed = Calendar.from_ical((built.outputs / "lipetsk-2022" / "calendar.ics").read_bytes())
    event = next(e for e in feed.walk("VEVENT") if "municipal-programmes-review" in str(e["UID"]))
    assert str(event.decoded("DTSTART")) == "2022-04-01" and int(event["SEQUENCE"]) >= 1


def test_the_site_lists_the_amendment_history_with_links(built: Scratch):
    page = (built.outputs / "lipetsk-2022" / "index.html").read_text(encoding="utf-8")
    history = page[page.index('<section id="amendments">'):page.index('<section id="files">')]
    assert history.count("<li>") == 2
    assert "Приказ от 15.03.2022 №\u00a0300 о внесении изменений" in history
    assert "Приказ от 20.05.2022 №\u00a0410 о внесении изменений" in history
    assert 'href="prikaz-300-o-vnesenii-izmeneniy.docx"' in history
    assert 'href="prikaz-410-o-vnesenii-izmeneniy.docx"' in history
    assert "О внесении изменения в приказ управления образования и науки Липецкой области от 10.02.2022 №\u00a0266" in history


def digests(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file() and ".cache" not in path.parts
            and path.name != ".prikaz-manifest.json"}


def test_rebuilding_gives_the_same_bytes(built: Scratch, tmp_path: Path):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        report = build(built.root / "specs", tmp_path / "again", force=True)
    assert not report.failed
    first, again = (digests(folder / "lipetsk-2022") for folder in (built.outputs, tmp_path / "again"))
    assert "prikaz-300-o-vnesenii-izmeneniy.docx" in first and "prikaz-410-o-vnesenii-izmeneniy.docx" in first
    assert first == again


def test_the_amending_decrees_are_among_the_programme_s_documents(built: Scratch):
    page = (built.outputs / "lipetsk-2022" / "index.html").read_text(encoding="utf-8")
    files = page[page.index('<section id="files">'):page.index('<section id="calendars">')]
    assert files.count("<li>") == 6          # with the sample's report on the execution (progress.yaml)
    assert 'href="prikaz-300-o-vnesenii-izmeneniy.docx"' in files and 'href="prikaz-410-o-vnesenii-izmeneniy.docx"' in files


@pytest.mark.parametrize("profile", ["office2016", "microsoft365"])
def test_amending_and_amended_documents_open_in_word_unrepaired(built: Scratch, profile: str):
    """The independent validator of tests/render/test_docx_validation.py: the quoted table, the attached appendix
    in its own section and the «в ред.» marks leave nothing for Word to repair."""
    from openxml_audit import FileFormat, OpenXmlValidator

    validator = OpenXmlValidator(file_format=FileFormat(profile), max_errors=0)
    documents = sorted((built.outputs / "lipetsk-2022").glob("*.docx"))
    assert [path.name for path in documents] == [
        "informatsiya-o-khode-realizatsii-2022-07-01.docx", "prikaz-266.docx",
        "prikaz-300-o-vnesenii-izmeneniy.docx", "prikaz-410-o-vnesenii-izmeneniy.docx",
        "prilozhenie-1-plan-grafik.docx", "prilozhenie-2-smeta-raskhodov.docx"]
    found = {path.name: [finding.description for finding in validator.validate(path).errors] for path in documents}
    assert {name: findings for name, findings in found.items() if findings} == {}
