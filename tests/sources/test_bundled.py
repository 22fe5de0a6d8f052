"""The bundled programmes: clean, complete in the export, and every contradiction is caught.

Done-when of issue 2: `prikaz export` contains every item of each source with the right totals,
and changing one amount, date, owner reference or indicator target so that it contradicts the
rest makes `prikaz check` exit 1 and point at the changed line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from engine.building.pipeline import check_tree
from engine.export import EXPORT_FORMAT, export_programme

REPO = Path(__file__).resolve().parents[2]
SPECS = REPO / "specs"


# --- the bundled specs are clean ----------------------------------------------------------------


def test_bundled_specs_have_no_diagnostics():
    result = check_tree(SPECS)
    assert sorted(p.directory.name for p in result.programmes) == [
        "leningrad-2020", "lipetsk-2022", "lipetsk-district-2021", "lysva-2021"]
    assert result.diagnostics == []
    assert all(p.model is not None for p in result.programmes)


def test_prikaz_check_specs_exits_0(run_cli):
    result = run_cli("check", "specs")
    assert result.code == 0, result.output
    assert "Проблем не найдено" in result.stdout


# --- export content ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exports() -> dict[str, dict]:
    result = check_tree(SPECS)
    return {p.directory.name: export_programme(p.model) for p in result.programmes}


def test_export_through_the_cli_is_the_same(run_cli, exports):
    result = run_cli("export", "specs/lipetsk-2022", "--format", "json")
    assert result.code == 0, result.output
    assert json.loads(result.stdout) == exports["lipetsk-2022"]


@pytest.mark.parametrize("name", ["lipetsk-2022", "leningrad-2020", "lysva-2021"])
def test_export_is_json_with_the_format_id(exports, name):
    data = exports[name]
    assert data["format"] == EXPORT_FORMAT == "prikaz-export/1"
    assert data["programme"]["id"] == name
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


class TestLipetsk:
    @pytest.fixture
    def data(self, exports):
        return exports["lipetsk-2022"]

    def test_programme(self, data):
        assert data["programme"]["timezone"] == "Europe/Moscow"
        assert data["programme"]["period"] == {"start": "2022-01-01", "end": "2022-12-31", "years": [2022]}

    def test_plan_schedule_has_13_rows_numbered_1_to_13(self, data):
        roadmap = data["roadmap"]
        assert roadmap["sections"] == []
        assert [a["number"] for a in roadmap["activities"]] == [str(n) for n in range(1, 14)]
        assert [c["field"] for c in roadmap["columns"]] == ["number", "time", "activity", "owners", "result"]
        assert [g["short"] for g in roadmap["glossary"]] == ["УОиН", "ГАУДПО ЛО «ИРО»", "ЦМОКО", "МОУО", "МОС",
                                                             "РИП", "ОО"]

    def test_plan_schedule_rows(self, data):
        rows = {a["id"]: a for a in data["roadmap"]["activities"]}
        # 21 owner records (README): УОиН 2, ИРО 12, ЦМОКО 4, МОУО 1, ОО 2
        owners = [o["id"] for a in rows.values() for o in a["owners"]]
        assert len(owners) == 21
        assert {o: owners.count(o) for o in set(owners)} == {"uoin": 2, "iro": 12, "cmoko": 4, "mouo": 1, "oo": 2}
        # row 6: ИРО once, ЦМОКО with its own results
        targeted = rows["targeted-support"]
        assert [(o["id"], len(o["result"])) for o in targeted["owners"]] == [("iro", 4), ("cmoko", 2)]
        assert targeted["owners"][0]["short"] == "ГАУДПО ЛО «ИРО»"
        # rows 8 and 9: two windows each; 9 depends on 8
        assert rows["monitoring-programmes"]["time"]["windows"] == [
            {"start": "2022-06-01", "end": "2022-06-27"}, {"start": "2022-11-15", "end": "2022-11-30"}]
        assert rows["working-group"]["time"]["windows"] == [
            {"start": "2022-06-28", "end": "2022-06-30"}, {"start": "2022-12-01", "end": "2022-12-03"}]
        assert rows["working-group"]["depends_on"] == ["monitoring-programmes"]
        assert rows["normative-base"]["time"]["windows"] == [{"start": "2022-02-01", "end": "2022-03-31"}]
        assert data["roadmap"]["undated"] == ["diagnostics-on-request"]
        assert rows["diagnostics-on-request"]["time"]["windows"] == []

    def test_budget_has_8_lines_and_totals(self, data):
        budget = data["budget"]
        lines = budget["lines"]
        assert len(lines) == 8
        assert [line["amount"] for line in lines] == [
            "280000.00", "300000.00", "30000.00", "100000.00", "840000.00", "150000.00", "110000.00", "90000.00"]
        assert budget["total"] == "1900000.00"
        assert sum(int(line["amount"].replace(".", "")) for line in lines) == 190000000
        assert budget["total_words"].startswith("Один миллион девятьсот тысяч рублей 00 копеек")

    def test_budget_of_which_and_quantity_times_price(self, data):
        lines = {line["id"]: line for line in data["budget"]["lines"]}
        assert lines["professional-development"]["of_which"] == [
            {"title": "Методический конструктор", "amount": "80000.00"}]
        mentors = lines["mentors"]
        assert (mentors["quantity"], mentors["unit_price"], mentors["amount"]) == ("21", "40000.00", "840000.00")
        assert sum(len(line["of_which"]) for line in lines.values()) == 1

    def test_decree_and_two_appendices(self, data):
        decree = data["decree"]
        assert (decree["kind"], decree["number"], decree["date"], decree["year"]) == ("приказ", "266", None, 2022)
        assert [c["number"] for c in decree["clauses"]] == ["1", "2", "3"]
        assert decree["clauses"][0]["text"] == "Утвердить план-график по реализации Мероприятия 21 (приложение 1)."
        assert decree["clauses"][1]["text"] == "Утвердить смету расходов на реализацию Мероприятия 21 (приложение 2)."
        assert "С.Н. Кирину" in decree["clauses"][2]["text"].replace("\u00a0", " ")
        assert decree["signatory"]["name"].replace("\u00a0", " ") == "Л.А. Загеева"
        appendices = data["appendices"]
        assert [(a["kind"], a["number"]) for a in appendices] == [("roadmap", 1), ("budget", 2)]
        assert all("№\u00a0266" in a["mark"] and "№\u00a0266" in a["stamp"] for a in appendices)
        assert appendices[0]["stamp"].startswith("УТВЕРЖДЕН приказом")
        assert appendices[1]["stamp"].startswith("УТВЕРЖДЕНА приказом")


class TestLeningrad:
    @pytest.fixture
    def data(self, exports):
        return exports["leningrad-2020"]

    def test_programme(self, data):
        assert data["programme"]["timezone"] == "Europe/Moscow"
        assert data["programme"]["period"]["years"] == [2020]

    def test_specification_has_13_items_numbered_2_1_to_2_13(self, data):
        items = data["specification"]["items"]
        assert [i["number"] for i in items] == [f"2.{n}" for n in range(1, 14)]
        assert data["specification"]["service_period"]["windows"] == [{"start": "2020-02-01", "end": "2020-12-31"}]

    def test_13_indicators_each_measuring_an_item(self, data):
        indicators = data["indicators"]
        items = {i["id"]: i for i in data["specification"]["items"]}
        assert [i["number"] for i in indicators] == [str(n) for n in range(1, 14)]
        assert sorted(i["measures"] for i in indicators) == sorted(items)
        for indicator in indicators:
            first = items[indicator["measures"]]["quantities"][0]
            assert re.search(r"\d+", first).group() == indicator["target_value"], indicator["id"]
        targets = [i["target"] for i in indicators]
        assert targets == ["1", "1", "18", "35", "1", "1", "1", "2", "5", "18", "1", "2", "2"]
        assert [i["target_note"] for i in indicators[:2]] == ["Не менее 50 человек", "Не менее 400 человек"]

    def test_subsidy_total_and_codes_as_strings(self, data):
        budget = data["budget"]
        assert budget["total"] == "2500000.00"
        assert [line["amount"] for line in budget["lines"]] == ["2500000.00"]
        assert budget["lines"][0]["recipient"] == "loiro"
        assert budget["codes"] == {"КФСР": "0709", "КЦСР": "52 7 01 13760", "КВР": "622", "КОСГУ": "241",
                                   "Доп. КР": "52 07 0109"}
        assert all(isinstance(code, str) for code in budget["codes"].values())
        clause_1 = data["decree"]["clauses"][0]["text"].replace("\u00a0", " ")
        assert "в размере 2 500 000,00 рублей (КФСР 0709 КЦСР 52 7 01 13760 КВР 622 КОСГУ 241 Доп. КР 52 07 0109)" in clause_1

    def test_seven_clauses_with_5_1_and_5_2_deadlines(self, data):
        decree = data["decree"]
        assert (decree["kind"], decree["number"], decree["date"]) == ("распоряжение", "178-р", "2020-02-03")
        clauses = decree["clauses"]
        assert [c["number"] for c in clauses] == ["1", "2", "3", "4", "5", "6", "7"]
        sub = clauses[4]["clauses"]
        assert [c["number"] for c in sub] == ["5.1", "5.2"]
        assert [c["deadline"]["kind"] for c in sub] == ["deadline", "deadline"]
        assert [c["deadline"]["windows"][-1]["end"] for c in sub] == ["2020-02-10", "2020-12-20"]
        assert sub[0]["text"].startswith("в срок до 10 февраля 2020 года – заявку")
        assert "п. 1 настоящего распоряжения" in clauses[5]["text"]
        assert sorted(decree["legal_basis"]) == ["p398", "r1411", "r2778", "r60"]
        assert decree["legal_basis"]["r2778"]["date"] == "2019-12-25"

    def test_appendices_specification_then_indicators(self, data):
        appendices = data["appendices"]
        assert [(a["kind"], a["number"]) for a in appendices] == [("specification", 1), ("indicators", 2)]
        assert appendices[0]["stamp"].startswith("УТВЕРЖДЕНО распоряжением")
        assert appendices[1]["stamp"].startswith("УТВЕРЖДЕНЫ распоряжением")
        assert all("от 03.02.2020 №\u00a0178-р" in a["stamp"] for a in appendices)
        assert "138-р" not in json.dumps(data, ensure_ascii=False)


class TestLysva:
    @pytest.fixture
    def data(self, exports):
        return exports["lysva-2021"]

    def test_time_zone_and_period(self, data):
        programme = data["programme"]
        assert programme["timezone"] == "Asia/Yekaterinburg"
        assert programme["period"] == {"start": "2021-01-01", "end": "2024-12-31", "years": [2021, 2022, 2023, 2024]}

    def test_18_items_in_3_sections(self, data):
        roadmap = data["roadmap"]
        assert roadmap["activities"] == []
        sections = roadmap["sections"]
        assert [s["number"] for s in sections] == ["1", "2", "3"]
        assert [len(s["activities"]) for s in sections] == [4, 7, 7]
        numbers = [a["number"] for s in sections for a in s["activities"]]
        assert numbers == [f"1.{n}" for n in range(1, 5)] + [f"2.{n}" for n in range(1, 8)] + \
            [f"3.{n}" for n in range(1, 8)]
        assert [s["title"] for s in sections] == [
            "Нормативно-правовое обеспечение", "Общесистемные мероприятия",
            "Мониторинг управления ходом реализации Плана (Дорожной карты)"]

    def test_undated_items_listed(self, data):
        activities = {a["id"]: a for s in data["roadmap"]["sections"] for a in s["activities"]}
        assert data["roadmap"]["undated"] == [
            "head-interviews", "teacher-diagnostics-monitoring", "assessment-participation-monitoring"]
        for key in data["roadmap"]["undated"]:
            assert activities[key]["time"]["kind"] == "undated" and activities[key]["time"]["windows"] == []
        assert activities["head-interviews"]["time"]["rendered"] == "По итогам выявления"

    def test_recurring_and_yearly_deadlines(self, data):
        activities = {a["id"]: a for s in data["roadmap"]["sections"] for a in s["activities"]}
        yearly = activities["monitoring-recommendations"]["time"]
        assert [w["start"][:4] for w in yearly["windows"]] == ["2021", "2022", "2023", "2024"]
        analysis = activities["results-analysis"]["time"]["windows"]
        assert analysis == [{"start": f"{y}-06-01", "end": f"{y}-07-31"} for y in (2021, 2022, 2023, 2024)]
        assert activities["regional-500plus-plan"]["time"]["windows"] == [{"start": "2021-01-01", "end": "2021-12-31"}]
        assert activities["goals-and-objectives"]["time"]["windows"] == [{"start": "2021-08-01", "end": "2021-08-31"}]

    def test_decree(self, data):
        decree = data["decree"]
        assert (decree["number"], decree["date"]) == ("491/01-08", "2021-10-28")
        assert [c["number"] for c in decree["clauses"]] == ["1", "2", "3", "4"]
        assert [(a["kind"], a["number"]) for a in data["appendices"]] == [("roadmap", 1)]
        # the act it rests on, its date in figures as the source writes it (legal_basis … date_form: numeric)
        assert "утверждённой приказом начальника управления образования от 19.07.2021 №\u00a0286/01-08, и" in decree["preamble"]
        # the title as published (README 1): it names the plan otherwise than the appendix does
        assert decree["title"] == ("Об утверждении плана мероприятий («дорожной карты») по развитию системы поддержки "
                                   "школ с низкими образовательными результатами")


# --- mutations: one contradicting change → exit 1, pointing at the changed line -----------------


@dataclass(frozen=True)
class Mutation:
    id: str
    programme: str
    file: str
    replace: str
    with_: str
    expect: str
    at: str  # a fragment of `with_` on the line the diagnostic must point at

    def __str__(self):
        return self.id


MUTATIONS = [
    # lipetsk-2022
    Mutation("lipetsk-total-amount", "lipetsk-2022", "budget.yaml",
             'total: "1 900 000,00"', 'total: "1 990 000,00"', "S101", "1 990 000,00"),
    Mutation("lipetsk-activity-year", "lipetsk-2022", "roadmap.yaml",
             "time: Май-декабрь 2022", "time: Май-декабрь 2023", "T201", "Май-декабрь 2023"),
    Mutation("lipetsk-owner", "lipetsk-2022", "roadmap.yaml",
             "owners: [mouo, iro]", "owners: [mouo, iro-lo]", "O301", "iro-lo"),
    Mutation("lipetsk-signatory", "lipetsk-2022", "decree.yaml",
             "signatory: zageeva", "signatory: zageev", "O301", "zageev"),
    Mutation("lipetsk-meeting-window", "lipetsk-2022", "roadmap.yaml",
             "time: 28.06.2022 – 30.06.2022; 01.12.2022 – 03.12.2022",
             "time: 28.06.2022 – 30.06.2022; 25.11.2022 – 27.11.2022", "T204", "25.11.2022"),
    # leningrad-2020
    Mutation("leningrad-total-amount", "leningrad-2020", "budget.yaml",
             'total: "2 500 000,00"', 'total: "2 600 000,00"', "S101", "2 600 000,00"),
    Mutation("leningrad-report-deadline", "leningrad-2020", "decree.yaml",
             "deadline: до 20 декабря 2020 года", "deadline: до 20 декабря 2021 года", "T201", "2021 года"),
    Mutation("leningrad-basis-date", "leningrad-2020", "decree.yaml",
             "date: 20.01.2020", "date: 20.02.2020", "T202", "20.02.2020"),
    Mutation("leningrad-item-time", "leningrad-2020", "specification.yaml",
             "time: октябрь 2020 года", "time: октябрь 2021 года", "T201", "октябрь 2021"),
    Mutation("leningrad-signatory", "leningrad-2020", "decree.yaml",
             "signatory: ogarkov", "signatory: ogarkova", "O301", "ogarkova"),
    Mutation("leningrad-responsible", "leningrad-2020", "decree.yaml",
             "responsible: [finance-department, yurik]", "responsible: [finance-department, jurik]", "O301", "jurik"),
    Mutation("leningrad-indicator-4-target", "leningrad-2020", "indicators.yaml",
             'target: "35"', 'target: "36"', "I404", '"36"'),
    Mutation("leningrad-indicator-1-target", "leningrad-2020", "indicators.yaml",
             'target: "1"\n      target_note: Не менее 50 человек', 'target: "2"\n      target_note: Не менее 50 человек',
             "I404", 'target: "2"'),
    # lysva-2021
    Mutation("lysva-activity-year", "lysva-2021", "roadmap.yaml",
             'time: "Сентябрь-октябрь, 2021"', 'time: "Сентябрь-октябрь, 2020"', "T201", "2020"),
    Mutation("lysva-yearly-activity-year", "lysva-2021", "roadmap.yaml",
             'time: "Июнь-июль"', 'time: "Июнь-июль 2025"', "T201", "2025"),
    Mutation("lysva-basis-date", "lysva-2021", "decree.yaml",
             "date: 19.07.2021", "date: 19.11.2021", "T202", "19.11.2021"),
    Mutation("lysva-control", "lysva-2021", "decree.yaml",
             "control: goroshnikova", "control: goroshnikov", "O301", "goroshnikov"),
    Mutation("lysva-owner", "lysva-2021", "roadmap.yaml",
             'time: "Февраль-март"\n          owners: [uo]', 'time: "Февраль-март"\n          owners: [uo-lysva]',
             "O301", "uo-lysva"),
]

# Contradictions between two values: the diagnostic stands on one of them and names the other as a
# related location («  --> файл:строка:столбец: …»), so whichever was changed, the user is pointed at it.
POINTS_ELSEWHERE = [
    Mutation("lipetsk-line-amount", "lipetsk-2022", "budget.yaml",
                          'amount: "150 000,00"', 'amount: "160 000,00"', "S101", "160 000,00"),
    Mutation("lipetsk-unit-price", "lipetsk-2022", "budget.yaml",
                          'unit_price: "40 000,00"', 'unit_price: "45 000,00"', "S101", "45 000,00"),
    Mutation("lipetsk-of-which-amount", "lipetsk-2022", "budget.yaml",
                          'amount: "80 000,00"', 'amount: "380 000,00"', "S103", "380 000,00"),
    Mutation("lipetsk-monitoring-window", "lipetsk-2022", "roadmap.yaml",
                          "time: 01.06.2022 – 27.06.2022; 15.11.2022 – 30.11.2022",
                          "time: 01.06.2022 – 29.06.2022; 15.11.2022 – 30.11.2022", "T204", "29.06.2022"),
    Mutation("leningrad-item-quantity", "leningrad-2020", "specification.yaml",
                          'quantities: ["не менее 35 программ"]', 'quantities: ["не менее 36 программ"]', "I404", "36"),
    Mutation("lysva-decree-date", "lysva-2021", "decree.yaml",
                          "  date: 28.10.2021", "  date: 28.06.2021", "T202", "28.06.2021"),
]

_LOCATION = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<code>[A-Z]\d{3}) ")
_RELATED = re.compile(r"^  --> (?P<file>.+?):(?P<line>\d+):(?P<column>\d+): ")


def _locations(output: str) -> list[tuple[str, int, str]]:
    """(file, line, code) of every diagnostic and of the related locations listed under it."""
    found, code = [], None
    for text in output.split("\n"):
        match = _LOCATION.match(text)
        if match:
            code = match["code"]
        match = match or _RELATED.match(text)
        if match and code:
            found.append((Path(match["file"]).name, int(match["line"]), code))
    return found


def _mutate(mutation: Mutation, tmp_path: Path, copy_programme) -> tuple[Path, int]:
    directory = copy_programme(tmp_path, mutation.programme)
    path = directory / mutation.file
    text = path.read_text(encoding="utf-8")
    count = text.count(mutation.replace)
    if count != 1:
        pytest.fail(f"{mutation.id}: «{mutation.replace}» встречается в {mutation.file} {count} раз(а), нужен ровно один")
    assert mutation.at in mutation.with_
    start = text.index(mutation.replace)
    edited = text.replace(mutation.replace, mutation.with_)
    line = edited[: start + mutation.with_.index(mutation.at)].count("\n") + 1
    path.write_text(edited, encoding="utf-8")
    return directory, line


def _assert_points_at_changed_line(mutation: Mutation, tmp_path: Path, copy_programme, cli_main):
    """`prikaz check` in this process, through the entry point (test_prikaz_check_specs_exits_0 runs the process)."""
    directory, line = _mutate(mutation, tmp_path, copy_programme)
    result = cli_main("check", directory)
    assert result.code == 1, f"{mutation.id}: prikaz check вернул {result.code}\n{result.output}"
    reported = _locations(result.stdout)
    assert reported, result.output
    assert (mutation.file, line, mutation.expect) in reported, (
        f"{mutation.id}: ожидалась {mutation.expect} на {mutation.file}:{line}, сообщено {reported}\n{result.stdout}")


def test_enough_mutations_of_each_kind():
    kinds = {"amount": ["total-amount"], "date": ["year", "deadline", "date", "time", "window"],
             "owner": ["owner", "signatory", "control", "responsible"], "target": ["target"]}
    counted = {kind: [m.id for m in MUTATIONS if any(word in m.id for word in words)] for kind, words in kinds.items()}
    assert len(MUTATIONS) >= 8 and all(counted.values()), counted
    for programme in ("lipetsk-2022", "leningrad-2020", "lysva-2021"):
        ids = [m.id for m in MUTATIONS if m.programme == programme]
        assert any("owner" in i or "signatory" in i or "control" in i for i in ids)
        assert any("year" in i or "date" in i or "deadline" in i for i in ids)


@pytest.mark.parametrize("mutation", MUTATIONS, ids=str)
def test_contradiction_points_at_changed_line(mutation: Mutation, tmp_path, copy_programme, cli_main):
    _assert_points_at_changed_line(mutation, tmp_path, copy_programme, cli_main)


@pytest.mark.parametrize("mutation", POINTS_ELSEWHERE, ids=str)
def test_contradiction_with_another_value_points_at_changed_line(mutation: Mutation, tmp_path, copy_programme,
                                                                 cli_main):
    _assert_points_at_changed_line(mutation, tmp_path, copy_programme, cli_main)
