"""`prikaz check` is what an editor and pre-commit run on every save: its process imports what checking needs and
nothing of the renderers, the worker pool or the lock (each imported on first use by the commands that use them)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NOT_FOR_CHECK = ("docx", "docxtpl", "docxcompose", "icalendar", "jinja2", "lxml", "rich", "multiprocessing",
                 "concurrent.futures", "engine.render.docx", "engine.render.ics", "engine.render.site",
                 "engine.building.build", "engine.building.shards")


def test_a_check_of_the_bundled_specs_imports_no_renderer_and_no_worker_pool():
    probe = ("import json, sys\n"
             "from engine.commands.cli import main\n"
             "code = main(['check', sys.argv[1]])\n"
             f"print(json.dumps([code, [name for name in {NOT_FOR_CHECK!r} if name in sys.modules]]))\n")
    found = subprocess.run([sys.executable, "-c", probe, str(REPO / "specs")], capture_output=True, text=True,
                           cwd=REPO, env=dict(os.environ, PYTHONIOENCODING="utf-8"), check=True)
    code, imported = json.loads(found.stdout.splitlines()[-1])
    assert code == 0, found.stdout
    assert imported == []
