"""One diagnostic type for every stage: loader, schema validation, value parsers and checks.

A diagnostic is data. Stages return lists of them; only the reporter
(`engine.report`) turns them into text, JSON or CI annotations.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def russian(self) -> str:
        return {"error": "ошибка", "warning": "предупреждение", "info": "замечание"}[self.value]

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True, order=True)
class Span:
    """A region of a source file; lines and columns are 1-based, the end is exclusive."""

    file: Path
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, file: Path, line: int, column: int) -> Span:
        return cls(file, line, column, line, column + 1)

    @classmethod
    def whole_file(cls, file: Path) -> Span:
        return cls.point(file, 1, 1)


@dataclass(frozen=True)
class Related:
    """The other end of a contradiction: a value the message also depends on («итог сметы» ↔ «строка сметы»)."""

    span: Span
    label: str


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    span: Span | None
    hint: str = ""
    name: str = ""
    related: tuple[Related, ...] = field(default=())
    # of the engine's own failures (E900, E901): the traceback, for whoever fixes the engine — logged, never
    # in the report (engine.building.pipeline.log_engine_failures)
    detail: str = field(default="", compare=False)

    def sort_key(self):
        if self.span is None:
            return ("", 0, 0, self.code)
        return (str(self.span.file), self.span.line, self.span.column, self.code)

    def with_severity(self, severity: Severity) -> Diagnostic:
        return Diagnostic(self.code, severity, self.message, self.span, self.hint, self.name, self.related, self.detail)


def has_problems(diagnostics: list[Diagnostic]) -> bool:
    """Errors and warnings are problems (exit 1); informational notes are not."""
    return any(d.severity in (Severity.ERROR, Severity.WARNING) for d in diagnostics)


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


class DiagnosticError(Exception):
    """Raised by parsers of values (time, money, codes) when the text is invalid.

    The caller knows where the text came from and turns this into a Diagnostic.
    `offset`/`length` point inside the parsed text so the caret lands on the bad part.
    """

    def __init__(self, code: str, message: str, hint: str = "", offset: int = 0, length: int = 0):
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint
        self.offset = offset
        self.length = length
