"""The reference pages stay true: docs/spec-language.md against the model, docs/export.md against real exports,
docs/monitoring.md against the bundled samples and what prikaz says of them."""

from __future__ import annotations

import importlib.util
import json
import re
import textwrap
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from engine.building.pipeline import check_tree
from engine.export import EXPORT_FORMAT, export_programme
from engine.model import spec, text
from engine.model.text import TextContext, appendix_numbers, render_text

REPO = Path(__file__).resolve().parents[2]
SPEC_DOC = REPO / "docs" / "spec-language.md"
EXPORT_DOC = REPO / "docs" / "export.md"
MONITORING_DOC = REPO / "docs" / "monitoring.md"
NBSP = "\u00a0"


def _spec_docs_tool():
    loaded = importlib.util.spec_from_file_location("spec_docs", REPO / "tools" / "spec_docs.py")
    module = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def programmes() -> dict:
    result = check_tree(REPO / "specs")
    return {p.directory.name: p.model for p in result.programmes}


# --- docs/spec-language.md -------------------------------------------------------------------------


def test_spec_language_generated_blocks_are_up_to_date():
    """Golden: the key tables and the deadline table are what tools/spec_docs.py makes of the model now."""
    tool = _spec_docs_tool()
    current = SPEC_DOC.read_text(encoding="utf-8")
    assert tool.render(current) == current, "docs/spec-language.md устарел: запустите python tools/spec_docs.py"


def test_every_model_key_is_documented():
    doc = SPEC_DOC.read_text(encoding="utf-8")
    models = [cls for cls in vars(spec).values()
              if isinstance(cls, type) and issubclass(cls, spec.SpecModel) and cls.model_fields]
    assert len(models) >= 20
    missing = [f"{cls.__name__}.{field.alias or name}" for cls in models for name, field in cls.model_fields.items()
               if f"`{field.alias or name}`" not in doc]
    assert missing == []


def test_every_section_has_a_key_table():
    tool = _spec_docs_tool()
    documented = {model for _, _, model in tool.SECTIONS}
    models = {cls for cls in vars(spec).values() if isinstance(cls, type) and issubclass(cls, spec.SpecModel)
              and cls.model_fields and cls is not spec.Programme}
    abstract = {spec.Silenceable, spec.AppendixDocument, spec.TableAppendix, spec.Content}
    assert models - abstract - documented == set()
    doc = SPEC_DOC.read_text(encoding="utf-8")
    for heading, _, _ in tool.SECTIONS:
        assert f"\n### {heading}\n" in doc


def test_deadline_table_reads_the_source_forms():
    doc = SPEC_DOC.read_text(encoding="utf-8")
    for written, placed in [("Февраль-март", "01.02.2022 – 31.03.2022"),
                            ("Июнь-июль", "4 окна: 01.06.2021 – 31.07.2021"),
                            ("до 10 февраля 2020 года", "10.02.2020"),
                            ("по пятницам", "52 окна: 07.01.2022, 14.01.2022"),
                            ("ежеквартально до 5 числа месяца, следующего за отчётным кварталом", "05.01.2023"),
                            ("По итогам выявления", "нет (в календарь не попадает)")]:
        assert re.search(rf"\| «{re.escape(written)}» \|[^\n]*\| [^\n]*{re.escape(placed)}", doc), written


def test_every_placeholder_of_the_vocabulary_is_documented():
    doc = SPEC_DOC.read_text(encoding="utf-8")
    entries = [entry for line in text.__doc__.split("\n") if line.startswith("    ") and line.strip()
               for entry in re.split(r"\s{2,}", line.strip())[0].split(", ")]
    heads = {re.split(r"[.\[<]", entry)[0] for entry in entries}
    assert {"appendix", "budget", "decree", "deadline", "people", "control", "clauses", "orgs", "basis", "quantity",
            "quantities", "programme"} <= heads
    assert [head for head in sorted(heads) if "{{ " + head not in doc] == []
    for case in ("nom", "gen", "dat", "acc", "ins", "loc"):
        assert f"`{case}`" in doc


def test_placeholder_examples_render_as_documented(programmes):
    """Every «`{{ name }}` → «value»» in the placeholder table is what some bundled programme renders."""
    doc = SPEC_DOC.read_text(encoding="utf-8")
    examples = re.findall(r"`\{\{ ([a-z0-9_.\-]+) \}\}` → «(.*?)» \|", doc)
    assert len(examples) >= 15
    for name, value in examples:
        rendered = set()
        for model in programmes.values():
            programme = model.programme
            quantities = []
            if programme.specification:  # {{ quantities.1 }} is documented for item 2.11
                quantities = next((i.quantities for i in programme.specification.items if i.id == "collection"), [])
            try:
                rendered.add(render_text("{{ " + name + " }}", TextContext(programme, appendix_numbers(programme),
                                                                            quantities=quantities))
                             .replace(NBSP, " "))
            except Exception:
                continue
        assert value in rendered, f"{{{{ {name} }}}}: в документации «{value}», а программы дают {sorted(rendered)}"


def test_every_loader_and_value_code_is_listed():
    doc = SPEC_DOC.read_text(encoding="utf-8")
    raised = set()
    for path in (REPO / "engine").rglob("*.py"):
        raised |= set(re.findall(r'"([YMPX]\d{3})"', path.read_text(encoding="utf-8")))
    assert {"Y001", "M001", "P101", "P201", "X101"} <= raised
    assert [code for code in sorted(raised) if code not in doc] == []
    assert "R507" in doc


def test_the_brief_is_gone():
    assert not (REPO / "docs" / "spec-language-brief.md").exists()


def test_checks_page_is_linked():
    assert "(checks.md)" in SPEC_DOC.read_text(encoding="utf-8")


# --- docs/export.md ------------------------------------------------------------------------------


# dictionaries keyed by id, code name, column id or year
DYNAMIC = {"organisations", "terms", "people", "legal_basis", "codes", "tables", "values", "computed", "targets", "actual"}


def _key_names(value, dynamic: bool = False) -> set[str]:
    """Every documented key name at any depth (the keys of id-keyed dictionaries are data, not names)."""
    found = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if not dynamic:
                found.add(key)
            found |= _key_names(item, dynamic=not dynamic and key in DYNAMIC)
    elif isinstance(value, list):
        for item in value:
            found |= _key_names(item)
    return found


@pytest.fixture(scope="module")
def exports(programmes) -> dict:
    return {name: export_programme(model) for name, model in programmes.items()}


def _top_level_table(doc: str) -> str:
    start = doc.index("## Верхний уровень")
    return doc[start:doc.index("\n## ", start + 1)]


def test_export_format_id_is_documented():
    assert f"**`{EXPORT_FORMAT}`**" in EXPORT_DOC.read_text(encoding="utf-8")


def test_every_top_level_key_of_a_real_export_is_documented(exports):
    table = _top_level_table(EXPORT_DOC.read_text(encoding="utf-8"))
    keys = {key for data in exports.values() for key in data}
    assert {"format", "programme", "decree", "appendices", "roadmap", "budget", "indicators", "specification"} <= keys
    assert [key for key in sorted(keys) if f"| `{key}` |" not in table] == []


def test_every_key_at_every_depth_is_documented(exports):
    doc = EXPORT_DOC.read_text(encoding="utf-8")
    names = set().union(*(_key_names(data) for data in exports.values()))
    assert len(names) > 60
    assert [name for name in sorted(names) if f"`{name}`" not in doc] == []


def _abridges(example, real, where: str = "") -> None:
    """The example keeps a subset of keys, a subsequence of list items, and equal scalars («…» ends a cut text)."""
    if isinstance(example, dict):
        assert isinstance(real, dict), where
        for key, value in example.items():
            assert key in real, f"{where}.{key}: такого ключа в выгрузке нет"
            _abridges(value, real[key], f"{where}.{key}")
    elif isinstance(example, list):
        assert isinstance(real, list), where
        position = 0
        for index, item in enumerate(example):
            while True:
                assert position < len(real), f"{where}[{index}]: нет в выгрузке (или не по порядку)"
                try:
                    _abridges(item, real[position], f"{where}[{index}]")
                    position += 1
                    break
                except AssertionError:
                    position += 1
    elif isinstance(example, str) and example.endswith("…"):
        assert isinstance(real, str) and real.startswith(example[:-1]), f"{where}: «{example}»"
    else:
        assert example == real, f"{where}: в документации {example!r}, в выгрузке {real!r}"


def test_the_lipetsk_example_is_a_real_export_abridged(exports):
    doc = EXPORT_DOC.read_text(encoding="utf-8")
    section = doc[doc.index("## Пример: lipetsk-2022"):]
    block = re.search(r"```json\n(.*?)\n```", section, re.DOTALL).group(1)
    example = json.loads(block)
    real = exports["lipetsk-2022"]
    assert example["format"] == EXPORT_FORMAT
    assert set(example) == set(real), "пример показывает все ключи верхнего уровня"
    _abridges(example, real)


def test_the_time_example_is_real(exports):
    doc = EXPORT_DOC.read_text(encoding="utf-8")
    section = doc[doc.index("### Срок"):doc.index("## Пример: lipetsk-2022")]
    example = json.loads(re.search(r"```json\n(.*?)\n```", section, re.DOTALL).group(1))
    activities = {a["id"]: a for s in exports["lysva-2021"]["roadmap"]["sections"] for a in s["activities"]}
    assert example == activities["results-analysis"]["time"]


# --- docs/templates.md ---------------------------------------------------------------------------

TEMPLATES_DOC = REPO / "docs" / "templates.md"


def _template_docs_tool():
    loaded = importlib.util.spec_from_file_location("template_docs", REPO / "tools" / "template_docs.py")
    module = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(module)
    return module


def test_template_names_are_up_to_date():
    """Golden: the list of names is what the engine's contexts hold now (tools/template_docs.py)."""
    current = TEMPLATES_DOC.read_text(encoding="utf-8")
    assert _template_docs_tool().render(current) == current, "docs/templates.md устарел: запустите tools/template_docs.py"


def test_every_value_a_bundled_template_shows_is_listed():
    """Each `{{ name… }}` of the bundled templates (outside loops' own variables) is a documented name."""
    import docx

    from engine.render.docx.lint import template_places

    doc = TEMPLATES_DOC.read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([^`]+)` \|", doc, re.M))
    loop_variables = {"clause", "line", "entry", "requirement", "deliverable", "loop", "row", "group"}
    shown = set()
    for path in sorted((REPO / "templates").glob("*.docx")):
        for place in template_places(docx.Document(str(path))):
            for tag in place.tags:
                shown |= set(re.findall(r"\{\{p? ([a-z_]+(?:\.[a-z_]+)*)", tag))
    names = {name for name in shown if name.split(".")[0] not in loop_variables}
    assert names and names <= listed, sorted(names - listed)


# --- docs/monitoring.md --------------------------------------------------------------------------


def _indented_block(doc: str, first_line: str) -> str:
    """The indented (four spaces) example that starts with `first_line`, without the indentation."""
    start = doc.index(f"\n    {first_line}") + 1
    lines = []
    for line in doc[start:].splitlines():
        if line and not line.startswith("    "):
            break
        lines.append(line[4:])
    return "\n".join(lines).strip("\n") + "\n"


def test_every_bundled_programme_with_a_plan_has_sample_records_said_to_be_samples(programmes):
    """The sources carry no execution: each bundled programme with a roadmap or a technical specification has a
    progress.yaml, and both the file and the programme's README say that its records are a made-up sample."""
    planned = sorted(name for name, model in programmes.items()
                     if model.programme.roadmap is not None or model.programme.specification is not None)
    assert planned == ["leningrad-2020", "lipetsk-2022", "lipetsk-district-2021", "lysva-2021"]
    for name in planned:
        folder = REPO / "specs" / name
        assert "# ОБРАЗЕЦ." in (folder / "progress.yaml").read_text(encoding="utf-8"), name
        readme = (folder / "README.md").read_text(encoding="utf-8")
        assert "## Записи об исполнении — образец" in readme and "**образец**" in readme, name


def test_every_yaml_example_is_an_excerpt_of_a_sample(programmes):
    """Each `yaml` example of the page — the records, the move, the actual values — is a bundled progress.yaml
    abridged: the same keys with the same values, records in the file's order."""
    yaml = YAML(typ="safe", pure=True)
    samples = {name: yaml.load((REPO / "specs" / name / "progress.yaml").read_text(encoding="utf-8"))
               for name in programmes}
    blocks = re.findall(r"```yaml\n(.*?)```", MONITORING_DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) == 3
    for block in blocks:
        example = yaml.load(textwrap.dedent(block))
        if isinstance(example, list):                   # records alone: an excerpt of `records`
            example = {"progress": {"records": example}}
        elif "progress" not in example:                 # a key of progress alone: `actuals:`
            example = {"progress": example}
        matches = []
        for name, sample in samples.items():
            try:
                _abridges(example, sample)
            except AssertionError:
                continue
            matches.append(name)
        assert matches, f"пример не взят ни из одного progress.yaml:\n{block}"


def test_the_status_example_is_what_prikaz_status_prints(cli_main):
    example = _indented_block(MONITORING_DOC.read_text(encoding="utf-8"), "«Срок наступает» — ")
    assert "Просрочено (1):" in example
    printed = cli_main("status", "specs/lipetsk-2022", "--as-of", "2022-07-01").stdout
    assert example == printed.replace(NBSP, " ")


def test_the_check_example_is_what_prikaz_check_prints(cli_main, tmp_path, copy_programme, replace_in):
    """The V703 the page shows: the June monitoring marked done with its evidence left out."""
    folder = copy_programme(tmp_path, "lipetsk-2022")
    progress = folder / "progress.yaml"
    text = progress.read_text(encoding="utf-8")
    start = text.index("      evidence:", text.index("- item: monitoring-programmes"))
    evidence = text[start:text.index("\n\n", start) + 1]
    assert evidence.count("\n") == 6
    replace_in(progress, evidence, "")
    doc = MONITORING_DOC.read_text(encoding="utf-8")
    [example] = [line.strip() for line in doc.splitlines() if " V703 " in line and line.startswith("    specs/")]
    result = cli_main("check", "specs", cwd=tmp_path)
    assert result.code == 1 and result.output.splitlines()[0] == example
