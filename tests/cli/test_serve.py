"""`prikaz serve`: builds, serves the site on 127.0.0.1, rebuilds on save, keeps the last good site, stops on Ctrl+C."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 60      # the first build of three programmes, on a slow CI machine
REBUILD_TIMEOUT_S = 20


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, "", ""


class Serve:
    """`prikaz serve` in a subprocess, its output collected as it comes."""

    def __init__(self, tmp_path: Path, *args: str):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.temp = tmp_path / "temp"      # where the server keeps its copy of the site: must be empty after
        self.temp.mkdir()
        env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(REPO), TMPDIR=str(self.temp))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "engine.commands.cli", "serve", *args, "--port", str(self.port)],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, condition, timeout: float, what: str):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"prikaz serve ended (code {self.process.returncode}) waiting for {what}:\n{self.output}")
            result = condition()
            if result:
                return result
            time.sleep(0.2)
        pytest.fail(f"no {what} within {timeout} s; prikaz serve said:\n{self.output}")

    def page(self, path: str = "") -> str:
        def served():
            try:
                status, _, body = _get(self.url + path)
            except OSError:
                return None
            return body if status == 200 else None
        return self.wait_for(served, START_TIMEOUT_S, f"page /{path}")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=REBUILD_TIMEOUT_S)
        finally:
            if self.process.poll() is None:
                self.process.kill()


@pytest.fixture
def specs(tmp_path) -> Path:
    """A writable copy of the bundled specs."""
    return Path(shutil.copytree(REPO / "specs", tmp_path / "specs"))


def test_serve_builds_serves_rebuilds_on_save_and_stops_on_ctrl_c(tmp_path, specs, replace_in):
    server = Serve(tmp_path, "specs", "-o", "outputs")
    try:
        index = server.page()
        assert "Программы и документы" in index and 'href="lipetsk-2022/index.html"' in index
        status, content_type, _ = _get(server.url)
        assert status == 200 and content_type.startswith("text/html")
        assert f"Сайт: {server.url}" in server.output
        assert "Услуги наставников" in server.page("lipetsk-2022/")

        replace_in(specs / "lipetsk-2022" / "budget.yaml", "title: Услуги наставников", "title: Услуги наставников школ")
        server.wait_for(lambda: "Услуги наставников школ" in server.page("lipetsk-2022/"), REBUILD_TIMEOUT_S,
                        "the edited budget line on the page")
        server.wait_for(lambda: "пересобрано: lipetsk-2022" in server.output, REBUILD_TIMEOUT_S, "the rebuild message")
        assert "budget.yaml" in server.output.split("Изменено:")[1]
    finally:
        code = server.stop()
    assert code == 0, server.output
    assert "Остановлено." in server.output
    assert (tmp_path / "outputs" / "lipetsk-2022" / "index.html").is_file()   # outputs/ is the build's, kept
    assert list(server.temp.iterdir()) == []                                    # the served copy is gone


def test_a_failing_build_keeps_the_previous_site_on_screen(tmp_path, specs, replace_in):
    server = Serve(tmp_path, "specs", "-o", "outputs")
    try:
        before = server.page("lipetsk-2022/")
        replace_in(specs / "lipetsk-2022" / "budget.yaml", "title: Услуги наставников", "title: [Услуги наставников")
        server.wait_for(lambda: "Сборка с ошибками" in server.output, REBUILD_TIMEOUT_S, "the failed build")
        assert "budget.yaml" in server.output and "ошибка" in server.output
        assert server.page("lipetsk-2022/") == before
        assert server.page() and server.page("lipetsk-2022/calendar.ics").startswith("BEGIN:VCALENDAR")
    finally:
        assert server.stop() == 0, server.output


def test_a_port_in_use_is_a_usage_error_in_russian(tmp_path, specs):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(REPO))
        result = subprocess.run([sys.executable, "-m", "engine.commands.cli", "serve", "specs", "-o", "outputs",
                                 "--port", str(port)], cwd=tmp_path, env=env, capture_output=True, text=True,
                                encoding="utf-8", timeout=START_TIMEOUT_S)
    assert result.returncode == 2
    assert f"не удалось открыть адрес 127.0.0.1:{port}" in result.stderr
