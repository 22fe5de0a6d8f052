"""The `prikaz` command line: exit codes, the three report formats, golden schema and check catalogue, export."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from engine.diagnostics import Diagnostic, Severity, Span
from engine.report import github

REPO = Path(__file__).resolve().parents[2]
SPECS = REPO / "specs"
SCHEMA = REPO / "schema" / "prikaz.schema.json"
CHECKS_MD = REPO / "docs" / "checks.md"
SPEC_FILES = sorted(SPECS.glob("*/*.yaml"))
SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/prikaz.schema.json"
JSON_KEYS = {"code", "name", "severity", "message", "hint", "file", "line", "column", "end_line", "end_column",
             "related"}
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
NBSP = "\u00a0"
# amounts in messages are formatted as in documents, with non-breaking spaces between digit groups
S101_MESSAGE = "сумма строк сметы 1 910 000,00 не равна итогу 1 900 000,00 (разница 10 000,00)".replace(
    "0 0", f"0{NBSP}0").replace("1 9", f"1{NBSP}9")


def no_traceback(result) -> None:
    assert "Traceback" not in result.output, result.output
    assert not re.search(r"^\w+(Error|Exception)\b", result.output, re.MULTILINE), result.output


@pytest.fixture
def broken_lipetsk(tmp_path, copy_programme, replace_in):
    """lipetsk-2022 with one budget line changed from 300 000,00 to 310 000,00: the total no longer adds up."""
    programme = copy_programme(tmp_path, "lipetsk-2022")
    replace_in(programme / "budget.yaml", 'amount: "300 000,00"', 'amount: "310 000,00"')
    return programme


def total_line(programme: Path) -> int:
    lines = (programme / "budget.yaml").read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, start=1) if line.startswith("  total:"))


# --- check: the bundled specs are clean -------------------------------------------------------------


def test_check_specs_is_clean_in_a_subprocess(run_cli):
    result = run_cli("check", "specs")
    assert result.code == 0, result.output
    assert result.stdout == "Проблем не найдено.\n"
    assert result.stderr == ""


@pytest.mark.parametrize("name", ["lipetsk-2022", "leningrad-2020", "lysva-2021"])
def test_check_each_programme_alone_is_clean(cli_main, name):
    result = cli_main("check", f"specs/{name}")
    assert (result.code, result.stdout) == (0, "Проблем не найдено.\n")


@pytest.mark.parametrize("fmt, expected", [("json", "[]\n"), ("github", "")])
def test_clean_machine_formats_are_empty(cli_main, fmt, expected):
    result = cli_main("check", "specs", "--format", fmt)
    assert (result.code, result.stdout) == (0, expected)


def test_check_defaults_to_specs_folder(cli_main):
    result = cli_main("check")
    assert (result.code, result.stdout) == (0, "Проблем не найдено.\n")


# --- check: one broken amount ---------------------------------------------------------------------


def test_broken_amount_human_report(run_cli, broken_lipetsk, tmp_path):
    result = run_cli("check", "specs/lipetsk-2022", cwd=tmp_path)
    assert result.code == 1
    no_traceback(result)
    line = total_line(broken_lipetsk)
    lines = result.stdout.split("\n")
    assert lines[0] == (
        f"specs/lipetsk-2022/budget.yaml:{line}:10: S101 ошибка: {S101_MESSAGE} [budget-total]")
    gutter = " " * len(str(line))
    assert lines[1:4] == [
        f"{gutter} |",
        f'{line} |   total: "1 900 000,00"',
        f"{gutter} |          ^^^^^^^^^^^^^^",
    ]
    # the other end of the contradiction: each budget line that adds up to the total
    related = [line for line in lines[4:] if line.startswith("  --> ")]
    assert len(related) == 8
    assert related[0].startswith("  --> specs/lipetsk-2022/budget.yaml:") and "280\u00a0000,00 — Профессиональное" in related[0]
    assert lines[4 + len(related)].startswith("  = как исправить: ")
    assert result.stdout.endswith("\n\nНайдено: 1 ошибка.\n")


def test_broken_amount_json_report(cli_main, broken_lipetsk, tmp_path):
    result = cli_main("check", "specs", "--format", "json", cwd=tmp_path)
    assert result.code == 1
    records = json.loads(result.stdout)
    assert isinstance(records, list) and len(records) == 1
    record = records[0]
    assert set(record) == JSON_KEYS
    assert record == {
        "code": "S101", "name": "budget-total", "severity": "error",
        "message": S101_MESSAGE,
        "hint": record["hint"], "file": "specs/lipetsk-2022/budget.yaml",
        "line": total_line(broken_lipetsk), "column": 10,
        "end_line": total_line(broken_lipetsk), "end_column": 24,
        "related": record["related"],
    }
    assert CYRILLIC.search(record["hint"])
    assert len(record["related"]) == 8
    assert set(record["related"][0]) == {"message", "file", "line", "column", "end_line", "end_column"}
    assert record["related"][0]["file"] == "specs/lipetsk-2022/budget.yaml"


def test_broken_amount_github_report(cli_main, broken_lipetsk, tmp_path):
    result = cli_main("check", "specs", "--format", "github", cwd=tmp_path)
    assert result.code == 1
    line = total_line(broken_lipetsk)
    assert result.stdout == (
        f"::error file=specs/lipetsk-2022/budget.yaml,line={line},col=10,endLine={line},endColumn=24,"
        f"title=S101 budget-total::{S101_MESSAGE}"
        f" — исправьте сумму строки или итог: они должны совпадать до копейки\n")


def test_github_file_property_escapes_comma_and_colon(cli_main, tmp_path, copy_programme, replace_in):
    odd = tmp_path / "a,b:c"
    programme = copy_programme(odd, "lipetsk-2022")
    replace_in(programme / "budget.yaml", 'amount: "300 000,00"', 'amount: "310 000,00"')
    result = cli_main("check", "a,b:c/specs", "--format", "github", cwd=tmp_path)
    assert result.code == 1
    assert result.stdout.startswith("::error file=a%2Cb%3Ac/specs/lipetsk-2022/budget.yaml,line=")


def test_github_escaping_of_data_and_properties():
    diagnostic = Diagnostic(
        "S101", Severity.WARNING, "100% готово\nвторая строка: a, b", Span(Path("x,y:z.yaml"), 3, 5, 3, 9),
        hint="50%\r", name="budget-total")
    assert github([diagnostic]) == (
        "::warning file=x%2Cy%3Az.yaml,line=3,col=5,endLine=3,endColumn=9,title=S101 budget-total"
        "::100%25 готово%0Aвторая строка: a, b — 50%25%0D\n")


def test_github_without_span_and_info_is_notice():
    diagnostic = Diagnostic("R504", Severity.INFO, "номер: 5, 6", None, name="typed-number")
    assert github([diagnostic]) == "::notice title=R504 typed-number::номер: 5, 6\n"


def test_all_problems_in_one_run(cli_main, tmp_path, copy_programme, replace_in):
    lipetsk = copy_programme(tmp_path, "lipetsk-2022")
    replace_in(lipetsk / "budget.yaml", 'amount: "300 000,00"', 'amount: "310 000,00"')
    lysva = copy_programme(tmp_path, "lysva-2021")
    replace_in(lysva / "programme.yaml", "  timezone: Asia/Yekaterinburg", "  timezone: Asia/Lysva")
    leningrad = copy_programme(tmp_path, "leningrad-2020")
    replace_in(leningrad / "decree.yaml", "decree:\n", "decree:\n  titel: лишний ключ\n")
    result = cli_main("check", "specs", "--format", "json", cwd=tmp_path)
    assert result.code == 1
    found = sorted((r["file"], r["code"]) for r in json.loads(result.stdout))
    assert found == [
        ("specs/leningrad-2020/decree.yaml", "M001"),
        ("specs/lipetsk-2022/budget.yaml", "S101"),
        ("specs/lysva-2021/programme.yaml", "P801"),
    ]


# --- usage and I/O errors: exit 2, Russian, no traceback -------------------------------------------


def test_missing_folder_is_exit_2_in_russian(run_cli, tmp_path):
    result = run_cli("check", "нет-такой-папки", cwd=tmp_path)
    assert result.code == 2
    assert result.stdout == ""
    assert "папка «нет-такой-папки» не найдена" in result.stderr
    assert "ошибка" in result.stderr
    no_traceback(result)


@pytest.mark.parametrize("args, words", [
    (["check", "--bogus"], "неизвестные аргументы: --bogus"),
    (["check", "specs", "--format", "xml"], "недопустимое значение"),
    (["frobnicate"], "недопустимое значение"),
    ([], "не заданы обязательные аргументы"),
    (["export"], "не заданы обязательные аргументы"),
])
def test_usage_errors_are_exit_2(run_cli, args, words):
    result = run_cli(*args)
    assert result.code == 2
    assert words in result.stderr
    assert result.stderr.startswith("использование: prikaz")
    no_traceback(result)


def test_usage_error_in_process_exits_2(cli_main):
    result = cli_main("check", "--bogus")
    assert result.code == 2
    assert "неизвестные аргументы" in result.stderr


def test_unknown_check_code_is_a_usage_error(cli_main):
    result = cli_main("checks", "NOPE")
    assert result.code == 2
    assert "NOPE" in result.stderr


def _garbage(folder: Path) -> None:
    (folder / "programme.yaml").write_bytes(b"programme:\n  id: [\n: {{{ &a *b !!x\n")


def _binary(folder: Path) -> None:
    (folder / "programme.yaml").write_bytes(bytes(range(256)) * 8)


def _empty(folder: Path) -> None:
    pass


def _readme_only(folder: Path) -> None:
    (folder / "README.md").write_text("# Программа\n", encoding="utf-8")


def _empty_yaml(folder: Path) -> None:
    (folder / "programme.yaml").write_text("", encoding="utf-8")


@pytest.mark.parametrize("make, code", [
    (_garbage, "Y001"), (_binary, "Y003"), (_empty, "Y013"), (_readme_only, "Y013"), (_empty_yaml, "Y012"),
], ids=["garbage-yaml", "binary-file", "empty-folder", "readme-only", "empty-yaml"])
@pytest.mark.parametrize("fmt", ["human", "json", "github"])
def test_bad_input_is_a_diagnostic_never_a_traceback(cli_main, tmp_path, make, code, fmt):
    """In this process, through the entry point; test_export_of_bad_input_never_tracebacks crosses the process boundary."""
    folder = tmp_path / "specs" / "demo"
    folder.mkdir(parents=True)
    make(folder)
    for target in ("specs", "specs/demo"):
        result = cli_main("check", target, "--format", fmt, cwd=tmp_path)
        no_traceback(result)
        assert result.code == 1, result.output
        assert code in result.stdout
        if fmt == "json":
            records = json.loads(result.stdout)
            assert code in {r["code"] for r in records}
            assert all(set(r) == JSON_KEYS for r in records)


@pytest.mark.parametrize("make", [_garbage, _binary, _readme_only], ids=["garbage-yaml", "binary-file", "readme-only"])
def test_export_of_bad_input_never_tracebacks(run_cli, tmp_path, make):
    folder = tmp_path / "specs" / "demo"
    folder.mkdir(parents=True)
    make(folder)
    result = run_cli("export", "specs/demo", cwd=tmp_path)
    no_traceback(result)
    assert result.code in (1, 2)
    assert result.stdout == ""
    assert CYRILLIC.search(result.stderr)


# --- schema -------------------------------------------------------------------------------------------


def test_schema_matches_committed_file(cli_main):
    result = cli_main("schema")
    assert result.code == 0
    assert result.stdout == SCHEMA.read_text(encoding="utf-8"), (
        "schema/prikaz.schema.json устарел: перегенерируйте его командой `prikaz schema -o schema/prikaz.schema.json`")


def test_schema_output_to_file_equals_stdout(cli_main, tmp_path):
    stdout = cli_main("schema").stdout
    assert cli_main("schema", "-o", str(tmp_path / "s.json")).code == 0
    assert (tmp_path / "s.json").read_text(encoding="utf-8") == stdout


def test_every_spec_file_references_the_schema():
    assert len(SPEC_FILES) >= 15
    for file in SPEC_FILES:
        first = file.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first == SCHEMA_LINE, f"{file.relative_to(REPO)} должен начинаться со строки «{SCHEMA_LINE}»"


def test_schema_has_russian_descriptions():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert CYRILLIC.search(schema["title"]) and CYRILLIC.search(schema["description"])
    assert CYRILLIC.search(schema["properties"]["decree"]["description"])
    assert "required" not in schema  # a file holds any subset of the sections
    for name, definition in schema["$defs"].items():
        for key, prop in definition.get("properties", {}).items():
            assert CYRILLIC.search(prop.get("description", "")), f"{name}.{key} без описания на русском"


@pytest.fixture(scope="module")
def validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def editor_view(text: str):
    """The file as an editor's YAML 1.2 parser sees it (the VS Code YAML extension), not as prikaz loads it."""
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load(text)


@pytest.mark.parametrize("file", SPEC_FILES, ids=lambda f: f"{f.parent.name}/{f.name}")
def test_schema_validates_bundled_spec_file(validator, file):
    errors = sorted(validator.iter_errors(editor_view(file.read_text(encoding="utf-8"))), key=lambda e: e.path)
    assert not errors, [f"{list(e.absolute_path)}: {e.message[:120]}" for e in errors[:5]]


@pytest.mark.parametrize("text, where, word", [
    ("programme:\n  titel: x\n", ["programme"], "'titel'"),
    ("decree:\n  kind: указ\n", ["decree", "kind"], "'указ'"),
    ("roadmapp: {}\n", [], "'roadmapp'"),
])
def test_schema_rejects_what_the_model_rejects(validator, text, where, word):
    errors = [(list(e.absolute_path), e.message) for e in validator.iter_errors(editor_view(text))]
    assert any(path == where and word in message for path, message in errors), errors


# --- check catalogue -------------------------------------------------------------------------------------


def test_checks_lists_every_registered_code(cli_main):
    from engine.checks import REGISTRY

    result = cli_main("checks")
    assert result.code == 0
    listed = [line.split()[0] for line in result.stdout.splitlines()]
    assert listed == sorted(REGISTRY)
    assert len(listed) >= 20
    for line in result.stdout.splitlines():
        code = line.split()[0]
        assert REGISTRY[code].name in line and REGISTRY[code].severity.russian in line
    for code in ("S101", "S102", "S103", "S104", "T201", "T204", "O301", "I404", "R501", "R503"):
        assert code in listed


@pytest.mark.parametrize("query", ["S101", "budget-total"])
def test_checks_describes_one_check(cli_main, query):
    result = cli_main("checks", query)
    assert result.code == 0
    assert result.stdout.startswith("S101 budget-total (ошибка)\n\n")
    assert "Плохо" in result.stdout and "Хорошо" in result.stdout


def test_checks_markdown_matches_committed_docs(cli_main):
    result = cli_main("checks", "--markdown")
    assert result.code == 0
    assert result.stdout == CHECKS_MD.read_text(encoding="utf-8"), (
        "docs/checks.md устарел: перегенерируйте его командой `prikaz checks --markdown > docs/checks.md`")


# --- export ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exports() -> dict:
    import subprocess
    import sys

    result = {}
    for name in ("lipetsk-2022", "leningrad-2020", "lysva-2021"):
        completed = subprocess.run([sys.executable, "-m", "engine.commands.cli", "export", f"specs/{name}"], cwd=REPO,
                                   capture_output=True, text=True, encoding="utf-8", timeout=120)
        assert completed.returncode == 0, completed.stderr
        result[name] = json.loads(completed.stdout)
    return result


def test_export_lipetsk_amounts_are_decimal_strings(exports):
    data = exports["lipetsk-2022"]
    assert data["format"] == "prikaz-export/1"
    budget = data["budget"]
    assert budget["total"] == "1900000.00"
    assert len(budget["lines"]) == 8
    for line in budget["lines"]:
        assert isinstance(line["amount"], str) and re.fullmatch(r"\d+\.\d{2}", line["amount"])
    assert sum(Decimal(line["amount"]) for line in budget["lines"]) == Decimal("1900000.00")
    mentors = next(line for line in budget["lines"] if line["quantity"])
    assert (mentors["quantity"], mentors["unit_price"], mentors["amount"]) == ("21", "40000.00", "840000.00")
    assert [s["amount"] for line in budget["lines"] for s in line["of_which"]] == ["80000.00"]


def test_export_lipetsk_time_expressions_have_iso_windows(exports):
    data = exports["lipetsk-2022"]
    activities = data["roadmap"]["activities"]
    assert len(activities) == 13
    assert [a["number"] for a in activities] == [str(i) for i in range(1, 14)]
    assert data["programme"]["period"] == {"start": "2022-01-01", "end": "2022-12-31", "years": [2022]}
    by_text = {a["time"]["text"]: a["time"] for a in activities}
    assert by_text["Февраль-март"]["windows"] == [{"start": "2022-02-01", "end": "2022-03-31"}]
    assert by_text["01.06.2022 – 27.06.2022; 15.11.2022 – 30.11.2022"]["windows"] == [
        {"start": "2022-06-01", "end": "2022-06-27"}, {"start": "2022-11-15", "end": "2022-11-30"}]
    for activity in activities:
        for window in activity["time"]["windows"]:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", window["start"]) and window["start"] <= window["end"]
    undated = [a["id"] for a in activities if not a["time"]["windows"]]
    assert undated == data["roadmap"]["undated"] and len(undated) == 1


def test_export_resolves_references_and_appendices(exports):
    data = exports["lipetsk-2022"]
    owners = data["roadmap"]["activities"][0]["owners"]
    assert owners and all({"id", "type", "short", "full"} <= set(o) for o in owners if o["type"] == "organisation")
    assert [a["number"] for a in data["appendices"]] == [1, 2]
    assert data["appendices"][0]["stamp"].startswith("УТВЕРЖДЕН приказом")
    assert data["appendices"][1]["stamp"].startswith("УТВЕРЖДЕНА приказом")
    assert "{{" not in json.dumps(data, ensure_ascii=False)


def test_export_leningrad_and_lysva_counts(exports):
    leningrad = exports["leningrad-2020"]
    assert leningrad["budget"]["total"] == "2500000.00"
    assert [i["number"] for i in leningrad["specification"]["items"]] == [f"2.{n}" for n in range(1, 14)]
    assert len(leningrad["indicators"]) == 13
    lysva = exports["lysva-2021"]
    assert lysva["programme"]["timezone"] == "Asia/Yekaterinburg"
    sections = lysva["roadmap"]["sections"]
    assert [s["number"] for s in sections] == ["1", "2", "3"]
    assert sum(len(s["activities"]) for s in sections) == 18
    assert sections[1]["activities"][0]["number"] == "2.1"


def test_export_to_file(cli_main, tmp_path):
    target = tmp_path / "lipetsk.json"
    result = cli_main("export", "specs/lipetsk-2022", "-o", str(target))
    assert (result.code, result.stdout) == (0, "")
    assert json.loads(target.read_text(encoding="utf-8"))["budget"]["total"] == "1900000.00"


def test_export_of_broken_programme_is_exit_1_with_diagnostics(cli_main, broken_lipetsk, tmp_path):
    result = cli_main("export", "specs/lipetsk-2022", cwd=tmp_path)
    assert result.code == 1
    assert result.stdout == ""
    assert "S101 ошибка" in result.stderr


def test_export_needs_one_programme(cli_main):
    result = cli_main("export", "specs")
    assert result.code == 2
    assert "укажите папку одной программы" in result.stderr
