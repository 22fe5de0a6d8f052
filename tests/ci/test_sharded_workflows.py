"""The sharded CI of docs/ci.md («Сборка частями»): a GitHub Actions matrix and a GitLab `parallel:` job (valid for
their services: test_workflows.py), calling `prikaz` as it exists, handing the shards to the merge as artifacts —
and, run as written (each job in a folder of its own, an artifact without its hidden files), giving the bytes of
one build."""

from __future__ import annotations

import glob
import shlex
import shutil
from pathlib import Path

from test_workflows import SHARDED_GITHUB, SHARDED_GITLAB, ci_doc_block, load_yaml, prikaz_invocations

from engine.building.build import build
from engine.commands.cli import build_parser

REPO = Path(__file__).resolve().parents[2]


def github_text() -> str:
    return ci_doc_block(SHARDED_GITHUB)


def gitlab_text() -> str:
    return ci_doc_block(SHARDED_GITLAB)


def _scripts() -> list[str]:
    github = load_yaml(github_text())["jobs"]
    gitlab = load_yaml(gitlab_text())
    return ["\n".join(step["run"] for step in job["steps"] if "run" in step) for job in github.values()] + [
        "\n".join(job.get("script", [])) for job in gitlab.values() if isinstance(job, dict)]


def test_every_prikaz_command_of_the_pipelines_exists(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for folder in ("shards/shard-1", "shards/1"):   # what the globs of the merge find once the artifacts are in
        (tmp_path / folder).mkdir(parents=True)
    # what each job is given: its number among N
    scripts = [script.replace("${{ matrix.shard }}", "1").replace("$CI_NODE_INDEX", "1").replace("$CI_NODE_TOTAL", "4")
               for script in _scripts()]
    invocations = [args for script in scripts for args in prikaz_invocations(script)]
    assert {args[0] for args in invocations} == {"build", "merge"}
    for args in invocations:
        expanded = [found for word in args for found in (sorted(glob.glob(word)) if "*" in word else [word])]
        build_parser().parse_args(expanded)      # exits (fails the test) on an option or value that does not exist


def test_the_github_matrix_hands_every_shard_to_the_merge_and_only_the_merge_publishes():
    workflow = load_yaml(github_text())
    shard, merge, deploy = (workflow["jobs"][name] for name in ("shard", "merge", "deploy"))
    count = len(shard["strategy"]["matrix"]["shard"])
    assert shard["strategy"]["matrix"]["shard"] == list(range(1, count + 1)) and shard["strategy"]["fail-fast"] is False
    [command] = [step["run"] for step in shard["steps"] if "prikaz build" in step.get("run", "")]
    assert f"--shard ${{{{ matrix.shard }}}}/{count} -o shard " in command
    [checkout] = [step for step in shard["steps"] if step.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"] == {"fetch-depth": 0}
    [upload] = [step for step in shard["steps"] if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload["if"] == "always()"
    assert upload["with"]["name"] == "shard-${{ matrix.shard }}" and upload["with"]["path"] == "shard/"
    assert merge["needs"] == "shard" and merge["if"] == "${{ !cancelled() }}"
    [download] = [step for step in merge["steps"] if step.get("uses", "").startswith("actions/download-artifact@")]
    assert download["with"] == {"pattern": "shard-*", "path": "shards/"}
    assert "prikaz merge shards/shard-* -o outputs --format github --verbose" in [step.get("run") for step in merge["steps"]]
    assert deploy["needs"] == "merge" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "pages" not in merge.get("permissions", {}) and workflow["permissions"] == {"contents": "read"}


def test_the_gitlab_pipeline_runs_n_shards_and_merges_their_artifacts_in_pages():
    pipeline = load_yaml(gitlab_text())
    shard, pages = pipeline["prikaz-shard"], pipeline["pages"]
    assert pipeline["variables"]["GIT_DEPTH"] == "0"
    assert isinstance(shard["parallel"], int) and shard["parallel"] > 1
    assert any('--shard "$CI_NODE_INDEX/$CI_NODE_TOTAL" -o "shards/$CI_NODE_INDEX"' in line for line in shard["script"])
    assert shard["artifacts"]["paths"] == ["shards/$CI_NODE_INDEX/"] and shard["artifacts"]["when"] == "always"
    assert pages["needs"] == ["prikaz-shard"] and pages["rules"][0]["when"] == "always"
    assert pages["script"] == ["prikaz merge shards/* -o outputs --verbose", "mkdir public && cp -r outputs/* public/"]


def test_the_matrix_run_as_written_gives_the_bytes_of_one_build(tmp_path, cli_main, monkeypatch):
    """Each shard job in its own checkout folder, the artifact as upload-artifact makes it (no hidden files), the
    merge in a folder without the specs. (Without --pdf, which only adds LibreOffice's time.)"""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    workflow = load_yaml(github_text())
    count = len(workflow["jobs"]["shard"]["strategy"]["matrix"]["shard"])
    [command] = [step["run"] for step in workflow["jobs"]["shard"]["steps"] if "prikaz build" in step.get("run", "")]
    site = (tmp_path / "site").as_uri()
    for number in range(1, count + 1):
        job = tmp_path / f"job-{number}"
        shutil.copytree(REPO / "specs", job / "specs")
        words = shlex.split(command.replace("${{ matrix.shard }}", str(number))
                            .replace("${{ steps.pages.outputs.base_url }}", site))
        result = cli_main(*[word for word in words[1:] if word != "--pdf"], cwd=job)
        assert result.code == 0, result.output
        shutil.copytree(job / "shard", tmp_path / "merge-job" / "shards" / f"shard-{number}",
                        ignore=lambda folder, names: [name for name in names if name.startswith(".")])
    [merge] = [step["run"] for step in workflow["jobs"]["merge"]["steps"] if "prikaz merge" in step.get("run", "")]
    words = shlex.split(merge)
    with monkeypatch.context() as inside:
        inside.chdir(tmp_path / "merge-job")
        words = [found for word in words for found in (sorted(glob.glob(word)) if "*" in word else [word])]
    result = cli_main(*words[1:], cwd=tmp_path / "merge-job")
    assert result.code == 0, result.output

    single = tmp_path / "single-job"
    shutil.copytree(REPO / "specs", single / "specs")
    monkeypatch.chdir(single)
    assert not build(Path("specs"), Path("outputs"), site_url=site + "/").failed
    merged = tmp_path / "merge-job" / "outputs"
    published = {path.relative_to(single / "outputs"): path.read_bytes() for path in (single / "outputs").rglob("*")
                 if path.is_file() and ".cache" not in path.parts}
    assert published == {path.relative_to(merged): path.read_bytes() for path in merged.rglob("*")
                         if path.is_file() and ".cache" not in path.parts}
