"""`prikaz amend <programme> --since <revision>`: the changes since a signed version, as a new amending decree.

The programme as the revision holds it and as it is now are loaded through the normal loader
and model, printed (`engine.model.edition`) and compared; what the amendments already in the
spec account for is not written twice. The new amendment goes to the end of the `amendments`
section (amendments.yaml, created when the programme has none) with its requisites left to
fill in: `prikaz check` says what is missing, `prikaz build` renders the amending decree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from engine.building.atomic import write_text_atomic
from engine.building.history import forget_repositories, version_at
from engine.building.pipeline import check_tree
from engine.commands.fmt import format_text
from engine.commands.scaffold import SCHEMA_LINE, yaml_scalar
from engine.diagnostics import Diagnostic, Severity, Span, has_errors
from engine.loading.yaml_source import parse_yaml
from engine.model.edition import DOCUMENTS, Edition, apply, differences, edition_of
from engine.model.validate import ProgrammeModel

AMENDMENTS_FILE = "amendments.yaml"
_HEADER = f"""{SCHEMA_LINE}
# Приказы о внесении изменений в подписанный документ программы (docs/amendments.md).
# Новый приказ дописывает «prikaz amend <папка> --since <ревизия>»; номер, дату, подписанта и
# преамбулу заполните, как в любом приказе; формулировки и порядок изменений можно править.

amendments:
"""
DOCUMENT_WORDS = {"decree": "приказ", "roadmap": "дорожная карта", "budget": "смета",
                  "indicators": "целевые показатели", "specification": "техническое задание"}


@dataclass
class AmendOutcome:
    """What `prikaz amend` did: the diagnostics (errors stop it), the file written and the amendment's id."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    texts: dict[Path, str] = field(default_factory=dict)
    usage: bool = False          # the call itself cannot work (no git, no such revision): exit code 2
    written: Path | None = None
    amendment: str | None = None
    changes: int = 0


def _problem(code: str, name: str, message: str, span: Span | None, hint: str) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, span, hint, name)


def amend(directory: Path, revision: str) -> AmendOutcome:
    """Write the changes of the programme in `directory` since `revision` as a new amendment. Never raises for a
    user's mistake: those are diagnostics."""
    outcome = AmendOutcome()
    checked = check_tree(directory)
    outcome.texts = checked.texts
    results = [result for result in checked.programmes if result.directory == directory] or checked.programmes
    if len(checked.programmes) != 1 or results[0].model is None or has_errors(results[0].diagnostics):
        outcome.diagnostics = checked.diagnostics or [_problem(
            "A620", "not-a-programme", f"{directory} — не папка одной программы", Span.whole_file(directory),
            "укажите папку программы, например specs/lipetsk-2022")]
        outcome.usage = not checked.diagnostics or len(checked.programmes) != 1
        return outcome
    model = results[0].model
    decree = model.programme.decree
    if decree is None:
        outcome.usage = True
        outcome.diagnostics = [_problem(
            "A624", "no-decree", f"у программы {model.id} нет приказа (decree): изменения вносятся в приказ",
            model.sources.key_span(("programme_document",)) or model.span(),
            "изменения программного документа prikaz пока не оформляет")]
        return outcome
    forget_repositories()
    past = version_at(directory, revision)
    if past.model is None:
        outcome.usage = True
        # the revision the decree names as signed is shown where it is written; one typed only on the command
        # line has no place in a file but the programme's folder
        named = model.span(decree, "revision") if decree.revision == revision else None
        outcome.diagnostics = [_problem("A621", "unknown-revision", past.problem or "", named or Span.whole_file(directory),
                                        "укажите ревизию, в которой текст подписан: тег (git tag), коммит или ветку")]
        return outcome
    base = _accounted_for(past.model, model)
    current = edition_of(model)
    problems = _inexpressible(model, past.model, base, current)
    if problems:
        outcome.diagnostics = problems
        return outcome
    changes = differences(base, current)
    if not changes:
        return outcome
    outcome.amendment, outcome.written = _write(model, changes, outcome)
    outcome.changes = len(changes)
    return outcome


def _accounted_for(past: ProgrammeModel, model: ProgrammeModel) -> Edition:
    """The signed edition with the amendments the spec has now and the revision had not applied: what is
    left to amend is what they do not account for."""
    edition = edition_of(past)
    for amendment_id, amendment in model.programme.amendments.items():
        if amendment_id not in past.programme.amendments:
            edition, _ = apply(edition, amendment.changes)
    return edition


def _inexpressible(model: ProgrammeModel, past: ProgrammeModel, base: Edition, current: Edition) -> list[Diagnostic]:
    """Changes no amending decree makes: the signed decree's own number or date, an appendix added or dropped."""
    decree, signed = model.programme.decree, past.programme.decree
    problems = []
    for name, label in (("number", "номер"), ("date", "дата")):
        if decree is not None and signed is not None and getattr(decree, name) != getattr(signed, name):
            problems.append(_problem(
                "A601", "amended-requisites", f"{label} подписанного документа изменены после ревизии, с которой "
                                              "сравнивается программа: изменения так не оформляются",
                model.span(decree, name), f"верните {label} как в подписанном документе; новый документ — новая "
                                          "программа, а не изменение"))
    for document in DOCUMENTS[1:]:
        if (document in base) != (document in current):
            what = "добавлено" if document in current else "исключено"
            problems.append(_problem(
                "A622", "appendix-added", f"приложение «{DOCUMENT_WORDS[document]}» {what} целиком: такое изменение "
                                          "prikaz amend не оформляет", model.span(None, document) or model.span(),
                "оформите его отдельным приказом вручную или верните раздел"))
    return problems


# --- writing the amendment --------------------------------------------------------------------


def _value(key: str, value, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(value, str):
        return [f"{pad}{key}: {yaml_scalar(value)}"]
    if isinstance(value, list):
        return [f"{pad}{key}:", *(f"{pad}  - {yaml_scalar(text)}" for text in value)]
    lines = [f"{pad}{key}:"]
    for name, inner in value.items():
        lines.extend(_value(yaml_scalar(name) if not name.isidentifier() else name, inner, indent + 2))
    return lines


def _entry(amendment_id: str, signatory: str | None, changes: list[dict]) -> str:
    lines = [f"  {amendment_id}:",
             "    # заполнить: номер и дату — когда приказ подписан, преамбулу — почему вносятся изменения",
             "    number:", "    date:", f"    signatory: {signatory or ''}".rstrip(), "    preamble:", "    changes:"]
    for change in changes:
        first = True
        for key, value in change.items():
            for line in _value(key, value, 8):
                lines.append(("      - " + line[8:]) if first else line)
                first = False
    return "\n".join(lines) + "\n"


def _write(model: ProgrammeModel, changes: list[dict], outcome: AmendOutcome) -> tuple[str | None, Path | None]:
    existing = model.programme.amendments
    number = len(existing) + 1
    while f"amendment-{number}" in existing:
        number += 1
    amendment_id = f"amendment-{number}"
    held = model.sources.keys.get(("amendments",))
    target = held.file if held is not None else model.directory / AMENDMENTS_FILE
    before = target.read_text(encoding="utf-8") if target.exists() else _HEADER
    signatory = model.programme.decree.signatory if model.programme.decree else None
    text = before + ("" if before.endswith("\n") else "\n") + _entry(amendment_id, signatory, changes)
    written = parse_yaml(target, text)
    expected = list(existing) + [amendment_id]
    found = written.data.get("amendments") if isinstance(written.data, dict) else None
    if has_errors(written.diagnostics) or list(found if isinstance(found, dict) else {}) != expected:
        outcome.diagnostics.append(_problem(
            "A623", "amendments-layout", f"{target.name}: раздел amendments не последний в файле или записан в "
                                         "одну строку — новое изменение не дописать", held or Span.whole_file(target),
            f"перенесите раздел amendments в конец файла (или в {AMENDMENTS_FILE}) и пишите его блоком, без {{}}"))
        return None, None
    formatted, _ = format_text(target, text)
    write_text_atomic(target, formatted or text)
    return amendment_id, target
