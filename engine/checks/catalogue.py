"""The check catalogue as Markdown (docs/checks.md), generated from the checks' docstrings."""

from __future__ import annotations

from engine.checks.registry import REGISTRY

AREAS = {"sums": "Суммы", "tables": "Таблицы данных", "timing": "Сроки", "ownership": "Ответственные и справочник",
         "indicators": "Показатели", "structure": "Структура документа"}


def checks_markdown() -> str:
    lines = [
        "# Проверки prikaz",
        "",
        "Сгенерировано командой `prikaz checks --markdown` из описаний проверок; не правьте вручную.",
        "",
        "Проверку можно отключить или изменить её важность для всей программы в `programme.yaml`:",
        "",
        "```yaml",
        "programme:",
        "  checks:",
        "    T203: off          # или error / warning / info",
        "```",
        "",
        "или отключить на одном элементе, указав причину:",
        "",
        "```yaml",
        "silence:",
        "  T203: мероприятие выполнено до издания приказа",
        "```",
        "",
        "| код | имя | важность | что проверяет |",
        "|---|---|---|---|",
    ]
    for code, registered in sorted(REGISTRY.items()):
        lines.append(f"| [{code}](#{code.lower()}) | {registered.name} | {registered.severity.russian} | {registered.summary} |")
    for area, title in AREAS.items():
        lines += ["", f"## {title}"]
        for code, registered in sorted(REGISTRY.items()):
            if registered.area != area:
                continue
            summary, _, body = registered.doc.partition("\n\n")
            lines += ["", f"### {code}", "", f"**{registered.name}** — {registered.severity.russian}. {summary}", ""]
            lines += _examples(body)
    return "\n".join(lines) + "\n"


def _examples(body: str) -> list[str]:
    """Docstring body: prose paragraphs, then «Плохо:» / «Хорошо:» blocks of indented YAML."""
    out: list[str] = []
    in_code = False
    for raw in body.split("\n"):
        if raw.startswith(("Плохо", "Хорошо")):
            if in_code:
                out.append("```")
            out += [f"*{raw.strip()}*", "", "```yaml"]
            in_code = True
        elif in_code:
            out.append(raw[4:] if raw.startswith("    ") else raw)
        else:
            out.append(raw)
    if in_code:
        out.append("```")
    return out
