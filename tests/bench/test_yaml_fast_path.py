"""The loader's libyaml fast path reads every file exactly as ruamel's reader does.

`engine.loading.yaml_source` composes plain files with libyaml (C) and everything else
with ruamel (pure Python, the reference). Both must give the same data, the same spans of
every value and key, and the same diagnostics: here for every YAML file of the repository,
for synthetic benchmark programmes, and for edge cases where the two libraries differ.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from engine import fast_paths
from engine.loading import yaml_source

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from bench.generate import write_tree  # noqa: E402

EDGE_CASES = [
    "a: plain\nb: 'single ''q'''\nc: \"double \\\"q\\\" \\u0041\"\n",
    "key:\n", "date:\nyear: \"2022\"\n", "a: # comment\nb: 1\n", "- \n- a\n", "a:\n  - \n  - x\n",
    "a: {x: , y: 1}\n", "a: >\n  folded\n  text\n\n  more\n", "a: |+\n  kept\n\n", "a: |-\n  strip\n",
    "a: >2\n   indented\n  less\n", "a: >\n\n  leading blank\n", "a: |\n  \n    more indented\n",
    "a: >#glued\n  x\n", "---\na: 1\n---\nb: 2\n", "a: 1\n...\n", "%YAML 1.2\n---\na: 1\n",
    "a: &x 1\nb: *x\n", "a: !tag x\n", "<<: {a: 1}\n", "a: 1\na: 2\n", "[a, b]\n", ">\n# text\n",
    "a: b: c\n", "a: 'unclosed\n", "a: [1, 2 # c\n  , 3]\n", "a:\u2028b\n", "a: x\x85y\n", "a: 0709\nb: no\n",
    "k" * 1100 + ": v\n", "a: 😀 ё «»\n", "a: 1", "a:\n  b:\n    c: [d, {e: f}]\n",
]


def _both(path: Path, text: str):
    with fast_paths.switched(True):
        fast = yaml_source.parse_yaml(path, text)
    with fast_paths.switched(False):      # every file through ruamel
        slow = yaml_source.parse_yaml(path, text)
    return fast, slow


def _assert_same(path: Path, text: str) -> None:
    fast, slow = _both(path, text)
    assert fast.data == slow.data, path
    assert fast.sources.values == slow.sources.values, path
    assert fast.sources.keys == slow.sources.keys, path
    assert fast.diagnostics == slow.diagnostics, path


def _repository_files() -> list[Path]:
    files = [p for root in (REPO / "specs", REPO / "tests") for p in root.rglob("*.y*ml") if p.suffix in (".yaml", ".yml")]
    return sorted(p for p in files if p.is_file() and p.stat().st_size < yaml_source.MAX_FILE_BYTES)


def test_fast_path_is_available_and_used():
    assert yaml_source._C_LOADER is not None, "PyYAML with libyaml is a dependency"
    with fast_paths.switched(True):
        assert yaml_source._compose_in_c("a: 1\n") is not None
    with fast_paths.switched(False):
        assert yaml_source._compose_in_c("a: 1\n") is None


def test_every_repository_file_reads_the_same():
    files = _repository_files()
    assert len(files) > 20
    for path in files:
        text, _ = yaml_source.decode(path, path.read_bytes())
        if text is not None:
            _assert_same(path, text)


def test_synthetic_programmes_read_the_same(tmp_path):
    for folder in write_tree(tmp_path, 2):
        for path in sorted(folder.glob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            with fast_paths.switched(True):
                assert yaml_source._compose_in_c(text) is not None, f"{path.name} should take the fast path"
            _assert_same(path, text)


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases_read_the_same(text):
    _assert_same(Path("edge.yaml"), text)
