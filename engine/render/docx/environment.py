"""The Jinja environment templates run in.

Templates come from many hands (a programme may bring its own), so they run in
Jinja's sandbox: no access to Python internals, only the plain values of the context.
Autoescape is on because the rendered text lands inside XML: a «&», «<» or a quote
in a title must print as itself, not break the document. A missing value is an
error (StrictUndefined), never a blank in a signed document — and `lint.py` names
the place in the template before rendering starts.
"""

from __future__ import annotations

from jinja2 import StrictUndefined, Undefined
from jinja2.sandbox import SandboxedEnvironment


def template_environment(undefined: type[Undefined] = StrictUndefined) -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True, undefined=undefined)
