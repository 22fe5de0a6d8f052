"""Every bad input, through the command line's entry point: `prikaz build <case specs> -o <outputs>`.

`outputs/` starts as a good build of the bundled specs. For each case (corpus_cases.py explains
the layout) the build must answer with the expected exit code and codes, every diagnostic must
carry file:line:col inside the case's spec tree, nothing may leak a Python traceback or run a
payload, and `outputs/` must be byte for byte what it was. A case the engine accepts (exit 0:
a BOM, CRLF, «&» in a title) must render its texts literally and add files without touching
any file that was there.

Each case runs in this process through `engine.commands.cli.main`, what the `prikaz` script calls
(a process each cost 45 % of the suite). A sample runs in a process of its own instead — what reaches
the real streams, the exit status, the payloads and bombs that must not take the process down, and
the cases that drop root's privileges: test_bad_input_in_a_process, a slow suite.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from bundled import PROGRAMMES, CliResult
from corpus_cases import CASES, PROGRAMME, Case, all_cases
from corpus_generated import MARKER

REPO = Path(__file__).resolve().parents[2]
ALL = all_cases()
# in a process of their own instead: one of each kind of answer and of each danger to the process
IN_A_PROCESS = {"xml-specials-in-title", "syntax-unclosed-quote", "control-terminal-escape", "encoding-cp1251",
                "jinja-popen-payload", "nesting-sequence-5000", "alias-bomb-billion-laughs", "alias-bomb-wide",
                "fs-symlink-to-etc-passwd"}
AS_ROOT = os.geteuid() == 0     # then the cases of an unprivileged user drop root's privileges, in a process


def _params(cases: list[Case]) -> list:
    return [pytest.param(case, id=case.name, marks=[pytest.mark.xfail(strict=True, reason=case.expected.xfail)]
                         if case.expected.xfail else []) for case in cases]


PARAMS = _params([case for case in ALL if case.name not in IN_A_PROCESS and not (AS_ROOT and case.expected.as_other_user)])
PROCESS_PARAMS = _params([case for case in ALL if case.name in IN_A_PROCESS or (AS_ROOT and case.expected.as_other_user)])

_SEVERITY = r"(?:ошибка|предупреждение|замечание)"
HEADER = re.compile(rf"^(?P<file>\S+):(?P<line>\d+):(?P<column>\d+): (?P<code>[A-Z]\d{{3}}) {_SEVERITY}: ")
LOOSE_HEADER = re.compile(rf"\b[A-Z]\d{{3}} {_SEVERITY}: ")           # a header, whatever its location
GUTTER = re.compile(r"^\s*\d*\s\|")                                   # a source snippet line
SUMMARY = re.compile(r"^Найдено: (.*)\.$", re.M)
PYTHON_ERROR = re.compile(r"\b\w*(?:Error|Exception)\b:")              # «ValueError: …» of Python
# the YAML reader's own words («expected ',' or ']', but got ':'»), which the loader translates
PARSER_ENGLISH = re.compile(r"\b(?:expected [<'\w]|found (?:character|unexpected|undefined)|but (?:found|got)|"
                            r"while (?:scanning|parsing))")
CRASH_CODES = {"E900", "E901"}                                         # a check or a renderer crashed
OTHER_USER = 65534                                                     # nobody


@functools.cache
def _unprivileged_prefix() -> tuple[list[str] | None, str]:
    """The command prefix that drops root's privileges (None if not root), or why it cannot be done here."""
    if os.geteuid() != 0:
        return None, ""
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None, "чтобы проверить права 000 от имени root, нужен setpriv (util-linux)"
    prefix = [setpriv, f"--reuid={OTHER_USER}", f"--regid={OTHER_USER}", "--clear-groups"]
    probe = subprocess.run([*prefix, sys.executable, "-c", "import engine.commands.cli"],
                           env=dict(os.environ, PYTHONPATH=str(REPO)), cwd="/", capture_output=True, text=True, timeout=60)
    if probe.returncode != 0:
        return None, f"пользователь {OTHER_USER} не может запустить prikaz из {REPO}: {probe.stderr.strip()[-200:]}"
    return prefix, ""


def _as_other_user() -> list[str] | None:
    """The command prefix that drops root's privileges, or None if not needed; skips where impossible."""
    prefix, impossible = _unprivileged_prefix()
    if impossible:
        pytest.skip(impossible)
    return prefix


BUILD = ("build", "specs", "-o", "outputs")
SOURCE_DATE_EPOCH = "1700000000"


def _build_in_a_process(work: Path, prefix: list[str] | None) -> CliResult:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(REPO), SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH,
               PYTHONDONTWRITEBYTECODE="1")
    completed = subprocess.run([*(prefix or []), sys.executable, "-m", "engine.commands.cli", *BUILD],
                               cwd=work, env=env, capture_output=True, text=True, encoding="utf-8", errors="replace",
                               timeout=180, stdin=subprocess.DEVNULL)
    return CliResult(completed.returncode, completed.stdout, completed.stderr)


def _open_up(root: Path) -> None:
    """Give back the permissions a case took away, so the folder can be inspected and removed."""
    for path in [root, *root.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)


def _diagnostics(stdout: str) -> list[re.Match]:
    headers = [line for line in stdout.split("\n") if LOOSE_HEADER.search(line) and not GUTTER.match(line)]
    matches = [HEADER.match(line) for line in headers]
    assert all(matches), "диагностика без файл:строка:столбец:\n" + "\n".join(
        line for line, match in zip(headers, matches, strict=True) if not match)
    counted = sum(int(number) for number in re.findall(r"(\d+) \w+", SUMMARY.search(stdout).group(1))) \
        if SUMMARY.search(stdout) else 0
    assert counted == len(matches), f"итог насчитал {counted} сообщений, а строк с местом {len(matches)}"
    return matches


def _inside(work: Path, relative: str) -> Path:
    path = Path(os.path.normpath(work / relative))
    assert path == work / "specs" or (work / "specs") in path.parents, f"место вне дерева спецификаций: {relative}"
    return path


def _check_position(path: Path, line: int, column: int) -> None:
    """A location inside a text file lies inside its text (a folder, binary or huge file: its start)."""
    if path.is_symlink() or not path.is_file() or path.stat().st_size > 4 * 1024 * 1024:
        assert (line, column) == (1, 1), (path, line, column)
        return
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (UnicodeDecodeError, PermissionError):
        return                       # the encoding diagnostic points at the bad byte: checked per case
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    assert 1 <= line <= len(lines), (path.name, line, len(lines))
    assert 1 <= column <= len(lines[line - 1]) + 1, (path.name, line, column, lines[line - 1][:80])


def _rendered_texts(outputs: Path, names: set[str]) -> str:
    """All text of the rendered files among `names` (DOCX: every XML part; others: as text)."""
    texts = []
    for name in sorted(names):
        path = outputs / name
        if not path.is_file():
            continue
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as package:
                texts.extend(package.read(member).decode("utf-8") for member in package.namelist()
                             if member.endswith(".xml"))
        else:
            texts.append(path.read_bytes().decode("utf-8"))
    return "\n".join(texts)


def _docx_text(outputs: Path, names: set[str]) -> str:
    import docx
    from docx.oxml.ns import qn

    texts = []
    for name in sorted(n for n in names if n.endswith(".docx")):
        document = docx.Document(str(outputs / name))
        texts.extend("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in document.element.body.iter(qn("w:p")))
    return "\n".join(texts).replace("\u00a0", " ")


@pytest.mark.parametrize("case", PARAMS)
def test_bad_input(case: Case, bundled_outputs: Path, tmp_path: Path, tree_state, cli_main, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    _run_case(case, tmp_path, bundled_outputs, tree_state, lambda work: cli_main(*BUILD, cwd=work))


@pytest.mark.slow
@pytest.mark.parametrize("case", PROCESS_PARAMS)
def test_bad_input_in_a_process(case: Case, bundled_outputs: Path, tmp_path: Path, tree_state):
    prefix = _as_other_user() if case.expected.as_other_user else None
    work = Path(tempfile.mkdtemp(prefix=f"corpus-{case.name[:40]}-")) if prefix else tmp_path
    try:
        if prefix:
            work.chmod(0o755)
        _run_case(case, work, bundled_outputs, tree_state, lambda work: _build_in_a_process(work, prefix))
    finally:
        if prefix:
            _open_up(work)
            shutil.rmtree(work, ignore_errors=True)


def test_the_process_sample_is_there():
    assert {case.name for case in ALL} >= IN_A_PROCESS


def _run_case(case: Case, work: Path, bundled_outputs: Path, tree_state, run_build) -> None:
    case.make(work)
    outputs = work / "outputs"
    shutil.copytree(bundled_outputs, outputs, symlinks=True)
    before = tree_state(outputs)
    answer = run_build(work)
    after = tree_state(outputs)
    _assert_answer(case, work, answer, before, after)


def _assert_answer(case: Case, work: Path, answer: CliResult, before: dict, after: dict):
    expected = case.expected
    stdout, stderr = answer.stdout, answer.stderr
    shown = f"\n--- stdout\n{stdout[-6000:]}\n--- stderr\n{stderr[-6000:]}"
    assert answer.code == expected.exit, f"код выхода {answer.code}, ожидался {expected.exit}" + shown

    for stream in (stdout, stderr):
        assert "Traceback" not in stream and 'File "' not in stream, "трассировка Python" + shown
        assert not PYTHON_ERROR.search(stream), f"исключение Python: {PYTHON_ERROR.search(stream).group()}" + shown
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", stream), "управляющий символ в выводе (терминал)" + shown
        assert "<class" not in stream and "root:x:0" not in stream, "выполнено или прочитано лишнее" + shown
    assert not list(work.rglob(MARKER)), "полезная нагрузка выполнилась: создан файл " + MARKER

    diagnostics = _diagnostics(stdout)
    headers = [line for line in stdout.split("\n") if HEADER.match(line)]
    untranslated = [line for line in headers if PARSER_ENGLISH.search(line.split(": ", 2)[-1].split("«")[0])]
    assert not untranslated, f"сообщение не по-русски: {untranslated}"
    codes = [m["code"] for m in diagnostics]
    if expected.exit == 2:
        assert stderr.strip() or diagnostics, "код 2 без объяснения" + shown
    if expected.exit == 1:
        assert diagnostics, "код 1 без единого сообщения" + shown
    for code in expected.codes:
        assert code in codes, f"нет {code} среди {codes}" + shown
    crashed = CRASH_CODES & set(codes) - set(expected.codes)
    assert not crashed, f"сбой движка вместо сообщения: {sorted(crashed)}" + shown
    for match in diagnostics:
        _check_position(_inside(work, match["file"]), int(match["line"]), int(match["column"]))
    if expected.file is not None:
        places = [(Path(m["file"]).name, int(m["line"])) for m in diagnostics if m["code"] == expected.codes[0]]
        if expected.line is None:
            assert expected.file in [name for name, _ in places], (expected.file, places, shown)
        else:
            assert (expected.file, expected.line) in places, (expected.file, expected.line, places, shown)

    outputs = work / "outputs"
    if expected.exit != 0:
        changed = sorted(set(before) ^ set(after) | {k for k in before if k in after and before[k] != after[k]})
        assert not changed, f"outputs/ изменился: {changed[:20]}"
        return
    # an accepted case renders its programme and rewrites the files that span programmes (index, feeds);
    # the bundled programmes' folders stay as they were, and nothing of the previous build goes missing
    assert set(before) <= set(after), f"пропали: {sorted(set(before) - set(after))[:20]}"
    kept = {k: v for k, v in before.items() if k.split("/")[0] in PROGRAMMES}
    assert kept and {k: after[k] for k in kept} == kept, "папки прежних программ изменились"
    added = set(after) - set(before)
    assert any(name.startswith(f"{PROGRAMME}/") for name in added), "программа случая не собрана"
    assert not [name for name in after if "/." in f"/{name}" and name.split("/")[0] not in (".cache",)
                and not name.startswith(".manifest")], f"служебные папки в outputs/: {sorted(after)}"
    rewritten = added | {k for k in before if after[k] != before[k]}
    rendered = _rendered_texts(outputs, rewritten)
    assert "<class" not in rendered
    words = _docx_text(outputs, added)
    for text in expected.shows:
        assert text in words, f"в документах нет «{text[:60]}…»"


def test_corpus_is_large_and_covers_the_brief():
    assert len(ALL) >= 80
    names = " ".join(case.name for case in ALL)
    for topic in ("syntax", "tab", "type", "unknown-key", "duplicate", "empty", "20-megabytes", "bytes-random",
                  "cp1251", "utf16", "bom", "crlf", "alias", "nesting", "amount-negative", "amount-nan",
                  "amount-huge", "31-02", "00-00", "window", "cycle", "missing-id", "jinja", "xml", "control",
                  "100k", "template-path", "symlink", "directory-named-yaml", "unreadable"):
        assert topic in names, topic


def test_committed_cases_only_hold_what_differs():
    """An overlay file that equals the base file is noise: the case would not show what it is about."""
    base = REPO / "tests" / "bad_inputs" / "_base" / PROGRAMME
    for expected in sorted(CASES.glob("*/expected.yaml")):
        overlay = expected.parent / PROGRAMME
        for file in sorted(overlay.glob("*")) if overlay.is_dir() else []:
            same = (base / file.name).is_file() and (base / file.name).read_bytes() == file.read_bytes()
            assert not same, f"{expected.parent.name}/{file.name} равен базовому файлу"
