"""The `prikaz` command line. Exit codes: 0 clean, 1 problems found, 2 usage or I/O failure."""

from __future__ import annotations

import argparse
import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from engine import report

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse with Russian error wording and exit code 2 for usage errors."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        translated = (message.replace("the following arguments are required", "не заданы аргументы")
                      .replace("invalid choice", "недопустимое значение")
                      .replace("unrecognized arguments", "неизвестные аргументы")
                      .replace("argument", "аргумент"))
        self.exit(EXIT_USAGE, f"{self.prog}: ошибка: {translated}\n")


def _existing_dir(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"папка «{value}» не найдена")
    return path


def _existing_path(value: str) -> Path:
    path = Path(value)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"«{value}» не найден")
    return path


def cmd_check(args) -> int:
    from engine.building.pipeline import check_tree
    from engine.diagnostics import has_problems

    result = check_tree(args.specs, keep_models=False, lint_templates=True)     # the verdict the build would give
    diagnostics = result.diagnostics
    sys.stdout.write(report.render(diagnostics, args.format, result.texts))
    return EXIT_PROBLEMS if has_problems(diagnostics) else EXIT_OK


@contextmanager
def _progress_line():
    """A live line naming the programme just built, on a terminal only: CI logs and pipes get just the summary.

    Redrawn by each call rather than by rich's refresh thread: with no other thread running, the
    build may fork its workers (engine.building.parallel).
    """
    if not sys.stdout.isatty() or os.environ.get("CI"):
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn("сборка {task.description}"), BarColumn(), MofNCompleteColumn(), transient=True,
                  auto_refresh=False) as line:
        task = line.add_task("", total=None)

        def show(name: str, done: int, total: int) -> None:
            line.update(task, description=name, completed=done, total=total)
            line.refresh()
        yield show


def cmd_build(args) -> int:
    from engine.building.build import build

    with _progress_line() as progress:
        outcome = build(args.specs, args.output, pdf=args.pdf, force=args.force, progress=progress)
    diagnostics = outcome.all_diagnostics
    if diagnostics:
        sys.stdout.write(report.render(diagnostics, args.format, outcome.check.texts))
    if args.format == "human":
        for item in outcome.programmes:
            name = item.result.directory.name
            folder = report.display_path(args.output / name)
            if item.rendered:
                sys.stdout.write(f"{name}: {len(item.files)} файлов → {folder}/\n")
            elif item.unchanged:
                sys.stdout.write(f"{name}: без изменений ({len(item.files)} файлов в {folder}/)\n")
            else:
                sys.stdout.write(f"{name}: не собрана из-за ошибок; прежние документы не тронуты\n")
    return EXIT_PROBLEMS if outcome.failed else EXIT_OK


def cmd_export(args) -> int:
    from engine.building.pipeline import check_tree
    from engine.diagnostics import has_errors
    from engine.export import export_programme

    result = check_tree(args.programme)
    if len(result.programmes) != 1:
        sys.stderr.write("prikaz export: укажите папку одной программы, например specs/lipetsk-2022\n")
        return EXIT_USAGE
    programme = result.programmes[0]
    if programme.model is None or has_errors(programme.diagnostics):
        sys.stderr.write(report.render(programme.diagnostics, "human", result.texts))
        return EXIT_PROBLEMS
    _emit_json(export_programme(programme.model), args.output)
    return EXIT_OK


def cmd_schema(args) -> int:
    from engine.schema import file_schema

    _emit_json(file_schema(), args.output)
    return EXIT_OK


def _emit_json(data, output: str | None) -> None:
    """To a file (atomically) when -o is given, else to standard output."""
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if output:
        from engine.building.atomic import write_text_atomic

        write_text_atomic(Path(output), text)
    else:
        sys.stdout.write(text)


def cmd_checks(args) -> int:
    from engine.checks import REGISTRY, resolve_check

    if args.markdown:
        from engine.checks.catalogue import checks_markdown

        sys.stdout.write(checks_markdown())
        return EXIT_OK
    if args.code and resolve_check(args.code) is None:
        sys.stderr.write(f"prikaz checks: проверки «{args.code}» нет; список всех проверок — prikaz checks\n")
        return EXIT_USAGE
    for code, registered in sorted(REGISTRY.items()):
        if args.code and args.code not in (code, registered.name):
            continue
        if args.code:
            sys.stdout.write(f"{code} {registered.name} ({registered.severity.russian})\n\n{registered.doc}\n")
        else:
            sys.stdout.write(f"{code}  {registered.name:<24} {registered.severity.russian:<15} {registered.summary}\n")
    return EXIT_OK


def cmd_new(args) -> int:
    from dataclasses import fields

    from engine.commands.scaffold import Answers, ScaffoldError, ask_on_terminal, collect_answers, create_programme, free_folder

    try:
        free_folder(args.specs, args.programme)  # before any question: a wrong id should not cost the answers
        given = {f.name: getattr(args, f.name) for f in fields(Answers)}
        answers = collect_answers(given, ask_on_terminal if sys.stdin.isatty() else None)
        target = create_programme(args.specs, args.programme, answers)
    except ScaffoldError as exc:
        sys.stderr.write(f"prikaz new: {exc}\n")
        return EXIT_USAGE
    except EOFError:
        sys.stderr.write("\nprikaz new: ввод прерван, программа не создана\n")
        return EXIT_USAGE
    folder = report.display_path(target)
    sys.stdout.write(f"Создана программа {folder}/: заполните файлы и проверьте их командой «prikaz check {folder}».\n")
    return EXIT_OK


def cmd_fmt(args) -> int:
    from engine.commands.fmt import format_paths

    outcomes = format_paths(args.paths, check=args.check)
    if not outcomes:
        sys.stderr.write("prikaz fmt: файлов спецификации (*.yaml) не найдено\n")
        return EXIT_USAGE
    diagnostics = [d for outcome in outcomes for d in outcome.diagnostics]
    if diagnostics:
        texts = {outcome.path: outcome.text for outcome in outcomes if outcome.text is not None}
        sys.stdout.write(report.render(diagnostics, "human", texts))
    changed = [outcome for outcome in outcomes if outcome.changed]
    for outcome in changed:
        state = "оформлен не канонически" if args.check else "переоформлен"
        sys.stdout.write(f"{report.display_path(outcome.path)}: {state}\n")
    if args.check and changed:
        sys.stdout.write(f"Нужно переоформить файлов: {len(changed)} из {len(outcomes)} — выполните «prikaz fmt».\n")
    elif changed:
        sys.stdout.write(f"Переоформлено файлов: {len(changed)} из {len(outcomes)}.\n")
    else:
        sys.stdout.write(f"Все файлы оформлены канонически ({len(outcomes)}).\n")
    return EXIT_PROBLEMS if diagnostics or (args.check and changed) else EXIT_OK


def cmd_serve(args) -> int:
    from engine.commands.serve import ServeError, serve

    try:
        serve(args.specs, args.output, args.host, args.port)
    except ServeError as exc:
        sys.stderr.write(f"prikaz serve: {exc}\n")
        return EXIT_USAGE
    return EXIT_OK


def _specs_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument("specs", type=_existing_dir, nargs="?", default=Path("specs"),
                         help="папка спецификаций или одной программы (по умолчанию specs)")


def _outputs_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument("-o", "--output", type=Path, default=Path("outputs"),
                         help="куда собирать документы (по умолчанию outputs)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="prikaz", description="Приказы, дорожные карты, сметы и показатели как код.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="КОМАНДА", parser_class=_Parser)

    check = commands.add_parser("check", help="проверить спецификации и показать все проблемы")
    _specs_argument(check)
    check.add_argument("--format", choices=report.FORMATS, default="human",
                       help="human — для человека, json — для программ, github — аннотации GitHub Actions")
    check.set_defaults(run=cmd_check)

    build = commands.add_parser("build", help="проверить и собрать документы DOCX и календари в outputs/")
    _specs_argument(build)
    _outputs_argument(build)
    build.add_argument("--pdf", action="store_true", help="также PDF рядом с каждым DOCX (нужен LibreOffice)")
    build.add_argument("--force", action="store_true",
                       help="пересобрать все программы, даже те, у которых ничего не изменилось")
    build.add_argument("--format", choices=report.FORMATS, default="human", help="формат сообщений о проблемах")
    build.set_defaults(run=cmd_build)

    export = commands.add_parser("export", help="выгрузить разрешённую модель программы (JSON)")
    export.add_argument("programme", type=_existing_dir, help="папка программы, например specs/lipetsk-2022")
    export.add_argument("--format", choices=("json",), default="json", help="формат выгрузки")
    export.add_argument("-o", "--output", help="файл для записи (по умолчанию — стандартный вывод)")
    export.set_defaults(run=cmd_export)

    schema = commands.add_parser("schema", help="JSON Schema файлов спецификации (для подсказок в редакторе)")
    schema.add_argument("-o", "--output", help="файл для записи (по умолчанию — стандартный вывод)")
    schema.set_defaults(run=cmd_schema)

    checks = commands.add_parser("checks", help="список проверок или описание одной")
    checks.add_argument("code", nargs="?", help="код или имя проверки, например S101")
    checks.add_argument("--markdown", action="store_true", help="весь каталог проверок в Markdown (docs/checks.md)")
    checks.set_defaults(run=cmd_checks)

    new = commands.add_parser("new", help="создать папку новой программы (вопросы в терминале или флаги)")
    new.add_argument("programme", metavar="ПРОГРАММА",
                     help="идентификатор программы и имя папки: латиница, цифры, «-», «_»")
    new.add_argument("--specs", type=Path, default=Path("specs"), metavar="ПАПКА",
                     help="папка спецификаций (по умолчанию specs)")
    new.add_argument("--authority", metavar="ТЕКСТ", help="полное наименование издающего органа, как в тексте")
    new.add_argument("--authority-short", metavar="ТЕКСТ", help="краткое наименование органа")
    new.add_argument("--kind", metavar="ВИД", help="вид документа: приказ или распоряжение")
    new.add_argument("--period", metavar="ПЕРИОД", help="период программы: 2025 или 2025–2027")
    new.add_argument("--region", metavar="ТЕКСТ", help="регион: субъект РФ или муниципалитет")
    new.add_argument("--timezone", metavar="ПОЯС", help="часовой пояс IANA (по умолчанию — по региону)")
    new.add_argument("--signatory-surname", metavar="ФАМИЛИЯ", help="фамилия подписанта")
    new.add_argument("--signatory-initials", metavar="А.Б.", help="инициалы подписанта: А.Б.")
    new.add_argument("--signatory-gender", metavar="ПОЛ", help="пол подписанта: male или female (м или ж)")
    new.add_argument("--signatory-position", metavar="ТЕКСТ", help="должность подписанта, со строчной буквы")
    new.set_defaults(run=cmd_new)

    fmt = commands.add_parser("fmt", help="привести файлы спецификаций к единому виду, сохранив комментарии")
    fmt.add_argument("paths", type=_existing_path, nargs="*", default=[Path("specs")], metavar="ПУТЬ",
                     help="файлы или папки спецификаций (по умолчанию specs)")
    fmt.add_argument("--check", action="store_true",
                     help="ничего не менять, а перечислить файлы, которые изменились бы (код 1) — для CI")
    fmt.set_defaults(run=cmd_fmt)

    serve = commands.add_parser("serve", help="показать сайт локально и пересобирать его при сохранении файлов")
    _specs_argument(serve)
    _outputs_argument(serve)
    serve.add_argument("--port", type=int, default=8000, help="порт (по умолчанию 8000)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="адрес (по умолчанию 127.0.0.1 — только этот компьютер)")
    serve.set_defaults(run=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        sys.stderr.write("prikaz: прервано\n")
        return EXIT_USAGE
    except OSError as exc:
        sys.stderr.write(f"prikaz: ошибка ввода-вывода: {exc.strerror or exc} ({exc.filename or ''})\n")
        return EXIT_USAGE
    except Exception as exc:  # a bug of prikaz: the user gets a sentence, the developer the details on request
        if os.environ.get("PRIKAZ_DEBUG"):
            raise
        sys.stderr.write(f"prikaz: внутренняя ошибка ({type(exc).__name__}: {exc}). Это ошибка программы, а не "
                         f"спецификации: сообщите разработчикам; подробности — с переменной PRIKAZ_DEBUG=1\n")
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
