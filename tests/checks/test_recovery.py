"""One mistake does not hide the others: a programme part of which did not validate is still checked.

engine/model/validate.py («Recovery») leaves out what did not validate — an item with an identity
(an activity, a person, a clause), or a part (a field of a section, a whole section) — and every check
whose inputs built runs on the rest (engine/checks/registry.py: `reads`, `reads_whole`). Here:

* cross-file combinations: each error of one file is reported together with the findings of checks on
  the other files, and no check says something false about what was left out («unknown id», «unused»,
  «not approved», a sum without the line that did not build);
* the declarations themselves: every check runs without raising on a programme where any part it does
  not declare is missing, so a declaration that forgets a part fails here, not in front of a user;
* the model of a recovered programme: paths and numbers as written, what did not build absent;
* the build still renders nothing of a programme with errors.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML
from test_check_edges import BASE, PROGRAMME_BASE
from test_check_edges import edited_copy as programme

from engine.building.build import build
from engine.building.pipeline import check_tree
from engine.checks import REGISTRY, CheckContext
from engine.diagnostics import has_errors
from engine.loading import load_programme
from engine.model.spec import SpecModel
from engine.model.validate import ProgrammeModel, Unbuilt, validate_programme

CASES = Path(__file__).parent / "cases"


def found(tmp_path: Path, *edits: tuple[str, str, str]) -> list[tuple[str, str, int, str]]:
    """(code, file, line, message) of everything `prikaz check` says about the edited base programme."""
    diagnostics = check_tree(programme(tmp_path, *edits)).diagnostics
    assert all(d.code not in ("E900", "E901") for d in diagnostics), diagnostics
    return sorted((d.code, d.span.file.name, d.span.line, d.message) for d in diagnostics)


def codes(diagnostics) -> list[str]:
    return sorted(code for code, *_ in diagnostics)


def line(directory: Path, file: str, fragment: str) -> int:
    text = (directory / file).read_text(encoding="utf-8")
    return text[:text.index(fragment)].count("\n") + 1


WRONG_TOTAL = ("budget.yaml", 'total: "500 000,00"', 'total: "510 000,00"')
BAD_MEETING_TIME = ("roadmap.yaml", "time: 01.04.2022 – 05.04.2022; 20.10.2022 – 25.10.2022", "time: 01.04.2022 – 35.04.2022")


# --- the case and its relatives: errors of one file, findings of checks on the others --------------


def test_an_unparsable_deadline_does_not_hide_a_wrong_budget_total(tmp_path):
    diagnostics = found(tmp_path, BAD_MEETING_TIME, WRONG_TOTAL)
    assert codes(diagnostics) == ["P101", "S101"], diagnostics
    assert diagnostics[1][:3] == ("S101", "budget.yaml", 23)


def test_an_unparsable_total_does_not_hide_the_roadmap_and_the_decree(tmp_path):
    """The total did not build: the sum of the lines is not compared with anything (no S101, no S104 on the
    clause that names the total), while the roadmap's and the decree's own checks report."""
    diagnostics = found(tmp_path, ("budget.yaml", 'total: "500 000,00"', 'total: "500 000,0O"'),
                        ("roadmap.yaml", "time: Февраль-декабрь 2022", "time: Февраль-декабрь 2023"),
                        ("roadmap.yaml", "owners: [uo]", "owners: [uo-typo]"))
    assert codes(diagnostics) == ["O301", "P201", "T201"], diagnostics


def test_a_broken_budget_file_neither_hides_others_nor_makes_the_budget_missing(tmp_path):
    """budget.yaml does not parse: its section is unknown, not absent — no «approves a budget there is
    none of», no «{{ budget.total }} is unknown»; the roadmap is still checked."""
    diagnostics = found(tmp_path, ("budget.yaml", "  lines:\n", "  lines: [\n"),
                        ("roadmap.yaml", "time: Февраль-декабрь 2022", "time: Февраль-декабрь 2023"))
    assert codes(diagnostics) == ["T201", "Y001"], diagnostics


def test_a_bad_timezone_does_not_stop_the_checks_of_time(tmp_path):
    diagnostics = found(tmp_path, ("programme.yaml", "timezone: Europe/Moscow", "timezone: Europe"),
                        ("roadmap.yaml", "time: Февраль-декабрь 2022", "time: Февраль-декабрь 2023"), WRONG_TOTAL)
    assert codes(diagnostics) == ["P801", "S101", "T201"], diagnostics


def test_a_bad_period_stops_the_checks_of_time_only(tmp_path):
    diagnostics = found(tmp_path, ("programme.yaml", 'period: "2022"', 'period: "2O22"'),
                        ("roadmap.yaml", "time: Февраль-декабрь 2022", "time: Февраль-декабрь 2023"), WRONG_TOTAL)
    assert codes(diagnostics) == ["P101", "S101"], diagnostics


def test_a_bad_decree_date_stops_only_what_compares_with_it(tmp_path):
    """T202/T203 compare with the date: they do not run; the budget and the roadmap are checked."""
    diagnostics = found(tmp_path, ("decree.yaml", "  date: 14.01.2022", "  date: 31.02.2022"), WRONG_TOTAL,
                        ("roadmap.yaml", "time: Февраль-декабрь 2022", "time: Февраль-декабрь 2023"))
    assert codes(diagnostics) == ["P501", "S101", "T201"], diagnostics


def test_a_check_whose_setting_did_not_validate_does_not_run_and_the_other_settings_hold(tmp_path):
    """«S101: of»: whether S101 is off is not known, so it does not run; «T201: off» holds; the rest runs."""
    diagnostics = found(tmp_path, ("programme.yaml", "timezone: Europe/Moscow",
                                   "timezone: Europe/Moscow\n  checks: {S101: of, T201: \"off\"}"),
                        WRONG_TOTAL, ("roadmap.yaml", "time: Февраль-декабрь 2022", "time: Февраль-декабрь 2023"),
                        ("roadmap.yaml", "owners: [uo]", "owners: [uo-typo]"))
    assert codes(diagnostics) == ["M004", "O301"], diagnostics


def test_settings_that_are_not_a_mapping_stop_every_check(tmp_path):
    """Which checks are off is not known: any finding might be one turned off, so none is shown."""
    diagnostics = found(tmp_path, ("programme.yaml", "timezone: Europe/Moscow",
                                   "timezone: Europe/Moscow\n  checks: [S101, T201]"), WRONG_TOTAL)
    assert codes(diagnostics) == ["M003"], diagnostics


# --- no false follow-on errors about what did not validate --------------------------------------------------


def test_a_reference_to_an_organisation_that_did_not_validate_is_not_unknown(tmp_path):
    """cmoko has a bad short name: the activity it owns and the glossary naming it do not say «unknown
    cmoko», and nothing says «unused»; a real typo elsewhere is still reported."""
    directory = programme(tmp_path, ("organisations.yaml", "    short: ЦМОКО", "    short: [ЦМОКО]"),
                          ("roadmap.yaml", "owners: [uo]", "owners: [uo-typo]"))
    diagnostics = [(d.code, d.span.file.name, d.span.line) for d in check_tree(directory).diagnostics]
    assert sorted(diagnostics) == [("M003", "organisations.yaml", line(directory, "organisations.yaml", "[ЦМОКО]")),
                                   ("O301", "roadmap.yaml", line(directory, "roadmap.yaml", "uo-typo"))]


def test_a_person_who_did_not_validate_is_neither_unknown_nor_an_unknown_placeholder(tmp_path):
    """petrov (the controller, named by {{ control.acc }}) has a bad gender: no O301 for `control: petrov`, no R506."""
    diagnostics = found(tmp_path, ("organisations.yaml", "    gender: male", "    gender: man"), WRONG_TOTAL)
    assert codes(diagnostics) == ["M004", "S101"], diagnostics


def test_a_table_that_did_not_validate_is_not_an_unknown_table(tmp_path):
    """A column setting of the exam table does not validate: the block printing the table does not say «unknown
    table» (R516) — the width is the one problem."""
    directory = programme(tmp_path, ("tables.yaml", "        heading: кол-во сдающих\n",
                                     "        heading: кол-во сдающих\n        width: широкий\n"), base=PROGRAMME_BASE)
    diagnostics = [(d.code, d.span.file.name, d.span.line) for d in check_tree(directory).diagnostics]
    assert diagnostics == [("M003", "tables.yaml", line(directory, "tables.yaml", "широкий"))]


def test_a_folder_of_unknown_sections_is_told_so_by_prikaz_check(tmp_path):
    """No `programme`, no `decree`: `prikaz check` (which also lints own templates) says what is missing —
    it used to ask the missing `programme` section for its templates and fail with E901."""
    directory = tmp_path / "notes-2021"
    directory.mkdir()
    (directory / "notes.yaml").write_text("tasks:\n  - собрать данные\n", encoding="utf-8")
    diagnostics = check_tree(tmp_path, lint_templates=True).diagnostics
    assert sorted({d.code for d in diagnostics}) == ["M001", "M002"], diagnostics


def test_links_to_an_activity_that_did_not_validate_are_not_broken(tmp_path):
    """monitoring has a bad time: meeting depends on it and the indicator schools-share names it — no I405,
    and I401 (it reads every link from the roadmap) does not call the indicator unlinked."""
    diagnostics = found(tmp_path, ("roadmap.yaml", "time: 01.03.2022 – 31.03.2022; 01.10.2022 – 14.10.2022",
                                   "time: 01.03.2022 – 31.03.2022; 01.10.2022 – 15.13.2022"))
    assert codes(diagnostics) == ["P101"], diagnostics


def test_a_clause_that_did_not_validate_stops_what_counts_clauses(tmp_path):
    """The clause approving the roadmap has a bad deadline: appendix numbers are not known, so neither R502
    («the roadmap is not approved») nor R506 ({{ appendix.roadmap }}) speaks; the rest does."""
    diagnostics = found(tmp_path, ("decree.yaml", "    - id: approve-roadmap\n      approves: roadmap\n",
                                   "    - id: approve-roadmap\n      approves: roadmap\n      deadline: до 45 марта 2022 года\n"),
                        WRONG_TOTAL)
    assert codes(diagnostics) == ["P101", "S101"], diagnostics


def test_a_budget_line_that_did_not_validate_stops_the_sums_not_the_lines(tmp_path):
    """One line's amount is unparsable: S101 and S104 (they need every line) are silent, S102 checks the others."""
    diagnostics = found(tmp_path, ("budget.yaml", 'amount: "20 000,00"', 'amount: "2O 000,00"'),
                        ("budget.yaml", 'quantity: "5"', 'quantity: "5"\n      amount: "210 000,00"'))
    assert codes(diagnostics) == ["P201", "S102"], diagnostics


def test_a_misspelt_key_of_an_activity_leaves_the_activity_out(tmp_path):
    """`depend_on:` instead of `depends_on:`: the activity is left out (a misspelt key changes what it means),
    nothing is said about its dependencies, and the others are checked."""
    diagnostics = found(tmp_path, ("roadmap.yaml", "      depends_on: [monitoring]", "      depend_on: [monitoring]"),
                        ("roadmap.yaml", "time: Февраль-декабрь 2022", "time: Февраль-декабрь 2023"))
    assert codes(diagnostics) == ["M001", "T201"], diagnostics


def test_a_misspelt_section_key_leaves_out_the_field_it_resembles(tmp_path):
    diagnostics = found(tmp_path, ("budget.yaml", "  lines:\n", "  lnes:\n"),
                        ("roadmap.yaml", "time: Февраль-декабрь 2022", "time: Февраль-декабрь 2023"))
    assert codes(diagnostics) == ["M001", "M002", "T201"], diagnostics


def test_a_misspelt_section_leaves_it_unknown(tmp_path):
    """`bugdet:` — the budget is unknown, not missing: no R502 about the clause approving it."""
    diagnostics = found(tmp_path, ("budget.yaml", "budget:\n", "bugdet:\n"),
                        ("roadmap.yaml", "time: Февраль-декабрь 2022", "time: Февраль-декабрь 2023"))
    assert codes(diagnostics) == ["M001", "T201"], diagnostics


def test_a_section_given_in_two_files_is_unknown(tmp_path):
    directory = programme(tmp_path, ("roadmap.yaml", "time: Февраль-декабрь 2022", "time: Февраль-декабрь 2023"))
    (directory / "more.yaml").write_text('budget:\n  lines: []\n  total: "1,00"\n', encoding="utf-8")
    diagnostics = check_tree(directory).diagnostics
    assert sorted(d.code for d in diagnostics) == ["T201", "Y002"], diagnostics


def test_an_invisible_character_is_one_diagnostic_and_the_rest_is_checked(tmp_path):
    diagnostics = found(tmp_path, ("roadmap.yaml", "title: Заседание рабочей группы", "title: Заседание\u202eрабочей группы"),
                        WRONG_TOTAL)
    assert codes(diagnostics) == ["S101", "Y014"], diagnostics


def test_every_error_of_every_file_in_one_run(tmp_path):
    directory = programme(
        tmp_path, BAD_MEETING_TIME, WRONG_TOTAL,
        ("programme.yaml", "timezone: Europe/Moscow", "timezone: localtime"),
        ("organisations.yaml", "    initials: А.Б.", "    initials: \"А.\\nБ.\""),
        ("indicators.yaml", 'target: "60"', 'target: "160"'),
        ("specification.yaml", '["не менее 12 консультаций"]', '["не менее 13 консультаций"]'),
        ("decree.yaml", "    - id: control\n", "    - id: control\n      deadline: 32.12.2022\n"))
    diagnostics = check_tree(directory).diagnostics
    assert sorted((d.code, d.span.file.name) for d in diagnostics) == [
        ("I403", "indicators.yaml"), ("I404", "indicators.yaml"), ("M006", "organisations.yaml"),
        ("P101", "decree.yaml"), ("P101", "roadmap.yaml"), ("P801", "programme.yaml"), ("S101", "budget.yaml")]


# --- the model of a recovered programme -------------------------------------------------------------------


def _model(directory: Path) -> tuple[ProgrammeModel, list]:
    loaded = load_programme(directory)
    model, problems = validate_programme(loaded)
    return model, loaded.diagnostics + problems


def test_items_that_built_keep_their_paths_and_numbers(tmp_path):
    directory = programme(tmp_path, BAD_MEETING_TIME)
    model, problems = _model(directory)
    assert [d.code for d in problems] == ["P101"]
    activities = model.programme.roadmap.activities
    assert [(a.id, a.number, a.path) for a in activities] == [
        ("monitoring", "1", ("roadmap", "activities", 0)), ("consultations", "3", ("roadmap", "activities", 2))]
    assert model.unbuilt == Unbuilt(frozenset(), frozenset({("roadmap", "activities", 1)}),
                                    frozenset({"meeting"}))
    assert not model.complete
    span = model.span(activities[1], "time")
    assert (span.file.name, span.line) == ("roadmap.yaml", line(directory, "roadmap.yaml", "Февраль-декабрь 2022"))


def test_a_field_that_did_not_build_is_absent_not_defaulted(tmp_path):
    model, _ = _model(programme(tmp_path, ("decree.yaml", "  date: 14.01.2022", "  date: 14.13.2022")))
    decree = model.programme.decree
    with pytest.raises(AttributeError):
        _ = decree.date
    assert decree.number == "15" and [c.number for c in decree.clauses][:2] == ["1", "2"]
    assert ("decree", "date") in model.unbuilt.parts


def test_an_item_inside_an_item_goes_with_it(tmp_path):
    """An owner has no identity of its own: an error in it leaves its activity out, not the owner alone
    (an activity without that owner would be «without an owner»)."""
    model, problems = _model(programme(tmp_path, ("roadmap.yaml", "        - org: iro", "        - org: Iro")))
    assert [d.code for d in problems] == ["P701"]
    assert model.unbuilt.items == {("roadmap", "activities", 2)}


def test_a_programme_with_errors_is_checked_but_never_rendered(tmp_path):
    specs = tmp_path / "specs"
    specs.mkdir()
    directory = programme(specs, BAD_MEETING_TIME, WRONG_TOTAL)
    report = build(specs, tmp_path / "outputs")
    assert report.failed and not report.programmes[0].rendered
    assert sorted(d.code for d in report.all_diagnostics) == ["P101", "S101"]
    assert not (tmp_path / "outputs" / directory.name).exists()


# --- the declarations: a check never reads a part it does not declare ----------------------------------------


def _parts(model: ProgrammeModel) -> list[tuple]:
    """Every part of a programme: its sections and the fields of its section objects."""
    found = []
    for name in type(model.programme).model_fields:
        section = model.programme.__dict__.get(name)
        found.append((name,))
        if isinstance(section, SpecModel):
            found += [(name, field) for field in type(section).model_fields if field in section.__dict__]
    return found


def _without(model: ProgrammeModel, part: tuple) -> ProgrammeModel:
    """The model with `part` absent, as recovery leaves a part that did not validate."""
    programme = model.programme.model_copy()
    if len(part) == 1:
        del programme.__dict__[part[0]]
    elif programme.__dict__[part[0]] is not None:   # a section the programme has not: its field is not there anyway
        section = programme.__dict__[part[0]].model_copy()
        del section.__dict__[part[1]]
        programme.__dict__[part[0]] = section
    return ProgrammeModel(programme, model.sources, model.directory, model.objects, Unbuilt(parts=frozenset({part})))


def _case_programme(tmp_path: Path, code: str) -> Path:
    """The base programme with the check's bad case: its findings' code paths run too."""
    case = YAML(typ="safe", pure=True).load((CASES / f"{code}.yaml").read_text(encoding="utf-8"))
    directory = programme(tmp_path, base=PROGRAMME_BASE if case.get("base") == PROGRAMME_BASE.name else BASE)
    for name, text in case["bad"].items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_a_check_reads_only_what_it_declares(tmp_path, code):
    registered = REGISTRY[code]
    for directory in (programme(tmp_path / "base"), programme(tmp_path / "document", base=PROGRAMME_BASE),
                      _case_programme(tmp_path / "bad", code)):
        model, problems = _model(directory)
        assert model.complete and not has_errors([p for p in problems if p.code[0] in "YM"]), problems
        ran = 0
        for part in _parts(model):
            partial = _without(model, part)
            if registered.stopped_by(partial):
                continue
            ran += 1
            ctx = CheckContext(partial, lambda programme_id: None)
            try:
                list(registered.function(ctx))
            except AttributeError as exc:
                pytest.fail(f"{code} читает {'.'.join(part)}, но не объявляет этого в reads/reads_whole: {exc}")
        assert ran or registered.reads_whole == ((),), f"{code}: ни одна часть не проверена"


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_a_check_with_a_declared_part_missing_does_not_run(tmp_path, code):
    registered = REGISTRY[code]
    model, _ = _model(programme(tmp_path))
    for read in registered.reads + registered.reads_whole:
        if read:
            assert registered.stopped_by(_without(model, read[:2])), (code, read)


def test_with_a_file_not_read_every_error_of_the_others_is_found_and_placed(tmp_path):
    """Nothing is validated whole when a file is not read: the errors come out field by field, pass by pass, in
    lists already cut — and are still placed where the YAML has them."""
    directory = programme(
        tmp_path, ("budget.yaml", "  lines:\n", "  lines: [\n"),
        ("roadmap.yaml", "time: 01.03.2022 – 31.03.2022; 01.10.2022 – 14.10.2022", "time: 01.03.2022 – 31.03.2O22"),
        ("roadmap.yaml", "        - org: iro", "        - org: Iro"),
        ("roadmap.yaml", "time: 01.04.2022 – 05.04.2022; 20.10.2022 – 25.10.2022", "time: 01.04.2022 – 05.04.2022"),
        ("roadmap.yaml", "      owners: [uo]", "      owners: [uo-typo]"))
    model, problems = _model(directory)
    assert sorted((d.code, d.span.file.name, d.span.line) for d in problems if d.code != "Y001") == [
        ("P101", "roadmap.yaml", line(directory, "roadmap.yaml", "31.03.2O22")),
        ("P701", "roadmap.yaml", line(directory, "roadmap.yaml", "org: Iro"))]
    assert [d.span.file.name for d in problems if d.code == "Y001"] == ["budget.yaml"]
    assert [(a.id, a.number) for a in model.programme.roadmap.activities] == [("meeting", "2")]
    assert model.unbuilt.items == {("roadmap", "activities", 0), ("roadmap", "activities", 2)}
    assert ("budget",) in model.unbuilt.parts
    # O301 reads the budget too (its lines name recipients): it waits for budget.yaml, T201 and the like do not
    diagnostics = check_tree(programme(tmp_path / "again", ("budget.yaml", "  lines:\n", "  lines: [\n"),
                                       ("roadmap.yaml", "      owners: [uo]", "      owners: [uo-typo]"),
                                       ("roadmap.yaml", "time: Февраль-декабрь 2022", "time: Февраль-декабрь 2023"))).diagnostics
    assert sorted(d.code for d in diagnostics) == ["T201", "Y001"], diagnostics
