"""The engine's render of one document against bare docxtpl rendering the same template with the same data.

For each document of one synthetic programme (the decree and its four appendices), in the same
process and in alternation, so all sides see the same machine:

    engine   engine.render.docx._render(model, kind, path, context) and save_reproducibly(): everything
             the engine does for one document — find and open the template, build the roadmap table
             (roadmap only), lint the template against the context, render in the Jinja sandbox with
             autoescape, set the form (corner requisites, font), save reproducibly (fixed dates and zip
             order). With what the engine keeps per process warm, as in a build, where every worker
             renders programme after programme from the same templates: the unzipped template and its
             parsed styles.xml, each template part patched into Jinja source and compiled (the body, the
             page headers, the lint's skeleton), the deflated bytes of members seen before (styles.xml).
             Bare docxtpl has no such cache to warm: it redoes all of that for every document.
    cold     the same, with those caches emptied before each run (engine.render.docx.clear_caches(),
             outside the timing): the first document of its template in a process, as in a one-programme
             `prikaz build`; the lint compiles its skeleton besides docxtpl's compile, so this is more than bare.
    bare     DocxTemplate(template).render(context) and .save() to a BytesIO: docxtpl as its README shows
             it, default Jinja environment; for the roadmap the same table is built with the same helper
             first (the template shows its WordprocessingML; without it bare docxtpl would render an empty
             table), so the table's cost is on both sides.

All get the same template file and the same context dict, computed once beforehand
(engine.render.docx.context.document_context: it is shared data, not per-document work). What the
engine does per programme beyond its documents (the decree composed with its appendices into one
file, calendars) is not part of the ratio; bench/run.py measures whole builds.

Times are CPU time of this process (time.process_time), median of --runs alternated runs; the ratio
is engine (warm) / bare.

    python bench/render_ratio.py [--runs 15] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from bench.generate import write_programme  # noqa: E402


def measure(runs: int = 15) -> list[dict]:
    import inspect

    from docxtpl import DocxTemplate

    try:
        from engine.building.build import TEMPLATES
        from engine.building.pipeline import check_tree
    except ImportError:     # an engine from before the package layout of issue 15 (bench/run.py --baseline)
        from engine.build import TEMPLATES  # type: ignore[no-redef]
        from engine.pipeline import check_tree  # type: ignore[no-redef]
    from engine.render import BuildOptions
    from engine.render.docx import _render, clear_caches
    from engine.render.docx.context import document_context
    from engine.render.docx.package import save_reproducibly
    from engine.render.docx.roadmap_table import roadmap_table
    from engine.render.docx.templates import template_path

    with tempfile.TemporaryDirectory(prefix="prikaz-ratio-") as temporary:
        specs = Path(temporary) / "specs"
        write_programme(specs, 1)
        checked = check_tree(specs)
        model = checked.programmes[0].model
        assert checked.programmes[0].ok and not checked.diagnostics, checked.diagnostics
        # an engine from before issue 15 also wanted the outputs folder (unused here)
        extra = {"outputs": Path(temporary) / "outputs"} if "outputs" in inspect.signature(BuildOptions).parameters else {}
        options = BuildOptions(build_time=dt.datetime(2025, 1, 20, tzinfo=dt.UTC), templates=TEMPLATES, **extra)
        context = document_context(model)
        parts = [("decree", context)] + [(a["kind"], dict(context, appendix=a)) for a in context["appendices"]]
        rows = []
        by_path = "path" in inspect.signature(_render).parameters     # the engine's _render(model, kind, path, context)
        for kind, part in parts:
            path = template_path(model, options, kind)

            def engine(kind=kind, part=part, path=path) -> bytes:
                document = (_render(model, kind, path, part) if by_path else _render(model, options, kind, part))
                return save_reproducibly(document, options.build_time, "title")

            def bare(kind=kind, part=part, path=path) -> bytes:
                template = DocxTemplate(str(path))
                if kind == "roadmap":
                    part = dict(part, roadmap=dict(part["roadmap"],
                                                   table=roadmap_table(template, part["roadmap"], path)))
                template.render(part)
                buffer = io.BytesIO()
                template.save(buffer)
                return buffer.getvalue()

            engine(), bare()                       # warm: imports, first-use caches
            times: dict[str, list[float]] = {"engine": [], "cold": [], "bare": []}
            for _ in range(runs):
                for name, function in (("engine", engine), ("cold", engine), ("bare", bare)):
                    if name == "cold":
                        clear_caches()
                    start = time.process_time()
                    function()
                    times[name].append(time.process_time() - start)
            engine_ms, cold_ms, bare_ms = (statistics.median(times[name]) * 1000 for name in ("engine", "cold", "bare"))
            rows.append({"document": kind, "template": path.name, "engine_ms": round(engine_ms, 1),
                         "cold_ms": round(cold_ms, 1), "bare_ms": round(bare_ms, 1),
                         "ratio": round(engine_ms / bare_ms, 2), "cold_ratio": round(cold_ms / bare_ms, 2)})
        return rows


def markdown(rows: list[dict]) -> str:
    lines = ["| document | template | engine, ms | bare docxtpl, ms | engine / bare | cold engine, ms | cold / bare |",
             "|---|---|---|---|---|---|---|"]
    lines += [f"| {r['document']} | {r['template']} | {r['engine_ms']} | {r['bare_ms']} | {r['ratio']:.2f} "
              f"| {r['cold_ms']} | {r['cold_ratio']:.2f} |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a Markdown table")
    args = parser.parse_args(argv)
    rows = measure(args.runs)
    print(json.dumps(rows) if args.json else markdown(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
