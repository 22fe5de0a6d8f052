"""Source mistakes: each published error, reproduced in a copy of its bundled programme, is caught.

tests/sources/mistakes/<programme>.yaml lists entries
    {id, source, explanation, file, replace, with, expect, at}:
`replace` (exactly once in specs/<programme>/<file>) becomes `with`; `prikaz check` on the copy
must report `expect` on the line of the first occurrence of `at` in the edited file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from engine.building.pipeline import check_tree

HERE = Path(__file__).parent
REPO = HERE.parents[1]
MISTAKES = HERE / "mistakes"
KEYS = {"id", "source", "explanation", "file", "replace", "with", "expect", "at"}


def _entries() -> list:
    params = []
    for path in sorted(MISTAKES.glob("*.yaml")):
        data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
        assert isinstance(data, list) and data, f"{path.name}: ожидается непустой список записей"
        for index, entry in enumerate(data):
            params.append(pytest.param(path.stem, entry, id=f"{path.stem}-{entry.get('id', index)}"))
    return params


ENTRIES = _entries()


def _describe(diagnostics) -> str:
    return "\n".join(f"  {d.span.file.name}:{d.span.line}:{d.span.column} {d.code} {d.message}" if d.span
                     else f"  ? {d.code} {d.message}" for d in diagnostics) or "  (диагностик нет)"


def test_every_bundled_programme_has_mistake_fixtures():
    programmes = sorted(p.name for p in (REPO / "specs").iterdir() if p.is_dir())
    assert programmes == sorted(p.stem for p in MISTAKES.glob("*.yaml"))


def test_mistake_ids_are_unique():
    ids = [(programme, entry["id"]) for programme, entry in (p.values for p in ENTRIES)]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("programme, entry", ENTRIES)
def test_source_mistake_is_caught(programme: str, entry: dict, tmp_path: Path, copy_programme):
    assert isinstance(entry, dict) and set(entry) == KEYS, \
        f"запись {entry.get('id')}: ключи {sorted(entry)}, а нужны {sorted(KEYS)}"
    assert all(isinstance(entry[k], str) and entry[k].strip() for k in KEYS), f"запись {entry['id']}: пустое поле"

    directory = copy_programme(tmp_path, programme)
    target = directory / entry["file"]
    assert target.is_file(), f"{entry['id']}: в specs/{programme} нет файла {entry['file']}"
    text = target.read_text(encoding="utf-8")
    occurrences = text.count(entry["replace"])
    if occurrences != 1:
        pytest.fail(f"{programme}/{entry['id']}: текст replace встречается в {entry['file']} {occurrences} раз(а), "
                    f"а должен ровно один: {entry['replace']!r}")
    edited = text.replace(entry["replace"], entry["with"])
    assert entry["at"] in edited, f"{programme}/{entry['id']}: текста at нет в изменённом {entry['file']}: {entry['at']!r}"
    line = edited[: edited.index(entry["at"])].count("\n") + 1
    target.write_text(edited, encoding="utf-8")

    diagnostics = check_tree(directory).diagnostics
    hits = [d for d in diagnostics if d.code == entry["expect"] and d.span is not None
            and d.span.file.name == entry["file"] and d.span.line == line]
    assert hits, (f"{programme}/{entry['id']}: ожидалась {entry['expect']} на {entry['file']}:{line}, получено:\n"
                  + _describe(diagnostics))
    # the bundled programme itself is clean, so the diagnostic comes from the published mistake
    assert not [d for d in check_tree(copy_programme(tmp_path / "clean", programme)).diagnostics
                if d.code == entry["expect"]]
