"""The one reporter: diagnostics → human text (with source snippet and caret), JSON, or GitHub annotations."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from engine.diagnostics import Diagnostic, Severity, Span
from engine.formats import plural

FORMATS = ("human", "json", "github")
# What a terminal or a CI log would act on rather than show, in a file name, key or value quoted back:
# C0 and C1 controls (escape sequences clear the screen or retitle the window; a line feed or carriage
# return starts a line of the attacker's making), line and paragraph separators, bidi overrides and
# isolates, zero-width and other invisible format characters, tag characters, non-characters, and
# the lone surrogates an undecodable file name arrives as.
_BEYOND_C0 = ("\x7f-\x9f\xad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\uffa0"
              "\ufff9-\ufffb\ufffe\uffff\ud800-\udfff\U000e0000-\U000e007f")
_UNSAFE = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# CI logging commands that a runner finds anywhere in a line: GitHub's old «##[error]…», Azure
# Pipelines' «##vso[…]», TeamCity's «##teamcity[…]»; a backslash between the two «#» defuses them
_LOGGING_COMMAND = re.compile(r"#(?=#[A-Za-z]*\[)")


def _escape(character: str) -> str:
    code = ord(character)
    if character in _NAMED:
        return _NAMED[character]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: str) -> str:
    """`text` as it may be shown on a terminal or in a CI log: every character that would act rather than
    show written as its escape (\\n, \\x1b, \\u202e), CI logging commands defused."""
    return _LOGGING_COMMAND.sub("#\\\\", _UNSAFE.sub(lambda match: _escape(match.group()), text))


def _relative(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def display_path(path: Path) -> str:
    """A path to show: relative to the current folder, printable, and never at the start of a line
    where a CI runner would read it as a command (GitHub's «::error::…», even after spaces)."""
    shown = printable(_relative(path))
    return shown if re.match(r"[\w./~]", shown) else f"./{shown}"


def _location(span: Span | None) -> str:
    if span is None:
        return "<спецификация>"
    return f"{display_path(span.file)}:{span.line}:{span.column}"


def _snippet(span: Span, texts: dict[Path, str]) -> list[str]:
    text = texts.get(span.file)
    if text is None:
        return []
    lines = text.split("\n")
    if not 1 <= span.line <= len(lines):
        return []
    source = printable(lines[span.line - 1].replace("\t", " "))
    width = len(str(span.line))
    end = span.end_column if span.end_line == span.line else len(source) + 1
    carets = max(1, min(end, len(source) + 1) - span.column)
    gutter = " " * width
    return [
        f"{gutter} |",
        f"{span.line} | {source}",
        f"{gutter} | {' ' * (span.column - 1)}{'^' * carets}",
    ]


def summary(diagnostics: list[Diagnostic]) -> str:
    counts = {s: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
    if not any(counts.values()):
        return "Проблем не найдено."
    parts = []
    for severity, forms in ((Severity.ERROR, ("ошибка", "ошибки", "ошибок")),
                            (Severity.WARNING, ("предупреждение", "предупреждения", "предупреждений")),
                            (Severity.INFO, ("замечание", "замечания", "замечаний"))):
        if counts[severity]:
            parts.append(f"{counts[severity]} {plural(counts[severity], forms)}")
    return "Найдено: " + ", ".join(parts) + "."


def human(diagnostics: list[Diagnostic], texts: dict[Path, str]) -> str:
    blocks = []
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        name = f" [{d.name}]" if d.name else ""
        lines = [printable(f"{_location(d.span)}: {d.code} {d.severity.russian}: {d.message}{name}")]
        if d.span is not None:
            lines.extend(_snippet(d.span, texts))
        lines.extend(printable(f"  --> {_location(related.span)}: {related.label}") for related in d.related)
        if d.hint:
            lines.append(printable(f"  = как исправить: {d.hint}"))
        blocks.append("\n".join(lines))
    blocks.append(summary(diagnostics))
    return "\n\n".join(blocks) + "\n"


def as_json(diagnostics: list[Diagnostic]) -> str:
    records = []
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        span = d.span
        records.append({
            "code": d.code, "name": d.name, "severity": d.severity.value, "message": d.message, "hint": d.hint,
            "file": _relative(span.file) if span else None,
            "line": span.line if span else None, "column": span.column if span else None,
            "end_line": span.end_line if span else None, "end_column": span.end_column if span else None,
            "related": [{"message": r.label, "file": _relative(r.span.file), "line": r.span.line,
                         "column": r.span.column, "end_line": r.span.end_line, "end_column": r.span.end_column}
                        for r in d.related],
        })
    return _JSON_UNSAFE.sub(_json_escape, json.dumps(records, ensure_ascii=False, indent=2)) + "\n"


# json.dumps escapes C0 controls itself; the others can only be inside strings in a JSON text, where
# their \\u escapes read back as themselves
_JSON_UNSAFE = re.compile(f"[{_BEYOND_C0}]|(?<=#)#(?=[A-Za-z]*\\[)")


def _json_escape(match: re.Match) -> str:
    units = match.group().encode("utf-16-le", "surrogatepass")
    return "".join(f"\\u{int.from_bytes(units[i:i + 2], 'little'):04x}" for i in range(0, len(units), 2))


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(severity: Severity, title: str, message: str, span: Span | None) -> str:
    """One GitHub Actions workflow command: an annotation on a file's line (or on the run), without a newline."""
    command = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    props = [f"title={_escape_property(title)}"]
    if span is not None:
        props = [
            f"file={_escape_property(printable(_relative(span.file)))}",
            f"line={span.line}", f"col={span.column}",
            f"endLine={span.end_line}", f"endColumn={span.end_column}",
        ] + props
    return printable(f"::{command[severity]} {','.join(props)}::{_escape_data(message)}")


def github(diagnostics: list[Diagnostic]) -> str:
    """GitHub Actions workflow commands: each diagnostic becomes an annotation on its YAML line."""
    lines = [annotation(d.severity, f"{d.code} {d.name}".strip(), d.message + (f" — {d.hint}" if d.hint else ""),
                        d.span) for d in sorted(diagnostics, key=Diagnostic.sort_key)]
    return "\n".join(lines) + ("\n" if lines else "")


def render(diagnostics: list[Diagnostic], fmt: str, texts: dict[Path, str]) -> str:
    if fmt == "json":
        return as_json(diagnostics)
    if fmt == "github":
        return github(diagnostics)
    return human(diagnostics, texts)
