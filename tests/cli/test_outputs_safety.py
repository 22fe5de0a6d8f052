"""The user's files are never lost (issue 10, item 2): an outputs folder that overlaps the specs is refused
before anything is touched, one build at a time per outputs folder, no leftovers of a killed build,
`prikaz fmt` reads and writes exactly what the loader reads, `serve` serves nothing but outputs/ itself.

Every case runs the command line in-process (cli_main) on a copy of the corpus base programme, except
where the process boundary is the point (a FIFO that would block, a lock held by another process).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from engine.building import outputs_folder
from engine.building.build import stage_folder
from engine.building.outputs_folder import LOCK, OutputsLock

REPO = Path(__file__).resolve().parents[2]
BASE = REPO / "tests" / "bad_inputs" / "_base"
PROGRAMME = "corpus-2022"
EPOCH = "1700000000"


@pytest.fixture
def work(tmp_path, monkeypatch) -> Path:
    """<tmp>/specs/corpus-2022 and <tmp>/specs/corpus-2023 (two programmes), the working folder of the command."""
    shutil.copytree(BASE, tmp_path / "specs")
    other = tmp_path / "specs" / "corpus-2023"
    shutil.copytree(tmp_path / "specs" / PROGRAMME, other)
    spec = other / "programme.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace(f"id: {PROGRAMME}", "id: corpus-2023"), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("PRIKAZ_JOBS", "1")
    return tmp_path


def _no_traceback(result) -> None:
    assert "Traceback" not in result.output and 'File "' not in result.output, result.output


# --- an outputs folder that is, holds or lies inside the specs ---------------------------------------------

OVERLAPS = {
    # (folder the command runs in, the command's arguments after the command name)
    "same-folder": ("", ["specs", "-o", "specs"]),
    "trailing-slash": ("", ["specs", "-o", "specs/"]),
    "dot-dot": ("", ["specs", "-o", "specs/corpus-2022/../../specs"]),
    "inside-specs-new-folder": ("", ["specs", "-o", "specs/outputs"]),
    "inside-a-programme": ("", ["specs", "-o", "specs/corpus-2022/out"]),
    "the-programme-itself": ("", ["specs/corpus-2022", "-o", "specs/corpus-2022"]),
    "parent-of-the-programme": ("", ["specs/corpus-2022", "-o", "specs"]),
    "another-programme-beside-it": ("", ["specs/corpus-2022", "-o", "specs/corpus-2023"]),
    "the-working-folder": ("", ["specs", "-o", "."]),
    "above-the-working-folder": ("", ["specs", "-o", ".."]),
    "dot-in-specs": ("specs", [".", "-o", "."]),
    "dot-in-a-programme": ("specs/corpus-2022", [".", "-o", "."]),
    "absolute-path": ("", ["specs", "-o", "{work}/specs"]),
    "link-to-specs": ("", ["specs", "-o", "link-to-specs"]),
    "inside-a-link-to-a-programme": ("", ["specs", "-o", "link-to-programme/documents"]),
    "specs-through-a-link": ("", ["link-to-specs", "-o", "specs"]),
}


@pytest.mark.parametrize("command", ["build", "serve"])
@pytest.mark.parametrize("name", sorted(OVERLAPS))
def test_outputs_overlapping_the_specs_are_refused_before_anything_is_touched(work, cli_main, tree_state, name,
                                                                                command):
    (work / "link-to-specs").symlink_to("specs")
    (work / "link-to-programme").symlink_to(f"specs/{PROGRAMME}")
    folder, args = OVERLAPS[name]
    before = tree_state(work)
    result = cli_main(command, *[arg.format(work=work) for arg in args], cwd=work / folder)
    assert result.code == 2, result.output
    assert f"prikaz {command}: папка для документов «" in result.stderr and "Ничего не записано" in result.stderr
    assert result.stdout == ""
    _no_traceback(result)
    assert tree_state(work) == before


@pytest.mark.parametrize("output", ["notes.txt", "notes.txt/outputs", "specs/corpus-2022/decree.yaml"])
def test_outputs_that_are_not_a_folder_are_refused(work, cli_main, tree_state, output):
    (work / "notes.txt").write_text("мои заметки", encoding="utf-8")
    before = tree_state(work)
    result = cli_main("build", "specs", "-o", output, cwd=work)
    assert result.code == 2 and "Ничего не записано" in result.stderr, result.output
    _no_traceback(result)
    assert tree_state(work) == before


def test_outputs_beside_the_specs_are_built(work, cli_main, tree_state):
    result = cli_main("build", "specs/corpus-2022", "-o", "outputs", cwd=work)
    assert result.code == 0, result.output
    assert (work / "outputs" / PROGRAMME / "calendar.ics").is_file()
    assert not (work / "outputs" / LOCK).exists(), "the lock is gone with the build"


# --- one build at a time ---------------------------------------------------------------------------------------


def test_a_second_build_waits_then_names_the_holder(work, cli_main, tree_state, monkeypatch):
    assert cli_main("build", "specs", "-o", "outputs", cwd=work).code == 0
    before = tree_state(work / "outputs")
    monkeypatch.setattr(outputs_folder, "LOCK_WAIT_SECONDS", 0.3)
    monkeypatch.setattr(sys, "argv", ["prikaz", "serve", "specs"])
    with OutputsLock(work / "outputs"):     # `prikaz serve` rebuilding, as far as the lock tells
        holding = tree_state(work / "outputs")
        result = cli_main("build", "specs", "-o", "outputs", cwd=work)
        assert tree_state(work / "outputs") == holding
    assert result.code == 2, result.output
    assert f"сейчас собирает процесс {os.getpid()} на компьютере {socket.gethostname()} (команда «prikaz serve specs»" \
        in result.stderr
    _no_traceback(result)
    assert tree_state(work / "outputs") == before     # the lock file went with the holder


def test_a_lock_left_by_a_killed_build_is_taken_over(work, cli_main, tree_state):
    assert cli_main("build", "specs", "-o", "outputs", cwd=work).code == 0
    before = tree_state(work / "outputs")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (work / "outputs" / LOCK).write_text(json.dumps({"pid": int(dead.stdout), "host": socket.gethostname(),
                                                     "command": "prikaz build", "since": "2026-01-01T00:00:00"}))
    result = cli_main("build", "specs", "-o", "outputs", cwd=work)
    assert result.code == 0, result.output
    assert tree_state(work / "outputs") == before


def test_the_lock_is_held_against_another_process(work):
    """flock is per open file, so the in-process test above holds; here another process waits on it too."""
    outputs = work / "outputs"
    probe = ("import sys; from pathlib import Path; from engine.building.outputs_folder import OutputsLock, BuildRefused\n"
             "try:\n    OutputsLock(Path(sys.argv[1]), wait=0.2).__enter__()\n"
             "except BuildRefused as exc:\n    print(exc)\n")
    with OutputsLock(outputs):
        completed = subprocess.run([sys.executable, "-c", probe, str(outputs)], capture_output=True, text=True,
                                   env=dict(os.environ, PYTHONPATH=str(REPO)), timeout=60)
    assert f"сейчас собирает процесс {os.getpid()}" in completed.stdout, completed.stdout + completed.stderr
    free = subprocess.run([sys.executable, "-c", probe, str(outputs)], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(REPO)), timeout=60)
    assert free.stdout == "", free.stdout + free.stderr


def test_staging_folders_of_one_programme_never_collide(tmp_path):
    first = stage_folder(tmp_path, PROGRAMME, {"a.txt": b"first"})
    second = stage_folder(tmp_path, PROGRAMME, {"a.txt": b"second"})
    assert first != second and first.name.startswith(f".staging-{PROGRAMME}.")
    assert (first / "a.txt").read_bytes() == b"first" and (second / "a.txt").read_bytes() == b"second"


# --- what a killed build left ---------------------------------------------------------------------------------------


def test_the_next_build_removes_what_a_killed_build_left(work, cli_main, tree_state):
    assert cli_main("build", "specs", "-o", "outputs", cwd=work).code == 0
    outputs = work / "outputs"
    clean = tree_state(outputs)
    feeds = sorted((outputs / "calendars").glob("*.ics"))
    assert feeds
    for leftover in (outputs / "calendars" / f".{feeds[0].name}.k3j9x0a1.tmp", outputs / ".index.html.abcdefgh.tmp",
                     outputs / PROGRAMME / ".calendar.ics.zz_99aa1.tmp"):
        leftover.write_text("half")
    (outputs / f".staging-{PROGRAMME}.abcd1234" / "x").mkdir(parents=True)
    # a crash between the two renames of a swap: the programme folder is aside, its place empty
    (outputs / "corpus-2023").rename(outputs / ".retired-corpus-2023.abcd1234")
    # and one where the new folder was already in place
    shutil.copytree(outputs / PROGRAMME, outputs / f".retired-{PROGRAMME}.efgh5678")
    result = cli_main("build", "specs", "-o", "outputs", cwd=work)
    assert result.code == 0, result.output
    assert tree_state(outputs) == clean


# --- prikaz fmt reads and writes what the loader reads ---------------------------------------------------------


def _fmt(cli_main, work, *paths: str):
    return cli_main("fmt", *paths, cwd=work)


def test_fmt_never_follows_a_link_out_of_the_specs(work, cli_main, tmp_path_factory):
    secret = tmp_path_factory.mktemp("elsewhere") / "secret.yaml"
    secret.write_text("secret:   {token: abc}\n", encoding="utf-8")
    link = work / "specs" / PROGRAMME / "extra.yaml"
    link.symlink_to(secret)
    (work / "specs" / "outside-programme").symlink_to(secret.parent, target_is_directory=True)
    for paths in (["specs"], [f"specs/{PROGRAMME}"], [f"specs/{PROGRAMME}/extra.yaml"], ["specs/outside-programme"]):
        result = _fmt(cli_main, work, *paths)
        assert result.code == 1, result.output
        assert " Y011 ошибка: " in result.stdout, result.stdout
        assert link.is_symlink() and secret.read_text(encoding="utf-8") == "secret:   {token: abc}\n"


def test_fmt_formats_the_target_of_a_link_inside_the_specs_and_keeps_the_link(work, cli_main):
    shared = work / "specs" / "shared"
    shared.mkdir()
    (shared / "glossary.yaml").write_text("glossary:\n    uo: Управление образования\n", encoding="utf-8")
    link = work / "specs" / PROGRAMME / "glossary.yaml"
    link.symlink_to("../shared/glossary.yaml")
    result = _fmt(cli_main, work, f"specs/{PROGRAMME}")
    assert result.code == 0, result.output
    assert link.is_symlink()
    assert (shared / "glossary.yaml").read_text(encoding="utf-8") == "glossary:\n  uo: Управление образования\n"


@pytest.mark.parametrize("entry", ["fifo", "loop", "folder", "dangling"])
def test_fmt_reports_what_the_loader_reports_and_never_blocks(work, entry):
    path = work / "specs" / PROGRAMME / "odd.yaml"
    if entry == "fifo":
        os.mkfifo(path)
    elif entry == "loop":
        path.symlink_to("odd.yaml")
    elif entry == "folder":
        path.mkdir()
    else:
        path.symlink_to("missing.yaml")
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(REPO))
    for target in ("specs", f"specs/{PROGRAMME}/odd.yaml"):
        completed = subprocess.run([sys.executable, "-m", "engine.commands.cli", "fmt", target], cwd=work, env=env,
                                   capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        if target != "specs" and entry != "fifo":
            # named alone: a link to nothing is not there, a folder is searched for programmes (none)
            assert completed.returncode == 2, completed.stdout + completed.stderr
            continue
        assert completed.returncode == 1, completed.stdout + completed.stderr
        assert f"specs/{PROGRAMME}/odd.yaml:1:1: Y010 ошибка: " in completed.stdout
        assert "Traceback" not in completed.stdout + completed.stderr


# --- serve shows outputs/ and nothing else ----------------------------------------------------------------------------


def test_serve_copies_no_link_and_no_special_file_of_outputs(tmp_path, tmp_path_factory):
    from engine.commands.serve import _PublishedCopy

    outputs = tmp_path / "outputs"
    (outputs / "programme").mkdir(parents=True)
    (outputs / "index.html").write_text("<p>сайт</p>", encoding="utf-8")
    (outputs / "programme" / "calendar.ics").write_text("BEGIN:VCALENDAR", encoding="utf-8")
    secrets = tmp_path_factory.mktemp("secrets")
    (secrets / "key.txt").write_text("secret", encoding="utf-8")
    (outputs / "key.txt").symlink_to(secrets / "key.txt")
    (outputs / "programme" / "passwd.html").symlink_to("/etc/passwd")
    (outputs / "all-secrets").symlink_to(secrets, target_is_directory=True)
    os.mkfifo(outputs / "pipe.ics")
    (outputs / ".manifest.json").write_text("{}", encoding="utf-8")
    published = _PublishedCopy()
    try:
        published.publish(outputs)
        assert published.root is not None
        copied = sorted(path.relative_to(published.root).as_posix() for path in published.root.rglob("*"))
        assert copied == ["index.html", "programme", "programme/calendar.ics"]
    finally:
        published.remove()


def test_another_spelling_of_the_same_folder_is_the_same_folder(work, cli_main, tree_state):
    """On a case-insensitive disk (Windows, macOS) `-o SPECS` is the specs folder; here the same folder under
    another name is made with a bind mount: the guard compares folders, not spellings."""
    alias = work / "SPECS"
    alias.mkdir()
    mounted = subprocess.run(["mount", "--bind", str(work / "specs"), str(alias)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"no bind mount here: {mounted.stderr.strip()}")
    try:
        before = tree_state(work / "specs")
        for args in (["specs", "-o", "SPECS"], ["SPECS", "-o", "specs/out"], ["specs", "-o", "SPECS/corpus-2022"]):
            result = cli_main("build", *args, cwd=work)
            assert result.code == 2 and "Ничего не записано" in result.stderr, (args, result.output)
        assert tree_state(work / "specs") == before
    finally:
        subprocess.run(["umount", str(alias)], check=True)


def test_links_planted_in_outputs_are_never_written_through(work, cli_main, tree_state, tmp_path_factory):
    """A link as the lock file, or where a programme's folder goes: the build replaces the link, never its target."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "precious.txt").write_text("не трогать", encoding="utf-8")
    (elsewhere / "folder").mkdir()
    (elsewhere / "folder" / "file.txt").write_text("не трогать", encoding="utf-8")
    outputs = work / "outputs"
    outputs.mkdir()
    (outputs / LOCK).symlink_to(elsewhere / "precious.txt")
    (outputs / PROGRAMME).symlink_to(elsewhere / "folder", target_is_directory=True)
    before = tree_state(elsewhere)
    for force in ((), ("--force",)):
        assert cli_main("build", "specs", "-o", "outputs", *force, cwd=work).code == 0
        assert tree_state(elsewhere) == before
        assert (outputs / PROGRAMME).is_dir() and not (outputs / PROGRAMME).is_symlink()
        assert not [entry for entry in outputs.iterdir() if entry.name.startswith((".staging-", ".retired-", LOCK))]


def test_a_named_output_file_that_is_a_pipe_or_a_link_is_written_into_not_replaced(tmp_path, cli_main):
    """`prikaz schema -o /dev/stdout` (or a FIFO, or /dev/null) must write into it: an atomic replace would
    put a regular file in place of the device — as root, of the system's own /dev/null."""
    import threading

    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = cli_main("schema", "-o", str(fifo))
    reader.join(timeout=60)
    assert result.code == 0, result.output
    assert json.loads(received[0])["title"] and fifo.is_fifo()
    real = tmp_path / "schema.json"
    real.write_text("old", encoding="utf-8")
    (tmp_path / "link.json").symlink_to(real)
    assert cli_main("schema", "-o", str(tmp_path / "link.json")).code == 0
    assert (tmp_path / "link.json").is_symlink() and json.loads(real.read_text(encoding="utf-8"))["title"]


# --- a file named by -o of export and schema ---------------------------------------------------------------

@pytest.mark.parametrize("command", ["export", "schema"])
@pytest.mark.parametrize("output", [f"specs/{PROGRAMME}/decree.yaml", f"specs/{PROGRAMME}/new-part.yml",
                                    "notes.txt", "link-to-decree"])
def test_json_is_never_written_over_a_spec_or_another_file(work, cli_main, tree_state, command, output):
    """`prikaz export specs/x -o specs/x/decree.yaml` would replace the spec by its own JSON: refused, exit 2,
    nothing touched — a .yaml name even when new (the loader would read it as a part of the programme)."""
    (work / "notes.txt").write_text("мои заметки", encoding="utf-8")
    (work / "link-to-decree").symlink_to(f"specs/{PROGRAMME}/decree.yaml")
    before = tree_state(work)
    arguments = [f"specs/{PROGRAMME}"] if command == "export" else []
    result = cli_main(command, *arguments, "-o", output, cwd=work)
    assert result.code == 2, result.output
    assert f"prikaz {command}: -o {output}: " in result.stderr and ".json" in result.stderr
    assert result.stdout == ""
    _no_traceback(result)
    assert tree_state(work) == before


@pytest.mark.parametrize("command", ["export", "schema"])
def test_json_goes_to_a_json_file_new_or_old_and_to_a_new_file_of_any_other_name(work, cli_main, command):
    arguments = [f"specs/{PROGRAMME}"] if command == "export" else []
    (work / "old.json").write_text("{}", encoding="utf-8")
    for output in ("old.json", "new.json", "new.txt"):
        result = cli_main(command, *arguments, "-o", output, cwd=work)
        assert result.code == 0, result.output
        written = json.loads((work / output).read_text(encoding="utf-8"))
        assert written != {} and (written.get("title") if command == "schema" else written["programme"]["id"])
