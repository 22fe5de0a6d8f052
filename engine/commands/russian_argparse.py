"""argparse in Russian: its own words (usage, section titles, the help option, error messages) translated.

argparse looks every one of its messages up through the module's gettext functions `_` and `ngettext`
when it uses them, not when it is imported: they are its translation hooks. `in_russian()` points
them at the table below while the command line is built and parsed (the help text is printed and
usage errors are raised during parsing), and restores them afterwards. A message missing from the
table (a newer Python's) stays in English rather than breaking anything.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from engine.formats import plural

RUSSIAN = {
    "usage: ": "использование: ",
    "positional arguments": "аргументы",
    "options": "параметры",
    "optional arguments": "параметры",
    "subcommands": "команды",
    "show this help message and exit": "показать эту справку и выйти",
    "show program's version number and exit": "показать версию программы и выйти",
    "%(prog)s: error: %(message)s\n": "%(prog)s: ошибка: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "аргумент %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "не заданы обязательные аргументы: %s",
    "one of the arguments %s is required": "нужен один из аргументов: %s",
    "unrecognized arguments: %s": "неизвестные аргументы: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "недопустимое значение %(value)r (возможны: %(choices)s)",
    "invalid %(type)s value: %(value)r": "недопустимое значение %(value)r (нужно: %(type)s)",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "неизвестная команда %(parser_name)r (возможны: %(choices)s)",
    "expected one argument": "нужно одно значение",
    "expected at most one argument": "нужно не больше одного значения",
    "expected at least one argument": "нужно хотя бы одно значение",
    "ambiguous option: %(option)s could match %(matches)s": "неоднозначный параметр %(option)s: подходят %(matches)s",
    "unexpected option string: %s": "неожиданный параметр: %s",
    "not allowed with argument %s": "нельзя вместе с аргументом %s",
    "ignored explicit argument %r": "лишнее значение %r",
    "can't open '%(filename)s': %(error)s": "не удалось открыть «%(filename)s»: %(error)s",
}
# ngettext's messages: one Russian template per plural form (1, 2–4, 5 and more)
RUSSIAN_PLURAL = {
    "expected %s argument": ("нужно %s значение", "нужно %s значения", "нужно %s значений"),
}


def _gettext(message: str | None) -> str | None:
    return RUSSIAN.get(message, message) if message is not None else None


def _ngettext(singular: str, plural_form: str, count: int) -> str:
    forms = RUSSIAN_PLURAL.get(singular)
    if forms is None:
        return singular if count == 1 else plural_form
    return plural(count, forms)


@contextmanager
def in_russian() -> Iterator[None]:
    hooks = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _gettext, _ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = hooks  # type: ignore[attr-defined]
