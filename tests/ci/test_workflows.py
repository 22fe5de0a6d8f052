"""The CI files a specs repository copies: they parse, call only `prikaz` commands and options that
exist, run on the events docs/ci.md names, and the annotation a pull request shows is the one expected."""

from __future__ import annotations

import argparse
import glob
import json
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from engine.building.build import bundled_templates
from engine.commands.cli import build_parser

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / ".github" / "workflows" / "prikaz.yml"
STATUS_WORKFLOW = REPO / ".github" / "workflows" / "status.yml"
HOOKS = REPO / ".pre-commit-hooks.yaml"
CI_DOC = REPO / "docs" / "ci.md"
SEPARATORS = {"&&", "||", ";", "|", "(", ")"}
REDIRECTIONS = {">", ">>", "<", "&>"}


def load_yaml(text: str):
    return YAML(typ="safe", pure=True).load(text)  # YAML 1.2, as GitHub reads it: `on` stays a string


def workflow() -> dict:
    return load_yaml(WORKFLOW.read_text(encoding="utf-8"))


def gitlab_ci_text() -> str:
    """The `.gitlab-ci.yml` that docs/ci.md gives: its only YAML block with `stages:`."""
    blocks = re.findall(r"```yaml\n(.*?)```", CI_DOC.read_text(encoding="utf-8"), re.DOTALL)
    [block] = [block for block in blocks if "\nstages:" in block]
    return block


def gitlab_ci() -> dict:
    return load_yaml(gitlab_ci_text())


def ci_doc_block(marker: str) -> str:
    """The one YAML block of docs/ci.md that holds `marker`."""
    blocks = re.findall(r"```yaml\n(.*?)```", CI_DOC.read_text(encoding="utf-8"), re.DOTALL)
    [block] = [block for block in blocks if marker in block]
    return block


SHARDED_GITHUB, SHARDED_GITLAB = "\nname: prikaz-sharded\n", "\n  parallel: "   # docs/ci.md, «Сборка частями»


def steps(job: dict) -> list[dict]:
    return job["steps"]


def step_using(job: dict, action: str) -> dict:
    [step] = [step for step in steps(job) if step.get("uses", "").split("@")[0] == action]
    return step


def runs(job: dict) -> str:
    return "\n".join(step["run"] for step in steps(job) if "run" in step)


def prikaz_invocations(script: str) -> list[list[str]]:
    """The arguments of every `prikaz …` command in a shell script (comments and heredoc bodies left out)."""
    script = re.sub(r"<<'?(\w+)'?\n.*?\n\1\n", "\n", script, flags=re.DOTALL)
    found = []
    for line in script.replace("\\\n", " ").splitlines():
        words = shlex.shlex(line, posix=True, punctuation_chars=True)
        words.whitespace_split = True
        command: list[str] = []
        redirected = False
        for word in [*words, ";"]:
            if word in SEPARATORS:
                if command[:1] == ["prikaz"]:
                    found.append(command[1:])
                command, redirected = [], False
            elif word in REDIRECTIONS or redirected:
                redirected = True  # a redirection and its target are not arguments of the command
            else:
                command.append(word)
    return found


def status_workflow() -> dict:
    return load_yaml(STATUS_WORKFLOW.read_text(encoding="utf-8"))


def all_invocations() -> list[tuple[str, list[str]]]:
    found = []
    for path, read in ((WORKFLOW, workflow), (STATUS_WORKFLOW, status_workflow)):
        for name, job in read()["jobs"].items():
            found += [(f"{path.name}: {name}", args) for args in prikaz_invocations(runs(job))]
    for name, job in gitlab_ci().items():
        if isinstance(job, dict):
            script = "\n".join(job.get("script", []) + job.get("before_script", []))
            found += [(f"docs/ci.md .gitlab-ci.yml: {name}", args) for args in prikaz_invocations(script)]
    for hook in load_yaml(HOOKS.read_text(encoding="utf-8")):
        found.append((f"{HOOKS.name}: {hook['id']}", shlex.split(hook["entry"])[1:]))
    return found


def _subcommand_parser(name: str) -> argparse.ArgumentParser:
    [subcommands] = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert name in subcommands.choices, f"prikaz has no subcommand «{name}»"
    return subcommands.choices[name]


@pytest.mark.parametrize("where, args", all_invocations(),
                         ids=lambda value: " ".join(value) if isinstance(value, list) else value)
def test_every_prikaz_invocation_names_a_subcommand_and_options_that_exist(where, args):
    subcommand = _subcommand_parser(args[0])
    for word in args[1:]:
        if word.startswith("-"):
            # exactly, not as an abbreviation argparse would also accept
            assert word.split("=")[0] in subcommand._option_string_actions, f"{where}: prikaz {args[0]} has no {word}"
    try:
        build_parser().parse_args(args)
    except SystemExit:
        pytest.fail(f"{where}: «prikaz {' '.join(args)}» is not a valid command line")


@pytest.mark.parametrize("schema, read", [
    ("vendor.github-workflows", lambda: WORKFLOW.read_text(encoding="utf-8")),
    ("vendor.github-workflows", lambda: STATUS_WORKFLOW.read_text(encoding="utf-8")),
    ("vendor.gitlab-ci", gitlab_ci_text),
    ("vendor.github-workflows", lambda: ci_doc_block(SHARDED_GITHUB)),
    ("vendor.gitlab-ci", lambda: ci_doc_block(SHARDED_GITLAB)),
], ids=["github-workflow", "github-status-workflow", "gitlab-ci", "github-sharded-matrix", "gitlab-sharded-parallel"])
def test_the_ci_files_are_valid_for_their_service(schema, read, tmp_path):
    """Valid by the schemas GitHub's and GitLab's own editors use (vendored by check-jsonschema: no network)."""
    file = tmp_path / "ci.yml"
    file.write_text(read(), encoding="utf-8")
    checker = Path(sys.executable).with_name("check-jsonschema")
    result = subprocess.run([str(checker), "--builtin-schema", schema, str(file)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_files_call_prikaz_where_docs_ci_says():
    invocations = {" ".join(args) for _, args in all_invocations()}
    assert {"check --format github --verbose",
            "build --pdf --format github --verbose --site-url ${{ steps.pages.outputs.base_url }}/",
            "check --format json", "check --verbose", "build --pdf --verbose --site-url $CI_PAGES_URL/",
            "fmt --check", "status --within 7 --format github --verbose", "status --within 7",
            "status --within 7 --format json", "status --within 7 --verbose"} <= invocations


def test_the_workflow_runs_on_pull_requests_and_pushes_to_main():
    triggers = workflow()["on"]
    assert set(triggers) == {"pull_request", "push"}
    assert triggers["push"] == {"branches": ["main"]}
    assert workflow()["permissions"] == {"contents": "read"}  # only the deployment may write, below


def test_a_pull_request_is_checked_with_annotations():
    job = workflow()["jobs"]["check"]
    assert job["if"] == "github.event_name == 'pull_request'"
    assert steps(job)[0]["uses"].startswith("actions/checkout@")
    assert prikaz_invocations(runs(job)) == [["check", "--format", "github", "--verbose"]]
    assert "pip install ." in runs(job)


def test_a_push_to_main_builds_with_the_whole_history_and_pdf_and_publishes_outputs():
    job = workflow()["jobs"]["build"]
    assert job["if"] == "github.event_name == 'push'"
    assert step_using(job, "actions/checkout")["with"]["fetch-depth"] == 0  # calendar SEQUENCE needs the history
    script = runs(job)
    assert "libreoffice-writer" in script
    assert script.index("libreoffice-writer") < script.index("prikaz build")
    assert [args for args in prikaz_invocations(script) if args[0] == "build"] == [
        ["build", "--pdf", "--format", "github", "--verbose", "--site-url", "${{ steps.pages.outputs.base_url }}/"]]
    uploads = {step["with"]["name"]: step for step in steps(job) if step.get("uses", "").startswith("actions/upload-artifact@")}
    assert uploads["outputs"]["with"] == {"name": "outputs", "path": "outputs/"}
    # the log of prikaz's own failures (tracebacks) is kept even when the build fails; it is a dot file
    log = uploads["prikaz-log"]
    assert log["if"] == "always()"
    assert log["with"] == {"name": "prikaz-log", "path": "outputs/.prikaz.log", "include-hidden-files": True,
                           "if-no-files-found": "ignore"}
    assert step_using(job, "actions/upload-pages-artifact")["with"] == {"path": "outputs/"}
    assert step_using(job, "actions/cache")["with"]["path"] == "outputs/.cache"
    order = [step.get("uses", step.get("run", "")).split("@")[0].split(" --site-url")[0] for step in steps(job)]
    assert order.index("actions/cache") < order.index("prikaz build --pdf --format github --verbose") < order.index(
        "actions/upload-pages-artifact")
    # the site's address, from the Pages settings, before the build that reads the registry of feeds published there
    assert step_using(job, "actions/configure-pages")["id"] == "pages"
    assert order.index("actions/configure-pages") < order.index("prikaz build --pdf --format github --verbose")
    assert job["permissions"] == {"contents": "read", "pages": "read"}


def test_the_deployment_has_the_pages_permissions_and_runs_one_at_a_time():
    job = workflow()["jobs"]["deploy"]
    assert job["needs"] == "build"
    assert job["permissions"] == {"pages": "write", "id-token": "write"}
    assert job["environment"] == {"name": "github-pages", "url": "${{ steps.deployment.outputs.page_url }}"}
    assert job["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert [step["uses"].split("@")[0] for step in steps(job)] == ["actions/deploy-pages"]
    assert steps(job)[0]["id"] == "deployment"


def test_a_specs_repository_is_shown_how_to_install_a_pinned_prikaz():
    for path in (WORKFLOW, STATUS_WORKFLOW, CI_DOC, HOOKS):
        text = path.read_text(encoding="utf-8")
        assert "<host>/<owner>/prikaz" in text, path.name
        # a placeholder, never a real host
        assert not re.search(r"https://(?!<host>)", text.replace("https://<host>", "")), path.name
    assert 'pip install "prikaz @ git+https://<host>/<owner>/prikaz.git@<tag or commit>"' in WORKFLOW.read_text(
        encoding="utf-8")


def test_the_gitlab_pipeline_checks_merge_requests_and_publishes_public_on_the_default_branch():
    pipeline = gitlab_ci()
    assert pipeline["variables"]["GIT_DEPTH"] == "0"
    check = pipeline["prikaz-check"]
    assert check["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert check["artifacts"]["reports"] == {"codequality": "gl-code-quality-report.json"}
    pages = pipeline["pages"]
    assert pages["rules"] == [{"if": '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE != "schedule"'}]
    assert pages["artifacts"] == {"when": "always", "paths": ["public", "outputs/.prikaz.log"]}
    assert "cp -r outputs/* public/" in pages["script"][-1]   # feeds.json too: the next build reads it from the site
    assert 'prikaz build --pdf --verbose --site-url "$CI_PAGES_URL/"' in pages["script"]


def test_the_pre_commit_hooks_run_prikaz_on_spec_files():
    hooks = {hook["id"]: hook for hook in load_yaml(HOOKS.read_text(encoding="utf-8"))}
    assert set(hooks) == {"prikaz-check", "prikaz-fmt"}
    check, fmt = hooks["prikaz-check"], hooks["prikaz-fmt"]
    assert check["entry"] == "prikaz check" and check["pass_filenames"] is False
    assert fmt["entry"] == "prikaz fmt --check" and fmt.get("pass_filenames", True) is True
    for hook in hooks.values():
        assert hook["language"] == "python"  # pre-commit installs this repository with pip: `prikaz` is its script
        assert hook["files"] == r"^specs/.*\.ya?ml$"
        pattern = re.compile(hook["files"])
        assert pattern.search("specs/lipetsk-2022/budget.yaml") and pattern.search("specs/new/programme.yml")
        assert not pattern.search("specs/lipetsk-2022/README.md") and not pattern.search("docs/ci.yaml")


def test_an_installed_prikaz_carries_every_bundled_template():
    """`pip install .` and `pip install "prikaz @ git+…"` build a wheel: the templates must be in it."""
    data_files = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["data-files"]
    installed = {Path(target) / Path(match).name for target, patterns in data_files.items()
                 for pattern in patterns for match in glob.glob(str(REPO / pattern))}
    templates = bundled_templates()
    assert templates == REPO / "templates"  # in a checkout; an installed wheel looks in <prefix>/share/prikaz/templates
    bundled = {Path("share/prikaz/templates") / path.relative_to(templates)
               for path in templates.rglob("*") if path.is_file()}
    assert bundled and installed == bundled


@pytest.fixture
def published_typo(tmp_path, copy_programme, replace_in) -> tuple[Path, int]:
    """A copy of lipetsk-2022 with the amount of budget line 2 as the published order printed it."""
    folder = copy_programme(tmp_path, "lipetsk-2022")
    line = replace_in(folder / "budget.yaml", '      amount: "300 000,00"', '      amount: "30 0000, 00"')
    return folder / "budget.yaml", line


def test_the_annotation_a_pull_request_shows_for_a_known_mistake(published_typo, run_cli, tmp_path):
    budget, line = published_typo
    text = budget.read_text(encoding="utf-8").splitlines()[line - 1]
    column = text.index("0000, 00") + 1  # the group of four digits, where the amount goes wrong

    result = run_cli("check", "--format", "github", cwd=tmp_path)

    assert result.code == 1
    annotation = (f"::error file=specs/lipetsk-2022/budget.yaml,line={line},col={column},"
                  f"endLine={line},endColumn={column + len('0000, 00')},title=P201 value-syntax::"
                  f"сумма «30 0000, 00» записана неверно")
    assert [out for out in result.stdout.splitlines() if out.startswith(annotation)], result.stdout


def test_the_gitlab_job_turns_the_check_into_a_code_quality_report(published_typo, run_cli, tmp_path):
    result = run_cli("check", "--format", "json", cwd=tmp_path)
    (tmp_path / "prikaz-check.json").write_text(result.stdout, encoding="utf-8")
    [converter] = [line for line in gitlab_ci()["prikaz-check"]["script"] if "<<'EOF'" in line]
    program = re.search(r"<<'EOF'\n(.*)\nEOF", converter, re.DOTALL).group(1)
    subprocess.run([sys.executable, "-c", program], cwd=tmp_path, check=True)
    report = json.loads((tmp_path / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    [problem] = [entry for entry in report if entry["check_name"] == "P201"]
    assert problem["severity"] == "major"
    assert problem["location"] == {"path": "specs/lipetsk-2022/budget.yaml", "lines": {"begin": published_typo[1]}}
    assert problem["description"].startswith("P201 сумма «30 0000, 00» записана неверно")
    assert len({entry["fingerprint"] for entry in report}) == len(report)


# --- the weekly summary of execution (.github/workflows/status.yml, the GitLab job prikaz-status) ------------------


def test_the_status_workflow_runs_every_monday_and_by_hand():
    flow = status_workflow()
    assert flow["on"]["schedule"] == [{"cron": "0 5 * * 1"}] and "workflow_dispatch" in flow["on"]
    assert flow["permissions"] == {"contents": "read"}
    job = flow["jobs"]["status"]
    assert job["permissions"] == {"contents": "read", "issues": "write"}     # the issue, and nothing else
    assert "pip install ." in runs(job)
    assert [args for args in prikaz_invocations(runs(job))] == [
        ["status", "--within", "7", "--format", "github", "--verbose"], ["status", "--within", "7"]]


def test_the_status_workflow_keeps_one_issue_and_fails_while_anything_is_overdue():
    job = status_workflow()["jobs"]["status"]
    [issue] = [step for step in steps(job) if step.get("name") == "The issue «Просроченные сроки»"]
    script = issue["run"]
    assert issue["env"]["GH_TOKEN"] == "${{ github.token }}"
    assert 'title="Просроченные сроки"' in script
    assert "gh issue edit" in script and "gh issue create" in script and "gh issue close" in script
    assert script.index('"$CODE" = "1"') < script.index("gh issue create")
    last = steps(job)[-1]
    assert last["if"] == "steps.status.outputs.code != '0'" and last["run"] == 'exit "${{ steps.status.outputs.code }}"'
    # the code of `prikaz status` is kept for that last step: the issue is written first
    [status] = [step for step in steps(job) if step.get("id") == "status"]
    assert status["run"].startswith("set +e\n") and 'echo "code=$?" >> "$GITHUB_OUTPUT"' in status["run"]


def test_the_gitlab_status_job_runs_only_on_a_schedule():
    pipeline = gitlab_ci()
    job = pipeline["prikaz-status"]
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]
    assert job["script"][-1] == 'exit "${code:-0}"'
    assert job["artifacts"] == {"when": "always", "paths": ["prikaz-status.txt", "prikaz-status.json"]}
    assert "status" in pipeline["stages"]


def test_the_status_issue_body_is_what_prikaz_status_prints(run_cli, tmp_path, copy_programme):
    """The text the workflow puts into the issue: overdue items of the sample, by the day asked, exit code 1."""
    copy_programme(tmp_path, "lipetsk-2022")
    result = run_cli("status", "--within", "7", "--as-of", "2022-07-01", cwd=tmp_path)
    assert result.code == 1
    assert "Просрочено (1):" in result.stdout and "specs/lipetsk-2022/roadmap.yaml:" in result.stdout
    annotations = run_cli("status", "--within", "7", "--as-of", "2022-07-01", "--format", "github", cwd=tmp_path)
    assert annotations.code == 1
    assert any(line.startswith("::error file=specs/lipetsk-2022/roadmap.yaml,line=") for line in annotations.stdout.splitlines())
