"""YAML text → plain data (dicts, lists, strings, None) plus the source span of every value.

Why not `yaml.load`: the spec language must not inherit YAML 1.1/1.2 type guessing
(`0709` is a budget code, not the number 709; `no` is a word; a date is parsed by
our model, not by the YAML library). So we only *compose* the node graph with
ruamel.yaml and build the data ourselves: every scalar stays a string, only the
explicit empty value (`~`, `null`, nothing) becomes None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from engine.diagnostics import Diagnostic, Severity, Span

try:  # libyaml through PyYAML: the same node graph as ruamel's, composed in C (see _compose_in_c)
    import yaml as _libyaml

    _C_LOADER = _libyaml.CSafeLoader if _libyaml.__with_libyaml__ else None
    _SCALAR, _SEQUENCE, _MAPPING = ((ScalarNode, _libyaml.ScalarNode), (SequenceNode, _libyaml.SequenceNode),
                                    (MappingNode, _libyaml.MappingNode))
except ImportError:  # pragma: no cover - PyYAML is a dependency; without it every file takes ruamel's path
    _C_LOADER = None
    _SCALAR, _SEQUENCE, _MAPPING = ScalarNode, SequenceNode, MappingNode

Path_ = tuple[str | int, ...]

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 60
_NULLS = {"", "~", "null", "Null", "NULL"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f\u200b\ufeff]")
# what the YAML reader itself refuses; found before parsing so the position is exact
_UNREADABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")   # C1 too: U+0085 is a YAML line break
# Core tags that only name what a plain value already is; any other tag (!include, !!python/…, !!binary,
# !!set) asks for a constructor the spec language does not have.
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in (
    "str", "int", "float", "bool", "null", "timestamp", "value", "merge", "seq", "map"))


@dataclass
class SourceMap:
    """Where each value of the merged programme data was written.

    Keys are paths into the data (`("roadmap", "activities", 3, "time")`);
    `values` holds the span of the value, `keys` the span of the mapping key.
    """

    values: dict[Path_, Span] = field(default_factory=dict)
    keys: dict[Path_, Span] = field(default_factory=dict)
    texts: dict[Path, str] = field(default_factory=dict)

    def span(self, path: Path_) -> Span | None:
        """The value at `path`, or the nearest enclosing value that exists."""
        path = tuple(path)
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get(())

    def key_span(self, path: Path_) -> Span | None:
        return self.keys.get(tuple(path)) or self.span(path)

    def update(self, other: "SourceMap") -> None:
        self.values.update(other.values)
        self.keys.update(other.keys)
        self.texts.update(other.texts)


@dataclass
class LoadedFile:
    path: Path
    data: object
    sources: SourceMap
    diagnostics: list[Diagnostic]


def _span(file: Path, node: Node) -> Span:
    start, end = node.start_mark, node.end_mark
    end_line, end_col = end.line + 1, end.column + 1
    if (end_line, end_col) <= (start.line + 1, start.column + 1):
        end_line, end_col = start.line + 1, start.column + 2
    return Span(file, start.line + 1, start.column + 1, end_line, end_col)


def _diag(code: str, name: str, message: str, span: Span, hint: str) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, span, hint, name)


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def decode(file: Path, raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Bytes → text; a file that is not UTF-8 gets a diagnostic at the first bad byte."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8", errors="replace")
        line, column = _position(good, len(good))
        return None, [_diag(
            "Y003", "encoding", "файл не в кодировке UTF-8 (байт 0x%02X)" % raw[exc.start],
            Span.point(file, line, column),
            "сохраните файл в UTF-8: в Блокноте «Сохранить как» → Кодировка UTF-8, в VS Code — «Save with Encoding» → UTF-8",
        )]
    if "\x00" in text:
        return None, [_diag(
            "Y003", "encoding", "файл содержит двоичные данные (нулевой байт) — это не текст YAML",
            Span.point(file, *_position(text, text.index("\x00"))), "проверьте, что в папку спецификации попал нужный файл",
        )]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def _scalar_text(node: ScalarNode) -> str:
    # ruamel's round-trip scanner marks the line folds of «>» scalars with BEL
    return node.value.replace("\a", "") if node.style == ">" else node.value


class _ReadWithRuamel(Exception):
    """A file composed by libyaml that only ruamel's nodes give the exact positions of."""


class _Builder:
    def __init__(self, file: Path):
        self.file = file
        self.sources = SourceMap()
        self.diagnostics: list[Diagnostic] = []
        self._seen: set[int] = set()

    def build(self, node: Node, path: Path_, depth: int = 0):
        if getattr(node, "style", None) == "" == node.value:
            raise _ReadWithRuamel  # libyaml places an empty value elsewhere than ruamel does
        span = _span(self.file, node)
        self.sources.values[path] = span
        if depth > MAX_DEPTH:
            self.diagnostics.append(_diag(
                "Y006", "too-deep", f"вложенность глубже {MAX_DEPTH} уровней", span,
                "спецификация не бывает такой глубокой: проверьте отступы",
            ))
            return None
        if id(node) in self._seen:  # an alias: the anchor was reported where it was defined
            return None
        self._seen.add(id(node))
        if getattr(node, "anchor", None):
            self.diagnostics.append(_diag(
                "Y005", "alias", f"якоря и ссылки YAML (&{node.anchor} / *{node.anchor}) не поддерживаются", span,
                "напишите значение один раз и сошлитесь на него по id (например, owner: iro)",
            ))
            return None
        if node.tag not in _PLAIN_TAGS:  # on a mapping or a list too: «budget: !include …»
            shown = node.tag.replace("tag:yaml.org,2002:", "!!", 1)
            self.diagnostics.append(_diag(
                "Y007", "tag", f"теги YAML не поддерживаются: {shown}", span, "уберите тег, начинающийся с «!»",
            ))
        if isinstance(node, _SCALAR):
            if not node.style and node.value in _NULLS:  # plain: None in ruamel, '' in libyaml
                return None
            return self.text(node, span)
        if isinstance(node, _SEQUENCE):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, _MAPPING):
            return self.mapping(node, path, depth)
        return None

    def text(self, node: ScalarNode, span: Span) -> str | None:
        """A scalar's text; an invisible control character (written raw or as an escape) is a diagnostic."""
        value = _scalar_text(node)
        control = _CONTROL.search(value)
        if control:
            self.diagnostics.append(_control_character(span, control.group()))
            return None
        return value

    def mapping(self, node: MappingNode, path: Path_, depth: int) -> dict:
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            key_span = _span(self.file, key_node)
            if not isinstance(key_node, _SCALAR):
                self.diagnostics.append(_diag(
                    "Y004", "complex-key", "ключ должен быть простым словом", key_span,
                    "ключи пишутся как «title:», без списков и словарей",
                ))
                continue
            key = self.text(key_node, key_span)
            if key is None:
                continue
            if key == "<<":
                self.diagnostics.append(_diag(
                    "Y005", "alias", "слияние словарей YAML («<<:») не поддерживается", key_span,
                    "напишите ключи явно или сошлитесь на значение по id",
                ))
                continue
            if key in result:
                first = self.sources.keys[path + (key,)]
                self.diagnostics.append(Diagnostic(
                    "Y002", Severity.ERROR, f"ключ «{key}» повторяется (впервые в строке {first.line})",
                    key_span, "оставьте один из двух ключей: второй молча заменил бы первый", "duplicate-key",
                ))
                continue
            self.sources.keys[path + (key,)] = key_span
            result[key] = self.build(value_node, path + (key,), depth + 1)
        return result


def _control_character(span: Span, char: str) -> Diagnostic:
    return _diag(
        "Y014", "control-character",
        f"в тексте управляющий символ U+{ord(char):04X}, невидимый и недопустимый в документе",
        span, "удалите символ: обычно он попадает при копировании из другой программы",
    )


def _nesting_depth(text: str) -> tuple[int, int]:
    """Deepest bracket nesting and its offset — checked before parsing, whose scanner is quadratic in it."""
    depth = deepest = where = 0
    quote = ""
    for offset, char in enumerate(text):
        if quote:
            if char == quote or char == "\n":
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest, where = depth, offset
        elif char in "]}":
            depth = max(0, depth - 1)
    return deepest, where


def _prescan(file: Path, text: str) -> list[Diagnostic]:
    """Problems cheaper and clearer to find in the raw text than in the parser's error."""
    if "\t" in text:
        return [_diag(
            "Y001", "tab", "символ табуляции в файле YAML", Span.point(file, *_position(text, text.index("\t"))),
            "YAML не допускает табуляцию в отступах: замените её пробелами (в VS Code — «Convert Indentation to Spaces»)",
        )]
    control = _UNREADABLE.search(text)
    if control:
        return [_control_character(Span.point(file, *_position(text, control.start())), control.group())]
    # the character walk costs 3 ms on a 50 KB file: only worth it where the brackets could nest that deep
    deepest, where = _nesting_depth(text) if text.count("[") + text.count("{") > MAX_DEPTH else (0, 0)
    if deepest > MAX_DEPTH:
        return [_diag(
            "Y006", "too-deep", f"вложенность скобок глубже {MAX_DEPTH} уровней", Span.point(file, *_position(text, where)),
            "спецификация не бывает такой глубокой: проверьте скобки [ ] и { }",
        )]
    return []


# Where libyaml (YAML 1.1) and ruamel (YAML 1.2, anchors kept on the nodes) could read a text
# differently: anchors and tags, directives and document end markers, the line breaks 1.1 knows
# and 1.2 does not, a BOM; block scalars whose header has a comment glued to it or is followed
# by a blank line (libyaml takes some that ruamel refuses).
_RUAMEL_ONLY = re.compile(r"[&!\x85\u2028\u2029\ufeff]|^%|^\.\.\.|[|>][-+0-9]*(#|( +#[^\n]*)?\n *\n)",
                          re.MULTILINE)


def _compose_in_c(text: str) -> list | None:
    """The nodes of a plain, valid file composed by libyaml, about 15× faster than ruamel's pure-Python reader.

    None — read it with ruamel — for a file that is not plain (anchors, tags, directives,
    unusual line breaks) or that libyaml refuses: ruamel's reading is the reference, and
    its errors are the ones the diagnostics translate. For a plain valid file both give
    the same values, styles and positions (tests/bench/test_yaml_fast_path.py).
    """
    if _C_LOADER is None or not text.endswith("\n") or _RUAMEL_ONLY.search(text):
        return None
    try:
        nodes = list(_libyaml.compose_all(text, Loader=_C_LOADER))
    except Exception:  # noqa: BLE001 - any refusal: ruamel reads it again and reports it precisely
        return None
    # a spec file is one mapping; anything else is a mistake, reported from ruamel's reading
    return nodes if len(nodes) == 1 and isinstance(nodes[0], _libyaml.MappingNode) else None


def parse_yaml(file: Path, text: str, root: Path_ = ()) -> LoadedFile:
    """Compose YAML text into positioned plain data. Never raises."""
    sources = SourceMap(texts={file: text})
    problems = _prescan(file, text)
    if problems:
        return LoadedFile(file, None, sources, problems)
    nodes = _compose_in_c(text)
    if nodes is not None:
        try:
            return _built(file, nodes, root, sources)
        except _ReadWithRuamel:
            pass
    try:
        nodes = list(YAML(typ="rt", pure=True).compose_all(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return LoadedFile(file, None, sources, [_diag(
            "Y001", "syntax", f"синтаксическая ошибка YAML: {_russian_problem(exc.problem or exc.context or '')}",
            Span.point(file, line, column),
            "проверьте отступы (пробелы, по два на уровень), двоеточие после ключа и парные кавычки",
        )])
    except RecursionError:  # nesting the bracket pre-scan does not see: indented keys, «- - - …»
        return LoadedFile(file, None, sources, [_diag(
            "Y006", "too-deep", "слишком глубокая вложенность", Span.whole_file(file),
            "спецификация не бывает такой глубокой: проверьте отступы",
        )])
    except (YAMLError, ValueError, NotImplementedError):  # ruamel's own limits, e.g. «overlap in comment»
        return LoadedFile(file, None, sources, [_diag(
            "Y001", "syntax", "файл не читается как YAML: нарушена структура", Span.whole_file(file),
            "проверьте отступы, кавычки и комментарии (строки с «#»)",
        )])
    return _built(file, nodes, root, sources)


def _built(file: Path, nodes: list, root: Path_, sources: SourceMap) -> LoadedFile:
    """Composed nodes → positioned plain data."""
    if len(nodes) > 1:
        second = nodes[1]
        return LoadedFile(file, None, sources, [_diag(
            "Y008", "multi-document", "в файле несколько документов YAML (разделитель «---»)",
            _span(file, second), "оставьте в файле один документ: остальное вынесите в отдельный файл",
        )])
    builder = _Builder(file)
    builder.sources.texts = sources.texts
    data = None
    if nodes and nodes[0] is not None:
        try:
            data = builder.build(nodes[0], root)
        except RecursionError:
            builder.diagnostics.append(_diag(
                "Y006", "too-deep", "слишком глубокая вложенность", Span.whole_file(file), "проверьте отступы",
            ))
            data = None
    return LoadedFile(file, data, builder.sources, builder.diagnostics)


_PROBLEMS = {
    "mapping values are not allowed here": "здесь не может быть «ключ: значение» (возможно, лишнее двоеточие — возьмите текст в кавычки)",
    "could not find expected ':'": "не найдено двоеточие после ключа",
    "found character '\\t' that cannot start any token": "табуляция вместо пробелов",
    "found unexpected end of stream": "файл оборвался внутри кавычек или скобок",
    "did not find expected key": "ожидался ключ: проверьте отступ этой строки",
    "did not find expected '-' indicator": "ожидался элемент списка «- …»: проверьте отступ",
    "found undefined alias": "ссылка на неопределённый якорь",
    "expected <block end>, but found '-'": "элемент списка «-» на неверном отступе",
    "found unexpected ':'": "лишнее двоеточие: возьмите текст в кавычки",
    "expected ',' or ']'": "не закрыта квадратная скобка «[»: ожидалась «,» или «]»",
    "expected ',' or '}'": "не закрыта фигурная скобка «{»: ожидалась «,» или «}»",
    "expected the node content": "ожидалось значение, а стоит знак разметки YAML (возьмите текст в кавычки)",
}


def _russian_problem(problem: str) -> str:
    for english, russian in _PROBLEMS.items():
        if problem.startswith(english):
            return russian
    if problem.startswith("expected <block end>"):
        return "неверный отступ: строка не продолжает ни список, ни словарь"
    if "found character" in problem:
        return "недопустимый символ в начале значения (возьмите значение в кавычки)"
    return f"нарушена структура ({problem})" if problem else "нарушена структура"


def read_yaml_file(file: Path, root: Path_ = ()) -> LoadedFile:
    """Read and compose one YAML file; I/O, size and encoding problems become diagnostics."""
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            return LoadedFile(file, None, SourceMap(), [_diag(
                "Y009", "too-large", f"файл слишком большой ({size // 1024} КБ; предел {MAX_FILE_BYTES // 1024} КБ)",
                Span.whole_file(file), "спецификация программы занимает десятки килобайт: проверьте, тот ли это файл",
            )])
        raw = file.read_bytes()
    except OSError as exc:
        return LoadedFile(file, None, SourceMap(), [_diag(
            "Y010", "unreadable", f"файл не читается: {exc.strerror or exc}", Span.whole_file(file),
            "проверьте права доступа к файлу",
        )])
    text, problems = decode(file, raw)
    if text is None:
        return LoadedFile(file, None, SourceMap(), problems)
    return parse_yaml(file, text, root)
