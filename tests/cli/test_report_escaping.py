"""Nothing a spec tree holds (a folder or file name, a key, a value) can drive a terminal or forge a
CI log line through any report format (issue 10, item 3).

Each hostile text is put in every place a diagnostic carries text — the file's folder, the message,
the hint, the label and file of a related value — and every format is checked:
- no character that acts rather than shows (controls, separators, bidi, invisible format characters,
  lone surrogates) reaches the output raw;
- no line starts with a GitHub workflow command («::», even after spaces) except the github format's
  own annotations, one per diagnostic; no CI logging command («##[…]», «##vso[…]») anywhere;
- JSON reads back exactly the text that went in; the github format's data and properties read back
  (by the runner's own unescaping) as the text with only the unsafe characters escaped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from engine.diagnostics import Diagnostic, Related, Severity, Span
from engine.report import printable, render

HOSTILE = {
    "line-feed": "a\n::error file=x.yaml,line=1::подделка",
    "carriage-return": "a\r::warning::подделка",
    "crlf": "a\r\n::notice::подделка",
    "clear-screen": "a\x1b[2J\x1b[H",
    "window-title": "a\x1b]0;взлом\x07",
    "c1-csi": "a\x9b2J",
    "next-line": "a\x85::error::подделка",
    "line-separator": "a\u2028::error::подделка",
    "paragraph-separator": "a\u2029b",
    "bidi-override": "a\u202eтхт.exe",
    "bidi-isolate": "a\u2066b\u2069",
    "zero-width": "a\u200bb\u200d",
    "byte-order-mark": "a\ufeffb",
    "tag-characters": "a\U000e0041\U000e007f",
    "non-character": "a\ufffeb\uffff",
    "undecodable-name": "a\udcff\udcfeb",
    "backspace-and-delete": "abc\x08\x08\x7f",
    "command-at-start": "::error file=x.yaml::подделка",
    "command-after-spaces": "   ::error::подделка",
    "old-command": "a ##[error]подделка",
    "azure-command": "##vso[task.logissue type=error]подделка",
    "stop-commands": "::stop-commands::token",
    "tab": "a\tb",
}
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff"
                 "\ud800-\udfff\U000e0000-\U000e007f]")
COMMAND = {"error", "warning", "notice"}


def _diagnostics(text: str, tmp_path: Path) -> list[Diagnostic]:
    file = tmp_path / text / "roadmap.yaml"
    return [
        Diagnostic("T204", Severity.ERROR, f"мероприятие «{text}» не найдено", Span(file, 3, 5, 3, 9),
                   hint=f"проверьте «{text}»", name="dependency-order",
                   related=(Related(Span(file, 1, 1, 1, 2), f"срок «{text}»"),)),
        Diagnostic("R504", Severity.INFO, text, None, hint=text, name="typed-number"),
    ]


def _lines(output: str) -> list[str]:
    assert not RAW.search(output), f"сырой управляющий символ: {RAW.search(output).group()!r}"
    return output.split("\n")


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_human_report_shows_every_text_inert(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = HOSTILE[name]
    diagnostics = _diagnostics(text, tmp_path)
    file = diagnostics[0].span.file
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(f"roadmap:\n  activities:\n    - {text}\n", encoding="utf-8", errors="surrogateescape")
    output = render(diagnostics, "human", {file: file.read_text(encoding="utf-8", errors="surrogateescape")})
    for line in _lines(output):
        assert not line.lstrip().startswith("::"), line
        assert "##[" not in line and "##vso[" not in line, line
    assert "\\" in output or name in ("command-at-start", "command-after-spaces", "stop-commands")
    assert output.count(" T204 ошибка: ") == 1 and output.count(" R504 замечание: ") == 1


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_json_report_reads_back_exactly(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = HOSTILE[name]
    output = render(_diagnostics(text, tmp_path), "json", {})
    for line in _lines(output):
        assert not line.lstrip().startswith("::"), line
        assert "##[" not in line and "##vso[" not in line, line
    without_place, first = json.loads(output)     # sorted: a diagnostic without a place comes first
    assert first["file"] == f"{text}/roadmap.yaml"
    assert first["message"] == f"мероприятие «{text}» не найдено" and first["hint"] == f"проверьте «{text}»"
    assert first["related"][0] == {"message": f"срок «{text}»", "file": f"{text}/roadmap.yaml", "line": 1,
                                   "column": 1, "end_line": 1, "end_column": 2}
    assert without_place["message"] == text and without_place["file"] is None


def _runner_unescape(value: str, property_value: bool) -> str:
    """What the GitHub runner makes of an escaped value (actions/runner ActionCommand.UnescapeData/-Property)."""
    pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if property_value else []) + [("%25", "%")]
    for escaped, character in pairs:
        value = value.replace(escaped, character)
    return value


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_github_report_is_one_annotation_per_diagnostic(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = HOSTILE[name]
    output = render(_diagnostics(text, tmp_path), "github", {})
    lines = _lines(output.rstrip("\n"))
    assert len(lines) == 2
    # an annotation's data may hold line breaks (escaped for the log); anything else unsafe is shown escaped
    shown = "".join(part if part in "\r\n" else printable(part) for part in re.split(r"(\r|\n)", text))
    annotations = {}
    for line in lines:
        # the runner's parse (TryParseV2): after leading spaces, «::», the command up to a space, «::» ends it
        assert re.match(r"::(error|notice) ", line), line
        assert "##[" not in line and "##vso[" not in line, line
        info, data = line[2:].split("::", 1)
        command, properties = info.split(" ", 1)
        annotations[command] = dict(pair.split("=", 1) for pair in properties.split(",")), data
    properties, data = annotations["error"]
    assert _runner_unescape(properties["file"], True) == f"{printable(text)}/roadmap.yaml"
    assert _runner_unescape(data, False) == f"мероприятие «{shown}» не найдено — проверьте «{shown}»"
    assert properties["title"] == "T204 dependency-order"
    properties, data = annotations["notice"]
    assert _runner_unescape(data, False) == f"{shown} — {shown}"
    assert properties == {"title": "R504 typed-number"}


def test_printable_keeps_ordinary_text_and_escapes_each_class():
    ordinary = "Приказ № 266 «О программе» — 1 900 000,00 ₽; ё, é, 中文, emoji 🙂, ::a, #[b], # ##"
    assert printable(ordinary) == ordinary
    assert printable("a\nb\rc\td") == "a\\nb\\rc\\td"
    assert printable("\x1b[2J\x9b\x7f") == "\\x1b[2J\\x9b\\x7f"
    assert printable("\u202e\u2028\ufeff\U000e0041\udcff") == "\\u202e\\u2028\\ufeff\\U000e0041\\udcff"
    assert printable("##[error]x ##vso[task] ###[y]") == "#\\#[error]x #\\#vso[task] ##\\#[y]"


FOLDERS = {"line-feed": "a\n::error::подделка", "command": "::warning::подделка", "escape": "a\x1b[2Jb",
           "old-command": "##[error]подделка", "bidi": "a\u202eb", "undecodable": os.fsdecode(b"a\xff\xfeb")}


@pytest.mark.parametrize("fmt", ["human", "json", "github"])
def test_hostile_folder_names_through_the_command_line(tmp_path, cli_main, monkeypatch, fmt):
    """Programme folders named to forge lines: check and build say what they must, and no line can act."""
    base = Path(__file__).resolve().parents[1] / "bad_inputs" / "_base" / "corpus-2022"
    for name in FOLDERS.values():
        shutil.copytree(base, tmp_path / "specs" / name)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setenv("PRIKAZ_JOBS", "1")
    for command in (["check", "specs"], ["build", "specs", "-o", "outputs"]):
        result = cli_main(*command, "--format", fmt, cwd=tmp_path)
        assert result.code == 1, result.output       # R508: a folder name is not the programme's id
        for line in _lines(result.stdout + result.stderr):
            assert not line.lstrip().startswith("::") or re.match(r"::(error|warning|notice) ", line), line
            assert "##[" not in line, line
        assert result.stdout.count("R508") == len(FOLDERS) if fmt != "json" else \
            len(json.loads(result.stdout)) == len(FOLDERS)
