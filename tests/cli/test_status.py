"""`prikaz status`: the bundled samples as of fixed days, in each format; exit codes; the day by default."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from engine.commands import status as status_command

LIPETSK = "specs/lipetsk-2022"


def as_json(cli_main, *args: str) -> tuple[int, dict]:
    result = cli_main("status", *args, "--format", "json")
    return result.code, json.loads(result.stdout)


def test_lipetsk_as_of_the_first_of_july(cli_main):
    code, data = as_json(cli_main, LIPETSK, "--as-of", "2022-07-01")
    assert code == 1                                  # the June meeting of the working group is overdue
    assert data["format"] == "prikaz-status/1" and data["overdue"] == 1
    [programme] = data["programmes"]
    progress = programme["progress"]
    assert progress["as_of"] == "2022-07-01" and progress["within"] == 14
    summary = progress["summary"]
    assert (summary["due"], summary["done_on_time"], summary["share_on_time"]) == (6, 4, "66.7")
    assert (summary["done"], summary["done_late"], summary["overdue"], summary["cancelled"], summary["undated"],
            summary["planned"], summary["due_soon"]) == (4, 1, 1, 1, 1, 7, 0)
    rows = [(item["number"], item["mark"], [o["state"] for o in item["occurrences"]]) for item in progress["items"]]
    assert rows == [
        ("1", "Выполнено", ["done"]), ("2", "Выполнено", ["done"]),
        ("3", "Выполнено с нарушением срока", ["done_late"]), ("4", "Перенесено", ["planned"]),
        ("5", "Выполняется", ["planned"]), ("6", "Срок не наступил", ["planned"]),
        ("7", "Срок не наступил", ["planned"]), ("8", "Выполняется", ["done", "planned"]),
        ("9", "Не выполнено", ["overdue", "planned"]), ("10", "Выполняется", ["planned"]),
        ("11", "Выполнено", ["done"]), ("12", "Отменено", ["cancelled"]), ("13", "Выполняется", ["undated"]),
    ]
    moved = progress["items"][3]["occurrences"][0]
    assert (moved["planned"]["text"], moved["window"]["text"], moved["deadline"]) == (
        "март 2022", "01.03.2022 – 29.07.2022", "2022-07-29")
    assert moved["moved"]["decision"]["text"] == "Протокол заседания рабочей группы от 25.03.2022 №\u00a02"
    organisations = {o["id"]: (o["summary"]["due"], o["summary"]["share_on_time"]) for o in progress["organisations"]}
    assert organisations == {"uoin": (2, "50.0"), "iro": (5, "80.0"), "mouo": (1, "0.0"), "oo": (0, None),
                             "cmoko": (1, "100.0")}


def test_the_human_form(cli_main):
    result = cli_main("status", LIPETSK, "--as-of", "01.07.2022")
    assert result.code == 1
    assert "Срок наступил: 6 · выполнено в срок: 4 (66,7\u00a0%) · с нарушением срока: 1 · просрочено: 1" in result.stdout
    assert ("9 Заседание рабочей группы по реализации Мероприятия 21 (28.06.2022 – 30.06.2022) — срок 30.06.2022, "
            "просрочено на 1 день — УОиН") in result.stdout
    assert "specs/lipetsk-2022/roadmap.yaml:156" in result.stdout
    assert "УОиН: срок наступил 2 · в срок 1 (50,0\u00a0%) · просрочено 1 · срок наступает 0" in result.stdout
    assert result.stdout.rstrip().endswith("Итого просрочено: 1 в 1 программе.")


def test_due_soon_and_nothing_overdue(cli_main):
    """On 20.06.2022 the June monitoring ends within a week and the meeting within ten days: due soon, not late."""
    result = cli_main("status", LIPETSK, "--as-of", "2022-06-20", "--within", "10")
    assert result.code == 0
    assert "Срок наступает (2):" in result.stdout and "Просрочено" not in result.stdout
    assert "срок 27.06.2022, через 7 дней" in result.stdout and "срок 30.06.2022, через 10 дней" in result.stdout
    assert result.stdout.rstrip().endswith("Просроченных сроков нет.")


def test_github_annotations_on_the_deadline_line(cli_main):
    result = cli_main("status", LIPETSK, "--as-of", "2022-07-01", "--format", "github")
    assert result.code == 1
    lines = result.stdout.splitlines()
    [overdue] = [line for line in lines if line.startswith("::error ")]
    assert overdue.startswith("::error file=specs/lipetsk-2022/roadmap.yaml,line=156,")
    assert "title=Просрочено%3A lipetsk-2022::9 Заседание рабочей группы" in overdue
    assert lines[-1].startswith("::notice title=Исполнение lipetsk-2022 на 01.07.2022::Срок наступил: 6")


def test_the_same_records_and_day_give_the_same_bytes(cli_main):
    for fmt in ("human", "json", "github"):
        first = cli_main("status", "specs", "--as-of", "2022-07-01", "--format", fmt)
        second = cli_main("status", "specs", "--as-of", "2022-07-01", "--format", fmt)
        assert first.stdout == second.stdout and first.stdout


def test_every_bundled_programme_reports_every_status(cli_main):
    """The samples: each programme has records of all five statuses, as the README of each says."""
    _, data = as_json(cli_main, "specs", "--as-of", "2030-01-01")
    for programme in data["programmes"]:
        statuses = {record["status"] for item in programme["progress"]["items"] for occurrence in item["occurrences"]
                    for record in [occurrence["record"], *occurrence["history"]] if record}
        assert statuses == {"выполнено", "выполняется", "перенесено", "не выполнено", "отменено"}, programme["id"]


def test_a_day_given_never_reads_the_clock(cli_main, monkeypatch):
    """With --as-of the clock is never read: the same records give the same bytes a year later."""
    first = cli_main("status", "specs", "--as-of", "2022-07-01", "--format", "json").stdout

    def no_clock(timezone: str) -> dt.date:
        raise AssertionError(f"the clock was read ({timezone})")

    monkeypatch.setattr(status_command, "today_in", no_clock)
    assert cli_main("status", "specs", "--as-of", "2022-07-01", "--format", "json").stdout == first
    assert '"as_of": "2022-07-01"' in first


def test_the_day_by_default_is_today_in_the_programmes_time_zone(cli_main, monkeypatch):
    asked = []

    def today_in(timezone: str) -> dt.date:
        asked.append(timezone)
        return dt.date(2022, 3, 1)

    monkeypatch.setattr(status_command, "today_in", today_in)
    code, data = as_json(cli_main, "specs")
    assert asked == ["Europe/Moscow", "Europe/Moscow", "Europe/Moscow", "Asia/Yekaterinburg"]
    assert {p["progress"]["as_of"] for p in data["programmes"]} == {"2022-03-01"}
    assert code == 1        # leningrad-2020 is long over


def test_a_programme_without_records_is_not_monitored(cli_main, tmp_path, copy_programme):
    folder = copy_programme(tmp_path, "lipetsk-2022")
    (folder / "progress.yaml").unlink()
    result = cli_main("status", folder.parent, "--as-of", "2022-07-01")
    assert result.code == 0
    assert "lipetsk-2022: записей об исполнении нет (progress.yaml) — не отслеживается" in result.stdout


def test_a_programme_with_errors_has_no_status(cli_main, tmp_path, copy_programme, replace_in):
    folder = copy_programme(tmp_path, "lipetsk-2022")
    replace_in(folder / "progress.yaml", "    - item: identify-schools\n", "    - item: identify-school\n")
    copy_programme(tmp_path, "lysva-2021")
    result = cli_main("status", folder.parent, "--as-of", "2022-07-01")
    assert result.code == 1
    assert "V701" in result.stderr and "«identify-school» не найден" in result.stderr
    assert "в спецификации есть ошибки (см. выше) — исполнение не посчитано" in result.stdout
    assert "lysva-2021 — " in result.stdout          # the other programme is still reported


@pytest.mark.parametrize("args", [("--as-of", "2022-02-30"), ("--as-of", "вчера"), ("--within", "-1"),
                                  ("--within", "две недели"), ("--format", "xml")])
def test_usage_errors(cli_main, args):
    result = cli_main("status", LIPETSK, *args)
    assert result.code == 2 and "ошибка" in result.stderr
