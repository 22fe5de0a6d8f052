"""YAML text → plain data (dicts, lists, strings, None) plus the source span of every value.

Why not `yaml.load`: the spec language must not inherit YAML 1.1/1.2 type guessing
(`0709` is a budget code, not the number 709; `no` is a word; a date is parsed by
our model, not by the YAML library). So we only *compose* the node graph with
ruamel.yaml and build the data ourselves: every scalar stays a string, only the
explicit empty value (`~`, `null`, nothing) becomes None.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml as _libyaml
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from engine import fast_paths
from engine.diagnostics import Diagnostic, Severity, Span

# libyaml through PyYAML: the same node graph as ruamel's, composed in C (see _compose_in_c)
_C_LOADER: type[_libyaml.CBaseLoader] | None = None
if _libyaml.__with_libyaml__:  # pragma: no branch - without libyaml every file takes ruamel's path

    class _Composer(_libyaml.CBaseLoader):
        """libyaml's composer without PyYAML's tag resolution, which runs in Python for every node
        (a third of the composing time): the spec language reads every scalar as text, and a file with
        an explicit tag never takes this path, so the node's tag is never looked at."""

        def descend_resolver(self, parent, index):
            pass

        def ascend_resolver(self):
            pass

        def resolve(self, kind, value, implicit):
            return None

    _C_LOADER = _Composer

# the nodes of either reader: ruamel's (the reference) or libyaml's
AnyNode = Node | _libyaml.Node
AnyScalar = ScalarNode | _libyaml.ScalarNode
AnyMapping = MappingNode | _libyaml.MappingNode
_SCALAR = (ScalarNode, _libyaml.ScalarNode)
_SEQUENCE = (SequenceNode, _libyaml.SequenceNode)
_MAPPING = (MappingNode, _libyaml.MappingNode)

Path_ = tuple[str | int, ...]

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 60
_NULLS = {"", "~", "null", "Null", "NULL"}

# Characters no text of a spec may hold, written raw or as an escape («\u202e»): each reaches a document, a
# calendar feed, a page or a terminal and is either invisible there or not text at all. By class, with what
# the user is told it is:
_FORBIDDEN_CHARACTERS = (
    # C0 and C1 controls but the tab and the line feed (a raw CR was read as a line break, so a CR in a
    # value is an escape): they beep, move the cursor, break calendar lines, and XML cannot hold them
    ("управляющий символ", "\x00-\x08\x0b-\x1f\x7f-\x9f"),
    # Unicode's own line breaks: a line break the document and the calendar do not see as one
    ("разделитель строк Юникода", "\u2028\u2029"),
    # bidi marks, embeddings, overrides and isolates: they reorder how a line is shown («Trojan Source»)
    ("символ направления письма", "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"),
    # noncharacters: «not a character» by definition; XML and Word refuse U+FFFE and U+FFFF
    ("несимвол Юникода", "\ufdd0-\ufdef\ufffe\uffff" + "".join(
        chr(plane << 16 | 0xfffe) + chr(plane << 16 | 0xffff) for plane in range(1, 17))),
    # half of a UTF-16 pair, only writable as an escape («\ud800»): no text can be encoded with it
    ("половина суррогатной пары", "\ud800-\udfff"),
    # tag characters: an invisible copy of ASCII inside a text
    ("символ-тег", "\U000e0000-\U000e007f"),
    # the rest of Unicode's invisible (default-ignorable and format) characters and the blank «letters»
    # that look like a space: zero-width spaces and joiners (two names that look equal but differ), the
    # word joiner, invisible operators, the Hangul fillers, the braille blank, the BOM inside a text.
    # Kept: the soft hyphen U+00AD (a hyphenation point Word puts in Russian text) and the variation
    # selectors U+FE00–U+FE0F (they choose how an emoji looks and can hide nothing).
    ("невидимый символ", "\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200d\u2060-\u2065\u206a-\u206f"
                         "\u2800\u3164\ufeff\uffa0\ufff0-\ufffb\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2"
                         "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
                         "\U000e0080-\U000e00ff\U000e01f0-\U000e0fff"),
)
_CONTROL = re.compile("[" + "".join(chars for _, chars in _FORBIDDEN_CHARACTERS) + "]")
# The same class with every character beyond the BMP in it: a class with ranges there is checked range by range
# for every character (17× slower on a spec's text); the few suspects are then matched against the real one.
_BEYOND_BMP = "\U00010000-\U0010ffff"
_SUSPECT = re.compile("[" + re.sub(f"[{_BEYOND_BMP}](-[{_BEYOND_BMP}])?", "", _CONTROL.pattern[1:-1]) + _BEYOND_BMP + "]")


def _forbidden(text: str) -> Iterator[re.Match]:
    """The forbidden characters of a text, in order."""
    for suspect in _SUSPECT.finditer(text):
        found = _CONTROL.match(text, suspect.start())
        if found:
            yield found


def forbidden_character(text: str) -> str | None:
    """«символ направления письма U+202E»: the first character no spec text may hold, with what it is; or None."""
    found = next(_forbidden(text), None)
    if found is None:
        return None
    what = next(what for pattern, what in _CHARACTER_KINDS if pattern.match(found.group()))
    return f"{what} U+{ord(found.group()):04X}"
_CHARACTER_KINDS = [(re.compile(f"[{chars}]"), what) for what, chars in _FORBIDDEN_CHARACTERS]
# what the YAML reader itself refuses; found before parsing so the position is exact
_UNREADABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")   # C1 too: U+0085 is a YAML line break
# Core tags that only name what a plain value already is; any other tag (!include, !!python/…, !!binary,
# !!set) asks for a constructor the spec language does not have.
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in (
    "str", "int", "float", "bool", "null", "timestamp", "value", "merge", "seq", "map"))


Where_ = tuple[Path, int, int, int, int]   # the fields of a Span, in order


class Spans(Mapping):
    """Path → Span, kept as plain tuples and made a Span only when asked for.

    A programme has thousands of positioned values and keys and a check asks for a handful:
    building a frozen dataclass for each cost more than composing the YAML.
    """

    __slots__ = ("where",)

    def __init__(self, where: dict[Path_, Where_] | None = None):
        self.where = {} if where is None else where

    def __getitem__(self, path: Path_) -> Span:
        return Span(*self.where[path])

    def __setitem__(self, path: Path_, span: Span) -> None:
        self.where[path] = (span.file, span.line, span.column, span.end_line, span.end_column)

    def __contains__(self, path) -> bool:
        return path in self.where

    def __iter__(self):
        return iter(self.where)

    def __len__(self) -> int:
        return len(self.where)

    def __eq__(self, other) -> bool:
        return self.where == other.where if isinstance(other, Spans) else super().__eq__(other)

    def take(self, other: Spans, keys: set[str]) -> None:
        """Copy `other`'s spans of the values under these top-level keys."""
        self.where.update({path: where for path, where in other.where.items() if path and path[0] in keys})


@dataclass
class SourceMap:
    """Where each value of the merged programme data was written.

    Keys are paths into the data (`("roadmap", "activities", 3, "time")`);
    `values` holds the span of the value, `keys` the span of the mapping key.
    """

    values: Spans = field(default_factory=Spans)
    keys: Spans = field(default_factory=Spans)
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


@dataclass
class LoadedFile:
    path: Path
    data: object
    sources: SourceMap
    diagnostics: list[Diagnostic]
    # paths whose value was not read (the diagnostics say why): the model neither trusts what stands
    # there (None, or the first of two duplicate keys) nor reports it a second time
    unread: set[Path_] = field(default_factory=set)


def _where(file: Path, node: AnyNode) -> Where_:
    """The node's span as the fields of a Span; an empty node covers one character."""
    start, end = node.start_mark, node.end_mark
    line, column, end_line, end_column = start.line + 1, start.column + 1, end.line + 1, end.column + 1
    if end_line < line or (end_line == line and end_column <= column):
        end_line, end_column = line, column + 1
    return file, line, column, end_line, end_column


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
            "Y003", "encoding", f"файл не в кодировке UTF-8 (байт 0x{raw[exc.start]:02X})",
            Span.point(file, line, column),
            "сохраните файл в UTF-8: в Блокноте «Сохранить как» → Кодировка UTF-8, в VS Code — «Save with Encoding» → UTF-8",
        )]
    if "\x00" in text:
        return None, [_diag(
            "Y003", "encoding", "файл содержит двоичные данные (нулевой байт) — это не текст YAML",
            Span.point(file, *_position(text, text.index("\x00"))), "проверьте, что в папку спецификации попал нужный файл",
        )]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def _scalar_text(node: AnyScalar) -> str:
    # ruamel's round-trip scanner marks the line folds of «>» scalars with BEL
    return node.value.replace("\a", "") if node.style == ">" else node.value


class _ReadWithRuamel(Exception):
    """A file composed by libyaml that only ruamel's nodes give the exact positions of."""


class _Builder:
    """Composed nodes → plain data, with the span of every value and key.

    `plain`: libyaml's nodes of a text `_compose_in_c` let through, which has no anchors,
    aliases or tags to look for. `raw_controls`: the text holds a forbidden character as itself;
    without those and without a backslash (an escape), no value can hold one.
    """

    def __init__(self, file: Path, text: str, plain: bool, raw_controls: bool):
        self.file = file
        self.source = text
        self.plain = plain
        self.controls = not plain or raw_controls or "\\" in text
        self.values: dict[Path_, Where_] = {}
        self.keys: dict[Path_, Where_] = {}
        self.diagnostics: list[Diagnostic] = []
        self.unread: set[Path_] = set()
        self.reported: list[tuple[int, int]] = []   # source offsets of the scalars a forbidden character was reported in
        self._seen: set[int] = set()

    def build(self, node: AnyNode, path: Path_, depth: int = 0):
        scalar = node if isinstance(node, _SCALAR) else None
        if scalar is not None and scalar.style == "" == scalar.value:
            raise _ReadWithRuamel  # libyaml places an empty value elsewhere than ruamel does
        where = _where(self.file, node)
        self.values[path] = where
        if depth > MAX_DEPTH:
            self.diagnostics.append(_diag(
                "Y006", "too-deep", f"вложенность глубже {MAX_DEPTH} уровней", Span(*where),
                "спецификация не бывает такой глубокой: проверьте отступы",
            ))
            self.unread.add(path)
            return None
        if not self.plain and self.unsupported(node, where):
            self.unread.add(path)
            return None
        if scalar is not None:
            if not scalar.style and scalar.value in _NULLS:  # plain: None in ruamel, '' in libyaml
                return None
            value = self.text(scalar, where)
            if value is None:
                self.unread.add(path)
            return value
        if isinstance(node, _SEQUENCE):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, _MAPPING):
            return self.mapping(node, path, depth)
        return None

    def unsupported(self, node: AnyNode, where: Where_) -> bool:
        """An alias, an anchor (reported) — not read; a tag is reported and the value read."""
        if id(node) in self._seen:  # an alias: the anchor was reported where it was defined
            return True
        self._seen.add(id(node))
        anchor = getattr(node, "anchor", None)   # only ruamel keeps anchors (libyaml never reads such a file)
        if anchor:
            self.diagnostics.append(_diag(
                "Y005", "alias", f"якоря и ссылки YAML (&{anchor} / *{anchor}) не поддерживаются", Span(*where),
                "напишите значение один раз и сошлитесь на него по id (например, owner: iro)",
            ))
            return True
        if node.tag is not None and node.tag not in _PLAIN_TAGS:  # on a mapping or a list too: «budget: !include …»
            shown = node.tag.replace("tag:yaml.org,2002:", "!!", 1)
            self.diagnostics.append(_diag(
                "Y007", "tag", f"теги YAML не поддерживаются: {shown}", Span(*where), "уберите тег, начинающийся с «!»",
            ))
        return False

    def text(self, node: AnyScalar, where: Where_) -> str | None:
        """A scalar's text; a forbidden character in it (written raw or as an escape) is a diagnostic, and
        the scalar is not read."""
        value = _scalar_text(node)
        if self.controls:
            control = next(_forbidden(value), None)
            if control:
                start, end = node.start_mark.index, node.end_mark.index
                self.reported.append((start, end))
                raw = self.source.find(control.group(), start, end)   # -1: written as an escape
                span = Span.point(self.file, *_position(self.source, raw)) if raw >= 0 else Span(*where)
                self.diagnostics.append(_control_character(span, control.group()))
                return None
        return value

    def stray_controls(self) -> None:
        """Forbidden characters written raw outside any scalar — in a comment, between tokens: a reviewer of
        the file is shown a line other than the one it holds (bidi controls reorder it)."""
        for found, match in enumerate(_forbidden(self.source)):
            if found == 20:   # a file full of them: the first ones say enough
                break
            if not any(start <= match.start() < end for start, end in self.reported):
                self.diagnostics.append(_control_character(
                    Span.point(self.file, *_position(self.source, match.start())), match.group()))

    def mapping(self, node: AnyMapping, path: Path_, depth: int) -> dict:
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            key_where = _where(self.file, key_node)
            if not isinstance(key_node, _SCALAR):
                self.diagnostics.append(_diag(
                    "Y004", "complex-key", "ключ должен быть простым словом", Span(*key_where),
                    "ключи пишутся как «title:», без списков и словарей",
                ))
                self.unread.add(path)
                continue
            key = self.text(key_node, key_where)
            if key is None:
                self.unread.add(path)   # a mapping without one of its keys: what it would have said is unknown
                continue
            if key == "<<":
                self.diagnostics.append(_diag(
                    "Y005", "alias", "слияние словарей YAML («<<:») не поддерживается", Span(*key_where),
                    "напишите ключи явно или сошлитесь на значение по id",
                ))
                self.unread.add(path)
                continue
            key_path = path + (key,)
            if key in result:
                first_line = self.keys[key_path][1]
                self.diagnostics.append(Diagnostic(
                    "Y002", Severity.ERROR, f"ключ «{key}» повторяется (впервые в строке {first_line})",
                    Span(*key_where), "оставьте один из двух ключей: второй молча заменил бы первый", "duplicate-key",
                ))
                self.unread.add(key_path)   # which of the two was meant is not known
                continue
            self.keys[key_path] = key_where
            result[key] = self.build(value_node, key_path, depth + 1)
        return result


def _control_character(span: Span, char: str) -> Diagnostic:
    return _diag(
        "Y014", "control-character",
        f"в тексте {forbidden_character(char)}, невидимый и недопустимый в документе",
        span, "удалите символ (в VS Code его покажет «View → Render Control Characters»): обычно он попадает "
              "при копировании из другой программы",
    )


# the only characters the bracket walk reacts to: visiting just these is ten times faster than every character
_NESTING = re.compile(r"[\"'\[\]{}\n]")


def _nesting_depth(text: str) -> tuple[int, int]:
    """Deepest bracket nesting and its offset — checked before parsing, whose scanner is quadratic in it."""
    depth = deepest = where = 0
    quote = ""
    for match in _NESTING.finditer(text):
        char = match.group()
        if quote:
            if char == quote or char == "\n":
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest, where = depth, match.start()
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
    # only worth walking where the brackets could nest that deep
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
# (Two patterns and substring tests: one alternation of them all took twice as long.)
_RUAMEL_CHARS = re.compile(r"[&!\x85\u2028\u2029\ufeff]")
_RUAMEL_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*(#|( +#[^\n]*)?\n *\n)")


def _ruamel_only(text: str) -> bool:
    return bool(_RUAMEL_CHARS.search(text) or text.startswith(("%", "...")) or "\n%" in text or "\n..." in text
                or _RUAMEL_BLOCK_HEADER.search(text))


def _compose_in_c(text: str) -> list | None:
    """The nodes of a plain, valid file composed by libyaml, about 15× faster than ruamel's pure-Python reader.

    None — read it with ruamel — for a file that is not plain (anchors, tags, directives,
    unusual line breaks) or that libyaml refuses: ruamel's reading is the reference, and
    its errors are the ones the diagnostics translate. For a plain valid file both give
    the same values, styles and positions (tests/bench/test_yaml_fast_path.py).
    """
    if _C_LOADER is None or not fast_paths.enabled() or not text.endswith("\n") or _ruamel_only(text):
        return None
    try:
        nodes = list(_libyaml.compose_all(text, Loader=_C_LOADER))
    except Exception:
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
            return _built(file, text, nodes, root, plain=True)
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
    return _built(file, text, nodes, root, plain=False)


def _built(file: Path, text: str, nodes: list, root: Path_, plain: bool) -> LoadedFile:
    """Composed nodes → positioned plain data."""
    if len(nodes) > 1:
        second = nodes[1]
        return LoadedFile(file, None, SourceMap(texts={file: text}), [_diag(
            "Y008", "multi-document", "в файле несколько документов YAML (разделитель «---»)",
            Span(*_where(file, second)), "оставьте в файле один документ: остальное вынесите в отдельный файл",
        )])
    raw_controls = next(_forbidden(text), None) is not None
    builder = _Builder(file, text, plain, raw_controls)
    data = None
    if nodes and nodes[0] is not None:
        try:
            data = builder.build(nodes[0], root)
        except RecursionError:
            builder.diagnostics.append(_diag(
                "Y006", "too-deep", "слишком глубокая вложенность", Span.whole_file(file), "проверьте отступы",
            ))
            data = None
    if raw_controls:
        builder.stray_controls()
    sources = SourceMap(Spans(builder.values), Spans(builder.keys), {file: text})
    return LoadedFile(file, data, sources, builder.diagnostics, builder.unread)


_PROBLEMS = {
    "mapping values are not allowed here":
        "здесь не может быть «ключ: значение» (возможно, лишнее двоеточие — возьмите текст в кавычки)",
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
                Span.whole_file(file),
                "спецификация программы занимает десятки килобайт: проверьте, тот ли это файл (не выгрузка ли, "
                "не журнал); предел не настраивается — большую спецификацию разложите по нескольким файлам "
                "программы, по разделу в файле",
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
