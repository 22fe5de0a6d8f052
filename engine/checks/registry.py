"""The registry of checks: one place where every check is declared with its code.

A check is a small function `(ctx) -> Iterable[Finding]` decorated with `@check`.
Its docstring is its documentation (`prikaz checks` prints it, docs/checks.md is
generated from it): first paragraph — why; then a «Плохо:» and a «Хорошо:» YAML
example. The runner turns findings into Diagnostics, applies the programme's
settings (off / severity) and per-item silences.

The declaration also says:

* what the check reads, so that it runs on a programme part of which did not validate
  (engine/model/validate.py, «Recovery») without a false alarm about what is missing:
  `reads` — parts read item by item (a check of each activity on its own runs without the
  activities that did not build), `reads_whole` — parts read as a whole (a sum of the lines, a
  numbering, «is this entry used anywhere»: one line left out would make it wrong). A part is a
  section or a field of one, written «budget» or «budget.lines». Without a declaration a check
  reads everything as a whole: it runs only on a programme that built completely. The tests run
  every check with each part it does not declare taken away (tests/checks/test_recovery.py);
* `targets`: the kinds of objects its findings are about, so that a `silence:` written on any
  other kind, where it silences nothing, is reported (None: texts of any object);
* `guards`: why it cannot be turned off or weakened — it keeps a promise the documents are made
  on (every id named is defined, every placeholder resolves …), and without it the build would
  fail or publish something wrong.

A check spanning programmes (`across=`) compares what every programme of the tree says about the
same thing (an organisation's names). Programmes are checked one at a time, in worker processes, and
their models are let go; so its function, run on each programme like any other, yields `Finding`s
that are sightings rather than problems: what the programme says (`facts`) and where
(`target`, `field`; `message` says what it is, for the other programmes' messages). Those become
`Sighting`s — small and picklable, they travel with the programme's result — and once every
programme is checked, `across` compares them all and says what is wrong where
(`AcrossFinding`). A silenced sighting, or one of a programme that turned the check off, is still
compared, so the other programmes keep seeing it; only its own warnings are left out.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from engine.diagnostics import Severity, Span
from engine.model.edition import AmendmentEditions, PastVersion, amendment_editions
from engine.model.spec import Decree, Programme, SpecModel
from engine.model.validate import Path_, ProgrammeModel
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
    facts: tuple = ()     # of a check spanning programmes: what is compared with the other programmes (hashable)


@dataclass(frozen=True)
class Sighting:
    """A finding of a check spanning programmes, kept after the programme's model is gone."""

    span: Span | None
    label: str           # what it is («краткое наименование «ОО» (id oo)»): the finding's message
    facts: tuple
    silenced: bool       # silenced where it is: compared, never reported


@dataclass(frozen=True)
class Sightings:
    """What one programme gave a check spanning programmes."""

    programme: str                  # its id
    severity: Severity | None       # as the programme sets the check; None — turned off there
    seen: tuple[Sighting, ...]


@dataclass(frozen=True)
class AcrossFinding:
    """What a check spanning programmes found: at a sighting of one programme (its index among those compared)."""

    programme: int
    at: Sighting
    message: str
    hint: str = ""
    related: tuple[tuple[Sighting, str], ...] = ()    # (a sighting of another programme, label)


Compare = Callable[[Sequence[Sightings]], Iterable[AcrossFinding]]


class NotBuilt:
    """What `decree_of` answers for a programme whose decree did not validate (its own check reports why)."""


NOT_BUILT = NotBuilt()


@dataclass
class CheckContext:
    model: ProgrammeModel
    # the decree of another programme of the specs tree by its id (None: no such programme; NOT_BUILT: it
    # exists but its decree did not validate); programmes are looked up only when a check asks, so no
    # check holds the whole tree
    decree_of: Callable[[str], Decree | NotBuilt | None]
    # the programme as a git revision holds it (None: the history is not at hand, as for a lone model)
    version_at: Callable[[str], PastVersion] | None = None

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
    def amendment_editions(self) -> list[AmendmentEditions]:
        """The amendments undone one by one from the current spec (engine.model.edition), for every check of them."""
        return amendment_editions(self.model) if self.programme.amendments else []

    @functools.cached_property
    def approved_version(self) -> PastVersion | None:
        """The signed version (decree.revision) from git; None when none is named or the history is not at hand."""
        decree = self.programme.decree
        revision = decree.revision if decree is not None else None
        if revision is None or self.version_at is None:
            return None
        return self.version_at(revision)


EVERYTHING: tuple[Path_, ...] = ((),)


@dataclass(frozen=True)
class Check:
    code: str
    name: str
    severity: Severity
    area: str
    function: Callable[[CheckContext], Iterable[Finding]]
    reads: tuple[Path_, ...] = ()
    reads_whole: tuple[Path_, ...] = EVERYTHING
    targets: tuple[type[SpecModel], ...] | None = None
    guards: str = ""
    # a check spanning programmes: compares the sightings of every programme (the module's docstring)
    across: Compare | None = None

    @property
    def doc(self) -> str:
        """The docstring; for a check that cannot be turned off, with why as its second paragraph."""
        doc = inspect.cleandoc(self.function.__doc__ or "")
        if not self.guards:
            return doc
        summary, _, rest = doc.partition("\n\n")
        return f"{summary}\n\nЭту проверку нельзя отключить или ослабить: {self.guards}.\n\n{rest}"

    @property
    def summary(self) -> str:
        return self.doc.split("\n\n", 1)[0].replace("\n", " ")

    def stopped_by(self, model: ProgrammeModel) -> bool:
        """Whether a part this check reads did not validate (engine/model/validate.py, «Recovery»)."""
        unbuilt = model.unbuilt
        return bool(unbuilt) and (any(unbuilt.stops(read, whole=False) for read in self.reads)
                                  or any(unbuilt.stops(read, whole=True) for read in self.reads_whole))


REGISTRY: dict[str, Check] = {}


def parts(*dotted: str) -> tuple[Path_, ...]:
    """«budget.lines» → ("budget", "lines"): the parts of a programme a check reads."""
    return tuple(tuple(name.split(".")) for name in dotted)


def check(code: str, name: str, severity: Severity = Severity.ERROR, *, reads: Iterable[str] = (),
          reads_whole: Iterable[str] | None = None, targets: tuple[type[SpecModel], ...] | None = None,
          guards: str = "", across: Compare | None = None):
    """Register a check under a stable code and a readable name (the other arguments: the module's docstring)."""

    def register(function):
        if code in REGISTRY or any(c.name == name for c in REGISTRY.values()):
            raise RuntimeError(f"check {code} {name} registered twice")
        area = function.__module__.rsplit(".", 1)[-1]
        whole = EVERYTHING if reads_whole is None and not reads else parts(*(reads_whole or ()))
        REGISTRY[code] = Check(code, name, severity, area, function, parts(*reads), whole, targets, guards,
                                across)
        return function

    return register


def resolve_check(key: str) -> Check | None:
    """A check by its code (S101) or its name (budget-total)."""
    if key in REGISTRY:
        return REGISTRY[key]
    return next((c for c in REGISTRY.values() if c.name == key), None)
