"""The text of an amending decree, in the fixed wording of Russian legal technique.

An amendment holds what changed (`AmendmentChange`, as printed); this module says it the way
an amending decree must (Методические рекомендации по юридико-техническому оформлению
законопроектов, Государственная Дума, 2021: «слова „…“ заменить словами „…“», «изложить в
следующей редакции», «дополнить … следующего содержания», «признать утратившим силу»,
«считать соответственно …»; changes numbered «1) 2)», those of one appendix «а) б)» under
«в приложении 1:» — or, with `numbering: decimal`, as the clauses of a regional decree: «1. Внести …:
1.1. …; 1.2. в приложении 1: 1.2.1. …»). The form of each change is chosen by how much of its unit changed:

    a few words of a clause or a cell      «в пункте 3 слова «…» заменить словами «…»»
    more (AmendmentForms.words, 30 %)      «пункт 3 изложить в следующей редакции: «3. …»»
    several cells of one row               «строку 1.3 изложить в следующей редакции:» and the row
    most rows of an appendix (.appendix)   «приложение 1 изложить в новой редакции согласно
                                           приложению к настоящему приказу» — attached whole
    a unit added / removed                 «дополнить пунктом 4 следующего содержания: …»,
                                           «пункт 7 признать утратившим силу», «строку 5 исключить»
    numbers shifted by it                  «пункты 8 и 9 считать соответственно пунктами 7 и 8»

Each change may override the form (`form`) or the wording (`wording`); the order of the
changes in the spec is the order of the decree's items.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from engine import formats
from engine.model.appendices import decree_reference, issued_reference
from engine.model.edition import PART, Edition, Unit, kind_of, unit_at
from engine.model.grammar import inflect_noun, inflect_phrase
from engine.model.spec import Amendment, AmendmentChange, Decree, Programme
from engine.model.text import appendix_numbers

# A number written with spaces between its digit groups is one word: «1 900 000,00».
_TOKEN = re.compile(r"\d{1,3}(?:[ \u00a0]\d{3})+(?:,\d+)?|\S+")
_FIGURES = re.compile(r"[\d\s.,:;–—\-×()/%]*\d[\d\s.,:;–—\-×()/%]*")
_ALPHABETIC = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*[.,;:!?»)]*", re.UNICODE)
_ITEM_LETTERS = "абвгдежзиклмнопрстуфхцчшщэюя"   # «а)» … without ё, й, ъ, ы, ь (legal technique)
# so few words changed are replaced as words, whatever share of a short text they are («Март» → «Апрель»)
FEW_WORDS = 3


@dataclass
class Quote:
    """What an item quotes after its colon: paragraphs of text, or rows of an appendix's table (each with its
    number as printed, «3.» or «» for a budget line)."""

    paragraphs: list[str] = field(default_factory=list)
    document: str = ""
    rows: list[tuple[str, Unit]] = field(default_factory=list)


@dataclass
class Item:
    text: str                                   # without its number and closing punctuation
    quote: Quote | None = None
    items: list[Item] = field(default_factory=list)


@dataclass
class AmendingText:
    title: str                  # «О внесении изменений в приказ … от … № …»
    opening: str                # «Внести в приказ … следующие изменения:»
    items: list[Item]
    attachments: list[str]      # appendices attached in a new edition, by document kind, in order
    numbering: str = "list"     # Amendment.numbering: «1)», «а)» — or «1.1.», «1.1.1.» under «1. Внести …»

    @property
    def opening_number(self) -> str:
        return "1." if self.numbering == "decimal" else ""

    def number(self, path: tuple[int, ...], single: bool) -> str:
        """The number of the item at `path` (its index at each level); none for the only change of a decree."""
        if single:
            return ""
        if self.numbering == "decimal":
            return "1." + "".join(f"{index + 1}." for index in path)
        index = path[-1]
        return f"{index + 1})" if len(path) == 1 else f"{_ITEM_LETTERS[index % len(_ITEM_LETTERS)]})"

    def entries(self) -> Iterator[tuple[str, Item, int, bool]]:
        """Every item in reading order: its number, its level (1: a change, 2: a change of one appendix) and
        whether it is the decree's last (it ends with a full stop, the others with a semicolon)."""
        def walk(items: list[Item], path: tuple[int, ...], last: bool) -> Iterator[tuple[str, Item, int, bool]]:
            for index, item in enumerate(items):
                final = last and index == len(items) - 1
                yield self.number(path + (index,), single=not path and len(items) == 1), item, len(path) + 1, final
                yield from walk(item.items, path + (index,), final)

        yield from walk(self.items, (), True)

    def lines(self) -> list[str]:
        """The text as it reads, paragraph by paragraph (a quoted row is one line, its cells joined by « | »)."""
        lines = [f"{self.opening_number} {self.opening}".lstrip()]
        for number, item, _, final in self.entries():
            head = f"{number} {item.text}".lstrip()
            end = "." if final else ";"
            if item.items:
                lines.append(head + ":")
            elif item.quote is None:
                lines.append(head + end)
            else:
                lines += [head + ":", *quoted_lines(item.quote, end)]
        return lines


def quoted_lines(quote: Quote, end: str) -> list[str]:
    if quote.rows:
        return ["«", *(" | ".join([number] * bool(number) + [" / ".join(texts) for texts in unit.cells.values()])
                       for number, unit in quote.rows), "»" + end]
    lines = list(quote.paragraphs)
    lines[0] = "«" + lines[0]
    lines[-1] = lines[-1] + "»" + end
    return lines


# --- words ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Edit:
    old: str          # words taken out («» for an insertion)
    new: str          # words put in («» for a deletion)
    anchor: str = ""  # for an insertion: the words it follows («» at the very end: «дополнить словами»)


def _tokens(text: str) -> list[re.Match]:
    return list(_TOKEN.finditer(text))


def _span(text: str, tokens: list[re.Match], start: int, end: int) -> str:
    return text[tokens[start].start():tokens[end - 1].end()] if end > start else ""


def _unique(text: str, phrase: str) -> bool:
    return len(re.findall(rf"(?<!\w){re.escape(phrase)}(?!\w)", text)) == 1


def word_edits(old: str, new: str) -> tuple[list[_Edit], int, float]:
    """The changed words of a text, each quoted so that it occurs once in the old text; how many words changed,
    and what share of the text that is (0–1)."""
    old_tokens, new_tokens = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(None, [t.group() for t in old_tokens], [t.group() for t in new_tokens],
                                      autojunk=False)
    blocks: list[list[int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if blocks and i1 - blocks[-1][1] <= 1 and j1 - blocks[-1][3] <= 1:   # one unchanged word between: one edit
            blocks[-1][1], blocks[-1][3] = i2, j2
        else:
            blocks.append([i1, i2, j1, j2])
    changed = sum(max(i2 - i1, j2 - j1) for i1, i2, j1, j2 in blocks)
    share = changed / max(len(old_tokens), len(new_tokens), 1)
    edits = []
    for i1, i2, j1, j2 in blocks:
        if i1 == i2 and i1 == 0 and old_tokens:      # words put before the first: the first word is replaced
            i2, j2 = 1, j2 + 1
        if i1 == i2 and i1 < len(old_tokens):       # put in the middle: after the words before it
            start = i1 - 1
            while start > 0 and not _unique(old, _span(old, old_tokens, start, i1)):
                start -= 1
            edits.append(_Edit("", _span(new, new_tokens, j1, j2), _span(old, old_tokens, start, i1)))
            continue
        if i1 == i2:                                # put at the end
            edits.append(_Edit("", _span(new, new_tokens, j1, j2)))
            continue
        while not _unique(old, _span(old, old_tokens, i1, i2)) and (i1 > 0 or i2 < len(old_tokens)):
            if i1 > 0:
                i1, j1 = i1 - 1, j1 - 1
            else:
                i2, j2 = i2 + 1, j2 + 1
        edits.append(_Edit(_span(old, old_tokens, i1, i2), _span(new, new_tokens, j1, j2)))
    return edits, changed, share


def _noun(words: str, case: str) -> str:
    """«слово» / «слова» / «цифра» / «цифры» in the case the phrase needs."""
    if _FIGURES.fullmatch(words):
        one = len(words.strip()) == 1
        return {"acc": ("цифру", "цифры"), "ins": ("цифрой", "цифрами"), "gen": ("цифры", "цифр")}[case][0 if one else 1]
    single = len(words.split()) == 1 and _ALPHABETIC.fullmatch(words)
    return {"acc": ("слово", "слова"), "ins": ("словом", "словами"), "gen": ("слова", "слов")}[case][0 if single else 1]


def _edit_phrase(edit: _Edit) -> str:
    if not edit.old and not edit.anchor:
        return f"дополнить {_noun(edit.new, 'ins')} «{edit.new}»"
    if not edit.old:
        return f"после {_noun(edit.anchor, 'gen')} «{edit.anchor}» дополнить {_noun(edit.new, 'ins')} «{edit.new}»"
    if not edit.new:
        return f"{_noun(edit.old, 'acc')} «{edit.old}» исключить"
    return f"{_noun(edit.old, 'acc')} «{edit.old}» заменить {_noun(edit.new, 'ins')} «{edit.new}»"


def words_sentence(place_loc: str, place_acc: str, edits: list[_Edit]) -> str:
    """«в пункте 3 слова «…» заменить словами «…», слова «…» исключить»; an addition only: «пункт 3 дополнить …»."""
    phrases = ", ".join(_edit_phrase(edit) for edit in edits)
    if all(not edit.old for edit in edits):
        return f"{place_acc} {phrases}"
    return f"в {place_loc} {phrases}"


# --- units: how the decree names them --------------------------------------------------------


_PART_NOUNS = {"title": "наименование", "subtitle": "наименование", "preamble": "преамбула"}
_APPENDIX_PARTS = {
    "budget": {"total": "строка «Итого»", "codes": "абзац «Коды бюджетной классификации»",
               "funding_source": "абзац «Источник финансирования»"},
    "specification": {"event_name": "пункт 1", "service_period": "пункт 3", "funding_source": "пункт 4"},
}
_UNIT_NOUNS = {"clause": "пункт", "row": "строка", "indicator": "строка", "item": "пункт", "section": "раздел"}


def _inflected(phrase: str, case: str) -> str:
    """The head noun of «строка «Итого»», «абзац «…»», «пункт 3» in `case`; the rest as written."""
    head, _, rest = phrase.partition(" ")
    return f"{inflect_noun(head, case)} {rest}".strip()


def unit_name(document: str, unit: Unit) -> str:
    """«пункт 3», «подпункт 5.1», «строка 1.3», «строка «Услуги наставников»», «наименование» — nominative."""
    if unit.kind == PART:
        return _APPENDIX_PARTS.get(document, {}).get(unit.address) or _PART_NOUNS.get(unit.address, unit.address)
    if unit.kind in ("line", "subline"):
        return f"строка «{unit.cells['title'][0]}»"
    number = unit.address
    if unit.kind == "clause" and "." in number:
        return f"подпункт {number}"
    return f"{_UNIT_NOUNS[unit.kind]} {number}"


class _Columns:
    """Headings of an appendix's table columns, for «в графе «…»»."""

    def __init__(self, programme: Programme):
        self.headings: dict[str, dict[str, str]] = {}
        if programme.roadmap:
            self.headings["roadmap"] = {column.field: column.heading for column in programme.roadmap.columns}
        if programme.budget:
            self.headings["budget"] = dict(zip(("title", "amount"), programme.budget.columns, strict=False))
        if programme.indicators:
            self.headings["indicators"] = {column.field: column.heading for column in programme.indicators.columns}

    def place(self, document: str, unit: Unit, cell: str) -> tuple[str, str]:
        """Where a cell's words are: (locative, accusative) — «строке 1.3 в графе «Срок»», …"""
        name = unit_name(document, unit)
        if unit.kind == "section":
            return f"наименовании {inflect_noun('раздел', 'gen')} {unit.address}", \
                f"наименование {inflect_noun('раздел', 'gen')} {unit.address}"
        heading = self.headings.get(document, {}).get(cell)
        in_cell = f" в графе «{heading}»" if heading and unit.kind in ("row", "indicator") else ""
        return _inflected(name, "loc") + in_cell, _inflected(name, "acc") + in_cell


# --- the items of an amendment ----------------------------------------------------------------


@dataclass
class _UnitChanges:
    """The changes of one unit (or one renumbering): one item of the decree."""

    document: str
    kind: str                   # cells | removed | added | renumber
    changes: list[AmendmentChange]


def _group(changes: list[AmendmentChange]) -> list[_UnitChanges]:
    groups: dict[tuple, _UnitChanges] = {}
    for index, change in enumerate(changes):
        key: tuple
        if change.renumber is not None:
            key, kind = ("renumber", index), "renumber"
        elif change.added is not None:
            key, kind = ("added", change.item), "added"
        elif change.removed is not None:
            key, kind = ("removed", change.item), "removed"
        else:
            key, kind = ("cells", change.item), "cells"
        group = groups.setdefault((change.document, *key), _UnitChanges(change.document, kind, []))
        group.changes.append(change)
    return list(groups.values())


def _numbers(addresses: list[str]) -> str:
    """«3», «3 и 4», «3–5» (consecutive numbers of one level), else «3, 5 и 8»."""
    if len(addresses) == 1:
        return addresses[0]
    last = [address.rpartition(".")[2] for address in addresses]
    prefixes = {address.rpartition(".")[0] for address in addresses}
    consecutive = all(n.isdigit() for n in last) and len(prefixes) == 1 and \
        [int(n) for n in last] == list(range(int(last[0]), int(last[0]) + len(last)))
    if consecutive and len(addresses) > 2:
        return f"{addresses[0]}–{addresses[-1]}"
    return ", ".join(addresses[:-1]) + f" и {addresses[-1]}"


class _Writer:
    def __init__(self, programme: Programme, decree: Decree, amendment: Amendment, before: Edition, after: Edition):
        self.programme = programme
        self.decree = decree
        self.amendment = amendment
        self.before, self.after = before, after
        self.columns = _Columns(programme)
        self.numbers = appendix_numbers(programme)
        self.kind = decree.kind

    # -- one unit ------------------------------------------------------------------------------

    def cells_item(self, group: _UnitChanges) -> Item:
        document, changes = group.document, group.changes
        address = changes[0].item or ""
        unit = unit_at(self.before, document, address) or Unit(address, kind_of(document, address, {}), {})
        own = next((change.wording for change in changes if change.wording), None)
        forced = next((change.form for change in changes if change.form in ("words", "edition")), None)
        # several cells of one row: the row in a new edition (a third level of items is not used)
        by_words = forced == "words" or (forced is None and not (unit.kind in ("row", "indicator") and len(changes) > 1))
        edits: list[_Edit] = []
        for change in changes:
            old, new = "\n".join(change.old or ()), "\n".join(change.new or ())
            if old and new and _FIGURES.fullmatch(old) and _FIGURES.fullmatch(new):
                edits.append(_Edit(old, new))        # a figure is replaced whole: «цифры «300 000,00» …»
                continue
            found, changed, share = word_edits(old, new)
            if forced is None and (not old or (changed > FEW_WORDS and share * 100 > self.amendment.forms.words)):
                by_words = False
            edits.extend(found)
        if unit.kind == PART and document in _APPENDIX_PARTS and not by_words and forced != "edition":
            # a part printed after a heading of its own («4. Источник финансирования: …») is replaced whole
            edits = [_Edit("\n".join(c.old or ()), "\n".join(c.new or ())) for c in changes]
            by_words = True
        if by_words and edits:
            place_loc, place_acc = self.columns.place(document, unit, changes[0].field or "")
            return Item(own or words_sentence(place_loc, place_acc, edits))
        return self.edition_item(group, unit, own)

    def edition_item(self, group: _UnitChanges, unit: Unit, own: str | None) -> Item:
        document = group.document
        new_unit = self.unit_after(group, unit)
        if unit.kind == "section":
            # a section's row is its name: «наименование раздела 2 изложить в следующей редакции: «…»»
            text = own or f"{self.columns.place(document, unit, 'title')[1]} изложить в следующей редакции"
            return Item(text, Quote([" ".join(new_unit.cells.get("title", ()))]))
        name = unit_name(document, unit)
        text = own or f"{_inflected(name, 'acc')} изложить в следующей редакции"
        if unit.kind in ("row", "indicator", "line", "subline"):
            return Item(text, self.rows(document, [new_unit]))
        return Item(text, Quote(self.paragraphs([new_unit])))

    def unit_after(self, group: _UnitChanges, unit: Unit) -> Unit:
        """The unit as the changes leave it (its address before any renumbering)."""
        cells = dict(unit.cells)
        for change in group.changes:
            cells[change.field or "text"] = tuple(change.new or ())
        return Unit(unit.address, unit.kind, cells)

    def rows(self, document: str, units: list[Unit]) -> Quote:
        """Rows quoted as the appendix's table prints them: numbered «3.» (or «3» for plain numbering)."""
        plain = document == "roadmap" and self.programme.roadmap is not None and self.programme.roadmap.numbering == "plain"
        return Quote(document=document, rows=[("" if unit.kind in ("line", "subline") else
                                                unit.address if plain else f"{unit.address}.", unit) for unit in units])

    def paragraphs(self, units: list[Unit]) -> list[str]:
        """A clause or a part as printed: «5. Текст», its sub-clauses after it."""
        lines = []
        for unit in units:
            text = " ".join(t for texts in unit.cells.values() for t in texts)
            lines.append(text if unit.kind == PART else f"{unit.address}. {text}")
        return lines

    def removed_item(self, group: _UnitChanges) -> Item | None:
        change = group.changes[0]
        if self.inside_another(group.document, change.item or "", "removed"):
            return None
        cells = {k: tuple(v) for k, v in (change.removed or {}).items()}
        unit = unit_at(self.before, group.document, change.item) or Unit(
            change.item or "", kind_of(group.document, change.item or "", cells), cells)
        name = unit_name(group.document, unit)
        verb = "признать утратившим силу" if unit.kind == "clause" else "исключить"
        return Item(change.wording or f"{_inflected(name, 'acc')} {verb}")

    def inside_another(self, document: str, address: str, kind: str) -> bool:
        """A sub-clause or a section's row goes with the clause (section) added or removed with it."""
        parent = address.rpartition(".")[0]
        if not parent:
            return False
        own = [c.item for c in self.amendment.changes if c.document == document and getattr(c, kind) is not None]
        return parent in own

    def added_item(self, group: _UnitChanges) -> Item | None:
        change = group.changes[0]
        document = group.document
        if self.inside_another(document, change.item or "", "added"):
            return None
        cells = {k: tuple(v) for k, v in (change.added or {}).items()}
        unit = Unit(change.item or "", kind_of(document, change.item or "", cells), cells)
        after_units = self.after.get(document, [])
        children = [u for u in after_units if u.address.startswith(unit.address + ".")
                    and any(c.added is not None and c.item == u.address for c in self.amendment.changes)]
        last_of_level = self.is_last(after_units, unit)
        if unit.kind in ("line", "subline"):
            previous = unit_at(self.after, document, change.after)
            where = (f"после {inflect_noun('строка', 'gen')} «{previous.cells['title'][0]}» "
                     if previous is not None and previous.kind in ("line", "subline") else "")
            text = f"{where}дополнить строкой следующего содержания"
            return Item(change.wording or text, self.rows(document, [unit]))
        noun = _UNIT_NOUNS[unit.kind] if not (unit.kind == "clause" and "." in unit.address) else "подпункт"
        # in the middle the unit takes a number others had: «дополнить новым пунктом 3» (they are renumbered)
        phrase = inflect_phrase(noun if last_of_level else f"новый {noun}", "ins")
        parent = unit.address.rpartition(".")[0]
        owner = f"{inflect_noun('пункт', 'acc')} {parent} " if unit.kind == "clause" and parent else ""
        text = change.wording or f"{owner}дополнить {phrase} {unit.address} следующего содержания"
        if unit.kind in ("row", "indicator", "section"):
            return Item(text, self.rows(document, [unit, *children]))
        return Item(text, Quote(self.paragraphs([unit, *children])))

    def is_last(self, units: list[Unit], unit: Unit) -> bool:
        """Whether a unit added at `unit.address` comes after every unit of its level (no new number needed)."""
        level = unit.address.count(".")
        parent = unit.address.rpartition(".")[0]
        same_level = [u for u in units if u.kind == unit.kind and u.address.count(".") == level
                      and u.address.rpartition(".")[0] == parent]
        return bool(same_level) and same_level[-1].address == unit.address

    def renumber_item(self, group: _UnitChanges) -> Item | None:
        change = group.changes[0]
        document = group.document
        if document == "budget":
            return None        # the «из них» lines of a budget are not numbered in print
        mapping = {old: new for old, new in (change.renumber or {}).items()
                   if old.rpartition(".")[0] not in {o for o in change.renumber or {}}}
        if not mapping:
            return None
        sample = unit_at(self.before, document, next(iter(mapping)))
        noun = _UNIT_NOUNS.get(sample.kind if sample else "clause", "пункт")
        if noun == "пункт" and "." in next(iter(mapping)) and document == "decree":
            noun = "подпункт"
        olds, news = list(mapping), list(mapping.values())
        if len(olds) == 1:
            text = f"{_inflected(noun + ' ' + olds[0], 'acc')} считать {inflect_noun(noun, 'ins')} {news[0]}"
        else:
            text = (f"{inflect_noun(noun, 'nom', plural=True)} {_numbers(olds)} считать соответственно "
                    f"{inflect_noun(noun, 'ins', plural=True)} {_numbers(news)}")
        return Item(change.wording or text)

    # -- the whole ---------------------------------------------------------------------------

    def item(self, group: _UnitChanges) -> Item | None:
        if group.kind == "removed":
            return self.removed_item(group)
        if group.kind == "added":
            return self.added_item(group)
        if group.kind == "renumber":
            return self.renumber_item(group)
        return self.cells_item(group)

    def new_edition(self, document: str, groups: list[_UnitChanges]) -> bool:
        """Most rows of the appendix changed (or a change asks for it): the appendix in a new edition."""
        if any(change.form == "appendix" for group in groups for change in group.changes):
            return True
        if any(change.form in ("words", "edition") for group in groups for change in group.changes):
            return False
        rows = [unit for unit in self.after.get(document, []) if unit.kind != PART]
        touched = {(group.kind, change.item) for group in groups if group.kind != "renumber"
                   for change in group.changes if change.item not in _APPENDIX_PARTS.get(document, {})
                   and change.item not in _PART_NOUNS}
        return bool(rows) and len(touched) * 100 >= self.amendment.forms.appendix * len(rows)

    def write(self) -> AmendingText:
        groups = _group(self.amendment.changes)
        documents = list(dict.fromkeys(group.document for group in groups))
        whole = [d for d in documents if d != "decree" and self.new_edition(d, [g for g in groups if g.document == d])]
        items: list[Item] = []
        appendix_items: dict[str, Item] = {}
        for group in groups:
            document = group.document
            if document in whole:
                if document not in appendix_items:
                    appendix_items[document] = Item(self.appendix_sentence(document, whole))
                    items.append(appendix_items[document])
                continue
            item = self.item(group)
            if item is None:
                continue
            if document == "decree":
                items.append(item)
                continue
            if document not in appendix_items:
                appendix_items[document] = Item(f"в {inflect_noun('приложение', 'loc')} {self.numbers[document]}")
                items.append(appendix_items[document])
            appendix_items[document].items.append(item)
        for item in appendix_items.values():
            if len(item.items) == 1:      # one change of an appendix: one sentence, no «а)»
                only = item.items[0]
                item.text, item.quote, item.items = f"{item.text} {only.text}", only.quote, []
        return AmendingText(self.title(len(items)), self.opening(len(items)), items, whole, self.amendment.numbering)

    def appendix_sentence(self, document: str, whole: list[str]) -> str:
        attachment = "приложению" if len(whole) == 1 else f"приложению {whole.index(document) + 1}"
        return (f"приложение {self.numbers[document]} изложить в новой редакции согласно {attachment} "
                f"к настоящему {inflect_phrase(self.kind, 'dat')}")

    def title(self, count: int) -> str:
        if self.amendment.title:
            return self.amendment.title
        word = "изменения" if count == 1 else "изменений"
        return f"О внесении {word} в {decree_reference(self.programme, self.decree, 'acc')}"

    def opening(self, count: int) -> str:
        signed = unit_at(self.before, "decree", "title")   # the title as the amended decree prints it
        title = f" «{' '.join(signed.cells['text'])}»" if signed is not None and signed.cells.get("text") else ""
        what = "следующее изменение" if count == 1 else "следующие изменения"
        return f"Внести в {decree_reference(self.programme, self.decree, 'acc')}{title} {what}:"


def amending_text(programme: Programme, decree: Decree, amendment: Amendment, before: Edition,
                  after: Edition) -> AmendingText:
    """What the amending decree says: its title, its opening clause and its items."""
    return _Writer(programme, decree, amendment, before, after).write()


def amendment_reference(programme: Programme, decree: Decree, amendments: list[Amendment], case: str) -> str:
    """«приказа управления … от 10.03.2022 № 300» (several: «приказов … от …, от …») — signed amendments only."""
    return issued_reference(programme, decree, [(formats.date_numeric(a.date), a.number) for a in amendments
                                        if a.date is not None and a.number], case)


def edition_notes(programme: Programme) -> dict[str, str]:
    """«(в ред. приказа … от … № …)» under the decree's title and each amended appendix's stamp, by document kind:
    the amendments in force — signed, with a number and a date — that changed it (the decree: all of them)."""
    decree = programme.decree
    signed = [amendment for amendment in programme.amendments.values() if amendment.date and amendment.number]
    notes: dict[str, str] = {}
    if decree is None:
        return notes
    for document in ("decree", "roadmap", "budget", "indicators", "specification"):
        changed = [a for a in signed if document == "decree" or any(c.document == document for c in a.changes)]
        if changed:
            notes[document] = f"(в ред. {amendment_reference(programme, decree, changed, 'gen')})"
    return notes
