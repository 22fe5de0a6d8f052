"""`prikaz fmt`: canonical layout, every comment kept, idempotent, meaning unchanged, broken files untouched."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from bundled import PROGRAMMES, SPECS

from engine.commands.fmt import comment_texts, format_paths, format_text
from engine.diagnostics import has_errors
from engine.export import export_programme
from engine.loading import load_programme
from engine.loading.yaml_source import parse_yaml
from engine.model.validate import build_model

FIXTURES = Path(__file__).parent / "fixtures"
MESSY = FIXTURES / "messy.yaml"

# Every comment of messy.yaml, written out by hand: the `#` inside quotes and inside the
# literal and folded blocks are text, not comments.
MESSY_COMMENTS = [
    "# yaml-language-server: $schema=../../schema/prikaz.schema.json",
    "# Неаккуратный файл: ключи не по порядку, отступы разные, комментарии где попало.",
    "# люди идут раньше организаций",
    "# подписант",
    "# должность со строчной",
    "# в конце многострочного словаря",
    "# комментарий в начале строки, перед budget",
    "# сумма",
    "# перед id (станет первым ключом)",
    "# заголовок свёрнут",
    "# между ключом и значением",
    "# в конце элемента списка",
    "# в конце списка строк",
    "# исполнитель",
    "# неизвестный ключ остаётся в конце",
    "# последний комментарий файла",
    "# и ещё один, после пустой строки",
]


def _formatted(path: Path) -> str:
    text, diagnostics = format_text(path, path.read_text(encoding="utf-8"))
    assert diagnostics == [] and text is not None
    return text


def _line_of(text: str, fragment: str) -> int:
    matches = [number for number, line in enumerate(text.split("\n")) if fragment in line]
    assert len(matches) == 1, f"{fragment!r} встречается {len(matches)} раз"
    return matches[0]


def _export(directory: Path) -> dict:
    model, problems = build_model(load_programme(directory))
    assert model is not None and not has_errors(problems), problems
    return export_programme(model)


@pytest.fixture
def messy_copy(tmp_path) -> Path:
    path = tmp_path / "messy.yaml"
    shutil.copy(MESSY, path)
    return path


# --- comments ---------------------------------------------------------------------------


def test_every_comment_of_the_messy_fixture_is_kept(messy_copy):
    source = messy_copy.read_text(encoding="utf-8")
    formatted = _formatted(messy_copy)
    assert comment_texts(source) == Counter(MESSY_COMMENTS)
    assert comment_texts(formatted) == Counter(MESSY_COMMENTS)
    for comment in MESSY_COMMENTS:  # the same, counted without the extractor under test
        assert formatted.count(comment) == source.count(comment) == 1, comment


def test_hashes_inside_values_stay_text(messy_copy):
    formatted = _formatted(messy_copy)
    assert '    full: "отдел образования # не комментарий"' in formatted
    assert "        Вторая строка, в тексте которой # решётка\n" in formatted
    assert "        # тоже текст, не комментарий\n" in formatted


def test_comments_move_with_their_keys(messy_copy):
    lines = _formatted(messy_copy).split("\n")
    text = "\n".join(lines)
    # a comment above a key that becomes the first of its list item goes above the dash
    assert lines[_line_of(text, "- id: line-1") - 1] == "    # перед id (станет первым ключом)"
    assert lines[_line_of(text, "quantity:") - 1] == "      # между ключом и значением"
    # end-of-line comments stay on their line, two spaces after the value
    assert "      amount: \"1 000,00\"  # сумма" in lines
    assert "      title: >-  # заголовок свёрнут" in lines
    assert "      owners: [dept, ivanova]  # исполнитель" in lines
    assert "people:  # люди идут раньше организаций" in lines
    # a comment indented under a block closes that block
    assert lines[_line_of(text, "unit_price:") + 1] == "      # в конце элемента списка"


def test_file_header_stays_at_the_top_and_trailer_at_the_end(messy_copy):
    formatted = _formatted(messy_copy)
    assert formatted.startswith("# yaml-language-server: $schema=../../schema/prikaz.schema.json\n"
                                "# Неаккуратный файл")
    assert formatted.endswith("# последний комментарий файла\n\n# и ещё один, после пустой строки\n")


# --- layout ---------------------------------------------------------------------------------


def _in_order(text: str, section: str, lines: list[str]) -> bool:
    """Whether the lines starting with `lines` come in this order after the line `section`."""
    rest = text.split("\n")[text.split("\n").index(section):]
    positions = [next(i for i, line in enumerate(rest) if line.startswith(start)) for start in lines]
    return positions == sorted(positions)


def test_keys_follow_the_model_and_unknown_keys_come_last(messy_copy):
    formatted = _formatted(messy_copy)
    assert _in_order(formatted, "organisations:", ["people:", "roadmap:", "budget:"])
    assert _in_order(formatted, "  ivanova:", [f"    {key}:" for key in
                                              ("surname", "initials", "gender", "position", "organisation")])
    assert _in_order(formatted, "    - id: a-1", [f"      {key}:" for key in
                                                ("title", "details", "time", "owners", "result", "depends_on",
                                                 "unknown_key")])
    assert _in_order(formatted, "budget:", [f"  {key}:" for key in ("title", "codes", "lines", "total")])
    assert _in_order(formatted, "  dept:", [f"    {key}:" for key in ("short", "full", "silence")])


def test_indentation_is_two_for_mappings_and_dash_at_two_for_sequences(messy_copy):
    formatted = _formatted(messy_copy)
    assert "  lines:\n    # перед id (станет первым ключом)\n    - id: line-1\n      title: Строка\n" in formatted
    assert "      details:\n        - yes\n        - no\n" in formatted


def test_flow_collections_holding_collections_open_into_blocks(messy_copy):
    formatted = _formatted(messy_copy)
    assert "  dept:\n    short: ОО\n" in formatted
    assert '    silence: {O303: "причина: проверка"}' in formatted  # scalars only: stays flow
    assert '  codes: {КФСР: "0709", КВР: 622}' in formatted


def test_values_are_written_as_they_were_read(messy_copy):
    formatted = _formatted(messy_copy)
    for line in ("        - yes", "        - no", "        - 2020-01-01", "        - 1e3",
                 "      title: 'Мероприятие: первое'", '    initials: "А.Б."', "      time:"):
        assert line in formatted.split("\n"), line
    assert not any(line != line.rstrip() for line in formatted.split("\n"))


def test_an_empty_cell_inside_brackets_is_a_tilde_and_a_total_row_starts_with_its_label(tmp_path):
    """`null` is no word for a methodologist: an empty table cell stays `~`, as the docs write it."""
    path = tmp_path / "tables.yaml"
    path.write_text('tables:\n  t:\n    rows:\n      - [a, null, ~, ""]\n    totals:\n'
                    '      - values: {n: "3"}\n        label: "ИТОГО:"\n    title:\n', encoding="utf-8")
    formatted = _formatted(path)
    assert '      - [a, ~, ~, ""]\n' in formatted
    assert '      - label: "ИТОГО:"\n        values: {n: "3"}\n' in formatted
    assert "    title:\n" in formatted


def test_meaning_is_unchanged(messy_copy):
    source = messy_copy.read_text(encoding="utf-8")
    assert parse_yaml(messy_copy, _formatted(messy_copy)).data == parse_yaml(messy_copy, source).data


def test_second_run_changes_nothing(messy_copy):
    once = _formatted(messy_copy)
    assert format_text(messy_copy, once) == (once, [])


def test_windows_line_ends_and_byte_order_mark_are_normalised(tmp_path):
    path = tmp_path / "programme.yaml"
    path.write_bytes(b"\xef\xbb\xbfprogramme:\r\n  # id\r\n  id: x\r\n")
    [outcome] = format_paths([path])
    assert outcome.changed and path.read_bytes() == b"programme:\n  # id\n  id: x\n"
    assert not format_paths([path])[0].changed


# --- the bundled specs ----------------------------------------------------------------------


@pytest.mark.parametrize("name", PROGRAMMES)
def test_bundled_programme_exports_identically_after_fmt(name, copy_programme, tmp_path):
    directory = copy_programme(tmp_path, name)
    before = _export(directory)
    comments_before = {p.name: comment_texts(p.read_text(encoding="utf-8")) for p in directory.glob("*.yaml")}
    assert all(not outcome.diagnostics for outcome in format_paths([directory]))
    assert _export(directory) == before
    assert {p.name: comment_texts(p.read_text(encoding="utf-8")) for p in directory.glob("*.yaml")} == comments_before
    assert not any(outcome.changed for outcome in format_paths([directory])), "второй запуск что-то изменил"


@pytest.mark.parametrize("name", sorted(f"{path.parent.name}/{path.name}" for path in SPECS.glob("*/*.yaml")))
def test_bundled_spec_is_already_canonical(name):
    [outcome] = format_paths([SPECS / name], check=True)
    assert not outcome.changed and not outcome.diagnostics


# --- the command ----------------------------------------------------------------------------


def test_check_mode_lists_files_and_changes_nothing(messy_copy, cli_main):
    before = messy_copy.read_bytes()
    result = cli_main("fmt", "--check", messy_copy)
    assert result.code == 1
    assert "messy.yaml: оформлен не канонически" in result.stdout
    assert messy_copy.read_bytes() == before
    assert cli_main("fmt", messy_copy).code == 0
    assert messy_copy.read_bytes() != before
    result = cli_main("fmt", "--check", messy_copy)
    assert result.code == 0 and "оформлены канонически" in result.stdout


def test_folder_of_programmes(tmp_path, copy_programme, cli_main):
    copy_programme(tmp_path, "leningrad-2020")
    shutil.copy(MESSY, tmp_path / "specs" / "leningrad-2020" / "zz-messy.yaml")
    result = cli_main("fmt", "--check", tmp_path / "specs")
    assert result.code == 1
    listed = [line for line in result.stdout.splitlines() if "не канонически" in line]
    assert len(listed) == 1 and listed[0].endswith("zz-messy.yaml: оформлен не канонически")


BROKEN = {
    "syntax.yaml": ("budget:\n  title: Смета\n   total: 1\n", "Y001"),
    "tab.yaml": ("budget:\n\ttitle: Смета\n", "Y001"),
    "duplicate.yaml": ("budget:\n  title: a\n  title: b\n", "Y002"),
    "alias.yaml": ("budget:\n  a: &x {b: 1}\n  c: *x\n", "Y005"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_file_gets_the_loader_diagnostic_and_stays_byte_identical(name, tmp_path, messy_copy, run_cli):
    text, code = BROKEN[name]
    broken = tmp_path / name
    broken.write_text(text, encoding="utf-8")
    result = run_cli("fmt", broken, messy_copy)
    assert result.code == 1
    assert f"{code}" in result.stdout and name in result.stdout
    assert "Traceback" not in result.output
    assert broken.read_text(encoding="utf-8") == text
    assert "messy.yaml: переоформлен" in result.stdout  # the other file is still formatted


def test_result_that_would_change_the_data_is_never_written(monkeypatch, messy_copy):
    from engine.commands import fmt

    original = fmt._Text.without_trailing_spaces
    monkeypatch.setattr(fmt._Text, "without_trailing_spaces",
                        lambda self: original(self).replace("Строка", "Строчка"))
    before = messy_copy.read_bytes()
    [outcome] = format_paths([messy_copy])
    assert [d.code for d in outcome.diagnostics] == ["F001"]
    assert messy_copy.read_bytes() == before


def test_files_that_are_not_mappings_are_left_alone(tmp_path):
    files = {"empty.yaml": "", "comments.yaml": "# только комментарий\n", "list.yaml": "- a\n-   b\n"}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    outcomes = format_paths(sorted(tmp_path.glob("*.yaml")))
    assert [(o.changed, o.diagnostics) for o in outcomes] == [(False, [])] * 3


def test_missing_path_is_a_usage_error(cli_main, tmp_path):
    assert cli_main("fmt", tmp_path / "nowhere").code == 2
