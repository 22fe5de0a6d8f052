"""`prikaz build --shard K/N` and `prikaz merge`: N shards merged are the bytes of one build — the documents, the feeds
(across programmes too), the site, the registry of feeds, the manifest, the history cache — for the bundled
programmes in git, before and after a change that retires an organisation's feed across programmes, from scratch
and on top of the previous shards; errors of a shard are the merge's; shards that are not one build are refused.
(100 synthetic programmes: test_shards_synthetic.py, a slow suite.)
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from sharded import INN, assert_same_bytes, build_shards, commit, folder_bytes, sharded, with_inn

import engine.building.build
import engine.building.outputs_folder
from engine.building.build import BuildReport, build
from engine.building.merge import MergeRefused, merge
from engine.building.outputs_folder import OutputsLock
from engine.building.shards import SHARD_FILE, Shard, ShardFile, shares
from engine.diagnostics import Severity

REPO = Path(__file__).resolve().parents[2]
# every bundled programme, whatever is added to specs/: each kind of file spanning programmes is in one of them
PROGRAMMES = tuple(sorted(path.name for path in (REPO / "specs").iterdir() if (path / "programme.yaml").is_file()))
FIRST, SECOND, THIRD = 1_650_000_000, 1_660_000_000, 1_670_000_000
COUNTS = (1, 2, 3, 7)
RETIRED_FEED = "calendars/inn/0274062111.ics"


@dataclass
class Tree:
    root: Path
    site: str                      # the published site of version 1 (a file:// address): its registry of feeds
    v1: Path                       # specs of version 1: lysva-2021's ЦНМО has an ИНН, so a feed of its own
    v2: Path                       # version 2: the ИНН is gone, that feed is retired (emptied)
    single_v1: Path
    single_v1_report: BuildReport
    sharded_v1: dict[int, tuple[Path, BuildReport]]   # by N: root/v1-N/shard-K merged into root/v1-N/outputs
    single_v2: Path                # version 2 built from scratch, as in CI
    single_v2_report: BuildReport
    single_v2_after_v1: Path       # version 2 built over version 1's outputs


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Tree:
    root = tmp_path_factory.mktemp("shards")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)   # build times from git, and history from git
        patch.delenv("CI", raising=False)
        first = root / "v1"
        for name in PROGRAMMES:
            shutil.copytree(REPO / "specs" / name, first / "specs" / name)
        commit(first, "программы", FIRST)
        with_inn(first / "specs" / "lysva-2021" / "organisations.yaml", "cnmo", INN)
        commit(first, "ИНН ЦНМО", SECOND)
        second = root / "v2"
        shutil.copytree(first, second)
        with_inn(second / "specs" / "lysva-2021" / "organisations.yaml", "cnmo", None)
        commit(second, "ИНН ЦНМО указан по ошибке", THIRD)
        site = (root / "site").as_uri() + "/"      # not there yet: the first publication
        single_v1 = root / "single-v1"
        report_v1 = build(first / "specs", single_v1, site_url=site)
        # before the publication, as a CI run is: then the site has no registry of feeds yet
        sharded_v1 = {count: sharded(first / "specs", root / f"v1-{count}", count, site) for count in COUNTS}
        shutil.copytree(single_v1, root / "site")  # published
        single_v2 = root / "single-v2"
        report_v2 = build(second / "specs", single_v2, site_url=site)
        after = root / "single-v2-after-v1"
        shutil.copytree(single_v1, after)
        assert not build(second / "specs", after, site_url=site).failed
    assert not report_v1.failed and not report_v2.failed, report_v1.all_diagnostics + report_v2.all_diagnostics
    assert (single_v1 / ".cache" / "calendar-history.json").is_file()     # history from git: the cache merges too
    return Tree(root, site, first / "specs", second / "specs", single_v1, report_v1, sharded_v1, single_v2, report_v2,
                after)


@pytest.fixture
def in_git_time(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.delenv("CI", raising=False)


@pytest.mark.parametrize("count", COUNTS)
def test_shards_merged_are_the_bytes_of_one_build_before_and_after_a_feed_is_retired(tree, count, tmp_path,
                                                                                       in_git_time):
    merged, report = tree.sharded_v1[count]
    assert_same_bytes(tree.single_v1, merged)
    assert report.all_diagnostics == tree.single_v1_report.all_diagnostics
    assert [item.files for item in report.programmes] == [item.files for item in tree.single_v1_report.programmes]
    assert b"X-PRIKAZ-RETIRED" not in (merged / RETIRED_FEED).read_bytes()

    # version 2 from scratch, as each CI job starts
    merged, report = sharded(tree.v2, tmp_path / "v2", count, tree.site)
    assert_same_bytes(tree.single_v2, merged)
    assert report.all_diagnostics == tree.single_v2_report.all_diagnostics
    retired = (merged / RETIRED_FEED).read_bytes()
    assert b"X-PRIKAZ-RETIRED:TRUE" in retired and b"BEGIN:VEVENT" not in retired
    assert b"BEGIN:VEVENT" in (merged / "calendars/permsky-kray-lysvensky-gorodskoy-okrug/cnmo.ics").read_bytes()

    # version 2 over version 1's shards and merged outputs (a CI cache, or a second local run)
    merged, report = sharded(tree.v2, tmp_path / "v2-after-v1", count, tree.site, after=tree.root / f"v1-{count}")
    assert_same_bytes(tree.single_v2_after_v1, merged)
    assert not report.failed


def test_a_shard_file_holds_its_share_of_the_programmes_and_its_parts(tree, tmp_path, in_git_time):
    build_shards(tree.v1, tmp_path, 2, tree.site)
    share = shares(list(PROGRAMMES), 2)
    for number in (1, 2):
        file = ShardFile.open(tmp_path / f"shard-{number}")
        assert (file.header.shard, file.header.of, file.header.programmes) == (number, 2, list(PROGRAMMES))
        codec = engine.building.shards.part_codec()
        lines = [line for _, line in file.programmes(codec)]
        assert [line.programme for line in lines] == [name for name in PROGRAMMES if share[name] == number]
        for line in lines:
            assert sorted(path.name for path in (tmp_path / f"shard-{number}" / line.programme).rglob("*")
                          if path.is_file()) == sorted(Path(name).name for name in line.record.files)
            parts = dict(zip(codec.types, line.parts, strict=True))
            events, entry = parts["OrganisationCalendars"], parts["SiteIndex"]
            assert events.programme == entry.id == line.programme and events.events
        # the shard is not a site: no index, no feeds across programmes, no registry
        assert not {"index.html", "calendars", "feeds.json"} & {path.name for path in (tmp_path / f"shard-{number}").iterdir()}


def test_shares_are_balanced_and_stay_when_programmes_come_and_go():
    programmes = [f"programme-{index:04d}" for index in range(1000)]
    for count in (2, 3, 7, 16):
        share = shares(programmes, count)
        loads = [list(share.values()).count(number) for number in range(1, count + 1)]
        assert sum(loads) == 1000 and min(loads) > 0
        assert max(loads) <= -(-1000 * 105 // (100 * count))       # at most 5 % above the mean
        for changed in (programmes + ["programme-new"], programmes[:500] + programmes[501:]):
            again = shares(changed, count)
            moved = [name for name in changed if name in share and again[name] != share[name]]
            assert len(moved) <= 5, (count, moved)
    small = shares([f"p{index}" for index in range(100)], 7)
    assert max(list(small.values()).count(number) for number in range(1, 8)) <= 15


@pytest.mark.parametrize("text", ["0/3", "4/3", "3", "a/b", "1/0", "-1/2", "1/1001", "2 / 3x", ""])
def test_a_shard_is_k_of_n(text):
    with pytest.raises(ValueError, match="нужно K/N"):
        Shard.parse(text)
    assert Shard.parse(" 2/7 ") == Shard(2, 7) and str(Shard(2, 7)) == "2/7"


def test_the_command_line_says_in_russian_what_a_shard_is(cli_main, tmp_path):
    result = cli_main("build", "specs", "--shard", "5/4", "-o", tmp_path / "out")
    assert result.code == 2 and "«5/4» — не часть сборки" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.fixture
def three(tree) -> Path:
    """Version 1 in three shards (shard-1 … shard-3 in the folder returned); copy before changing."""
    return tree.root / "v1-3"


def _copies(three: Path, tmp_path: Path) -> list[Path]:
    return [Path(shutil.copytree(three / f"shard-{number}", tmp_path / f"shard-{number}")) for number in (1, 2, 3)]


def _refused(folders: list[Path], outputs: Path) -> list[tuple[str, str]]:
    with pytest.raises(MergeRefused) as refused:
        merge(folders, outputs)
    assert not outputs.exists()    # nothing written
    return [(d.code, d.message) for d in refused.value.diagnostics]


def _rewrite(folder: Path, change) -> None:
    """Change the shard file's lines (`change(lines)`), its trailer then counting and summing them again, as a
    tampering that knows the format would."""
    path = folder / SHARD_FILE
    lines = path.read_bytes().splitlines(keepends=True)[:-1]
    lines = change(lines)
    body = b"".join(lines)
    trailer = {"end": "prikaz-shard/1", "programmes": len(lines) - 1, "sha256": hashlib.sha256(body).hexdigest()}
    path.write_bytes(body + json.dumps(trailer).encode() + b"\n")


def _header(change):
    def edit(lines: list[bytes]) -> list[bytes]:
        header = json.loads(lines[0])
        change(header)
        return [json.dumps(header, ensure_ascii=False).encode() + b"\n", *lines[1:]]
    return edit


def test_a_missing_shard_a_repeated_one_and_one_of_another_n_are_refused(three, tmp_path, tree, in_git_time):
    first, second, third = _copies(three, tmp_path)
    outputs = tmp_path / "outputs"
    assert _refused([first, third], outputs) == [("B101", "нет частей 2/3: объединение без них потеряло бы их программы")]
    problems = _refused([first, second, third, first], outputs)
    assert problems == [("B102", f"папка части {first} указана несколько раз")]
    twin = Path(shutil.copytree(first, tmp_path / "twin"))
    assert _refused([first, twin, second, third], outputs) == [
        ("B102", f"часть 1/3 указана несколько раз: {first}, {twin}")]
    other = tmp_path / "of-two"
    build(tree.v1, other, site_url=tree.site, shard=Shard(1, 2))
    [(code, message)] = _refused([first, second, other], outputs)
    assert code == "B102" and message.startswith("части разных делений сборки: 1/3") and "1/2" in message


def test_shards_of_other_specs_or_another_engine_are_refused(three, tmp_path, tree, in_git_time):
    first, second, third = _copies(three, tmp_path)
    shutil.rmtree(second)
    build(tree.v2, second, site_url=tree.site, shard=Shard(2, 3))
    problems = _refused([first, second, third], tmp_path / "outputs")
    assert {code for code, _ in problems} == {"B102"}
    assert any(message.startswith("части собраны из разных версий спецификаций") for _, message in problems)
    assert any(message.startswith("части собраны из разных коммитов") for _, message in problems)

    first, second, third = _copies(three, tmp_path / "engine")
    _rewrite(second, _header(lambda header: header.update(engine="0123456789abcdef")))
    problems = _refused([first, second, third], tmp_path / "outputs")
    assert ("B102", "части собраны разными версиями prikaz (движок 1/3: {0}; 2/3: 0123456789abcdef; 3/3: {0})".format(
        ShardFile.open(first).header.engine)) in problems
    _rewrite(first, _header(lambda header: header.update(format="prikaz-shard/2")))
    [(code, message), *_] = _refused([first, second, third], tmp_path / "outputs")
    assert code == "B102" and "формат «prikaz-shard/2», нужен «prikaz-shard/1»" in message


def test_a_damaged_shard_file_is_refused_with_its_line(three, tmp_path, in_git_time):
    first, second, third = _copies(three, tmp_path)
    path = third / SHARD_FILE
    text = path.read_bytes()
    path.write_bytes(text[:len(text) // 2])      # cut short on its way between CI jobs
    damaged, missing = _refused([first, second, third], tmp_path / "outputs")
    assert damaged[0] == "B103" and damaged[1].startswith(f"файл части 3/3 {path} обрезан или повреждён")
    assert missing[0] == "B101"        # and so the merge has no share 3/3
    path.write_bytes(text.replace(b'"digest":"', b'"digest":"0', 1))     # one byte changed
    damaged, _ = _refused([first, second, third], tmp_path / "outputs")
    assert damaged[0] == "B103" and "обрезан или повреждён" in damaged[1]
    (first / SHARD_FILE).unlink()
    [(code, message), *_] = _refused([first, second, third], tmp_path / "outputs")
    assert code == "B101" and message.startswith(f"в папке {first} нет файла части сборки {SHARD_FILE}")


def test_a_line_that_escapes_its_folder_is_an_error_of_its_programme(three, tmp_path, in_git_time):
    first, second, third = _copies(three, tmp_path)
    _rewrite(third, lambda lines: [lines[0], lines[1].replace(b'"files":{"', b'"files":{"../../outside":"00","', 1),
                                   *lines[2:]])
    outputs = tmp_path / "outputs"
    report = merge([first, second, third], outputs)
    [damaged] = [d for d in report.all_diagnostics if d.code == "B103"]
    assert damaged.span.file == third / SHARD_FILE and damaged.span.line == 2
    assert "не файл внутри папки программы" in damaged.message
    assert report.failed and not (outputs / "index.html").exists()   # the files across programmes wait for all
    assert not (tmp_path / "outside").exists()


def test_a_changed_file_in_a_shard_folder_is_not_published(three, tmp_path, tree, in_git_time):
    first, second, third = _copies(three, tmp_path)
    outputs = Path(shutil.copytree(tree.single_v1, tmp_path / "outputs"))
    line = next(line for _, line in ShardFile.open(first).programmes(engine.building.shards.part_codec()))
    victim = first / line.programme / "calendar.ics"
    victim.write_bytes(victim.read_bytes().replace(b"SUMMARY:", b"SUMMARY:!", 1))
    (outputs / line.programme / "calendar.ics").write_bytes(b"edited by hand")     # so it must be copied again
    report = merge([first, second, third], outputs)
    [damaged] = [d for d in report.all_diagnostics if d.code == "B103"]
    assert damaged.span.file == victim and "не тот, что записала сборка части" in damaged.message
    assert (outputs / line.programme / "calendar.ics").read_bytes() == b"edited by hand"    # left as it was
    assert report.failed


def test_an_address_published_before_that_a_shard_did_not_know_is_an_error(three, tmp_path, in_git_time):
    first, second, third = _copies(three, tmp_path)
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    (outputs / "feeds.json").write_text(json.dumps({"format": "prikaz-feeds/1", "feeds": {
        "lysva-2021/calendars/gone.ics": {"name": "Ушедшая организация", "zones": ["Asia/Yekaterinburg"]}}}),
        encoding="utf-8")
    report = merge([first, second, third], outputs)
    [unknown] = [d for d in report.all_diagnostics if d.code == "B104"]
    assert "lysva-2021/calendars/gone.ics" in unknown.message
    assert not (outputs / "lysva-2021").exists() and not (outputs / "index.html").exists()


def test_an_error_in_one_shard_is_the_merges_error_and_the_same_as_one_builds(tree, tmp_path, cli_main,
                                                                             in_git_time):
    repo = Path(shutil.copytree(tree.v1.parent, tmp_path / "repo"))
    budget = repo / "specs" / "lipetsk-2022" / "budget.yaml"
    text = budget.read_text(encoding="utf-8")
    total_line = text[:text.index('  total: "1 900 000,00"')].count("\n") + 1
    budget.write_text(text.replace('  total: "1 900 000,00"', '  total: "1 900 000,01"'), encoding="utf-8")
    single = build(repo / "specs", tmp_path / "single")
    assert single.failed
    merged, report = sharded(repo / "specs", tmp_path / "sharded", 3)
    assert report.all_diagnostics == single.all_diagnostics
    [error] = [d for d in report.all_diagnostics if d.severity is Severity.ERROR]
    assert (error.code, error.span.file.name, error.span.line) == ("S101", "budget.yaml", total_line)
    assert_same_bytes(tmp_path / "single", merged)
    assert not (merged / "index.html").exists() and (merged / "lysva-2021" / "index.html").is_file()

    shutil.rmtree(merged)
    shards = [tmp_path / "sharded" / f"shard-{number}" for number in (1, 2, 3)]
    result = cli_main("merge", *shards, "-o", merged, "--format", "github", cwd=tmp_path)
    assert result.code == 1
    assert f"::error file={budget.relative_to(tmp_path)},line={total_line}," in result.stdout
    result = cli_main("merge", *shards[:2], "-o", tmp_path / "nothing", cwd=tmp_path)
    assert result.code == 2 and "B101" in result.stdout and "ничего не записано" in result.stderr


def test_a_shard_build_cut_short_leaves_no_shard_file(three, tmp_path, tree, monkeypatch, in_git_time):
    first = Path(shutil.copytree(three / "shard-1", tmp_path / "shard-1"))

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(engine.building.build, "_build_programmes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(tree.v1, first, site_url=tree.site, shard=Shard(1, 3))
    assert not (first / SHARD_FILE).exists()
    assert [path.name for path in first.iterdir() if path.name.endswith(".tmp")] == []


def test_the_merge_waits_for_a_shard_folder_being_built(three, tmp_path, monkeypatch, in_git_time):
    first, second, third = _copies(three, tmp_path)
    monkeypatch.setattr(engine.building.outputs_folder, "LOCK_WAIT_SECONDS", 0.2)
    with OutputsLock(second), pytest.raises(engine.building.outputs_folder.BuildRefused, match="сейчас собирает"):
        merge([first, second, third], tmp_path / "outputs")
    before = folder_bytes(second)
    merge([first, second, third], tmp_path / "outputs")
    assert folder_bytes(second) == before     # the merge only reads a shard
