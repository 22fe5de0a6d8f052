"""JSON Schema of spec files, for editors (VS Code YAML extension: `# yaml-language-server: $schema=…`)."""

from __future__ import annotations

from engine.model.spec import Programme

SCHEMA_ID = "https://prikaz.local/schema/prikaz.schema.json"


def file_schema() -> dict:
    """The schema of one spec file: any subset of a programme's top-level sections.

    A programme is split into files by concern, so no top-level section is
    required in a single file; inside a section every rule of the model holds.
    """
    schema = _as_written(_without_generated_titles(Programme.model_json_schema(by_alias=True, mode="validation")))
    schema.pop("required", None)
    schema["properties"] = {name: _section(section) for name, section in schema["properties"].items()}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "Спецификация программы prikaz"
    schema["description"] = (
        "Файл спецификации программы: разделы " + ", ".join(Programme.model_fields) + ". "
        "Программа складывается из всех файлов её папки."
    )
    return schema


def _section(section: dict) -> dict:
    """An optional section as its object alone, not «the object or nothing»: an editor then points at the bad key
    inside it (`decree.kind`) instead of saying that the whole section matches neither."""
    arms = section.get("anyOf", [])
    objects = [arm for arm in arms if arm != {"type": "null"}]
    if len(arms) == 2 and len(objects) == 1 and "$ref" in objects[0]:
        return {"$ref": objects[0]["$ref"], "description": section.get("description", "")}
    return section


def _without_generated_titles(node):
    """pydantic titles are English field names («Unit Price»); the Russian descriptions say more."""
    if isinstance(node, dict):
        return {k: _without_generated_titles(v) for k, v in node.items() if not (k == "title" and isinstance(v, str))}
    if isinstance(node, list):
        return [_without_generated_titles(v) for v in node]
    return node


_SCALARS = {"string", "integer", "number", "boolean"}


def _as_written(node):
    """Let a scalar field take any YAML scalar, as prikaz does.

    prikaz reads every scalar as text and parses it itself, so `number: 266`,
    `year: 2022` and `year: "2022"` are all fine; an editor following the plain
    schema would underline one of them. Patterns and enums still apply to text.
    """
    if isinstance(node, dict):
        node = {k: _as_written(v) for k, v in node.items()}
        kind = node.get("type")      # a dict where it is a property named «type» (a table's column has one)
        if isinstance(kind, str) and kind in _SCALARS and "enum" not in node:
            node["type"] = ["string", "integer", "number", "boolean"]
        return node
    if isinstance(node, list):
        return [_as_written(v) for v in node]
    return node
