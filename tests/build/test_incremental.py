"""Incremental builds: only programmes whose inputs changed are rendered again, and outputs/.manifest.json
never vouches for outputs that are not there.

One warm build of the three bundled programmes is made per module; each test works on a copy of it.
Every incremental result is also compared with a build from scratch of the same specs: skipping
work must never change a byte.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from icalendar import Calendar

import engine.building.build
from engine.building.build import BuildReport, build
from engine.building.manifest import MANIFEST, Manifest

REPO = Path(__file__).resolve().parents[2]
PROGRAMMES = ("leningrad-2020", "lipetsk-2022", "lysva-2021")
MENTORS = "      title: Услуги наставников\n"
MENTORS_EDITED = "      title: Услуги наставников (21 человек)\n"


@pytest.fixture(autouse=True)
def fixed_build_time(monkeypatch):
    # the copies are outside git, so the build time is the epoch unless the environment sets one
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture(scope="module")
def warm(tmp_path_factory) -> Path:
    """specs/ (the bundled programmes) and outputs/ after a first build."""
    root = tmp_path_factory.mktemp("warm")
    for name in PROGRAMMES:
        shutil.copytree(REPO / "specs" / name, root / "specs" / name)
    report = build(root / "specs", root / "outputs")
    assert not report.failed, report.all_diagnostics
    return root


@pytest.fixture
def tree(warm, tmp_path) -> Path:
    """A writable copy of the warm build."""
    shutil.copytree(warm, tmp_path / "tree")
    return tmp_path / "tree"


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    """Ids of the programmes the next builds render, in order."""
    calls: list[str] = []
    render = engine.building.build.render_programme

    def counting(model, options):
        calls.append(model.id)
        return render(model, options)

    monkeypatch.setattr(engine.building.build, "render_programme", counting)
    return calls


@pytest.fixture
def shared(monkeypatch) -> list[dict[str, tuple[str, ...]]]:
    """What each writing of the files that span programmes was given: {programme id: its files}."""
    runs: list[dict[str, tuple[str, ...]]] = []
    renderers = engine.building.build.repository_renderers
    monkeypatch.setattr(engine.building.build, "repository_renderers",
                        lambda: [_recorded(renderer, runs if index == 0 else None)
                                 for index, renderer in enumerate(renderers())])
    return runs


def _recorded(renderer, runs: list | None):
    class Recorded(renderer):
        @staticmethod
        def part(model, options, files):
            return model.id, files, renderer.part(model, options, files)

        def add(self, part):
            self.given = dict(getattr(self, "given", {}), **{part[0]: part[1]})
            super().add(part[2])

        def files(self, options):
            if runs is not None:
                runs.append(getattr(self, "given", {}))
            yield from super().files(options)
    return Recorded


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of every file: a file written again, even with the same bytes, gets a new one."""
    return {path.relative_to(folder).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}


def contents(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def assert_as_built_from_scratch(tree: Path, scratch: Path) -> None:
    """The incremental outputs, manifest included, are byte for byte those of a first build of the same specs."""
    report = build(tree / "specs", scratch)
    assert not report.failed, report.all_diagnostics
    assert contents(tree / "outputs") == contents(scratch)


def state(report: BuildReport) -> dict[str, str]:
    return {item.result.directory.name: "rendered" if item.rendered else "unchanged" if item.unchanged else "failed"
            for item in report.programmes}


def test_unchanged_specs_render_nothing(tree, rendered, shared):
    before = snapshot(tree / "outputs")
    report = build(tree / "specs", tree / "outputs")
    assert not report.failed
    assert rendered == [] and shared == [] and report.shared_files == []
    assert state(report) == dict.fromkeys(PROGRAMMES, "unchanged")
    assert [item.files for item in report.programmes] == [
        sorted(Manifest.load(tree / "outputs").programmes[name].files) for name in PROGRAMMES]
    assert snapshot(tree / "outputs") == before


def test_a_changed_budget_line_rebuilds_only_its_programme(tree, rendered, shared, tmp_path):
    before = snapshot(tree / "outputs")
    budget = tree / "specs" / "lipetsk-2022" / "budget.yaml"
    budget.write_text(budget.read_text(encoding="utf-8").replace(MENTORS, MENTORS_EDITED), encoding="utf-8")

    report = build(tree / "specs", tree / "outputs")

    assert not report.failed, report.all_diagnostics
    assert rendered == ["lipetsk-2022"]
    assert state(report) == {"leningrad-2020": "unchanged", "lipetsk-2022": "rendered", "lysva-2021": "unchanged"}
    after = snapshot(tree / "outputs")
    for name in ("leningrad-2020", "lysva-2021"):
        untouched = {path: stamp for path, stamp in before.items() if path.startswith(f"{name}/")}
        assert untouched and all(after[path] == stamp for path, stamp in untouched.items()), name
    lipetsk = [path for path in after if path.startswith("lipetsk-2022/")]
    assert lipetsk and all(after[path] != before.get(path) for path in lipetsk)
    with zipfile.ZipFile(tree / "outputs" / "lipetsk-2022" / "prilozhenie-2-smeta-raskhodov.docx") as budget_docx:
        assert "Услуги наставников (21 человек)" in budget_docx.read("word/document.xml").decode("utf-8")
    # the organisations' feeds and the site span programmes: made again from all three, skipped ones included
    recorded = Manifest.load(tree / "outputs").programmes
    assert shared == [{name: tuple(sorted(recorded[name].files)) for name in PROGRAMMES}]
    assert all(after[path] != before.get(path) for path in report.shared_files)
    assert_as_built_from_scratch(tree, tmp_path / "scratch")


def test_force_renders_every_programme(tree, rendered, shared):
    report = build(tree / "specs", tree / "outputs", force=True)
    assert not report.failed
    assert rendered == list(PROGRAMMES)
    assert state(report) == dict.fromkeys(PROGRAMMES, "rendered")
    assert len(shared) == 1


def test_progress_counts_every_programme_as_it_is_done(tree, rendered):
    for name in ("lipetsk-2022", "lysva-2021"):
        (tree / "outputs" / name / "calendar.ics").unlink()
    calls = []
    build(tree / "specs", tree / "outputs", progress=lambda *call: calls.append(call))
    assert calls == [("leningrad-2020", 1, 3), ("lipetsk-2022", 2, 3), ("lysva-2021", 3, 3)]
    assert rendered == ["lipetsk-2022", "lysva-2021"]


def _touch_docx(path: Path) -> None:
    """Change a template's bytes the way saving it again would, keeping it a valid DOCX."""
    with zipfile.ZipFile(path, "a") as package:
        package.comment = b"edited"


def test_a_bundled_template_change_rebuilds_the_programmes_using_it(tree, rendered, shared, monkeypatch, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    monkeypatch.setattr(engine.building.build, "TEMPLATES", templates)
    build(tree / "specs", tree / "outputs")
    assert rendered == list(PROGRAMMES)  # another templates folder is another input
    rendered.clear()

    _touch_docx(templates / "decree-prikaz.docx")  # Lipetsk and Lysva issue a приказ, Leningrad a распоряжение
    report = build(tree / "specs", tree / "outputs")
    assert rendered == ["lipetsk-2022", "lysva-2021"]
    assert state(report)["leningrad-2020"] == "unchanged"
    rendered.clear()

    _touch_docx(templates / "specification.docx")  # only Leningrad has a technical specification
    build(tree / "specs", tree / "outputs")
    assert rendered == ["leningrad-2020"]
    rendered.clear()

    shared.clear()
    (templates / "unused.txt").write_text("новый файл", encoding="utf-8")  # as a new page template of the site would be
    build(tree / "specs", tree / "outputs")
    assert rendered == [] and len(shared) == 1


def test_a_programme_template_change_rebuilds_that_programme(tree, rendered):
    folder = tree / "specs" / "leningrad-2020"
    shutil.copy(REPO / "templates" / "specification.docx", folder / "own-specification.docx")
    spec = folder / "programme.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("  timezone: Europe/Moscow\n",
                                 "  timezone: Europe/Moscow\n  templates:\n    specification: own-specification.docx\n"),
                    encoding="utf-8")
    build(tree / "specs", tree / "outputs")
    assert rendered == ["leningrad-2020"]
    rendered.clear()

    _touch_docx(folder / "own-specification.docx")
    build(tree / "specs", tree / "outputs")
    assert rendered == ["leningrad-2020"]


@pytest.mark.parametrize("edit", ["kept", "reverted"])
def test_a_crash_before_the_manifest_is_written_is_repaired_by_the_next_build(tree, rendered, monkeypatch, tmp_path,
                                                                               edit):
    budget = tree / "specs" / "lipetsk-2022" / "budget.yaml"
    original = budget.read_text(encoding="utf-8")
    manifest_before = (tree / "outputs" / MANIFEST).read_bytes()
    budget.write_text(original.replace(MENTORS, MENTORS_EDITED), encoding="utf-8")

    def crash(self, outputs):
        raise RuntimeError("сбой питания")

    with monkeypatch.context() as patch:
        patch.setattr(Manifest, "save", crash)
        with pytest.raises(RuntimeError):
            build(tree / "specs", tree / "outputs")
    assert rendered == ["lipetsk-2022"]  # the new documents are in place, the manifest is the old one
    assert (tree / "outputs" / MANIFEST).read_bytes() == manifest_before
    if edit == "reverted":
        # the worst case: the inputs are again those the old manifest recorded, the outputs are not
        budget.write_text(original, encoding="utf-8")

    rendered.clear()
    report = build(tree / "specs", tree / "outputs")
    assert not report.failed
    assert rendered == ["lipetsk-2022"]
    assert_as_built_from_scratch(tree, tmp_path / "scratch")


@pytest.mark.parametrize("damage", ["deleted", "edited by hand"])
def test_a_damaged_output_file_rebuilds_its_programme(tree, rendered, tmp_path, damage):
    calendar = tree / "outputs" / "lysva-2021" / "calendar.ics"
    if damage == "deleted":
        calendar.unlink()
    else:
        calendar.write_bytes(calendar.read_bytes().replace(b"SEQUENCE:0", b"SEQUENCE:7"))
    report = build(tree / "specs", tree / "outputs")
    assert rendered == ["lysva-2021"]
    assert state(report)["lysva-2021"] == "rendered"
    # the same inputs give the same shared files: only those inside the swapped folder (a site page) come back
    assert all(path.startswith("lysva-2021/") for path in report.shared_files)
    assert_as_built_from_scratch(tree, tmp_path / "scratch")


def test_a_deleted_shared_feed_is_written_again_without_rendering_any_programme(tree, rendered, tmp_path):
    (tree / "outputs" / "calendars" / "uo.ics").unlink()
    report = build(tree / "specs", tree / "outputs")
    assert rendered == []
    assert report.shared_files == ["calendars/uo.ics"]  # the others have the same bytes: left as they are
    assert_as_built_from_scratch(tree, tmp_path / "scratch")


def test_the_feed_of_an_organisation_no_programme_names_is_emptied_not_left_stale(tree, rendered):
    """lysva-2021 alone names «uo» and «cnmo» of its region: with it gone, the subscribers of their feeds across
    programmes must drop its events. Its own folder, left by the previous build, stays as it was."""
    lysva = "calendars/permsky-kray-lysvensky-gorodskoy-okrug"
    kept = snapshot(tree / "outputs" / "lysva-2021")
    shutil.rmtree(tree / "specs" / "lysva-2021")
    assert "BEGIN:VEVENT" in (tree / "outputs" / lysva / "uo.ics").read_text(encoding="utf-8")
    report = build(tree / "specs", tree / "outputs")
    assert not report.failed, report.all_diagnostics
    assert rendered == []
    for path in (f"{lysva}/cnmo.ics", f"{lysva}/uo.ics", "calendars/uo.ics"):
        feed = (tree / "outputs" / path).read_bytes().decode("utf-8")
        assert "BEGIN:VEVENT" not in feed and feed.startswith("BEGIN:VCALENDAR") and feed.endswith("END:VCALENDAR\r\n")
        assert " — календарь закрыт\r\n" in feed.replace("\r\n ", ""), path
        assert not Calendar.from_ical(feed).walk("VEVENT")
        assert f'"{path}"' not in (tree / "outputs" / "index.html").read_text(encoding="utf-8")
    assert snapshot(tree / "outputs" / "lysva-2021") == kept
    oo = (tree / "outputs" / "calendars" / "lipetskaya-oblast" / "oo.ics").read_text(encoding="utf-8")
    assert "lipetsk-2022." in oo and "lysva-2021." not in oo
    assert set(report.shared_files) >= {f"{lysva}/cnmo.ics", f"{lysva}/uo.ics", "calendars/oo.ics", "index.html"}
    again = build(tree / "specs", tree / "outputs")     # nothing changed: the emptied feeds stay as they are
    assert again.shared_files == [] and f"{lysva}/uo.ics" in Manifest.load(tree / "outputs").shared.files
    # without the folder (a fresh checkout publishing over the site that had it) its feeds are emptied in place
    shutil.rmtree(tree / "outputs" / "lysva-2021")
    build(tree / "specs", tree / "outputs")
    assert sorted(path.name for path in (tree / "outputs" / "lysva-2021").rglob("*") if path.is_file()) == [
        "calendar.ics", "cnmo.ics", "oo.ics", "uo.ics"]
    assert build(tree / "specs", tree / "outputs").shared_files == []


def test_errors_are_reported_even_when_nothing_is_rendered(tree, rendered):
    budget = tree / "specs" / "lipetsk-2022" / "budget.yaml"
    budget.write_text(budget.read_text(encoding="utf-8").replace('total: "1 900 000,00"', 'total: "1 990 000,00"'),
                      encoding="utf-8")
    before = snapshot(tree / "outputs")
    for _ in range(2):  # the second time, no programme has anything to render
        report = build(tree / "specs", tree / "outputs")
        assert report.failed
        assert any(d.code == "S101" and d.span.file.name == "budget.yaml" for d in report.all_diagnostics)
        assert state(report) == {"leningrad-2020": "unchanged", "lipetsk-2022": "failed", "lysva-2021": "unchanged"}
    assert rendered == []
    assert snapshot(tree / "outputs") == before  # the failed programme's documents and the shared feeds are kept


def test_an_unreadable_manifest_means_a_full_build(tree, rendered):
    (tree / "outputs" / MANIFEST).write_text("{не json", encoding="utf-8")
    build(tree / "specs", tree / "outputs")
    assert rendered == list(PROGRAMMES)


def test_the_cli_says_what_was_left_unchanged(tree, cli_main):
    budget = tree / "specs" / "lipetsk-2022" / "budget.yaml"
    budget.write_text(budget.read_text(encoding="utf-8").replace(MENTORS, MENTORS_EDITED), encoding="utf-8")
    result = cli_main("build", "specs", "-o", "outputs", cwd=tree)
    assert result.code == 0, result.output
    assert result.stdout.splitlines() == [
        "leningrad-2020: без изменений (11 файлов в outputs/leningrad-2020/)",
        "lipetsk-2022: 12 файлов → outputs/lipetsk-2022/",
        "lysva-2021: без изменений (9 файлов в outputs/lysva-2021/)",
    ]
    forced = cli_main("build", "specs", "-o", "outputs", "--force", cwd=tree)
    assert forced.code == 0 and "без изменений" not in forced.stdout


def _run_on_terminal(tree: Path, extra_env: dict[str, str]) -> str:
    """`prikaz build --force` with its output on a pseudo-terminal; what the terminal received."""
    pty = pytest.importorskip("pty")
    import subprocess
    import sys

    try:
        leader, follower = pty.openpty()
    except OSError:
        pytest.skip("no pseudo-terminal can be opened here")
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env.update(PYTHONPATH=str(REPO), PYTHONIOENCODING="utf-8", TERM="xterm", COLUMNS="100", **extra_env)
    with subprocess.Popen([sys.executable, "-m", "engine.commands.cli", "build", "specs", "-o", "outputs", "--force"],
                          cwd=tree, env=env, stdout=follower, stderr=follower) as process:
        os.close(follower)
        received = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            received += chunk
        assert process.wait(timeout=120) == 0, received.decode("utf-8", "replace")
    os.close(leader)
    return received.decode("utf-8", "replace")


def test_a_terminal_shows_a_progress_line_and_ci_does_not(tree):
    shown = _run_on_terminal(tree, {})
    assert "сборка lipetsk-2022" in shown
    assert "lipetsk-2022: 12 файлов → outputs/lipetsk-2022/" in shown
    quiet = _run_on_terminal(tree, {"CI": "true"})
    assert "сборка" not in quiet and "\x1b[" not in quiet
    assert "lipetsk-2022: 12 файлов → outputs/lipetsk-2022/" in quiet


def _git(root: Path, *args: str, when: int | None = None) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@t")
    if when is not None:
        env.update(GIT_AUTHOR_DATE=f"{when} +0000", GIT_COMMITTER_DATE=f"{when} +0000")
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def test_a_commit_to_one_programme_rebuilds_only_that_programme(tmp_path, rendered):
    """Each programme is dated by its own last commit, so a commit elsewhere does not touch its bytes."""
    root = tmp_path / "repo"
    for name in PROGRAMMES:
        shutil.copytree(REPO / "specs" / name, root / "specs" / name)
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "first", when=1_700_000_000)
    assert not build(root / "specs", root / "outputs").failed
    lysva_before = snapshot(root / "outputs" / "lysva-2021")
    budget = root / "specs" / "lipetsk-2022" / "budget.yaml"
    budget.write_text(budget.read_text(encoding="utf-8").replace(MENTORS, MENTORS_EDITED), encoding="utf-8")
    _git(root, "commit", "-qam", "second", when=1_700_100_000)
    rendered.clear()
    report = build(root / "specs", root / "outputs")
    assert not report.failed, report.all_diagnostics
    assert rendered == ["lipetsk-2022"]
    assert snapshot(root / "outputs" / "lysva-2021") == lysva_before
