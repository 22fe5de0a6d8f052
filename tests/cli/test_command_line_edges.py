"""The command line's own edges (issue 10, items 5 and 6): a bad port or SOURCE_DATE_EPOCH, a closed or
broken standard output are clean messages and exit codes; the engine's own failures keep their
tracebacks (shown with --verbose or PRIKAZ_DEBUG=1, kept in outputs/.prikaz.log); `--version`; the help
and argparse's own messages in Russian; the engine digest follows the libraries that shape the outputs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.building import manifest
from engine.commands.russian_argparse import RUSSIAN

REPO = Path(__file__).resolve().parents[2]
BASE = REPO / "tests" / "bad_inputs" / "_base"
PROGRAMME = "corpus-2022"


@pytest.fixture
def work(tmp_path, monkeypatch) -> Path:
    shutil.copytree(BASE, tmp_path / "specs")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setenv("PRIKAZ_JOBS", "1")
    monkeypatch.delenv("PRIKAZ_DEBUG", raising=False)
    return tmp_path


def _clean(result) -> None:
    assert "Traceback" not in result.output and 'File "' not in result.output, result.output


# --- item 5: serve --port, SOURCE_DATE_EPOCH ---------------------------------------------------------------------


@pytest.mark.parametrize("port", ["70000", "65536", "-1", "abc", "80.5", "８０８０", "", "99999999999999999999999"])
def test_a_port_out_of_range_is_a_usage_error(work, cli_main, port):
    result = cli_main("serve", "specs", "--port", port, cwd=work)
    assert result.code == 2
    assert f"аргумент --port: порт «{port}» — нужен номер от 1 до 65535" in result.stderr
    _clean(result)
    assert not (work / "outputs").exists()


@pytest.mark.parametrize("host", ["no-such-host.invalid", "999.1.1.1", "bad\x00host", "x" * 300])
def test_an_address_that_cannot_be_bound_is_a_message(work, cli_main, host):
    result = cli_main("serve", "specs", "--host", host, "--port", "0", cwd=work)
    assert result.code == 2
    assert "prikaz serve: не удалось открыть адрес" in result.stderr
    _clean(result)


@pytest.mark.parametrize("epoch", ["abc", "-1", "1.5", "1e9", "0x10", "١٢٣", "99999999999", "4354819200", "17000 00000"])
@pytest.mark.parametrize("command", ["build", "serve"])
def test_a_bad_source_date_epoch_stops_the_build_before_anything(work, cli_main, monkeypatch, epoch, command):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = cli_main(command, "specs", "-o", "outputs", "--port", "0", cwd=work) if command == "serve" else \
        cli_main(command, "specs", "-o", "outputs", cwd=work)
    assert result.code == 2, result.output
    assert f"prikaz {command}: переменная окружения SOURCE_DATE_EPOCH=«{epoch}» — не время сборки" in result.stderr
    _clean(result)
    assert not (work / "outputs").exists()


@pytest.mark.parametrize("epoch", ["0", "315532800", "4354819199", " 1700000000\n"])
def test_a_good_source_date_epoch_is_the_build_time(work, cli_main, monkeypatch, epoch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = cli_main("build", "specs", "-o", "outputs", cwd=work)
    assert result.code == 0, result.output


# --- item 5: a closed or broken standard output (the process boundary is the point) ------------------------------


def _shell(command: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(REPO), PRIKAZ_JOBS="1")
    prikaz = f"{sys.executable} -m engine.commands.cli"
    return subprocess.run(["bash", "-c", command.replace("{prikaz}", prikaz)], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", errors="replace", timeout=120, stdin=subprocess.DEVNULL)


def test_a_closed_standard_output_is_a_message_not_a_run(work):
    completed = _shell("{prikaz} build specs -o outputs >&-; echo \"exit $?\" >&2", work)
    assert completed.stderr.endswith("exit 2\n"), completed.stderr
    assert "стандартный вывод закрыт" in completed.stderr and "Traceback" not in completed.stderr
    assert not (work / "outputs").exists(), "nothing is done when the result cannot be told"


@pytest.mark.parametrize("command, code", [("check specs", 1), ("checks", 0), ("--help", 0), ("build specs -o outputs", 1)])
def test_a_reader_that_stops_early_is_not_an_error(work, command, code):
    (work / "specs" / PROGRAMME / "budget.yaml").write_text("budget: {}\n", encoding="utf-8")   # many diagnostics
    completed = _shell("{prikaz} " + command + " 2>stderr.txt | head -c 20 >/dev/null; echo ${PIPESTATUS[0]}", work)
    assert completed.stdout == f"{code}\n", completed.stdout + completed.stderr
    assert (work / "stderr.txt").read_text(encoding="utf-8") == ""


def test_a_full_disk_under_standard_output_is_an_io_error(work):
    completed = _shell("{prikaz} check specs >/dev/full; echo \"exit $?\" >&2", work)
    assert completed.stderr.endswith("exit 2\n"), completed.stderr
    assert "prikaz: вывод не записан: на диске нет места" in completed.stderr
    assert "Traceback" not in completed.stderr and "Exception ignored" not in completed.stderr


def test_closed_standard_error_and_input_cost_nothing(work):
    completed = _shell("{prikaz} check specs 2>&- <&-; echo \"exit $?\"", work)
    assert completed.stdout.endswith("Проблем не найдено.\nexit 0\n"), completed.stdout


# --- item 6: the engine's own failures keep their tracebacks ----------------------------------------------------


@pytest.fixture
def renderer_crash(monkeypatch):
    import engine.render.ics as ics

    def broken(model, options):
        raise ZeroDivisionError("a renderer bug")

    monkeypatch.setattr(ics, "render_programme_calendars", broken)


@pytest.mark.parametrize("how", ["--verbose", "-v before the command", "PRIKAZ_DEBUG=1", "quiet"])
def test_a_render_failure_keeps_its_traceback(work, cli_main, monkeypatch, renderer_crash, how):
    args = ["build", "specs", "-o", "outputs"]
    if how == "--verbose":
        args.append("--verbose")
    elif how.startswith("-v"):
        args.insert(0, "-v")
    elif how.startswith("PRIKAZ_DEBUG"):
        monkeypatch.setenv("PRIKAZ_DEBUG", "1")
    result = cli_main(*args, cwd=work)
    assert result.code == 1
    assert f"specs/{PROGRAMME}/programme.yaml:1:1: E901 ошибка: сбой при создании документов: ZeroDivisionError" \
        in result.stdout
    if how == "quiet":
        assert "Traceback" not in result.output
    else:
        assert "Traceback (most recent call last):" in result.stderr
        assert 'raise ZeroDivisionError("a renderer bug")' in result.stderr
    log = (work / "outputs" / ".prikaz.log").read_text(encoding="utf-8")
    assert "Traceback (most recent call last):" in log and "ZeroDivisionError: a renderer bug" in log


def test_a_check_failure_keeps_its_traceback(work, cli_main, monkeypatch):
    import dataclasses

    from engine.checks import REGISTRY

    def broken(ctx):
        raise KeyError("a check bug")

    monkeypatch.setitem(REGISTRY, "T204", dataclasses.replace(REGISTRY["T204"], function=broken))
    quiet = cli_main("check", "specs", cwd=work)
    assert " E900 ошибка: внутренняя ошибка проверки T204: KeyError" in quiet.stdout and "Traceback" not in quiet.output
    verbose = cli_main("check", "specs", "--verbose", cwd=work)
    assert "Traceback (most recent call last):" in verbose.stderr and "KeyError: 'a check bug'" in verbose.stderr


def test_a_crash_of_the_command_itself_is_a_sentence_and_a_traceback_on_request(work, cli_main, monkeypatch):
    from engine.building import pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("a pipeline bug")

    monkeypatch.setattr(pipeline, "check_tree", broken)
    quiet = cli_main("check", "specs", cwd=work)
    assert quiet.code == 2 and "prikaz: внутренняя ошибка (RuntimeError: a pipeline bug)" in quiet.stderr
    assert "Traceback" not in quiet.output
    verbose = cli_main("check", "specs", "-v", cwd=work)
    assert verbose.code == 2 and "Traceback (most recent call last):" in verbose.stderr


def test_a_worker_failure_carries_the_worker_traceback():
    from engine.building.build import _internal_error
    from engine.building.parallel import WorkerFailed, _outcome
    from engine.diagnostics import Span

    def job(value):
        return 1 / value

    outcome = _outcome(job, 0)
    with pytest.raises(WorkerFailed) as failed:
        outcome.result()
    assert "Traceback (most recent call last):" in failed.value.trace and "return 1 / value" in failed.value.trace
    diagnostic = _internal_error(Span.whole_file(Path("programme.yaml")), failed.value)
    assert diagnostic.code == "E901" and diagnostic.detail == failed.value.trace


def test_a_build_without_failures_removes_the_previous_log(work, cli_main):
    (work / "outputs").mkdir()
    (work / "outputs" / ".prikaz.log").write_text("an old failure\n", encoding="utf-8")
    assert cli_main("build", "specs", "-o", "outputs", cwd=work).code == 0
    assert not (work / "outputs" / ".prikaz.log").exists()


# --- item 6: the engine digest, --version, Russian help ----------------------------------------------------------


def test_the_engine_digest_follows_the_versions_of_the_libraries_that_shape_outputs(monkeypatch):
    import importlib.metadata

    versions = manifest.shaping_versions()
    for name in ("python-docx", "docxtpl", "docxcompose", "icalendar", "babel", "pymorphy3", "pymorphy3-dicts-ru",
                 "petrovich", "num2words", "Jinja2", "lxml"):
        assert versions[name] == importlib.metadata.version(name), name
    assert versions["Python"] and versions["zlib"]
    manifest.engine_digest.cache_clear()
    before = manifest.engine_digest()
    monkeypatch.setattr(manifest, "shaping_versions", lambda: dict(versions, **{"python-docx": "99.0"}))
    manifest.engine_digest.cache_clear()
    try:
        assert manifest.engine_digest() != before
    finally:
        monkeypatch.undo()
        manifest.engine_digest.cache_clear()
    assert manifest.engine_digest() == before


def test_an_upgraded_library_renders_unchanged_programmes_again(work, cli_main, monkeypatch):
    assert "1 программ" not in cli_main("build", "specs", "-o", "outputs", cwd=work).stdout
    assert "без изменений" in cli_main("build", "specs", "-o", "outputs", cwd=work).stdout
    versions = manifest.shaping_versions()
    monkeypatch.setattr(manifest, "shaping_versions", lambda: dict(versions, docxtpl="99.0"))
    manifest.engine_digest.cache_clear()
    try:
        rebuilt = cli_main("build", "specs", "-o", "outputs", cwd=work)
    finally:
        monkeypatch.undo()
        manifest.engine_digest.cache_clear()
    assert f"{PROGRAMME}: " in rebuilt.stdout and "без изменений" not in rebuilt.stdout, rebuilt.stdout


def test_version(cli_main):
    result = cli_main("--version")
    assert result.code == 0
    assert re.fullmatch(r"prikaz \S+, движок [0-9a-f]{16}, Python 3\.\d+\.\d+\S*\n", result.stdout), result.stdout


# argparse's own words: none may be left in what the user reads
ENGLISH = [message.split("%")[0].strip(" :") for message in RUSSIAN] + ["usage", "positional arguments", "options",
                                                                        "show this help", "error:"]
ENGLISH = sorted({words for words in ENGLISH if len(words) > 3})
COMMANDS = ["check", "build", "export", "schema", "checks", "new", "fmt", "serve"]


@pytest.mark.parametrize("args", [["--help"], *[[command, "--help"] for command in COMMANDS]],
                         ids=["prikaz", *COMMANDS])
def test_help_is_in_russian(cli_main, args):
    result = cli_main(*args)
    assert result.code == 0
    assert result.stdout.startswith("использование: prikaz")
    assert "параметры:" in result.stdout and "показать эту справку и выйти" in result.stdout
    found = [words for words in ENGLISH if words.lower() in result.stdout.lower()]
    assert not found, found


@pytest.mark.parametrize("args", [[], ["nope"], ["check", "--nope"], ["check", "--format", "xml"], ["export"],
                                  ["serve", "--port"], ["build", "--pdf=yes"], ["checks", "a", "b"], ["--ver"]])
def test_usage_errors_are_in_russian(cli_main, args):
    result = cli_main(*args)
    assert result.code == 2
    assert result.stderr.startswith("использование: prikaz") and "ошибка: " in result.stderr
    found = [words for words in ENGLISH if words.lower() in result.stderr.lower()]
    assert not found, (found, result.stderr)
