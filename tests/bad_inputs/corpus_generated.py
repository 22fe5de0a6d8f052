"""Corpus cases that are made at test time: what git should not or cannot hold.

20 MB files, binary junk, other encodings and line endings, raw control characters,
symlinks out of the specs folder, FIFOs, permissions, own DOCX templates. Each case
starts from the base programme (`_base/corpus-2022`) and changes what it needs.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

from corpus_cases import PROGRAMME, Case, Expected, base_tree

from engine.loading.yaml_source import MAX_FILE_BYTES

REPO = Path(__file__).resolve().parents[2]
GENERATED: list[Case] = []
MARKER = "PWNED"   # what a payload that managed to run would create in the build's folder


def case(name: str, about: str, exit: int, codes: list[str], file: str | None = None, line: int | None = None,
         shows: list[str] | None = None, as_other_user: bool = False, xfail: str | None = None):
    """Register a generated case; the function gets the base programme folder (<work>/specs/corpus-2022)."""
    def register(function: Callable[[Path], None]) -> Callable[[Path], None]:
        def make(work: Path) -> None:
            function(base_tree(work))

        GENERATED.append(Case(name, Expected(about, exit, tuple(codes), file, line, tuple(shows or ()),
                                             as_other_user, xfail), make))
        return function

    return register


def edit(path: Path, old: str, new: str) -> int:
    """Replace the one occurrence of `old` in a base file; returns the 1-based line where it starts."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path.name, old)
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert text.count(needle) == 1, (path.name, needle)
    return text[: text.index(needle)].count("\n") + 1


ROADMAP_MEETING_TITLE = "      title: Заседание рабочей группы"   # line 24 of the base roadmap.yaml


# --- size -----------------------------------------------------------------------------------


@case("size-20-megabytes", "a 20 MB YAML file beside the programme: refused by its size, not read", 1,
      ["Y009"], "huge.yaml", 1)
def _twenty_megabytes(programme: Path) -> None:
    line = b"- \"" + b"x" * 76 + b"\"\n"
    with open(programme / "huge.yaml", "wb") as stream:
        stream.write(b"extra:\n")
        stream.write(line * (20 * 1024 * 1024 // len(line)))


@case("size-one-byte-over-the-limit", "a file one byte over the size limit", 1, ["Y009"], "roadmap.yaml", 1)
def _just_over(programme: Path) -> None:
    path = programme / "roadmap.yaml"
    text = path.read_bytes()
    path.write_bytes(text + b"#" * (MAX_FILE_BYTES + 1 - len(text)))


@case("size-100k-activity-title", "an activity title of 100 000 characters is text like any other", 0, [],
      shows=[("Заседание " * 10_000).strip()])
def _long_title(programme: Path) -> None:
    edit(programme / "roadmap.yaml", ROADMAP_MEETING_TITLE, "      title: " + ("Заседание " * 10_000).strip())


@case("size-100k-title-and-an-error", "100 000 characters in a title, then an unknown key two lines below", 1,
      ["M001"], "roadmap.yaml", 25)
def _long_title_then_error(programme: Path) -> None:
    edit(programme / "roadmap.yaml", ROADMAP_MEETING_TITLE,
         "      title: " + "Ж" * 100_000 + "\n      titel: Заседание")


@case("size-100k-key", "a key of 100 000 characters (YAML allows 1024 for a plain key)", 1, ["Y001"], "roadmap.yaml",
      25)
def _long_key(programme: Path) -> None:
    edit(programme / "roadmap.yaml", ROADMAP_MEETING_TITLE, ROADMAP_MEETING_TITLE + "\n      " + "k" * 100_000 + ": x")


@case("size-300-character-appendix-title", "an appendix title longer than a DOCX core property (255 characters)", 0,
      [], shows=["Ж" * 300])
def _long_appendix_title(programme: Path) -> None:
    edit(programme / "roadmap.yaml", "  title: Дорожная карта", "  title: " + "Ж" * 300)


@case("size-300-character-decree-number", "a decree number of 300 characters", 0, [], shows=["7" * 300])
def _long_decree_number(programme: Path) -> None:
    edit(programme / "decree.yaml", '  number: "15"', '  number: "' + "7" * 300 + '"')


@case("size-programme-id-of-250-characters",
      "a programme id (and folder) of 250 characters: the outputs folder's staging name is longer than a file name "
      "may be", 1, ["E902"], "programme.yaml", 1)
def _long_programme_id(programme: Path) -> None:
    long_id = "a" * 250
    edit(programme / "programme.yaml", f"  id: {PROGRAMME}", f"  id: {long_id}")
    programme.rename(programme.parent / long_id)


# --- nesting and aliases ----------------------------------------------------------------------


@case("nesting-flow-100k", "100 000 opening brackets", 1, ["Y006"], "roadmap.yaml")
def _deep_flow(programme: Path) -> None:
    (programme / "roadmap.yaml").write_text("roadmap: " + "[" * 100_000 + "\n", encoding="utf-8")


@case("nesting-flow-mappings", "{a: {a: … 20 000 deep", 1, ["Y006"], "roadmap.yaml")
def _deep_flow_mappings(programme: Path) -> None:
    (programme / "roadmap.yaml").write_text("roadmap: " + "{a: " * 20_000 + "x" + "}" * 20_000 + "\n",
                                            encoding="utf-8")


@case("nesting-block-1500", "1 500 levels of indented keys (1 MB)", 1, ["Y006"], "roadmap.yaml")
def _deep_block(programme: Path) -> None:
    (programme / "roadmap.yaml").write_text("".join(" " * i + "k:\n" for i in range(1500)), encoding="utf-8")


@case("nesting-sequence-5000", "«- - - - …» 5 000 deep", 1, ["Y006"], "roadmap.yaml")
def _deep_sequence(programme: Path) -> None:
    (programme / "roadmap.yaml").write_text("roadmap:\n  activities:\n    " + "- " * 5000 + "x\n", encoding="utf-8")


@case("alias-bomb-wide", "one anchor and 100 000 aliases to it (a billion-laughs variant made wide)", 1,
      ["Y005"], "roadmap.yaml")
def _wide_aliases(programme: Path) -> None:
    body = "\n".join("  - *a" for _ in range(100_000))
    (programme / "roadmap.yaml").write_text(f"lol: &a [x, x, x, x, x, x, x, x, x, x]\nroadmap:\n{body}\n",
                                            encoding="utf-8")


# --- bytes and encodings ------------------------------------------------------------------------


@case("bytes-random-junk", "64 KB of random bytes as decree.yaml", 1, ["Y003"], "decree.yaml")
def _random_junk(programme: Path) -> None:
    (programme / "decree.yaml").write_bytes(random.Random(20_22).randbytes(65_536))


@case("bytes-png-named-yaml", "a PNG picture saved as a .yaml file", 1, ["Y003"], "logo.yaml", 1)
def _png(programme: Path) -> None:
    (programme / "logo.yaml").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)


@case("bytes-zip-named-yaml", "a DOCX (zip) saved as a .yaml file", 1, ["Y003"], "budget.yaml", 1)
def _zip(programme: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # a fixed date: the header's time bytes decide on which «line» the first non-UTF-8 byte falls
        archive.writestr(zipfile.ZipInfo("word/document.xml", date_time=(2022, 3, 1, 12, 0, 0)), "<w:document/>" * 100)
    (programme / "budget.yaml").write_bytes(buffer.getvalue())


@case("bytes-nul-in-a-value", "a NUL byte in the middle of a title", 1, ["Y003"], "roadmap.yaml", 24)
def _nul(programme: Path) -> None:
    edit(programme / "roadmap.yaml", ROADMAP_MEETING_TITLE, "      title: Заседание\x00 рабочей группы")


@case("encoding-cp1251", "organisations.yaml saved in Windows-1251", 1, ["Y003"], "organisations.yaml", 3)
def _cp1251(programme: Path) -> None:
    path = programme / "organisations.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1251"))


@case("encoding-koi8-r", "decree.yaml saved in KOI8-R", 1, ["Y003"], "decree.yaml", 2)
def _koi8(programme: Path) -> None:
    path = programme / "decree.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("koi8-r", errors="replace"))


@case("encoding-utf16-with-bom", "programme.yaml saved as UTF-16 (Notepad's «Unicode»)", 1, ["Y003"],
      "programme.yaml", 1)
def _utf16(programme: Path) -> None:
    path = programme / "programme.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))


@case("encoding-utf16-be-without-bom", "roadmap.yaml as UTF-16 big-endian without a BOM", 1, ["Y003"],
      "roadmap.yaml", 1)
def _utf16be(programme: Path) -> None:
    path = programme / "roadmap.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16-be"))


@case("encoding-utf32", "budget.yaml as UTF-32", 1, ["Y003"], "budget.yaml", 1)
def _utf32(programme: Path) -> None:
    path = programme / "budget.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-32"))


@case("encoding-one-cp1251-line", "UTF-8, but one title pasted in Windows-1251", 1, ["Y003"], "roadmap.yaml", 24)
def _mixed(programme: Path) -> None:
    path = programme / "roadmap.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    data = [line.encode("cp1251" if index == 23 else "utf-8") for index, line in enumerate(lines)]
    path.write_bytes(b"\n".join(data))


@case("encoding-utf8-surrogate", "an encoded UTF-16 surrogate (ED A0 80) inside a title", 1, ["Y003"],
      "roadmap.yaml", 24)
def _surrogate(programme: Path) -> None:
    path = programme / "roadmap.yaml"
    path.write_bytes(path.read_bytes().replace("Заседание рабочей".encode(),
                                               "Заседание ".encode() + b"\xed\xa0\x80" + " рабочей".encode()))


@case("encoding-overlong-utf8", "an overlong UTF-8 «/» (C0 AF) in a value", 1, ["Y003"], "budget.yaml", 23)
def _overlong(programme: Path) -> None:
    path = programme / "budget.yaml"
    path.write_bytes(path.read_bytes().replace(b'total: "500 000,00"', b'total: "500 000,00\xc0\xaf"'))


@case("bom-accepted", "a UTF-8 BOM at the start of every file: accepted", 0, [],
      shows=["Заседание рабочей группы", "Консалтинговое сопровождение"])
def _bom(programme: Path) -> None:
    for path in programme.glob("*.yaml"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


@case("bom-then-an-error", "a BOM does not shift positions: the unknown key is on line 24, column 7", 1,
      ["M001"], "roadmap.yaml", 24)
def _bom_error(programme: Path) -> None:
    edit(programme / "roadmap.yaml", ROADMAP_MEETING_TITLE, "      titel: Заседание рабочей группы")
    path = programme / "roadmap.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


@case("crlf-accepted", "Windows line endings in every file: accepted", 0, [], shows=["Заседание рабочей группы"])
def _crlf(programme: Path) -> None:
    for path in programme.glob("*.yaml"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))


@case("crlf-then-an-error", "CRLF line endings and a wrong total on line 23", 1, ["S101"], "budget.yaml", 23)
def _crlf_error(programme: Path) -> None:
    edit(programme / "budget.yaml", '  total: "500 000,00"', '  total: "500 000,01"')
    for path in programme.glob("*.yaml"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))


@case("cr-only-then-an-error", "old Mac line endings (CR only) and a wrong total on line 23", 1, ["S101"],
      "budget.yaml", 23)
def _cr_error(programme: Path) -> None:
    edit(programme / "budget.yaml", '  total: "500 000,00"', '  total: "500 000,01"')
    path = programme / "budget.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))


# --- control characters -------------------------------------------------------------------------


@case("control-raw-vertical-tab", "a raw \\x0b (vertical tab, from Word) in a title", 1, ["Y014"], "roadmap.yaml", 24)
def _raw_vt(programme: Path) -> None:
    edit(programme / "roadmap.yaml", ROADMAP_MEETING_TITLE, "      title: Заседание\x0bрабочей группы")


@case("control-raw-form-feed", "a raw form feed between two keys", 1, ["Y014"], "budget.yaml")
def _raw_ff(programme: Path) -> None:
    edit(programme / "budget.yaml", '  total: "500 000,00"', '  total: "500 000,00"\x0c')


@case("control-terminal-escape", "ANSI escapes (set the terminal title, clear the screen) in a title", 1,
      ["Y014"], "roadmap.yaml", 24)
def _ansi(programme: Path) -> None:
    edit(programme / "roadmap.yaml", ROADMAP_MEETING_TITLE, "      title: Заседание \x1b]0;PWNED\x07\x1b[2J группы")


@case("control-zero-width-space", "a zero-width space (U+200B) inside a budget code", 1, ["Y014"], "budget.yaml", 6)
def _zwsp(programme: Path) -> None:
    edit(programme / "budget.yaml", 'КФСР: "0709"', 'КФСР: "07\u200b09"')


@case("control-c1-in-a-key", "a C1 control character (U+0085) inside a key", 1, ["Y014"], "organisations.yaml", 6)
def _c1_key(programme: Path) -> None:
    edit(programme / "organisations.yaml", "    short: ИРО", "    sh\u0085ort: ИРО")


# --- issue 10: what ended in E901 or a crash, and settings that did nothing --------------------------------


@case("timezone-a-folder", "«timezone: Europe» — a folder of the zone database (E901 once)", 1, ["P801"], "programme.yaml", 13)
def _zone_folder(programme: Path) -> None:
    edit(programme / "programme.yaml", "timezone: Europe/Moscow", "timezone: Europe")


@case("timezone-localtime", "«timezone: localtime» — this machine's zone, not a name", 1, ["P801"], "programme.yaml", 13)
def _zone_localtime(programme: Path) -> None:
    edit(programme / "programme.yaml", "timezone: Europe/Moscow", "timezone: localtime")


@case("newline-in-programme-title", "a line break in the programme's title (it names every calendar)", 1, ["M006"],
      "programme.yaml", 10)
def _title_newline(programme: Path) -> None:
    edit(programme / "programme.yaml", "  title: Поддержка школ", '  title: "Поддержка\\nшкол')
    edit(programme / "programme.yaml", "условная область, 2022\n", 'условная область, 2022"\n')


@case("cr-in-organisation-short-name", "an escaped CR with a forged calendar line in an organisation's short name",
      1, ["Y014"], "organisations.yaml", 3)
def _short_cr(programme: Path) -> None:
    edit(programme / "organisations.yaml", "    short: УО", '    short: "УО\\rBEGIN:VEVENT\\rUID:forged"')


@case("newline-in-region", "a literal block with two lines as the region", 1, ["M006"], "programme.yaml", 11)
def _region_newline(programme: Path) -> None:
    edit(programme / "programme.yaml", "  region: Условная область\n", "  region: |\n    Условная\n    область\n")


@case("noncharacter-in-activity-title", "U+FFFE in an activity's title (XML refuses it: E901 once)", 1, ["Y014"],
      "roadmap.yaml", 24)
def _ufffe(programme: Path) -> None:
    edit(programme / "roadmap.yaml", ROADMAP_MEETING_TITLE, "      title: Заседание\ufffeрабочей группы")


@case("bidi-override-in-a-comment", "a right-to-left override in a comment («Trojan Source»)", 1, ["Y014"],
      "budget.yaml")
def _bidi_comment(programme: Path) -> None:
    edit(programme / "budget.yaml", '  total: "500 000,00"', '  total: "500 000,00"  # \u202e 00,000 009')


@case("year-negative", "«year: -2022» in an indicator", 1, ["P501"], "indicators.yaml", 8)
def _year_negative(programme: Path) -> None:
    edit(programme / "indicators.yaml", "      year: 2022\n      measures", "      year: -2022\n      measures")


@case("date-year-one", "the decree dated «01.01.0001»", 1, ["P501"], "decree.yaml", 5)
def _date_year_one(programme: Path) -> None:
    edit(programme / "decree.yaml", "  date: 14.01.2022", "  date: 01.01.0001")


@case("column-width-tiny", "«width: 1e-300» — a column no letter fits in", 1, ["M003"], "roadmap.yaml", 8)
def _width_tiny(programme: Path) -> None:
    edit(programme / "roadmap.yaml", "      heading: № п/п\n", "      heading: № п/п\n      width: 1e-300\n")


@case("checks-off-unknown-reference", "O301 turned off and an owner that is not defined (E901 once)", 1,
      ["R510", "O301"], "programme.yaml", 14)
def _o301_off(programme: Path) -> None:
    edit(programme / "programme.yaml", "timezone: Europe/Moscow", "timezone: Europe/Moscow\n  checks: {O301: \"off\"}")
    edit(programme / "roadmap.yaml", "      owners: [komobr]", "      owners: [nobody]")


@case("checks-off-placeholder", "R506 turned off and a placeholder that names nothing (E901 once)", 1,
      ["R510", "R506"], "programme.yaml", 14)
def _r506_off(programme: Path) -> None:
    edit(programme / "programme.yaml", "timezone: Europe/Moscow", "timezone: Europe/Moscow\n  checks: {R506: \"off\"}")
    edit(programme / "decree.yaml", "{{ control.acc }}", "{{ control.accc }}")


@case("checks-off-template-syntax", "X101 turned off and an expression in a clause (E901 once)", 1,
      ["R510", "X101"], "programme.yaml", 14)
def _x101_off(programme: Path) -> None:
    edit(programme / "programme.yaml", "timezone: Europe/Moscow", "timezone: Europe/Moscow\n  checks: {X101: \"off\"}")
    edit(programme / "decree.yaml", "{{ control.acc }}", "{{ control.acc | upper }}")


@case("checks-off-duplicate-id", "R505 turned off and two activities with one id (a calendar event lost once)", 1,
      ["R510", "R505"], "programme.yaml", 14)
def _r505_off(programme: Path) -> None:
    edit(programme / "programme.yaml", "timezone: Europe/Moscow", "timezone: Europe/Moscow\n  checks: {R505: \"off\"}")
    edit(programme / "roadmap.yaml", "    - id: consultations", "    - id: monitoring")


@case("silence-at-the-wrong-level", "«silence: {T201: …}» on the whole roadmap: it silences nothing (a warning)", 0,
      ["R511"],
      "roadmap.yaml", 5)
def _idle_silence(programme: Path) -> None:
    edit(programme / "roadmap.yaml", "  glossary: [ipk, tsok, oo]\n",
         "  glossary: [ipk, tsok, oo]\n  silence: {T201: работы за пределами периода}\n")


@case("columns-a-third-heading", "three headings over the two columns of the budget's table (a warning)", 0,
      ["R512"], "budget.yaml", 3)
def _third_heading(programme: Path) -> None:
    edit(programme / "budget.yaml", "  title: Смета расходов\n",
         "  title: Смета расходов\n  columns: [Расходы, Сумма, Примечание]\n")


@case("dependency-ends-the-day-it-starts", "a meeting on the day the monitoring it depends on ends: no T204", 0, [])
def _same_day(programme: Path) -> None:
    edit(programme / "roadmap.yaml", "time: 01.04.2022 – 05.04.2022; 20.10.2022 – 25.10.2022",
         "time: 31.03.2022 – 05.04.2022; 15.10.2022 – 25.10.2022")


@case("one-error-hides-none", "an unparsable deadline in roadmap.yaml and a wrong total in budget.yaml", 1,
      ["S101", "P101"], "budget.yaml", 23)
def _both_reported(programme: Path) -> None:
    edit(programme / "roadmap.yaml", "time: 01.04.2022 – 05.04.2022; 20.10.2022 – 25.10.2022",
         "time: 01.04.2022 – 35.04.2022")
    edit(programme / "budget.yaml", '  total: "500 000,00"', '  total: "510 000,00"')


# --- the file system: symlinks, folders, FIFOs, permissions ----------------------------------------


@case("fs-symlink-file-outside-root", "decree.yaml is a symlink to a file outside the specs folder", 1,
      ["Y011"], "decree.yaml", 1)
def _symlink_out(programme: Path) -> None:
    outside = programme.parent.parent / "elsewhere"
    outside.mkdir()
    (programme / "decree.yaml").rename(outside / "decree.yaml")
    (programme / "decree.yaml").symlink_to(outside / "decree.yaml")


@case("fs-symlink-to-etc-passwd", "extra.yaml → /etc/passwd: refused, and its lines never printed", 1,
      ["Y011"], "extra.yaml", 1)
def _passwd(programme: Path) -> None:
    (programme / "extra.yaml").symlink_to("/etc/passwd")


@case("fs-symlink-relative-escape", "extra.yaml → ../../../../../../etc/hostname", 1, ["Y011"], "extra.yaml", 1)
def _relative_escape(programme: Path) -> None:
    (programme / "extra.yaml").symlink_to("../../../../../../../../etc/hostname")


@case("fs-symlinked-programme-folder", "the programme folder is a symlink to a folder outside the specs", 1,
      ["Y011"])
def _folder_out(programme: Path) -> None:
    outside = programme.parent.parent / "elsewhere"
    outside.mkdir()
    programme.rename(outside / PROGRAMME)
    programme.symlink_to(outside / PROGRAMME, target_is_directory=True)


@case("fs-symlink-loop", "a.yaml → b.yaml → a.yaml", 1, ["Y010"], "a.yaml", 1)
def _loop(programme: Path) -> None:
    (programme / "a.yaml").symlink_to("b.yaml")
    (programme / "b.yaml").symlink_to("a.yaml")


@case("fs-dangling-symlink", "indicators.yaml is a symlink to a file that does not exist", 1,
      ["Y010"], "indicators.yaml", 1)
def _dangling(programme: Path) -> None:
    (programme / "indicators.yaml").unlink()
    (programme / "indicators.yaml").symlink_to("indicators-old.yaml")


@case("fs-directory-named-yaml", "a folder named extra.yaml", 1, ["Y010"], "extra.yaml", 1)
def _directory(programme: Path) -> None:
    (programme / "extra.yaml").mkdir()
    (programme / "extra.yaml" / "inner.yaml").write_text("a: b\n", encoding="utf-8")


@case("fs-fifo-named-yaml", "a named pipe called extra.yaml: reading it would wait forever", 1, ["Y010"],
      "extra.yaml", 1)
def _fifo(programme: Path) -> None:
    os.mkfifo(programme / "extra.yaml")


@case("fs-unreadable-file", "decree.yaml with permissions 000 (built as an unprivileged user)", 1,
      ["Y010"], "decree.yaml", 1, as_other_user=True)
def _unreadable(programme: Path) -> None:
    (programme / "decree.yaml").chmod(0)


@case("fs-unreadable-programme-folder", "the programme folder with permissions 000 (built as an unprivileged user)",
      1, ["Y010"], as_other_user=True)
def _unreadable_folder(programme: Path) -> None:
    programme.chmod(0)


@case("fs-empty-specs-folder", "the specs folder holds no programme at all", 1, ["Y013"])
def _no_programme(programme: Path) -> None:
    for path in programme.iterdir():
        path.unlink()
    programme.rmdir()


@case("fs-programme-named-like-shared-outputs",
      "a programme whose id is «calendars», the folder of the shared organisation feeds in outputs/", 1, ["R508"],
      "programme.yaml", 9)
def _calendars(programme: Path) -> None:
    edit(programme / "programme.yaml", f"  id: {PROGRAMME}", "  id: calendars")
    programme.rename(programme.parent / "calendars")


# --- own templates -------------------------------------------------------------------------------


def _own_template(programme: Path, kind: str, reference: str) -> None:
    path = programme / "programme.yaml"
    edit(path, "  timezone: Europe/Moscow", f"  timezone: Europe/Moscow\n  templates:\n    {kind}: {reference}")


def _docx_with(programme: Path, name: str, paragraph: str) -> None:
    import docx

    document = docx.Document(str(REPO / "templates" / "decree-prikaz.docx"))
    document.add_paragraph(paragraph)
    document.save(str(programme / name))


@case("template-symlink-outside-root", "an own template that is a symlink to a DOCX outside the specs folder", 1,
      ["D103"], "programme.yaml", 15)
def _template_symlink(programme: Path) -> None:
    (programme / "my.docx").symlink_to(REPO / "templates" / "decree-prikaz.docx")
    _own_template(programme, "decree", "my.docx")


@case("template-ssti-payload", "an own template that tries to reach os through Jinja globals", 1, ["D102"],
      "my.docx")
def _template_ssti(programme: Path) -> None:
    _docx_with(programme, "my.docx", "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}")
    _own_template(programme, "decree", "my.docx")


@case("template-class-walk", "an own template walking ''.__class__.__mro__ to subclasses", 1, ["D102"], "my.docx")
def _template_mro(programme: Path) -> None:
    _docx_with(programme, "my.docx", "{{ ''.__class__.__mro__[1].__subclasses__() }}")
    _own_template(programme, "decree", "my.docx")


@case("template-not-a-docx", "an own template that is a text file named .docx", 1, ["D103"], "programme.yaml", 15)
def _template_text(programme: Path) -> None:
    (programme / "my.docx").write_text("это не документ\n", encoding="utf-8")
    _own_template(programme, "budget", "my.docx")


@case("template-is-a-folder", "an own template path that names a folder", 1, ["D103"], "programme.yaml", 15)
def _template_folder(programme: Path) -> None:
    (programme / "templates").mkdir()
    _own_template(programme, "roadmap", "templates")
