"""The one reporter: diagnostics → human text (with source snippet and caret), JSON, or GitHub annotations."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from engine.diagnostics import Diagnostic, Severity, Span
from engine.formats import plural

FORMATS = ("human", "json", "github")
# a spec quoted back must not drive the terminal (ANSI escapes clearing the screen, retitling the window)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _printable(text: str) -> str:
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def display_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


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
    source = _printable(lines[span.line - 1].replace("\t", " "))
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
        lines = [_printable(f"{_location(d.span)}: {d.code} {d.severity.russian}: {d.message}{name}")]
        if d.span is not None:
            lines.extend(_snippet(d.span, texts))
        lines.extend(_printable(f"  --> {_location(related.span)}: {related.label}") for related in d.related)
        if d.hint:
            lines.append(_printable(f"  = как исправить: {d.hint}"))
        blocks.append("\n".join(lines))
    blocks.append(summary(diagnostics))
    return "\n\n".join(blocks) + "\n"


def as_json(diagnostics: list[Diagnostic]) -> str:
    records = []
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        span = d.span
        records.append({
            "code": d.code, "name": d.name, "severity": d.severity.value, "message": d.message, "hint": d.hint,
            "file": display_path(span.file) if span else None,
            "line": span.line if span else None, "column": span.column if span else None,
            "end_line": span.end_line if span else None, "end_column": span.end_column if span else None,
            "related": [{"message": r.label, "file": display_path(r.span.file), "line": r.span.line,
                         "column": r.span.column, "end_line": r.span.end_line, "end_column": r.span.end_column}
                        for r in d.related],
        })
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(diagnostics: list[Diagnostic]) -> str:
    """GitHub Actions workflow commands: each diagnostic becomes an annotation on its YAML line."""
    command = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        props = [f"title={_escape_property(f'{d.code} {d.name}'.strip())}"]
        if d.span is not None:
            props = [
                f"file={_escape_property(display_path(d.span.file))}",
                f"line={d.span.line}", f"col={d.span.column}",
                f"endLine={d.span.end_line}", f"endColumn={d.span.end_column}",
            ] + props
        message = d.message + (f" — {d.hint}" if d.hint else "")
        lines.append(_printable(f"::{command[d.severity]} {','.join(props)}::{_escape_data(message)}"))
    return "\n".join(lines) + ("\n" if lines else "")


def render(diagnostics: list[Diagnostic], fmt: str, texts: dict[Path, str]) -> str:
    if fmt == "json":
        return as_json(diagnostics)
    if fmt == "github":
        return github(diagnostics)
    return human(diagnostics, texts)
