"""The generated part of docs/templates.md: every name a DOCX template may show, with its type and an example.

The names are read from the contexts the bundled templates are really rendered with
(`engine.render.docx.template_contexts`) for the bundled programmes and the municipal
programme of the check fixtures (as a draft and approved by an act), so the list is what the
engine offers — not what someone remembered to write down. The block sits between marker comments; the rest of the page is
written by hand.

    python tools/template_docs.py           # rewrite the generated block in docs/templates.md
    python tools/template_docs.py --check   # exit 1 if the page is out of date (the tests do this too)
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

from markupsafe import Markup

REPO = Path(__file__).resolve().parents[1]
for folder in (REPO, REPO / "tools"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from spec_docs import regenerate, replace_block  # noqa: E402

from engine.building.pipeline import check_tree  # noqa: E402
from engine.render import BuildOptions  # noqa: E402
from engine.render.docx import template_contexts  # noqa: E402

DOC = REPO / "docs" / "templates.md"
PROGRAMMES = [REPO / "specs", REPO / "tests" / "checks" / "base" / "programme-2021"]
BEGIN = "<!-- имена: начало; генерирует tools/template_docs.py, не правьте вручную -->"
END = "<!-- имена: конец -->"
EXAMPLE_LENGTH = 60


def _type(value) -> str:
    if isinstance(value, Markup):
        return "таблица (вставляется тегом `{{p … }}`)"
    if isinstance(value, bool):
        return "да / нет"
    if isinstance(value, str):
        return "строка"
    if isinstance(value, int | float):
        return "число"
    if isinstance(value, list):
        return "список"
    if isinstance(value, dict):
        return "объект"
    return "пусто"


def _example(value) -> str:
    if isinstance(value, Markup):
        return "`<w:tbl>…</w:tbl>`"
    if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value).strip():
        text = " ".join(str(value).replace("\u00a0", " ").split())
        if len(text) > EXAMPLE_LENGTH:
            text = text[:EXAMPLE_LENGTH].rsplit(" ", 1)[0] + " …"
        return "«" + text.replace("|", "\\|") + "»"
    return ""


def _walk(value, path: str, found: dict[str, dict]) -> None:
    entry = found.setdefault(path, {"types": [], "example": ""})
    kind = _type(value)
    if kind not in entry["types"]:
        entry["types"].append(kind)
    if not entry["example"]:
        entry["example"] = _example(value)
    if isinstance(value, dict) and not isinstance(value, Markup):
        for key, item in value.items():
            _walk(item, f"{path}.{key}" if path else key, found)
    elif isinstance(value, list):
        for item in value:
            _walk(item, f"{path}[]", found)


APPROVAL = """  approved_by:
    kind: постановление
    issuer: администрации Условного муниципального района
    date: 01.03.2021
    number: "12"
"""


def _approved(folder: Path) -> Path:
    """A copy of the fixtures' municipal programme approved by an outside act: the programme document's stamp."""
    programme = folder / PROGRAMMES[1].name
    shutil.copytree(PROGRAMMES[1], programme)
    document = programme / "document.yaml"
    document.write_text(document.read_text(encoding="utf-8").replace("  appendices: [roadmap]\n",
                                                                      "  appendices: [roadmap]\n" + APPROVAL),
                        encoding="utf-8")
    return programme


def names() -> dict[str, dict]:
    """{name: {types, example}} over every context a bundled template is rendered with."""
    options = BuildOptions(build_time=dt.datetime(2025, 1, 1, tzinfo=dt.UTC), templates=REPO / "templates")
    found: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as temporary:
        for specs in [*PROGRAMMES, _approved(Path(temporary))]:
            for result in check_tree(specs).programmes:
                assert result.model is not None and not result.diagnostics, result.directory
                for _, context in template_contexts(result.model, options):
                    for key, value in context.items():
                        _walk(value, key, found)
    return dict(sorted(found.items(), key=lambda item: item[0].replace("[]", " ")))


def table() -> str:
    lines = ["| имя | тип | пример |", "|---|---|---|"]
    for name, entry in names().items():
        kinds = sorted(entry["types"], key=lambda kind: kind == "пусто")          # «пусто» last
        lines.append(f"| `{name}` | {' или '.join(kinds)} | {entry['example']} |")
    return "\n".join(lines)


def render(text: str) -> str:
    return replace_block(text, BEGIN, END, table())


def main(argv: list[str]) -> int:
    return regenerate(DOC, render, argv, "template_docs.py")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
