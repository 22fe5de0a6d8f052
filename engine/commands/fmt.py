"""`prikaz fmt`: rewrite spec files in one canonical layout, keeping every comment.

The layout is the one the bundled specs are written in: mappings indented by 2, sequences by 4
with the dash at offset 2; keys of known objects in the order of the model's fields (`id` first,
`silence` last, unknown keys after the known ones in their own order); at most one blank line in
a row; every comment re-indented to the key or list item it stands before, end-of-line comments
kept on their line. Values are never retyped: quotes and folded blocks stay as written, lines are
never rewrapped; only an empty value is always written as nothing (`~` and `null` mean the same), or as
`~` where YAML cannot write nothing (inside `[…]`, `{…}`).
Flow collections stay flow (`[uo, iro]`) unless they hold other collections.

How comments survive reordering: ruamel.yaml attaches a comment to whatever precedes it, so a
comment about a key would travel with the key above it. Instead, comments and blank lines are
found in the text itself (the composed nodes tell which characters belong to values), each is
tied to the key or item it stands before (or, at the end of a line, to the key on that line),
ruamel's own attachments are dropped, the tree is reordered, and the comments are attached
again at their new places. A result whose data or comments differ from the input is never
written.
"""

from __future__ import annotations

import io
import types
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Union, get_args, get_origin

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import Comment, CommentedMap, CommentedSeq
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.error import CommentMark
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from engine.building.atomic import write_text_atomic
from engine.diagnostics import Diagnostic, Severity, Span, has_errors
from engine.loading import SPEC_SUFFIXES, file_problem, find_programmes, programme_entries
from engine.loading.yaml_source import parse_yaml, read_yaml_file
from engine.model.spec import Programme

MAPPING_INDENT, SEQUENCE_INDENT, SEQUENCE_DASH_OFFSET = 2, 4, 2
# Long Russian sentences stay on one line: the emitter must never fold a value by itself.
_NO_WRAP = 1_000_000
# What names an object reads best first (a passport row or total row by its label, whatever its value);
# the fields every object inherits for switching checks off read best after the content.
_FIRST_FIELDS = ("id", "label")
_LAST_FIELDS = ("silence",)
_NULL_TAG = "tag:yaml.org,2002:null"
_BLANK = None  # a blank line among the comments before a key


class _TextResolver(VersionedResolver):
    """Plain scalars stay text, as in `engine.loading`: only the empty value (`~`, `null`) is null.

    With YAML's usual guessing, `0709` would be read as 709 and written back as `709`, and
    `2020` would come back quoted; with this resolver every scalar is written as it was read.
    """

    @property
    def versioned_resolver(self):
        return {first: [(tag, rule) for tag, rule in rules if tag == _NULL_TAG]
                for first, rules in super().versioned_resolver.items()}


class _TildeEmitter(RoundTripEmitter):
    """An empty value where YAML cannot write nothing (a cell of `[a, ~, b]`) is `~`, as the docs write it."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.alt_null = "~"


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.Resolver = _TextResolver
    yaml.Emitter = _TildeEmitter
    yaml.preserve_quotes = True
    yaml.indent(mapping=MAPPING_INDENT, sequence=SEQUENCE_INDENT, offset=SEQUENCE_DASH_OFFSET)
    yaml.width = _NO_WRAP
    return yaml


# --- which keys are known: shapes from the pydantic models -------------------------------


@dataclass(frozen=True)
class _ListOf:
    item: object


@dataclass(frozen=True)
class _DictOf:
    value: object


def _shape(annotation):
    """What a field holds, as far as key order is concerned: a model, a list or dict of shapes, or None."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _shape(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        arms = [_shape(arm) for arm in get_args(annotation) if arm is not type(None)]
        return next((arm for arm in arms if arm is not None), None)
    if origin is list:
        return _ListOf(_shape(get_args(annotation)[0]))
    if origin is dict:
        return _DictOf(_shape(get_args(annotation)[1]))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _fields_by_key(model: type[BaseModel]) -> dict:
    """A model's fields by their key in YAML (the alias, where a key is a Python word: `list`)."""
    return {field.alias or name: field for name, field in model.model_fields.items()}


def _field_order(model: type[BaseModel]) -> list[str]:
    names = list(_fields_by_key(model))
    first = [name for name in _FIRST_FIELDS if name in names]
    last = [name for name in _LAST_FIELDS if name in names]
    return first + [name for name in names if name not in first and name not in last] + last


def _is_flow(node) -> bool:
    return isinstance(node, (CommentedMap, CommentedSeq)) and bool(node.fa.flow_style())


def _children(node):
    return node.values() if isinstance(node, CommentedMap) else node


def _open_nested_flows(node) -> None:
    """A flow collection holding another collection becomes a block: `{a: 1, b: {c: 2}}` is hard to read."""
    if not isinstance(node, (CommentedMap, CommentedSeq)):
        return
    if _is_flow(node) and any(isinstance(child, (CommentedMap, CommentedSeq)) for child in _children(node)):
        node.fa.set_block_style()
    for child in _children(node):
        _open_nested_flows(child)


def _reorder(node, shape) -> None:
    """Put the keys of known objects in model order, in place; unknown keys follow in their own order."""
    if isinstance(node, CommentedMap):
        if isinstance(shape, type) and issubclass(shape, BaseModel):
            known = [key for key in _field_order(shape) if key in node]
            for key in known + [key for key in list(node) if key not in known]:
                node.move_to_end(key)
            for key, value in node.items():
                field_info = _fields_by_key(shape).get(key)
                _reorder(value, _shape(field_info.annotation) if field_info else None)
        else:
            for value in node.values():
                _reorder(value, shape.value if isinstance(shape, _DictOf) else None)
    elif isinstance(node, CommentedSeq):
        for item in node:
            _reorder(item, shape.item if isinstance(shape, _ListOf) else None)


# --- comments and blank lines, found in the text --------------------------------------------


@dataclass(frozen=True)
class _Comment:
    text: str
    column: int
    end_of_line: bool


@dataclass
class _Layout:
    """Comments by (0-based) line, and the lines left blank between values."""

    comments: dict[int, _Comment]
    blank_lines: set[int]


def _scalar_nodes(node: Node):
    if isinstance(node, ScalarNode):
        yield node
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            yield from _scalar_nodes(key)
            yield from _scalar_nodes(value)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            yield from _scalar_nodes(item)


@dataclass
class _Text:
    """A YAML text cut into lines, with a mark on every character that belongs to a value
    (so that a `#` there is text, not a comment, and a blank line there is part of the value)."""

    lines: list[str]
    offsets: list[int]
    in_value: bytearray

    @classmethod
    def read(cls, text: str) -> _Text:
        lines = text.split("\n")
        offsets, position = [], 0
        for line in lines:
            offsets.append(position)
            position += len(line) + 1
        in_value = bytearray(len(text) + 1)
        root = _yaml().compose(text)
        for node in _scalar_nodes(root) if root is not None else ():
            start, end = node.start_mark, node.end_mark
            if node.style not in ("|", ">"):
                in_value[start.index:end.index] = b"\x01" * (end.index - start.index)
                continue
            # A block scalar: the header line («>-  # comment») is not content; the content runs
            # from the next line to its last non-blank line, or further when it keeps trailing newlines.
            last = end.line if end.column else end.line - 1
            header = lines[start.line][start.column:].split("#", 1)[0]
            if "+" not in header:
                while last > start.line and not lines[last].strip():
                    last -= 1
            if last > start.line:
                first_offset, last_offset = offsets[start.line + 1], offsets[last] + len(lines[last])
                in_value[first_offset:last_offset + 1] = b"\x01" * (last_offset + 1 - first_offset)
        return cls(lines, offsets, in_value)

    def ends_in_value(self, number: int) -> bool:
        return bool(self.in_value[self.offsets[number] + len(self.lines[number])])

    def layout(self) -> _Layout:
        comments: dict[int, _Comment] = {}
        blank_lines: set[int] = set()
        for number, line in enumerate(self.lines):
            if not line.strip():
                if not self.ends_in_value(number):
                    blank_lines.add(number)
                continue
            start = 0
            while (column := line.find("#", start)) >= 0:
                if not self.in_value[self.offsets[number] + column] and (column == 0 or line[column - 1] in " \t"):
                    comments[number] = _Comment(line[column:].rstrip(), column, bool(line[:column].strip()))
                    break
                start = column + 1
        if self.lines and not self.lines[-1]:
            blank_lines.discard(len(self.lines) - 1)  # the end of the final line, not a blank line
        return _Layout(comments, blank_lines)

    def without_trailing_spaces(self) -> str:
        """ruamel writes «- » for an empty list item; spaces ending a line outside a value are noise."""
        return "\n".join(line if self.ends_in_value(number) else line.rstrip(" ")
                         for number, line in enumerate(self.lines))


def _texts(layout: _Layout) -> Counter:
    return Counter(comment.text for comment in layout.comments.values())


def comment_texts(text: str) -> Counter:
    """Every comment of a YAML text, by its text (for checking that formatting kept them all)."""
    return _texts(_Text.read(text).layout())


# --- tying comments to keys and items --------------------------------------------------------


@dataclass
class _Notes:
    """The comments of one key or list item: lines before it (comments or _BLANK), one at the end
    of its line, and comments below its value that are indented deeper than what follows."""

    before: list[str | None] = field(default_factory=list)
    after: str | None = None
    below: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Anchor:
    line: int
    column: int
    holder: CommentedMap | CommentedSeq
    key: object
    scalar_value_line: int | None  # where a scalar value starts, if below its key


def _anchors(node):
    """Every key and list item outside flow collections, in document order."""
    if _is_flow(node):
        return
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            line, column = node.lc.key(key)
            value_line = node.lc.value(key)[0]
            is_scalar = value is not None and not isinstance(value, (CommentedMap, CommentedSeq))
            scalar_below_key = is_scalar and value_line > line
            yield _Anchor(line, column, node, key, value_line if scalar_below_key else None)
            yield from _anchors(value)
    elif isinstance(node, CommentedSeq):
        for index, item in enumerate(node):
            line, column = node.lc.item(index)
            yield _Anchor(line, column, node, index, None)
            yield from _anchors(item)


def _slot(anchor: _Anchor) -> tuple[int, object]:
    return id(anchor.holder), anchor.key


def _tie(layout: _Layout, root) -> tuple[dict[tuple[int, object], _Notes], list[str | None], list[str | None]]:
    """Notes by (id(holder), key), the header of the file and its trailer."""
    anchors = list(_anchors(root))
    starts = [anchor.line for anchor in anchors]
    notes: dict[tuple[int, object], _Notes] = {_slot(anchor): _Notes() for anchor in anchors}
    trailer: list[str | None] = []
    for line in sorted(set(layout.comments) | layout.blank_lines):
        comment = layout.comments.get(line)
        previous = bisect_right(starts, line) - 1
        if comment is not None and comment.end_of_line and previous >= 0:
            target = notes[_slot(anchors[previous])]
            if target.after is None:
                target.after = comment.text
            else:
                target.before.append(comment.text)
            continue
        entry = comment.text if comment is not None else _BLANK
        following_column = anchors[previous + 1].column if previous + 1 < len(anchors) else 0
        if previous >= 0 and (anchors[previous].scalar_value_line or -1) > line:
            # between a key and its value: the comment is about the key; a blank line there is dropped
            if entry is not _BLANK:
                notes[_slot(anchors[previous])].before.append(entry)
        elif previous >= 0 and comment is not None and comment.column > following_column:
            # indented under the block above: it closes that block and stays with it
            notes[_slot(anchors[previous])].below.append(comment.text)
        elif previous + 1 < len(anchors):
            notes[_slot(anchors[previous + 1])].before.append(entry)
        else:
            trailer.append(entry)
    header: list[str | None] = []
    if anchors and anchors[0].holder is root:
        header, notes[_slot(anchors[0])].before = notes[_slot(anchors[0])].before, []
    return notes, header, trailer


def _tidy(lines: list[str | None], first: bool) -> list[str | None]:
    """At most one blank line in a row; none at the start of a block."""
    tidy: list[str | None] = []
    for line in lines:
        if line is _BLANK and (tidy[-1:] == [_BLANK] or (first and not tidy)):
            continue
        tidy.append(line)
    return tidy


def _tokens(lines: list[str | None], column: int) -> list[CommentToken] | None:
    if not lines:
        return None
    return [CommentToken("\n" if line is _BLANK else f"{line}\n", CommentMark(column)) for line in lines]


def _after_value(note: _Notes, column: int, block_scalar: bool) -> CommentToken | None:
    """The comment at the end of the value's line and those below it, as ruamel writes them after a value."""
    below = "".join(f"{' ' * column}{text}\n" for text in note.below)
    if note.after is not None and not block_scalar:
        # The emitter puts one space before a comment token; the token's own space makes the usual two.
        return CommentToken(f" {note.after}\n{below}", CommentMark(0))
    if below:
        # after a block scalar the emitter is already on a new line
        return CommentToken(below if block_scalar else f"\n{below}", CommentMark(0))
    return None


def _is_block_scalar(value) -> bool:
    return isinstance(value, (FoldedScalarString, LiteralScalarString))


def _clear_comments(node) -> None:
    if isinstance(node, (CommentedMap, CommentedSeq)):
        setattr(node, Comment.attrib, Comment())
        for child in _children(node):
            _clear_comments(child)
    elif _is_block_scalar(node):
        node.comment = None


def _attach(node, notes: dict, column: int) -> None:
    """Give ruamel the comments of every key and item, indented to where the key or item now is."""
    if _is_flow(node):
        return
    if isinstance(node, CommentedMap):
        for position, (key, value) in enumerate(node.items()):
            note = notes.get((id(node), key), _Notes())
            before = _tokens(_tidy(note.before, first=position == 0), column)
            block_scalar = _is_block_scalar(value)
            header = None
            if block_scalar and note.after is not None:
                value.comment = f"  {note.after}"  # on the «>-» line
                header = [value.comment]
            after = _after_value(note, column, block_scalar)
            if before or after or header:
                node.ca.items[key] = [None, before, after, header]
            _attach(value, notes, column + MAPPING_INDENT)
    elif isinstance(node, CommentedSeq):
        for index, item in enumerate(node):
            note = notes.get((id(node), index), _Notes())
            if isinstance(item, CommentedMap) and item and not _is_flow(item):
                first = notes.get((id(item), next(iter(item))))
                if first is not None:  # a comment above the first key belongs above the dash
                    note.before, first.before = note.before + first.before, []
            if _is_block_scalar(item) and note.after is not None:  # no place for it after «- >-»
                note.before, note.after = note.before + [note.after], None
            before = _tokens(_tidy(note.before, first=index == 0), column)
            after = _after_value(note, column, _is_block_scalar(item))
            if before or after:
                node.ca.items[index] = [after, before]
            _attach(item, notes, column + SEQUENCE_DASH_OFFSET)


# --- one file -----------------------------------------------------------------------------------


def format_text(path: Path, text: str) -> tuple[str | None, list[Diagnostic]]:
    """The canonical layout of one spec text, or None and the reason it cannot be formatted."""
    loaded = parse_yaml(path, text)
    if has_errors(loaded.diagnostics):
        return None, loaded.diagnostics
    if not isinstance(loaded.data, dict) or not loaded.data:
        return text, []  # empty or not a mapping: nothing to lay out (prikaz check says what is wrong)
    yaml = _yaml()
    root = yaml.load(text)
    _open_nested_flows(root)
    layout = _Text.read(text).layout()
    notes, header, trailer = _tie(layout, root)
    _clear_comments(root)
    _reorder(root, Programme)
    first_key = next(iter(root))
    notes.setdefault((id(root), first_key), _Notes()).before[:0] = header
    _attach(root, notes, 0)
    trailer = _tidy(trailer, first=False)
    while trailer[-1:] == [_BLANK]:
        trailer.pop()
    if trailer:
        root.ca.comment = [None, None]
        root.ca.end = _tokens(trailer, 0)
    stream = io.StringIO()
    yaml.dump(root, stream)
    written = _Text.read(stream.getvalue())
    formatted = written.without_trailing_spaces()
    reread = parse_yaml(path, formatted)
    if reread.diagnostics or reread.data != loaded.data or _texts(written.layout()) != _texts(layout):
        return None, [Diagnostic(
            "F001", Severity.ERROR, "форматирование изменило бы данные или комментарии файла; файл оставлен как есть",
            Span.whole_file(path), "это ошибка prikaz, а не спецификации: сообщите разработчикам и приложите файл",
            "fmt-unsafe",
        )]
    return formatted, []


@dataclass
class FileOutcome:
    path: Path
    changed: bool
    diagnostics: list[Diagnostic]
    text: str | None = None  # the source, for the reporter's snippets


def format_file(path: Path, check: bool = False) -> FileOutcome:
    """Format one file in place (atomically); with `check`, only tell whether it would change."""
    loaded = read_yaml_file(path)  # unreadable, too large, not UTF-8, not YAML: the loader says so
    text = loaded.sources.texts.get(path)
    if text is None or has_errors(loaded.diagnostics):
        return FileOutcome(path, False, loaded.diagnostics, text)
    formatted, diagnostics = format_text(path, text)
    if formatted is None:
        return FileOutcome(path, False, diagnostics, text)
    changed = formatted.encode("utf-8") != path.read_bytes()
    if changed and not check:
        write_text_atomic(path, formatted)
    return FileOutcome(path, changed, [], text)


def _spec_files(paths: list[Path]) -> dict[Path, Diagnostic | None]:
    """Spec files named directly, and those of every programme under the folders named — each with the
    loader's verdict on it (engine.loading: a link out of the specs folder, a pipe, a folder named *.yaml
    are reported, never read nor replaced), so that fmt touches exactly the files `check` reads."""
    found: dict[Path, Diagnostic | None] = {}
    for path in paths:
        if path.is_dir():
            programmes = find_programmes(path)
            root = path.parent if programmes == [path] else path
        elif path.suffix in SPEC_SUFFIXES:
            programmes, root = [path.parent], path.parent.parent   # as the loader reads the file's programme
        else:
            continue
        for programme in programmes:
            entries, refused = programme_entries(programme, root)
            if refused is not None:
                found.setdefault(programme, refused)
            for file in entries if path.is_dir() else [path]:
                found.setdefault(file, file_problem(file, root))
    return found


def format_paths(paths: list[Path], check: bool = False) -> list[FileOutcome]:
    outcomes = []
    formatted: set[Path] = set()
    for file, problem in _spec_files(paths).items():
        if problem is not None:
            outcomes.append(FileOutcome(file, False, [problem]))
            continue
        # a link within the specs folder: its target is formatted (once), the link stays a link
        target = file.resolve() if file.is_symlink() else file
        if target not in formatted:
            formatted.add(target)
            outcomes.append(format_file(target, check))
    return outcomes
