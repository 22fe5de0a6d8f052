"""The loader: YAML → positioned plain data, and every way a file can be wrong → a diagnostic, never a traceback."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.diagnostics import Severity, Span
from engine.loading import load_programme
from engine.loading.yaml_source import MAX_FILE_BYTES, LoadedFile, decode, parse_yaml, read_yaml_file

FIXTURES = Path(__file__).parent / "fixtures"
F = Path("spec.yaml")


def parse(text: str) -> LoadedFile:
    return parse_yaml(F, text)


def codes(loaded) -> list[str]:
    return [d.code for d in loaded.diagnostics]


def only(loaded, code: str):
    """The single diagnostic of a result, which must have `code`."""
    assert [d.code for d in loaded.diagnostics] == [code], loaded.diagnostics
    return loaded.diagnostics[0]


def where(span: Span) -> tuple[int, int, int, int]:
    return span.line, span.column, span.end_line, span.end_column


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def is_plain(value) -> bool:
    """Only what the loader promises: dicts with string keys, lists, strings, None."""
    if value is None or isinstance(value, str):
        return True
    if isinstance(value, list):
        return all(is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and is_plain(v) for k, v in value.items())
    return False


# --- positions ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def positions() -> LoadedFile:
    loaded = read_yaml_file(FIXTURES / "positions.yaml")
    assert loaded.diagnostics == []
    return loaded


@pytest.mark.parametrize("path, span", [
    # block mapping: the value after «id: », 1-based, end exclusive
    (("programme", "id"), (3, 7, 3, 19)),
    # a quoted value's span includes its quotes
    (("programme", "period"), (4, 11, 4, 17)),
    # flow mapping with Cyrillic keys: columns count characters, not UTF-8 bytes
    (("budget", "codes", "КФСР"), (6, 17, 6, 23)),
    (("budget", "codes", "КВР"), (6, 30, 6, 35)),
    # a block sequence of mappings
    (("budget", "lines", 0, "id"), (8, 11, 8, 18)),
    (("budget", "lines", 0, "amount"), (9, 15, 9, 24)),
    # a flow mapping inside a block sequence
    (("budget", "lines", 1), (10, 7, 10, 44)),
    (("budget", "lines", 1, "id"), (10, 12, 10, 21)),
    (("budget", "lines", 1, "amount"), (10, 31, 10, 43)),
    # a flow sequence
    (("decree", "responsible", 0), (12, 17, 12, 23)),
    (("decree", "responsible", 1), (12, 25, 12, 28)),
    # a folded scalar starts at its indicator and runs over its lines
    (("decree", "preamble"), (13, 13, 16, 1)),
])
def test_value_positions(positions, path, span):
    assert where(positions.sources.values[path]) == span


@pytest.mark.parametrize("path, line, column", [
    (("programme",), 2, 1),
    (("programme", "id"), 3, 3),
    (("budget", "codes", "КФСР"), 6, 11),
    (("budget", "codes", "КВР"), 6, 25),
    (("budget", "lines", 1, "amount"), 10, 23),
    (("decree", "preamble"), 13, 3),
])
def test_key_positions(positions, path, line, column):
    span = positions.sources.keys[path]
    assert (span.line, span.column) == (line, column)
    assert span.file == FIXTURES / "positions.yaml"


def test_positions_data_is_plain_strings(positions):
    assert positions.data["budget"]["codes"] == {"КФСР": "0709", "КВР": "612"}
    assert positions.data["budget"]["lines"][0]["amount"] == "40 000,00"
    assert positions.data["decree"]["preamble"] == "В целях реализации"


def test_span_of_missing_path_falls_back_to_nearest_enclosing_value(positions):
    assert where(positions.sources.span(("budget", "lines", 0, "title"))) == where(
        positions.sources.values[("budget", "lines", 0)])
    assert positions.sources.key_span(("decree", "preamble")).line == 13


def test_source_text_is_kept_for_snippets(positions):
    text = positions.sources.texts[FIXTURES / "positions.yaml"]
    assert text.split("\n")[8] == "      amount: 40 000,00"


# --- no type guessing --------------------------------------------------------------------------


def test_scalars_stay_strings_as_written():
    loaded = read_yaml_file(FIXTURES / "scalars.yaml")
    assert loaded.diagnostics == []
    assert loaded.data == {
        "code": "0709", "padded": "00123", "answer": "no", "switch": "on", "agree": "yes",
        "scientific": "1e3", "date": "2020-02-03", "infinity": ".inf", "octal": "0o17", "hex": "0x1F",
        "float": "1.50", "sexagesimal": "1:20",
        "tilde": None, "null_word": None, "empty": None,
        "quoted_null": "null", "quoted_tilde": "~", "quoted_empty": "",
    }


@pytest.mark.parametrize("text", ["True", "FALSE", "Off", "Y", "n", "-0", "+1", "1_000", "NaN", "-.inf"])
def test_more_yaml11_words_stay_strings(text):
    assert parse(f"value: {text}\n").data == {"value": text}


@pytest.mark.parametrize("tag", ["!!str", "!!int", "!!float", "!!bool", "!!timestamp"])
def test_standard_tags_do_not_convert(tag):
    loaded = parse(f"value: {tag} 0709\n")
    assert loaded.diagnostics == []
    assert loaded.data == {"value": "0709"}


def test_custom_tag_is_y007():
    d = only(parse("a: 1\nb: !python/object 3\n"), "Y007")
    assert d.severity is Severity.ERROR
    assert "!python/object" in d.message
    assert (d.span.line, d.span.column) == (2, 4)


# --- duplicate keys ----------------------------------------------------------------------------


def test_duplicate_key_points_at_second_and_names_first_line():
    loaded = read_yaml_file(FIXTURES / "duplicate-keys.yaml")
    d = only(loaded, "Y002")
    assert d.severity is Severity.ERROR
    assert d.name == "duplicate-key"
    assert where(d.span) == (5, 3, 5, 8)
    assert "«title»" in d.message and "строке 3" in d.message
    # the first value is kept, the second does not silently replace it
    assert loaded.data["programme"]["title"] == "Первое название"
    assert loaded.data["programme"]["region"] == "Липецкая область"


def test_duplicate_keys_in_flow_mapping_and_several_at_once():
    loaded = parse("a: {x: 1, y: 2, x: 3}\nb: 1\nb: 2\n")
    assert [(d.code, d.span.line, d.span.column) for d in loaded.diagnostics] == [("Y002", 1, 17), ("Y002", 3, 1)]
    assert "строке 1" in loaded.diagnostics[0].message
    assert "строке 2" in loaded.diagnostics[1].message


def test_same_key_in_different_mappings_is_fine():
    loaded = parse("a:\n  id: 1\nb:\n  id: 2\n")
    assert loaded.diagnostics == []
    assert loaded.data == {"a": {"id": "1"}, "b": {"id": "2"}}


# --- tabs and syntax errors --------------------------------------------------------------------


@pytest.mark.parametrize("text, line, column", [
    ("programme:\n\tid: x\n", 2, 1),
    ("a: 1\nb:\n  -\tx\n", 3, 4),
    ("a: 1\nb: слово\tслово\n", 2, 9),
])
def test_tab_is_y001_at_the_tab(text, line, column):
    d = only(parse(text), "Y001")
    assert d.name == "tab"
    assert (d.span.line, d.span.column) == (line, column)
    assert "табуляц" in d.message
    assert "пробел" in d.hint


@pytest.mark.parametrize("text, line, column, words", [
    ("programme:\n  id: x\n  title: Название: с двоеточием\n", 3, 18, "кавычки"),
    ("decree:\n  kind: приказ\n  clauses:\n    - text: a\n   - text: b\n", 5, 4, "отступ"),
    ("a: \"не закрыта\nb: 3\n", 3, 1, "кавычек"),
    ("a: 1\n- b\n", 2, 1, "«-»"),
    ("x: @foo\n", 1, 4, "кавычки"),
])
def test_syntax_error_is_y001_on_the_right_line(text, line, column, words):
    d = only(parse(text), "Y001")
    assert d.name == "syntax"
    assert (d.span.line, d.span.column) == (line, column)
    assert d.message.startswith("синтаксическая ошибка YAML")
    assert words in d.message
    assert d.hint


def test_undefined_alias_is_a_syntax_error():
    d = only(parse("a: 1\nb: *nowhere\n"), "Y001")
    assert (d.span.line, d.span.column) == (2, 4)
    assert "якорь" in d.message


# --- anchors, aliases, merge keys -------------------------------------------------------------


def test_alias_of_a_collection_is_y005():
    loaded = parse("owners: &o [iro, uoin]\nother: *o\n")
    d = only(loaded, "Y005")
    assert d.name == "alias"
    assert d.span.line in (1, 2)
    assert "&" in d.message and "*" in d.message
    assert "id" in d.hint


def test_merge_key_is_y005_at_the_key():
    loaded = parse("base: {a: 1}\nitem:\n  <<: {b: 2}\n  c: 3\n")
    d = only(loaded, "Y005")
    assert where(d.span) == (3, 3, 3, 5)
    assert "<<" in d.message
    assert loaded.data["item"] == {"c": "3"}


@pytest.mark.parametrize("text", [
    "a: &x значение\nb: *x\n",   # a scalar alias duplicates the value silently
    "a: &x значение\nb: 2\n",    # an anchor on its own: «&имя не поддерживаются»
])
def test_scalar_anchor_and_alias_are_y005(text):
    assert "Y005" in codes(parse(text))


def test_each_alias_problem_is_reported_once_per_place():
    loaded = parse("owners: &o [iro]\nb: *o\nc: *o\nd: *o\n")
    y005 = [d for d in loaded.diagnostics if d.code == "Y005"]
    assert y005
    assert len({d.span for d in y005}) == len(y005), [where(d.span) for d in y005]


def billion_laughs(levels: int = 10, width: int = 10) -> str:
    lines = ['lol0: &lol0 ["lol"]']
    for level in range(1, levels):
        lines.append(f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def leaves(value) -> int:
    if isinstance(value, list):
        return sum(leaves(v) for v in value)
    if isinstance(value, dict):
        return sum(leaves(v) for v in value.values())
    return 1


def test_billion_laughs_is_refused_quickly():
    text = billion_laughs()
    started = time.perf_counter()
    loaded = parse(text)
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0, f"{elapsed:.2f} s"
    assert loaded.diagnostics and set(codes(loaded)) == {"Y005"}
    # nothing was expanded: the data is about as large as the text
    assert leaves(loaded.data) <= 10 * 10


# --- deep nesting -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "[" * 5000,
    "{a: " * 5000,
    "- " * 5000 + "x\n",
    "".join(" " * i + "k:\n" for i in range(5000)),
], ids=["flow-seq", "flow-map", "block-seq", "block-map"])
def test_deep_nesting_is_a_diagnostic_not_recursion_error(text):
    loaded = parse(text)  # must not raise RecursionError
    assert loaded.diagnostics
    assert {d.code for d in loaded.diagnostics} <= {"Y001", "Y006"}
    assert all(d.span.line >= 1 for d in loaded.diagnostics)


def test_nesting_beyond_limit_is_y006_at_the_deep_value():
    text = "a:\n" + "".join("  " * i + "b:\n" for i in range(1, 80))
    d = only(parse(text), "Y006")
    assert "60" in d.message
    assert d.span.line == 62


def test_deep_flow_nesting_is_y006_fast_without_python_internals():
    started = time.perf_counter()
    loaded = parse("[" * 5000)
    assert time.perf_counter() - started < 1.0
    d = loaded.diagnostics[0]
    assert d.code == "Y006"
    assert "Error" not in d.message


# --- documents ----------------------------------------------------------------------------------


def test_multi_document_is_y008_at_second_document():
    d = only(parse("a: 1\n---\nb: 2\n"), "Y008")
    assert d.name == "multi-document"
    assert d.span.line == 3
    assert "---" in d.message


def test_explicit_single_document_markers_are_fine():
    loaded = parse("%YAML 1.2\n---\na: 1\n...\n")
    assert loaded.diagnostics == []
    assert loaded.data == {"a": "1"}


# --- bytes: encoding, BOM, line ends, NUL, size, control characters ------------------------------


def test_cp1251_is_y003_at_first_bad_byte(tmp_path):
    file = write(tmp_path / "programme.yaml", "programme:\n  title: Липецк\n".encode("cp1251"))
    loaded = read_yaml_file(file)
    d = only(loaded, "Y003")
    assert d.name == "encoding"
    assert d.span.file == file
    assert (d.span.line, d.span.column) == (2, 10)
    assert "UTF-8" in d.message and "0xCB" in d.message
    assert "UTF-8" in d.hint
    assert loaded.data is None


def test_bad_byte_column_counts_characters_before_it():
    # «Ж» is two bytes in UTF-8 but one character: the bad byte after it is in column 5
    text, problems = decode(F, "a: Ж".encode() + b"\xff\n")
    assert text is None
    assert (problems[0].span.line, problems[0].span.column) == (1, 5)


def test_utf8_bom_is_accepted_with_same_positions(tmp_path):
    plain = read_yaml_file(write(tmp_path / "a.yaml", "programme:\n  id: x\n"))
    bom = read_yaml_file(write(tmp_path / "b.yaml", b"\xef\xbb\xbf" + b"programme:\n  id: x\n"))
    assert bom.diagnostics == []
    assert bom.data == plain.data == {"programme": {"id": "x"}}
    assert where(bom.sources.keys[("programme",)]) == (1, 1, 1, 10)
    assert where(bom.sources.values[("programme", "id")]) == where(plain.sources.values[("programme", "id")])


def test_crlf_gives_same_data_and_positions_as_lf(tmp_path):
    source = (FIXTURES / "positions.yaml").read_text(encoding="utf-8")
    lf = read_yaml_file(write(tmp_path / "lf.yaml", source.encode()))
    crlf = read_yaml_file(write(tmp_path / "crlf.yaml", source.replace("\n", "\r\n").encode()))
    assert crlf.diagnostics == []
    assert crlf.data == lf.data
    assert "\r" not in crlf.data["decree"]["preamble"]
    assert {p: where(s) for p, s in crlf.sources.values.items()} == {p: where(s) for p, s in lf.sources.values.items()}
    assert {p: where(s) for p, s in crlf.sources.keys.items()} == {p: where(s) for p, s in lf.sources.keys.items()}


def test_nul_byte_is_y003_at_the_byte(tmp_path):
    d = only(read_yaml_file(write(tmp_path / "x.yaml", b"a: 1\nb: x\x00y\n")), "Y003")
    assert (d.span.line, d.span.column) == (2, 5)
    assert "нулевой байт" in d.message


def test_file_over_two_megabytes_is_y009(tmp_path):
    file = write(tmp_path / "big.yaml", b"a: 1\n" + b"#" * MAX_FILE_BYTES + b"\n")
    started = time.perf_counter()
    d = only(read_yaml_file(file), "Y009")
    assert time.perf_counter() - started < 2.0
    assert d.name == "too-large"
    assert where(d.span) == (1, 1, 1, 2)
    assert "2048 КБ" in d.message
    assert "разложите по нескольким файлам" in d.hint
    assert MAX_FILE_BYTES == 2 * 1024 * 1024


def test_a_folder_of_more_yaml_files_than_any_programme_has_sections_is_y015_and_not_read(tmp_path, monkeypatch):
    """Thousands of 2 MB files would each be read before anything is said: the folder is refused as a whole."""
    from engine import loading

    programme = tmp_path / "many-2022"
    for index in range(loading.MAX_SPEC_FILES + 1):
        write(programme / f"part-{index:03}.yaml", f"section_{index}: {{}}\n")
    read: list[Path] = []
    monkeypatch.setattr(loading, "read_yaml_file", lambda file, *args: read.append(file))
    loaded = load_programme(programme)
    assert read == [] and loaded.data == {}
    [d] = loaded.diagnostics
    assert (d.code, d.name, d.span.file) == ("Y015", "too-many-files", programme)
    assert f"{loading.MAX_SPEC_FILES + 1} файлов YAML, больше предела в {loading.MAX_SPEC_FILES}" in d.message
    assert "уберите из папки посторонние файлы" in d.hint


def test_unreadable_path_is_y010(tmp_path):
    d = only(read_yaml_file(tmp_path / "missing.yaml"), "Y010")
    assert d.span.file == tmp_path / "missing.yaml"


@pytest.mark.parametrize("text, char, column", [
    ('title: "звонок\\a"\n', "0007", 8),         # an escape: the value is pointed at
    ('title: "escape\\e[31m"\n', "001B", 8),
    ('title: "перевод\\vстраницы"\n', "000B", 8),
    ("title: нулевой\u200bпробел\n", "200B", 15),   # written as itself: the character is
    ("title: 'метка\ufeffпорядка'\n", "FEFF", 14),
])
def test_control_character_in_value_is_y014(text, char, column):
    loaded = parse("id: x\n" + text)
    d = only(loaded, "Y014")
    assert d.name == "control-character"
    assert f"U+{char}" in d.message
    assert (d.span.line, d.span.column) == (2, column)
    assert loaded.data["id"] == "x"


@pytest.mark.parametrize("char", ["\x07", "\x1b"])
def test_raw_control_character_in_value_is_y014_at_its_line(char):
    d = parse(f"id: x\ntitle: звонок{char}\n").diagnostics[0]
    assert d.code == "Y014"
    assert d.span.line == 2


def test_raw_control_character_never_raises():
    loaded = parse("id: x\ntitle: звонок\x07\n")
    assert loaded.data is None
    assert len(loaded.diagnostics) == 1 and loaded.diagnostics[0].code in ("Y001", "Y014")


# --- forbidden characters: every class, written as itself or as an escape, anywhere in a file ---------------

# (a character, the words of its class in the message) — one or more of each class the loader refuses
FORBIDDEN = [
    ("\r", "управляющий символ"), ("\x1b", "управляющий символ"), ("\x85", "управляющий символ"),
    ("\u2028", "разделитель строк"), ("\u2029", "разделитель строк"),
    ("\u202e", "направления письма"), ("\u202a", "направления письма"), ("\u2066", "направления письма"),
    ("\u2069", "направления письма"), ("\u200e", "направления письма"), ("\u061c", "направления письма"),
    ("\ufffe", "несимвол"), ("\uffff", "несимвол"), ("\ufdd0", "несимвол"), ("\U0001fffe", "несимвол"),
    ("\U000e0041", "символ-тег"), ("\U000e007f", "символ-тег"), ("\U000e0001", "символ-тег"),
    ("\u3164", "невидимый"), ("\u115f", "невидимый"), ("\u1160", "невидимый"), ("\uffa0", "невидимый"),
    ("\u2800", "невидимый"), ("\u200b", "невидимый"), ("\u200c", "невидимый"), ("\u200d", "невидимый"),
    ("\u2060", "невидимый"), ("\u2062", "невидимый"), ("\u180e", "невидимый"), ("\u034f", "невидимый"),
    ("\ufeff", "невидимый"), ("\ufff9", "невидимый"), ("\U0001d173", "невидимый"),
]
# written raw, the YAML reader would refuse these: the pre-scan finds them first (the rest of the file is not read)
REFUSED_BY_YAML = {"\x1b", "\x85", "\ufffe", "\uffff"}


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


@pytest.mark.parametrize("char, words", FORBIDDEN, ids=[f"U+{ord(c):04X}" for c, _ in FORBIDDEN])
def test_a_forbidden_character_as_an_escape_is_y014_at_the_value(char, words):
    loaded = parse(f'id: x\ntitle: "Заседание{_escape(char)} группы"\nregion: Липецкая\n')
    d = only(loaded, "Y014")
    assert words in d.message and f"U+{ord(char):04X}" in d.message
    assert where(d.span) == (2, 8, 2, 8 + len(f'"Заседание{_escape(char)} группы"'))
    assert loaded.data == {"id": "x", "title": None, "region": "Липецкая"}
    assert loaded.unread == {("title",)}


@pytest.mark.parametrize("char, words", [f for f in FORBIDDEN if f[0] not in ("\r",)],
                         ids=[f"U+{ord(c):04X}" for c, _ in FORBIDDEN if c != "\r"])
def test_a_forbidden_character_written_as_itself_is_y014_at_the_character(char, words):
    loaded = parse(f"id: x\ntitle: Заседание{char} группы\nregion: Липецкая\n")
    d = loaded.diagnostics[0]
    assert [x.code for x in loaded.diagnostics] == ["Y014"] and words in d.message, loaded.diagnostics
    assert (d.span.line, d.span.column) == (2, len("title: Заседание") + 1)
    if char not in REFUSED_BY_YAML:
        assert loaded.data == {"id": "x", "title": None, "region": "Липецкая"}


@pytest.mark.parametrize("text, line, column", [
    ("id: x  # комментарий \u202e с переворотом\ntitle: t\n", 1, 22),
    ("# \u2066начало\nid: x\n", 1, 3),
    ("id: x\nti\u200btle: t\n", 2, 3),
    ("id: x\nlist:\n  - a\n  - b\u2069\n", 4, 6),
])
def test_a_forbidden_character_in_a_comment_a_key_or_an_item_is_found_too(text, line, column):
    loaded = parse(text)
    d = only(loaded, "Y014")
    assert (d.span.line, d.span.column) == (line, column)


def test_several_forbidden_characters_are_each_reported():
    loaded = parse("a: x\u202ey\nb: \"\\u200b\"\nc: ok  # \u2066\n")
    assert [(d.code, d.span.line) for d in loaded.diagnostics] == [("Y014", 1), ("Y014", 2), ("Y014", 3)]
    assert loaded.data == {"a": None, "b": None, "c": "ok"}


@pytest.mark.parametrize("text", ["title: мягкий\u00adперенос\n", "title: эмодзи ✔\ufe0f\n",
                                  "title: \"с табуляцией\\tвнутри\"\n", "title: \"строка\\nвторая\"\n",
                                  "title: Ёлка «кавычки» — тире № 5 §\n"])
def test_visible_and_harmless_characters_are_kept(text):
    loaded = parse(text)
    assert loaded.diagnostics == [] and loaded.data["title"]


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(char=st.sampled_from([c for c, _ in FORBIDDEN]), escaped=st.booleans(), at=st.integers(0, 8))
def test_any_forbidden_character_anywhere_in_a_value_is_one_located_y014(char, escaped, at):
    value = "Заседание"[:at] + (_escape(char) if escaped else char) + "Заседание"[at:]
    loaded = parse(f'id: x\ntitle: "{value}"\n')
    assert [d.code for d in loaded.diagnostics] == ["Y014"]
    assert loaded.diagnostics[0].span.line == 2


def test_folded_scalars_have_no_bell_characters():
    loaded = read_yaml_file(FIXTURES / "folded.yaml")
    assert loaded.diagnostics == []
    assert loaded.data == {
        "subtitle": "на реализацию основного мероприятия 21 государственной программы Липецкой области",
        "list": ["первый абзац\nвторой абзац", "с переводом строки в конце\n"],
    }


def test_folded_key_has_no_bell_character():
    loaded = parse("? >-\n  длинный\n  ключ\n: значение\n")
    assert all("\a" not in key for key in (loaded.data or {})), loaded.data


def test_folded_scalars_of_bundled_specs_have_no_bell_characters():
    specs = Path(__file__).resolve().parents[2] / "specs"

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)

    checked = 0
    for file in sorted(specs.glob("*/*.yaml")):
        loaded = read_yaml_file(file)
        assert loaded.diagnostics == [], file
        for text in strings(loaded.data):
            assert "\a" not in text, file
            checked += 1
    assert checked > 100


# --- programme folders ---------------------------------------------------------------------------


def test_empty_file_is_y012_warning(tmp_path):
    programme = tmp_path / "specs" / "demo"
    write(programme / "programme.yaml", "programme:\n  id: demo\n")
    write(programme / "notes.yaml", "")
    write(programme / "comments.yaml", "# только комментарий\n")
    loaded = load_programme(programme)
    assert sorted((d.code, d.span.file.name) for d in loaded.diagnostics) == [
        ("Y012", "comments.yaml"), ("Y012", "notes.yaml")]
    assert all(d.severity is Severity.WARNING for d in loaded.diagnostics)
    assert "notes.yaml" in {d.message.split()[1] for d in loaded.diagnostics}
    assert loaded.data == {"programme": {"id": "demo"}}


def test_folder_merges_top_level_keys_of_all_files(tmp_path):
    programme = tmp_path / "specs" / "demo"
    write(programme / "programme.yaml", "programme:\n  id: demo\n")
    write(programme / "budget.yaml", "# смета\nbudget:\n  total: \"1 000,00\"\n")
    write(programme / "README.md", "не спецификация\n")
    write(programme / ".hidden.yaml", "hidden: 1\n")
    write(programme / "extra.yml", "terms: {}\n")
    loaded = load_programme(programme)
    assert loaded.diagnostics == []
    assert loaded.data == {"budget": {"total": "1 000,00"}, "terms": {}, "programme": {"id": "demo"}}
    assert [f.name for f in loaded.files] == ["budget.yaml", "extra.yml", "programme.yaml"]
    total = loaded.sources.span(("budget", "total"))
    assert (total.file.name, total.line, total.column) == ("budget.yaml", 3, 10)
    assert loaded.sources.keys[("programme", "id")].file.name == "programme.yaml"
    assert set(loaded.sources.texts) == {programme / "budget.yaml", programme / "extra.yml", programme / "programme.yaml"}


def test_same_top_level_key_in_two_files_is_y002_naming_other_file(tmp_path):
    programme = tmp_path / "specs" / "demo"
    write(programme / "a-people.yaml", "people:\n  kirina: {}\n")
    write(programme / "b-more.yaml", "# ещё\npeople:\n  ivanov: {}\n")
    loaded = load_programme(programme)
    d = only(loaded, "Y002")
    assert d.span.file.name == "b-more.yaml"
    assert (d.span.line, d.span.column) == (2, 1)
    assert "a-people.yaml" in d.message and "«people»" in d.message
    assert loaded.data == {"people": {"kirina": {}}}
    assert loaded.sources.span(("people", "kirina")).file.name == "a-people.yaml"


def test_file_that_is_not_a_mapping_is_y004(tmp_path):
    programme = tmp_path / "specs" / "demo"
    write(programme / "programme.yaml", "- programme\n- id\n")
    d = only(load_programme(programme), "Y004")
    assert d.span.file.name == "programme.yaml" and d.span.line == 1


def test_folder_without_yaml_is_y013(tmp_path):
    programme = tmp_path / "specs" / "demo"
    write(programme / "README.md", "# demo\n")
    d = only(load_programme(programme), "Y013")
    assert "demo" in d.message


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlink_outside_specs_root_is_y011(tmp_path):
    secret = write(tmp_path / "outside" / "secret.yaml", "secret: value\n")
    programme = tmp_path / "specs" / "demo"
    write(programme / "programme.yaml", "programme:\n  id: demo\n")
    (programme / "secret.yaml").symlink_to(secret)
    loaded = load_programme(programme, specs_root=tmp_path / "specs")
    d = only(loaded, "Y011")
    assert d.span.file == programme / "secret.yaml"
    assert "secret.yaml" in d.message
    assert "secret" not in loaded.data
    assert secret not in loaded.sources.texts and programme / "secret.yaml" not in loaded.sources.texts


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlinked_programme_folder_outside_specs_root_is_y011(tmp_path):
    outside = tmp_path / "outside" / "demo"
    write(outside / "programme.yaml", "programme:\n  id: demo\n")
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "demo").symlink_to(outside, target_is_directory=True)
    loaded = load_programme(tmp_path / "specs" / "demo", specs_root=tmp_path / "specs")
    assert "Y011" in codes(loaded)
    assert "programme" not in loaded.data


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlink_inside_specs_root_is_read(tmp_path):
    shared = write(tmp_path / "specs" / "shared" / "terms.yaml", "terms: {}\n")
    programme = tmp_path / "specs" / "demo"
    write(programme / "programme.yaml", "programme:\n  id: demo\n")
    (programme / "terms.yaml").symlink_to(shared)
    loaded = load_programme(programme, specs_root=tmp_path / "specs")
    assert loaded.diagnostics == []
    assert loaded.data == {"programme": {"id": "demo"}, "terms": {}}


# --- properties: whatever the input, data or diagnostics, never an exception ---------------------


def _check_result(loaded: LoadedFile, text: str) -> None:
    assert isinstance(loaded, LoadedFile)
    lines = text.count("\n") + 1
    for d in loaded.diagnostics:
        assert d.code.startswith("Y")
        assert d.span is not None and d.span.file == F
        assert 1 <= d.span.line <= lines, (d, lines)
        assert d.span.column >= 1
        assert d.message
    if not loaded.diagnostics:
        assert is_plain(loaded.data)
    for span in loaded.sources.values.values():
        assert 1 <= span.line <= lines and span.column >= 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_decode_and_parse_without_raising(raw):
    text, problems = decode(F, raw)
    if text is None:
        assert len(problems) == 1 and problems[0].code == "Y003"
        assert 1 <= problems[0].span.line <= raw.count(b"\n") + 1
        return
    assert problems == []
    _check_result(parse_yaml(F, text), text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text_parses_without_raising(text):
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_result(parse_yaml(F, text), text)


YAML_TOKENS = [
    "a", "id", "ключ", "0709", "~", "null", "'", '"', ": ", ":", "- ", "-", "? ", "\n", "\n  ", "\n    ", "  ", " ",
    "[", "]", "{", "}", ", ", "&x ", "*x", "&y ", "*y", "<<: ", "!!str ", "!tag ", "---\n", "...\n", "%YAML 1.2\n",
    "|\n", ">-\n", ">\n", "# comment", "\\", "\\a", "\t", "\x07", "\x1b", "\u200b", "\ufeff", "\x85", "é", "Ж", "1 900 000,00",
]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(YAML_TOKENS), max_size=60).map("".join))
def test_yaml_like_text_parses_without_raising(text):
    _check_result(parse_yaml(F, text), text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(YAML_TOKENS), max_size=40).map("".join))
def test_yaml_like_files_load_as_a_programme_without_raising(tmp_path_factory, text):
    programme = tmp_path_factory.mktemp("specs") / "demo"
    write(programme / "programme.yaml", text.encode("utf-8", "surrogatepass"))
    loaded = load_programme(programme)
    assert isinstance(loaded.data, dict)
    for d in loaded.diagnostics:
        assert d.span is not None and d.span.line >= 1


# --- spans on demand, collector paused ---------------------------------------------------------


def test_spans_are_made_when_asked_for_and_compare_by_position(positions):
    values = positions.sources.values
    span = values[("programme", "id")]
    assert isinstance(span, Span) and span == values[("programme", "id")]
    assert ("programme", "id") in values and ("nowhere",) not in values
    assert values.get(("nowhere",)) is None
    assert dict(values.items()) == {path: values[path] for path in values}
    assert values == parse_yaml(FIXTURES / "positions.yaml", positions.sources.texts[FIXTURES / "positions.yaml"]).sources.values


def test_loading_pauses_the_garbage_collector_and_restores_it(tmp_path, monkeypatch):
    import gc

    import engine.loading as loading

    folder = write(tmp_path / "p" / "programme.yaml", "programme: {id: p}\n").parent
    during = []
    original = loading.read_yaml_file
    monkeypatch.setattr(loading, "read_yaml_file", lambda file: during.append(gc.isenabled()) or original(file))
    assert gc.isenabled()
    load_programme(folder)
    assert during == [False] and gc.isenabled()
    gc.disable()
    try:
        load_programme(folder)
        assert not gc.isenabled()  # off before: stays off
    finally:
        gc.enable()
