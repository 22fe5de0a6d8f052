"""The Jinja environment templates run in.

Templates come from many hands (a programme may bring its own), so they run in
Jinja's immutable sandbox: no access to Python internals, and no changing the values of
the context (`decree.update(…)`, `appendices.pop()`): what one template is shown, the next
one and the file names see unchanged. Time and memory are bounded elsewhere (bounded.py).
Autoescape is on because the rendered text lands inside XML: a «&», «<» or a quote
in a title must print as itself, not break the document. A missing value is an
error (StrictUndefined), never a blank in a signed document — and `lint.py` names
the place in the template before rendering starts.

Compiling a template's Jinja is a third of rendering a document, and a build renders
the same few templates for every programme: each environment compiles a source once
per process. The cache is keyed by the source itself, so a template edited between
two builds (`prikaz serve`) is compiled anew, never served stale.
"""

from __future__ import annotations

from functools import cache, lru_cache

from jinja2 import StrictUndefined, Template, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

# a template set has a handful of sources (body, page headers), a few sets per build
_COMPILED_SOURCES = 128


class _CompilingOnce(ImmutableSandboxedEnvironment):
    """The sandbox, with `from_string` remembering the templates it compiled (docxtpl calls it for every part)."""

    def __init__(self, undefined: type[Undefined]):
        super().__init__(autoescape=True, undefined=undefined)
        self._compiled = lru_cache(maxsize=_COMPILED_SOURCES)(super().from_string)

    def from_string(self, source, globals=None, template_class=None) -> Template:
        if globals is None and template_class is None:
            return self._compiled(source)
        return super().from_string(source, globals, template_class)


@cache
def template_environment(undefined: type[Undefined] = StrictUndefined) -> ImmutableSandboxedEnvironment:
    """The process's environment for `undefined`, one per Undefined class, so compiled templates are shared."""
    return _CompilingOnce(undefined)
