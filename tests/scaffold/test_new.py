"""`prikaz new`: a scaffolded programme passes `prikaz check` at once, from flags or from questions."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bundled import REPO
from hypothesis import given
from hypothesis import strategies as st

from engine.building.pipeline import check_tree
from engine.commands.fmt import comment_texts, format_paths
from engine.commands.scaffold import SCHEMA_LINE, timezone_for_region, yaml_scalar
from engine.export import export_programme
from engine.loading import load_programme
from engine.loading.yaml_source import forbidden_character, parse_yaml

FLAGS = {
    "--authority": "комитет общего и профессионального образования Ленинградской области",
    "--authority-short": "Комитет",
    "--kind": "распоряжение",
    "--period": "2025-2027",
    "--region": "Ленинградская область",
    "--signatory-surname": "Огарков",
    "--signatory-initials": "А. С.",
    "--signatory-gender": "м",
    "--signatory-position": "заместитель председателя комитета",
}
YAML_FILES = ["budget.yaml", "decree.yaml", "organisations.yaml", "programme.yaml", "roadmap.yaml"]


def _flags(**overrides: str | None) -> list[str]:
    flags = dict(FLAGS, **{f"--{k.replace('_', '-')}": v for k, v in overrides.items()})
    return [part for flag, value in flags.items() if value is not None for part in (flag, value)]


def _new(cli_main, specs: Path, programme: str = "lenobl-2025", **overrides: str | None):
    return cli_main("new", programme, "--specs", specs, *_flags(**overrides))


def _assert_clean(specs: Path) -> None:
    result = check_tree(specs)
    assert result.diagnostics == []
    assert all(programme.ok for programme in result.programmes)


# --- flag-driven ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["приказ", "распоряжение"])
# 2026 and 2027: January ends on a Saturday and a Sunday, so the first window ends on the last working day (T207)
@pytest.mark.parametrize("period", ["2025", "2026", "2027", "2025–2027", "01.09.2025 – 31.05.2026"])
def test_new_programme_passes_check_with_no_diagnostics(kind, period, tmp_path, cli_main):
    specs = tmp_path / "specs"
    result = _new(cli_main, specs, kind=kind, period=period)
    assert result.code == 0, result.output
    assert "Создана программа" in result.stdout
    _assert_clean(specs)
    assert cli_main("check", specs).code == 0


def test_the_new_unsigned_decree_is_a_draft_with_no_placeholder_number(tmp_path, cli_main):
    """Not registered yet: no number, so the decree is «…-proekt.docx» with room for the number, not «prikaz-.docx»
    built from a «____» typed into `number`."""
    specs = tmp_path / "specs"
    assert _new(cli_main, specs, kind="приказ").code == 0
    decree = (specs / "lenobl-2025" / "decree.yaml").read_text(encoding="utf-8")
    assert "\n  number:\n  date:\n" in decree
    out = tmp_path / "out"
    assert cli_main("build", specs, "-o", out).code == 0
    assert sorted(path.name for path in (out / "lenobl-2025").glob("prikaz*.docx")) == ["prikaz-proekt.docx"]


def test_new_programme_files_are_commented_canonical_and_exportable(tmp_path, cli_main):
    specs = tmp_path / "specs"
    assert _new(cli_main, specs).code == 0
    folder = specs / "lenobl-2025"
    assert sorted(p.name for p in folder.iterdir()) == ["README.md", *YAML_FILES]
    for name in YAML_FILES:
        text = (folder / name).read_text(encoding="utf-8")
        assert text.startswith(SCHEMA_LINE + "\n# "), name
        assert sum(comment_texts(text).values()) >= 3, f"{name}: мало пояснений"
    assert not any(outcome.changed or outcome.diagnostics for outcome in format_paths([folder], check=True))
    result = check_tree(folder)
    exported = export_programme(result.programmes[0].model)
    assert exported["programme"]["timezone"] == "Europe/Moscow"  # by region
    assert exported["programme"]["id"] == "lenobl-2025"


def test_new_programme_files_satisfy_the_editor_schema(tmp_path, cli_main):
    """The schema line at the top of each file must not light up red squiggles in the editor."""
    jsonschema = pytest.importorskip("jsonschema")
    from ruamel.yaml import YAML

    schema = json.loads((REPO / "schema" / "prikaz.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    assert _new(cli_main, tmp_path / "specs").code == 0
    for name in YAML_FILES:
        text = (tmp_path / "specs" / "lenobl-2025" / name).read_text(encoding="utf-8")
        seen_by_editor = YAML(typ="safe", pure=True).load(text)
        assert [error.message for error in validator.iter_errors(seen_by_editor)] == [], name


def test_answers_are_written_once_and_normalised(tmp_path, cli_main):
    specs = tmp_path / "specs"
    assert _new(cli_main, specs).code == 0
    data = load_programme(specs / "lenobl-2025").data
    assert data["programme"]["period"] == "2025–2027"
    assert data["organisations"]["komitet"]["full"] == FLAGS["--authority"]
    assert data["people"]["ogarkov"] == {
        "surname": "Огарков", "initials": "А.С.", "gender": "male",
        "position": "заместитель председателя комитета", "organisation": "komitet",
    }
    assert data["decree"]["signatory"] == "ogarkov" and data["decree"]["authority"] == "komitet"
    assert data["roadmap"]["activities"][0]["owners"] == ["komitet"]


def test_values_with_special_characters_are_quoted(tmp_path, cli_main):
    specs = tmp_path / "specs"
    authority = "ГАУДПО ЛО «ИРО»: отдел # 1, 'методический'"
    result = _new(cli_main, specs, authority=authority, authority_short="«ИРО» #1", region="yes")
    assert result.code == 2 and "--timezone" in result.stderr  # «yes» is no Russian region: no default zone
    result = _new(cli_main, specs, authority=authority, authority_short="«ИРО» #1", region="yes",
                  timezone="Europe/Moscow")
    assert result.code == 0, result.output
    data = load_programme(specs / "lenobl-2025").data
    assert data["organisations"]["iro-1"] == {"short": "«ИРО» #1", "full": authority}
    assert data["programme"]["region"] == "yes"
    _assert_clean(specs)


@pytest.mark.parametrize(("field", "value", "words"), [
    ("region", "Липецкая\u202eобласть", "направления письма U+202E"),
    ("authority_short", "ИРО\u3164", "невидимый символ U+3164"),
    ("timezone", "Europe", "часовой пояс"),
])
def test_what_check_would_refuse_new_refuses_first(tmp_path, cli_main, field, value, words):
    result = _new(cli_main, tmp_path / "specs", **{field: value})
    assert result.code == 2 and words in result.stderr, result.output
    assert not (tmp_path / "specs" / "lenobl-2025").exists()


@given(st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Zl", "Zp")), max_size=40)
       .filter(lambda text: forbidden_character(text) is None))   # what the loader refuses, `_text` refuses first
def test_yaml_scalar_reads_back_as_the_same_text(text):
    assert parse_yaml(Path("t.yaml"), f"key: {yaml_scalar(text)}\n").data == {"key": text}


@pytest.mark.parametrize(("region", "zone"), [
    ("Пермский край, Лысьвенский городской округ", "Asia/Yekaterinburg"),
    ("Липецкая область", "Europe/Moscow"),
    ("г. Москва", "Europe/Moscow"),
    ("Калининградская область", "Europe/Kaliningrad"),
    ("Ямало-Ненецкий автономный округ", "Asia/Yekaterinburg"),
    ("Ненецкий автономный округ", "Europe/Moscow"),
    ("Сахалинская область", "Asia/Sakhalin"),
    ("Республика Саха (Якутия)", "Asia/Yakutsk"),
    ("Республика Татарстан", "Europe/Moscow"),
    ("Удмуртская Республика", "Europe/Samara"),
    ("Камчатский край", "Asia/Kamchatka"),
    ("Атлантида", None),
])
def test_time_zone_by_region(region, zone):
    assert timezone_for_region(region) == zone


# --- refusals -------------------------------------------------------------------------------


def test_missing_flags_without_a_terminal_are_named(tmp_path, run_cli):
    result = run_cli("new", "x-2025", "--specs", tmp_path / "specs", "--region", "Атлантида")
    assert result.code == 2
    assert "не заданы флаги:" in result.stderr
    for flag in ("--authority", "--authority-short", "--kind", "--period", "--timezone", "--signatory-surname",
                 "--signatory-initials", "--signatory-gender", "--signatory-position"):
        assert flag in result.stderr
    assert "--region" not in result.stderr.split("не заданы флаги:")[1]
    assert "Traceback" not in result.output
    assert not (tmp_path / "specs" / "x-2025").exists()


@pytest.mark.parametrize(("flag", "value"), [
    ("kind", "указ"), ("period", "2027–2025"), ("timezone", "Europe/Lipetsk"),
    ("signatory_initials", "Александр"), ("signatory_gender", "средний"), ("authority", "  "),
])
def test_wrong_flag_value_is_named(flag, value, tmp_path, cli_main):
    result = _new(cli_main, tmp_path / "specs", **{flag: value})
    assert result.code == 2
    assert f"--{flag.replace('_', '-')}:" in result.stderr
    assert not (tmp_path / "specs" / "lenobl-2025").exists()


def test_existing_folder_is_never_overwritten(tmp_path, cli_main):
    specs = tmp_path / "specs"
    (specs / "lenobl-2025").mkdir(parents=True)
    (specs / "lenobl-2025" / "programme.yaml").write_text("# моё\n", encoding="utf-8")
    result = _new(cli_main, specs)
    assert result.code == 2 and "уже существует" in result.stderr
    assert (specs / "lenobl-2025" / "programme.yaml").read_text(encoding="utf-8") == "# моё\n"
    assert sorted(p.name for p in specs.iterdir()) == ["lenobl-2025"]  # no staging folder left behind


@pytest.mark.parametrize("programme", ["Lenobl", "ленобл-2025", "_x", "a b", "a/b", "..", "a.b"])
def test_bad_programme_id_is_refused(programme, tmp_path, cli_main):
    result = _new(cli_main, tmp_path / "specs", programme=programme)
    assert result.code == 2 and "записан неверно" in result.stderr
    assert not (tmp_path / "specs").exists()


# --- interactive ----------------------------------------------------------------------------

# Answers in the order of the questions; empty lines take the defaults (kind, time zone),
# «x» is refused and the gender is asked again.
ANSWERS = "\n".join([
    "управление образования администрации Лысьвенского городского округа",
    "Управление образования",
    "",
    "2025–2027",
    "Пермский край, Лысьвенский городской округ",
    "",
    "Степанова",
    "л.е.",
    "x",
    "ж",
    "начальник управления образования",
]) + "\n"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_questions_on_a_terminal(tmp_path, cli_main, monkeypatch):
    monkeypatch.setattr(sys, "stdin", _Terminal(ANSWERS))
    result = cli_main("new", "lysva-2025", "--specs", tmp_path / "specs")
    assert result.code == 0, result.output
    assert "Вид документа: приказ или распоряжение [приказ]:" in result.stdout
    assert "Часовой пояс IANA [Asia/Yekaterinburg]:" in result.stdout
    assert "пол «x»" in result.stderr
    data = load_programme(tmp_path / "specs" / "lysva-2025").data
    assert data["decree"]["kind"] == "приказ"
    assert data["programme"]["timezone"] == "Asia/Yekaterinburg"
    assert data["people"]["stepanova"]["gender"] == "female"
    _assert_clean(tmp_path / "specs")


def test_flags_given_are_not_asked(tmp_path, cli_main, monkeypatch):
    monkeypatch.setattr(sys, "stdin", _Terminal("\n"))  # only the time zone is left: its default
    result = cli_main("new", "lenobl-2025", "--specs", tmp_path / "specs", *_flags())
    assert result.code == 0, result.output
    assert result.stdout.count("[") == 1 and "Часовой пояс IANA [Europe/Moscow]:" in result.stdout


def test_input_ended_early_creates_nothing(tmp_path, cli_main, monkeypatch):
    monkeypatch.setattr(sys, "stdin", _Terminal("комитет\n"))
    result = cli_main("new", "x-2025", "--specs", tmp_path / "specs")
    assert result.code == 2 and "ввод прерван" in result.stderr
    assert not (tmp_path / "specs" / "x-2025").exists()


def test_questions_in_a_real_terminal(tmp_path):
    try:
        controller, terminal = os.openpty()
    except (AttributeError, OSError):
        pytest.skip("псевдотерминал недоступен")
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "engine.commands.cli", "new", "lysva-2025", "--specs", str(tmp_path / "specs")],
            cwd=REPO, stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(REPO)),
        )
        os.close(terminal)
        os.write(controller, ANSWERS.encode("utf-8"))
        stdout, stderr = process.communicate(timeout=60)
    finally:
        os.close(controller)
    assert process.returncode == 0, stderr.decode("utf-8")
    assert "Создана программа" in stdout.decode("utf-8")
    _assert_clean(tmp_path / "specs")
