"""A build that fails half-way keeps the previous outputs, and the next build completes.

Three kinds of failure, on the base programme of the bad-input corpus (tests/bad_inputs/_base):

* a killed process — `prikaz build` runs as a subprocess with one function patched to park it at
  a chosen moment (mid-render, mid-write of the staging folder, right after the old folder is
  moved away, right after the swap); the test sends SIGKILL there;
* a full disk — a write of the build raises OSError(ENOSPC) at a chosen moment;
* a template or renderer that raises.

After each: outputs/ holds the previous build or the new one, never a mix, no staging folder is
visible as an output, and the next, ordinary build exits 0 with exactly the bytes a clean build of
the same specs gives.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import docx
import pytest

from engine.building.build import build

REPO = Path(__file__).resolve().parents[2]
BASE = REPO / "tests" / "bad_inputs" / "_base"
PROGRAMME = "corpus-2022"
EPOCH = "1700000000"
OLD_TITLE = "      title: Заседание рабочей группы"
NEW_TITLE = "      title: Заседание рабочей группы (перенесено)"


def _specs(target: Path, new: bool) -> Path:
    """The base programme, as it was (the previous build) or with one activity renamed (the build that fails)."""
    shutil.copytree(BASE, target)
    if new:
        roadmap = target / PROGRAMME / "roadmap.yaml"
        text = roadmap.read_text(encoding="utf-8")
        assert text.count(OLD_TITLE) == 1
        roadmap.write_text(text.replace(OLD_TITLE, NEW_TITLE), encoding="utf-8")
    return target


def _build_in_process(specs: Path, outputs: Path):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return build(specs, outputs)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, Path]:
    """Clean builds, made once: `old` of the base programme, `new` of the edited one."""
    root = tmp_path_factory.mktemp("reference")
    built = {}
    for name, new in (("old", False), ("new", True)):
        specs = _specs(root / name / "specs", new)
        report = _build_in_process(specs, root / name / "outputs")
        assert not report.failed, [d.message for d in report.all_diagnostics]
        built[name] = root / name / "outputs"
    return built


@pytest.fixture
def scene(tmp_path, reference) -> Path:
    """<tmp>/specs (edited), <tmp>/outputs (the previous good build): the stage for one failure."""
    _specs(tmp_path / "specs", new=True)
    shutil.copytree(reference["old"], tmp_path / "outputs", symlinks=True)
    return tmp_path


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(REPO), SOURCE_DATE_EPOCH=EPOCH,
                PYTHONDONTWRITEBYTECODE="1")


def _visible(state: dict[str, tuple]) -> dict[str, tuple]:
    """What a reader of outputs/ sees: hidden staging and retired folders, and the lock a killed build
    left (the next build takes it over), are not outputs."""
    return {k: v for k, v in state.items() if not k.startswith((".staging-", ".retired-", ".prikaz.lock"))}


def _prikaz_build(folder: Path, outputs: str) -> None:
    completed = subprocess.run([sys.executable, "-m", "engine.commands.cli", "build", "specs", "-o", outputs], cwd=folder,
                               env=_env(), capture_output=True, text=True, encoding="utf-8", timeout=180)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Traceback" not in completed.stdout + completed.stderr


def _assert_next_build_is_correct(scene: Path, reference, tree_state) -> None:
    """The next ordinary build exits 0 and leaves exactly what a build of the same specs into nothing leaves."""
    _prikaz_build(scene, "outputs")
    _prikaz_build(scene, "clean-outputs")   # now, not earlier: the same engine and templates as the build above
    after = tree_state(scene / "outputs")
    assert after == tree_state(scene / "clean-outputs"), "следующая сборка дала не те байты, что чистая сборка"
    assert not [name for name in after if name.startswith((".staging-", ".retired-"))]


# --- (a) a killed process -------------------------------------------------------------------

# Each patch parks the build (writes the signal file, then sleeps) at one moment; `park()` is defined by the wrapper.
KILL_POINTS = {
    "mid-render": """
        import engine.render.docx as renderer
        real_render = renderer.render_docx
        def render_docx(model, options):
            files = real_render(model, options)
            park()
            return files
        renderer.render_docx = render_docx
    """,
    "mid-staging-write": """
        real_write = Path.write_bytes
        written = []
        def write_bytes(self, data):
            result = real_write(self, data)
            if any(part.startswith(".staging-") for part in self.parts):
                written.append(self)
                if len(written) == 3:
                    park()
            return result
        Path.write_bytes = write_bytes
    """,
    "old-folder-moved-away": """
        real_replace = os.replace
        def replace(source, target, *args, **kwargs):
            result = real_replace(source, target, *args, **kwargs)
            if Path(target).name.startswith(".retired-"):
                park()      # the live folder is gone from its place until the next rename
            return result
        os.replace = replace
    """,
    "after-swap-before-cleanup": """
        import shutil
        real_rmtree = shutil.rmtree
        def rmtree(path, *args, **kwargs):
            path = Path(path)
            if path.name.startswith((".staging-", ".retired-")) and path.exists():
                park()      # the new folder is in place; the old one waits for removal
            return real_rmtree(path, *args, **kwargs)
        shutil.rmtree = rmtree
    """,
}


def _wrapper(patch: str, parked: Path) -> str:
    return textwrap.dedent("""
        import os, sys, time
        from pathlib import Path
        def park():
            Path({parked!r}).write_text(str(os.getpid()))
            time.sleep(600)
    """).format(parked=str(parked)) + textwrap.dedent(patch) + textwrap.dedent("""
        from engine.commands.cli import main
        sys.exit(main(["build", "specs", "-o", "outputs"]))
    """)


def _run_until_parked(scene: Path, patch: str) -> tuple[bool, subprocess.CompletedProcess | None]:
    """Run the patched build; SIGKILL it once parked. True if it was killed, else the finished process."""
    parked = scene / "parked"
    process = subprocess.Popen([sys.executable, "-c", _wrapper(patch, parked)], cwd=scene, env=_env(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 180
    while not parked.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    if parked.exists():
        os.killpg(process.pid, signal.SIGKILL)    # the build and any rendering worker it forked
        process.wait(timeout=30)
        process.communicate()
        return True, None
    stdout, stderr = process.communicate(timeout=30)
    return False, subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@pytest.mark.parametrize("moment", ["mid-render", "mid-staging-write"])
def test_kill_before_the_swap_keeps_the_previous_outputs(scene, reference, tree_state, moment):
    before = tree_state(scene / "outputs")
    killed, finished = _run_until_parked(scene, KILL_POINTS[moment])
    assert killed, finished
    after = tree_state(scene / "outputs")
    assert _visible(after) == before, "прежние документы изменились после SIGKILL"
    assert set(after) - set(_visible(after)) <= {k for k in after if k.startswith(f".staging-{PROGRAMME}")} | {".prikaz.lock"}
    _assert_next_build_is_correct(scene, reference, tree_state)


def test_kill_while_swapping_never_leaves_the_programme_folder_missing(scene, reference, tree_state):
    """Two renames have a moment with outputs/<programme> gone; the engine swaps with one exchange instead."""
    before = tree_state(scene / "outputs")
    killed, finished = _run_until_parked(scene, KILL_POINTS["old-folder-moved-away"])
    if killed:
        assert _visible(tree_state(scene / "outputs")) == before, "папка программы пропала из outputs/ при SIGKILL"
    else:
        assert finished.returncode == 0, finished.stdout + finished.stderr
    _assert_next_build_is_correct(scene, reference, tree_state)


def test_kill_after_the_swap_shows_the_new_folder_whole(scene, reference, tree_state):
    killed, finished = _run_until_parked(scene, KILL_POINTS["after-swap-before-cleanup"])
    assert killed, finished
    visible = _visible(tree_state(scene / "outputs"))
    folder = {k: v for k, v in visible.items() if k.startswith(f"{PROGRAMME}/")}
    new = {k: v for k, v in tree_state(reference["new"]).items() if k.startswith(f"{PROGRAMME}/")}
    assert folder == new, "папка программы — не новая сборка целиком"
    _assert_next_build_is_correct(scene, reference, tree_state)


def _pool_used() -> bool:
    from engine.building.parallel import MIN_PROGRAMMES, workers

    return workers(max(MIN_PROGRAMMES, 10)) > 0


@pytest.mark.skipif(not _pool_used(), reason="рендеринг на нескольких ядрах здесь не включается (одно ядро или PRIKAZ_JOBS=1)")
def test_a_rendering_worker_killed_costs_only_its_programme(tmp_path, tree_state):
    """A large build renders on a pool of forked workers (engine.building.parallel); the OOM killer takes one of them."""
    specs = tmp_path / "specs"
    names = [f"corpus-{year}" for year in range(2022, 2032)]       # enough programmes for the pool
    for name in names:
        shutil.copytree(BASE / PROGRAMME, specs / name)
        spec = specs / name / "programme.yaml"
        spec.write_text(spec.read_text(encoding="utf-8").replace(f"id: {PROGRAMME}", f"id: {name}"), encoding="utf-8")
    _prikaz_build(tmp_path, "outputs")
    before = tree_state(tmp_path / "outputs")
    for name in names:
        roadmap = specs / name / "roadmap.yaml"
        roadmap.write_text(roadmap.read_text(encoding="utf-8").replace(OLD_TITLE, NEW_TITLE), encoding="utf-8")
    victim = names[3]
    patch = f"""
        import signal
        import engine.render.docx as renderer
        real_render = renderer.render_docx
        def render_docx(model, options):
            if model.id == {victim!r}:
                os.kill(os.getpid(), signal.SIGKILL)
            return real_render(model, options)
        renderer.render_docx = render_docx
    """
    killed, finished = _run_until_parked(tmp_path, patch)
    assert not killed
    output = finished.stdout + finished.stderr
    assert finished.returncode in (1, 2), output               # the build itself survives its worker
    assert "Traceback" not in output, output
    after = tree_state(tmp_path / "outputs")
    _prikaz_build(tmp_path, "clean-outputs")
    clean = tree_state(tmp_path / "clean-outputs")

    def folder(state: dict, name: str) -> dict:
        return {k: v for k, v in state.items() if k.startswith(f"{name}/")}

    assert folder(after, victim) == folder(before, victim), "папка программы упавшего процесса изменилась"
    for name in names:                                         # every programme is its old or its new folder, whole
        assert folder(after, name) in (folder(before, name), folder(clean, name)), name
    assert not [k for k in after if k.startswith((".staging-", ".retired-"))]
    _prikaz_build(tmp_path, "outputs")
    assert tree_state(tmp_path / "outputs") == clean


# --- (b) a full disk -----------------------------------------------------------------------------


def _no_space(path) -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


def _fail_staging_write(monkeypatch, at: int) -> None:
    real = Path.write_bytes
    written = []

    def write_bytes(self, data):
        if any(part.startswith(".staging-") for part in self.parts):
            written.append(self)
            if len(written) == at:
                real(self, data[: len(data) // 2])      # the disk fills up in the middle of a file
                raise _no_space(self)
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)


def _fail_exchange(monkeypatch) -> None:
    import engine.building.build

    def exchange(first, second):
        raise _no_space(first)

    monkeypatch.setattr(engine.building.build, "exchange", exchange)


def _fail_second_rename(monkeypatch) -> None:
    """Where the system has no exchange: the old folder is moved away, then moving the new one in fails."""
    import engine.building.build

    real = os.replace
    calls = []

    def replace(source, target, *args, **kwargs):
        calls.append(source)
        if Path(source).name.startswith(".staging-"):
            raise _no_space(source)
        return real(source, target, *args, **kwargs)

    monkeypatch.setattr(engine.building.build, "exchange", lambda first, second: False)
    monkeypatch.setattr(engine.building.build.os, "replace", replace)


FULL_DISK = {
    "first-file": lambda monkeypatch: _fail_staging_write(monkeypatch, 1),
    "third-file": lambda monkeypatch: _fail_staging_write(monkeypatch, 3),
    "the-swap": _fail_exchange,
    "rename-after-the-old-folder-moved": _fail_second_rename,
}


@pytest.mark.parametrize("moment", sorted(FULL_DISK))
def test_full_disk_is_a_russian_diagnostic_and_keeps_the_previous_outputs(scene, reference, tree_state, cli_main,
                                                                          monkeypatch, moment):
    before = tree_state(scene / "outputs")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    FULL_DISK[moment](monkeypatch)
    result = cli_main("build", "specs", "-o", "outputs", cwd=scene)
    monkeypatch.undo()
    assert result.code in (1, 2), result.output
    assert "Traceback" not in result.output
    if result.code == 1:
        assert f"specs/{PROGRAMME}/programme.yaml:1:1: E902 ошибка: " in result.stdout, result.output
        assert "на диске нет места" in result.stdout
    assert tree_state(scene / "outputs") == before, "прежние документы изменились или осталась папка сборки"
    _assert_next_build_is_correct(scene, reference, tree_state)


def test_full_disk_while_writing_shared_feeds_keeps_each_file_whole(scene, reference, tree_state, cli_main,
                                                                    monkeypatch):
    """A feed that spans programmes is written atomically: a full disk leaves the old file, never a half one."""
    import engine.building.atomic

    before = tree_state(scene / "outputs")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    real = engine.building.atomic.os.fsync

    def fsync(handle):
        raise _no_space("calendars")

    monkeypatch.setattr(engine.building.atomic.os, "fsync", fsync)
    result = cli_main("build", "specs", "-o", "outputs", cwd=scene)
    monkeypatch.setattr(engine.building.atomic.os, "fsync", real)
    monkeypatch.undo()
    assert result.code in (1, 2), result.output
    assert "Traceback" not in result.output
    assert "нет места" in result.output or "ошибка ввода-вывода" in result.stderr, result.output
    after = tree_state(scene / "outputs")
    assert not [name for name in after if name.endswith(".tmp")], "остались временные файлы"
    for name, value in after.items():
        if not name.startswith(f"{PROGRAMME}/") and name in before:
            assert value == before[name], f"{name}: общий файл переписан наполовину"
    _assert_next_build_is_correct(scene, reference, tree_state)


# --- (c) a template or renderer that raises --------------------------------------------------------


def _own_decree_template(scene: Path, paragraph: str) -> int:
    """The programme's own decree template with one extra paragraph; returns the line of `templates:` in YAML."""
    document = docx.Document(str(REPO / "templates" / "decree-prikaz.docx"))
    document.add_paragraph(paragraph)
    document.save(str(scene / "specs" / PROGRAMME / "my-decree.docx"))
    spec = scene / "specs" / PROGRAMME / "programme.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("  timezone: Europe/Moscow\n",
                                 "  timezone: Europe/Moscow\n  templates:\n    decree: my-decree.docx\n"),
                    encoding="utf-8")
    return text[: text.index("  timezone:")].count("\n") + 2


@pytest.mark.parametrize("paragraph, code", [
    ("{% if decree.number %}не закрытое условие", "D102"),
    ("{{ decree.nonexistent_value }}", "D101"),
    ("{{ decree.number | no_such_filter }}", "D102"),
    ("{{ 1 / 0 }}", "D102"),
], ids=["unclosed-if", "missing-value", "unknown-filter", "division-by-zero"])
def test_template_that_raises_is_named_and_keeps_the_previous_outputs(scene, reference, tree_state, run_cli,
                                                                       paragraph, code):
    before = tree_state(scene / "outputs")
    _own_decree_template(scene, paragraph)
    result = run_cli("build", "specs", "-o", "outputs", cwd=scene)
    assert result.code == 1, result.output
    assert "Traceback" not in result.output
    located = [line for line in result.stdout.split("\n") if f": {code} ошибка: " in line]
    assert located and all(line.startswith(f"specs/{PROGRAMME}/my-decree.docx:") for line in located), result.stdout
    assert "my-decree.docx" in located[0].split(f"{code} ошибка: ", 1)[1], "сообщение не называет шаблон"
    assert tree_state(scene / "outputs") == before
    (scene / "specs" / PROGRAMME / "programme.yaml").write_text(
        (scene / "specs" / PROGRAMME / "programme.yaml").read_text(encoding="utf-8")
        .replace("  templates:\n    decree: my-decree.docx\n", ""), encoding="utf-8")
    (scene / "specs" / PROGRAMME / "my-decree.docx").unlink()
    _assert_next_build_is_correct(scene, reference, tree_state)


def test_renderer_crash_is_e901_and_keeps_the_previous_outputs(scene, reference, tree_state, cli_main, monkeypatch):
    import engine.render.ics as ics

    def broken(model, options):
        raise ZeroDivisionError("a renderer bug")

    before = tree_state(scene / "outputs")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setattr(ics, "render_programme_calendars", broken)
    result = cli_main("build", "specs", "-o", "outputs", cwd=scene)
    monkeypatch.undo()
    assert result.code == 1, result.output
    assert f"specs/{PROGRAMME}/programme.yaml:1:1: E901 ошибка: " in result.stdout
    assert "Traceback" not in result.output     # shown only with --verbose or PRIKAZ_DEBUG=1
    after = tree_state(scene / "outputs")
    # the traceback is kept for the engine's developers, beside the outputs it did not change
    log = (scene / "outputs" / ".prikaz.log").read_text(encoding="utf-8")
    assert log.startswith(f"specs/{PROGRAMME}/programme.yaml:1:1: E901 сбой при создании документов: ZeroDivisionError")
    assert "Traceback (most recent call last):" in log and 'raise ZeroDivisionError("a renderer bug")' in log
    assert {k: v for k, v in after.items() if k != ".prikaz.log"} == before
    _assert_next_build_is_correct(scene, reference, tree_state)     # a build without failures removes the log


def test_one_programme_failing_to_render_leaves_the_others_and_the_shared_feeds(tmp_path, reference, tree_state,
                                                                              run_cli):
    """Two programmes share organisations; one gets a broken template: the other is rebuilt, shared feeds are kept."""
    specs = _specs(tmp_path / "specs", new=True)
    other = specs / "corpus-2023"
    shutil.copytree(specs / PROGRAMME, other)
    (other / "programme.yaml").write_text((other / "programme.yaml").read_text(encoding="utf-8")
                                          .replace("id: corpus-2022", "id: corpus-2023"), encoding="utf-8")
    outputs = tmp_path / "outputs"
    first = run_cli("build", "specs", "-o", "outputs", cwd=tmp_path)
    assert first.code == 0, first.output
    before = tree_state(outputs)
    for name in (PROGRAMME, "corpus-2023"):
        roadmap = specs / name / "roadmap.yaml"
        roadmap.write_text(roadmap.read_text(encoding="utf-8").replace("(перенесено)", "(снова)"), encoding="utf-8")
    _own_decree_template(tmp_path, "{{ decree.nonexistent_value }}")
    second = run_cli("build", "specs", "-o", "outputs", cwd=tmp_path)
    assert second.code == 1, second.output
    after = tree_state(outputs)
    assert {k: v for k, v in after.items() if k.startswith(f"{PROGRAMME}/")} == \
        {k: v for k, v in before.items() if k.startswith(f"{PROGRAMME}/")}, "сломанная программа изменилась"
    assert {k: v for k, v in after.items() if k.startswith("corpus-2023/")} != \
        {k: v for k, v in before.items() if k.startswith("corpus-2023/")}, "исправная программа не собрана"
    assert {k: v for k, v in after.items() if k.startswith("calendars/")} == \
        {k: v for k, v in before.items() if k.startswith("calendars/")}, "общие календари потеряли события"
    lost = sorted(k for k in before if k not in after)
    assert not lost, f"пропали файлы прежней сборки: {lost}"


# --- what a build leaves is readable by the web server and subscribers ------------------------------


def test_every_output_is_readable_by_other_users(reference):
    for path in reference["new"].rglob("*"):
        mode = path.stat().st_mode
        wanted = stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0)
        assert mode & wanted == wanted, f"{path.relative_to(reference['new'])}: {stat.filemode(mode)}"
