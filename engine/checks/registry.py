"""The registry of checks: one place where every check is declared with its code.

A check is a small function `(ctx) -> Iterable[Finding]` decorated with `@check`.
Its docstring is its documentation (`prikaz checks` prints it, docs/checks.md is
generated from it): first paragraph — why; then a «Плохо:» and a «Хорошо:» YAML
example. The runner turns findings into Diagnostics, applies the programme's
settings (off / severity) and per-item silences.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from engine.diagnostics import DiagnosticError, Severity
from engine.model.grammar import nominative_only
from engine.model.spec import Clause, Decree, Programme, SpecItem, SpecModel
from engine.model.text import TextContext, appendix_numbers, render_text
from engine.model.validate import ProgrammeModel
from engine.model.walk import TextSite, spec_texts


@dataclass
class Finding:
    """What a check found, attached to the spec object (and field) it is about."""

    target: SpecModel | None
    message: str
    hint: str = ""
    field: str | int | tuple | None = None
    key: bool = False
    offset: int = 0
    length: int = 0
    related: tuple[tuple[SpecModel, str | int | tuple, str], ...] = ()  # (object, field, label)


@dataclass
class CheckContext:
    model: ProgrammeModel
    # the decree of another programme of the specs tree by its id (None: no such programme);
    # programmes are looked up only when a check asks, so no check holds the whole tree
    decree_of: Callable[[str], Decree | None]

    @property
    def programme(self) -> Programme:
        return self.model.programme

    @property
    def period(self):
        return self.model.programme.programme.period

    @functools.cached_property
    def texts(self) -> list[TextSite]:
        """Every text of the programme (`spec_texts`), listed once for all the checks that read them."""
        return list(spec_texts(self.model.programme))

    @functools.cached_property
    def text_errors(self) -> list[tuple[SpecModel, tuple, DiagnosticError]]:
        """Every text rendered once for both R506 and X101; whether it resolves, not its case forms, matters here."""
        found = []
        programme = self.programme
        numbers = appendix_numbers(programme)
        with nominative_only():
            for target, field, text in self.texts:
                context = TextContext(
                    programme, numbers,
                    deadline=getattr(target, "deadline", None) if isinstance(target, Clause) else None,
                    quantities=target.quantities if isinstance(target, SpecItem) else [],
                )
                try:
                    render_text(text, context)
                except DiagnosticError as error:
                    found.append((target, field, error))
        return found


@dataclass(frozen=True)
class Check:
    code: str
    name: str
    severity: Severity
    area: str
    function: Callable[[CheckContext], Iterable[Finding]]

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.function.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.split("\n\n", 1)[0].replace("\n", " ")


REGISTRY: dict[str, Check] = {}


def check(code: str, name: str, severity: Severity = Severity.ERROR):
    """Register a check under a stable code and a readable name."""

    def register(function):
        if code in REGISTRY or any(c.name == name for c in REGISTRY.values()):
            raise RuntimeError(f"check {code} {name} registered twice")
        area = function.__module__.rsplit(".", 1)[-1]
        REGISTRY[code] = Check(code, name, severity, area, function)
        return function

    return register


def resolve_check(key: str) -> Check | None:
    """A check by its code (S101) or its name (budget-total)."""
    if key in REGISTRY:
        return REGISTRY[key]
    return next((c for c in REGISTRY.values() if c.name == key), None)
