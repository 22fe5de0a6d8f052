"""The `prikaz` command line. Exit codes: 0 clean, 1 problems found, 2 usage or I/O failure."""

from __future__ import annotations

import argparse
import errno
import io
import json
import logging
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from engine import report
from engine.commands.russian_argparse import in_russian

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
log = logging.getLogger("prikaz")


class _Parser(argparse.ArgumentParser):
    """argparse (in Russian while main() parses: engine.commands.russian_argparse) with exit code 2 for usage
    errors and the user's own words in them shown inert."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, report.printable(f"{self.prog}: ошибка: {message}") + "\n")


class _Version(argparse.Action):
    """`prikaz --version`: the release, and the digest of the engine and of the libraries that shape its outputs
    (computed only when asked)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        import platform
        from importlib.metadata import PackageNotFoundError, version

        from engine.building.manifest import engine_digest

        try:
            release = version("prikaz")
        except PackageNotFoundError:
            release = "не установлен (запущен из исходников)"
        sys.stdout.write(f"prikaz {release}, движок {engine_digest()}, Python {platform.python_version()}\n")
        parser.exit(EXIT_OK)


def _existing_dir(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"папка «{value}» не найдена")
    return path


def _shard(value: str):
    from engine.building.shards import Shard

    try:
        return Shard.parse(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _port(value: str) -> int:
    if value.isascii() and value.isdigit() and int(value) <= 65535:
        return int(value)
    raise argparse.ArgumentTypeError(f"порт «{value}» — нужен номер от 1 до 65535, например 8000")


def _existing_path(value: str) -> Path:
    path = Path(value)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"«{value}» не найден")
    return path


def cmd_check(args) -> int:
    from engine.building.pipeline import check_tree, log_engine_failures
    from engine.diagnostics import has_problems

    result = check_tree(args.specs, keep_models=False, lint_templates=True)     # the verdict the build would give
    diagnostics = result.diagnostics
    log_engine_failures(diagnostics)
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
    from engine.building.shards import SHARD_FILE

    with _progress_line() as progress:
        outcome = build(args.specs, args.output, pdf=args.pdf, force=args.force, progress=progress,
                        site_url=args.site_url, shard=args.shard)
    _show_build(outcome, args.output, args.format)
    if args.shard is not None and args.format == "human":
        sys.stdout.write(f"часть {args.shard}: программ {len(outcome.check.programmes)}; для объединения — "
                         f"{report.display_path(args.output / SHARD_FILE)}\n")
    return EXIT_PROBLEMS if outcome.failed else EXIT_OK


def _show_build(outcome, output: Path, format: str) -> None:
    """The problems of a build (or a merge), then, for a person, what became of each programme."""
    diagnostics = outcome.all_diagnostics
    if diagnostics:
        sys.stdout.write(report.render(diagnostics, format, outcome.check.texts))
    if format == "human":
        for item in outcome.programmes:
            name = report.display_path(Path(item.result.directory.name))
            folder = report.display_path(output / item.result.directory.name)
            if item.rendered:
                sys.stdout.write(f"{name}: {len(item.files)} файлов → {folder}/\n")
            elif item.unchanged:
                sys.stdout.write(f"{name}: без изменений ({len(item.files)} файлов в {folder}/)\n")
            else:
                sys.stdout.write(f"{name}: не собрана из-за ошибок; прежние документы не тронуты\n")


def cmd_merge(args) -> int:
    from engine.building.merge import MergeRefused, merge

    try:
        with _progress_line() as progress:
            outcome = merge(args.shards, args.output, progress=progress)
    except MergeRefused as exc:
        sys.stdout.write(report.render(exc.diagnostics, args.format, {}))
        _complain(f"prikaz merge: части не объединены, в {args.output} ничего не записано")
        return EXIT_USAGE
    _show_build(outcome, args.output, args.format)
    return EXIT_PROBLEMS if outcome.failed else EXIT_OK


def cmd_status(args) -> int:
    from engine.commands.status import collect, render
    from engine.model.execution import DUE_SOON_DAYS

    run = collect(args.specs, args.as_of, DUE_SOON_DAYS if args.within is None else args.within)
    if run.diagnostics:
        sys.stderr.write(report.render(run.diagnostics, "human", run.texts))
    sys.stdout.write(render(run, args.format))
    return EXIT_PROBLEMS if run.failed else EXIT_OK


def _day(value: str):
    import datetime as dt

    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"дата «{value}» записана неверно или не существует: пишите 2022-07-01 или 01.07.2022")


def _days(value: str) -> int:
    if not value.isdigit() or int(value) > 3660:
        raise argparse.ArgumentTypeError(f"«{value}» — ожидается число дней от 0 до 3660")
    return int(value)


def cmd_export(args) -> int:
    from engine.building.pipeline import check_tree, log_engine_failures
    from engine.diagnostics import has_errors
    from engine.export import export_programme

    if refused := _refused_json_target(args.output):
        _complain(f"prikaz export: {refused}")
        return EXIT_USAGE
    result = check_tree(args.programme)
    if len(result.programmes) != 1:
        sys.stderr.write("prikaz export: укажите папку одной программы, например specs/lipetsk-2022\n")
        return EXIT_USAGE
    programme = result.programmes[0]
    if programme.model is None or has_errors(programme.diagnostics):
        log_engine_failures(programme.diagnostics)
        sys.stderr.write(report.render(programme.diagnostics, "human", result.texts))
        return EXIT_PROBLEMS
    _emit_json(export_programme(programme.model), args.output)
    return EXIT_OK


def cmd_schema(args) -> int:
    from engine.schema import file_schema

    if refused := _refused_json_target(args.output):
        _complain(f"prikaz schema: {refused}")
        return EXIT_USAGE
    _emit_json(file_schema(), args.output)
    return EXIT_OK


def _refused_json_target(output: str | None) -> str | None:
    """Why `-o` must not be written, if so: JSON over a spec, a template or any other file is the user's work lost.

    Only a .json file (new or not), a new file of another name, or a device (`-o /dev/null`) may be written;
    a name ending in .yaml/.yml is refused even when new — the loader would read it as a spec file.
    """
    if not output:
        return None
    path = Path(output)
    if path.suffix.lower() in (".yaml", ".yml"):
        return (f"-o {output}: JSON в файл с именем .yaml стал бы файлом спецификации (а существующий — затёрт); "
                f"укажите файл .json, например -o {path.with_suffix('.json').name}")
    try:
        regular = path.is_file()
    except OSError:
        return None
    if regular and path.suffix.lower() != ".json":
        return (f"-o {output}: файл уже есть, и это не .json — prikaz не перезаписывает его; "
                f"укажите файл .json или новое имя")
    return None


def _emit_json(data, output: str | None) -> None:
    """To the file -o names (engine.building.atomic.write_text_where_asked), else to standard output."""
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if output:
        from engine.building.atomic import write_text_where_asked

        write_text_where_asked(Path(output), text)
    else:
        sys.stdout.write(text)


def cmd_checks(args) -> int:
    from engine.checks import REGISTRY, resolve_check

    if args.markdown:
        from engine.checks.catalogue import checks_markdown

        sys.stdout.write(checks_markdown())
        return EXIT_OK
    if args.code and resolve_check(args.code) is None:
        _complain(f"prikaz checks: проверки «{args.code}» нет; список всех проверок — prikaz checks")
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
        _complain(f"prikaz new: {exc}")
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
    read = [outcome for outcome in outcomes if not outcome.diagnostics]
    for outcome in changed:
        state = "оформлен не канонически" if args.check else "переоформлен"
        sys.stdout.write(f"{report.display_path(outcome.path)}: {state}\n")
    if args.check and changed:
        sys.stdout.write(f"Нужно переоформить файлов: {len(changed)} из {len(read)} — выполните «prikaz fmt».\n")
    elif changed:
        sys.stdout.write(f"Переоформлено файлов: {len(changed)} из {len(read)}.\n")
    elif read:
        sys.stdout.write(f"Все файлы оформлены канонически ({len(read)}).\n")
    return EXIT_PROBLEMS if diagnostics or (args.check and changed) else EXIT_OK


def cmd_amend(args) -> int:
    from engine.commands.amend import amend

    outcome = amend(args.programme, args.since)
    if outcome.diagnostics:
        sys.stderr.write(report.render(outcome.diagnostics, "human", outcome.texts))
        return EXIT_USAGE if outcome.usage else EXIT_PROBLEMS
    if outcome.written is None:
        sys.stdout.write(f"Изменять нечего: программа {args.programme.name} совпадает с ревизией «{args.since}» "
                         "с учётом уже оформленных изменений.\n")
        return EXIT_OK
    sys.stdout.write(f"Изменений: {outcome.changes} — записаны в {report.display_path(outcome.written)} как "
                     f"{outcome.amendment}. Заполните номер, дату и преамбулу, проверьте формулировки "
                     f"(prikaz check) и соберите приказ о внесении изменений (prikaz build).\n")
    return EXIT_OK


def cmd_serve(args) -> int:
    from engine.commands.serve import ServeError, serve

    try:
        serve(args.specs, args.output, args.host, args.port)
    except ServeError as exc:
        _complain(f"prikaz serve: {exc}")
        return EXIT_USAGE
    return EXIT_OK


def _specs_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument("specs", type=_existing_dir, nargs="?", default=Path("specs"), metavar="ПАПКА",
                         help="папка спецификаций или одной программы (по умолчанию specs)")


def _outputs_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument("-o", "--output", type=Path, default=Path("outputs"), metavar="ПАПКА",
                         help="куда собирать документы (по умолчанию outputs)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="prikaz", description="Приказы, дорожные карты, сметы и показатели как код.")
    parser.add_argument("--version", action=_Version, help="показать версию prikaz и его движка и выйти")
    verbose_help = "при сбое самого prikaz показать подробности (трассировку) для разработчиков"
    parser.add_argument("-v", "--verbose", action="store_true", help=verbose_help)
    # after the command too (prikaz build -v); not given there, it leaves the value given before the command
    verbose = _Parser(add_help=False)
    verbose.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help=verbose_help)
    commands = parser.add_subparsers(dest="command", required=True, metavar="КОМАНДА", parser_class=_Parser)

    check = commands.add_parser("check", parents=[verbose], help="проверить спецификации и показать все проблемы")
    _specs_argument(check)
    check.add_argument("--format", choices=report.FORMATS, default="human",
                       help="human — для человека, json — для программ, github — аннотации GitHub Actions")
    check.set_defaults(run=cmd_check)

    build = commands.add_parser("build", parents=[verbose], help="проверить и собрать документы DOCX и календари в outputs/")
    _specs_argument(build)
    _outputs_argument(build)
    build.add_argument("--pdf", action="store_true", help="также PDF рядом с каждым DOCX (нужен LibreOffice)")
    build.add_argument("--force", action="store_true",
                       help="пересобрать все программы, даже те, у которых ничего не изменилось")
    build.add_argument("--format", choices=report.FORMATS, default="human", help="формат сообщений о проблемах")
    build.add_argument("--site-url", metavar="АДРЕС",
                       help="адрес, по которому публикуется сайт (https://…/): полные ссылки в календарях и на страницах; "
                            "реестр календарей feeds.json читается оттуда, чтобы ни один опубликованный календарь не пропал")
    build.add_argument("--shard", type=_shard, metavar="K/N",
                       help="собрать только часть K из N (задания CI параллельно): её программы и файл части для "
                            "prikaz merge; -o — своя папка у каждой части")
    build.set_defaults(run=cmd_build)

    merge = commands.add_parser("merge", parents=[verbose],
                                help="объединить части сборки (prikaz build --shard K/N) в одну папку документов")
    merge.add_argument("shards", type=_existing_dir, nargs="+", metavar="ЧАСТЬ", help="папки всех N частей сборки")
    _outputs_argument(merge)
    merge.add_argument("--format", choices=report.FORMATS, default="human", help="формат сообщений о проблемах")
    merge.set_defaults(run=cmd_merge)

    status = commands.add_parser(
        "status", parents=[verbose], help="что выполнено, что просрочено и что на подходе (по записям progress.yaml)",
        description="Исполнение программ на дату: по программе и по исполнителям — что наступило, выполнено, "
                    "просрочено, наступает в ближайшие дни; показатели: план, факт, процент достижения. "
                    "Код выхода 1, если что-то просрочено.")
    _specs_argument(status)
    status.add_argument("--as-of", type=_day, metavar="ДАТА",
                        help="на какую дату (2022-07-01 или 01.07.2022); по умолчанию — сегодня в часовом поясе программы")
    status.add_argument("--within", type=_days, metavar="ДНЕЙ",
                        help="«срок наступает» — в ближайшие столько дней (по умолчанию 14)")
    status.add_argument("--format", choices=report.FORMATS, default="human",
                        help="human — для человека, json — для программ, github — аннотации GitHub Actions")
    status.set_defaults(run=cmd_status)

    export = commands.add_parser("export", parents=[verbose], help="выгрузить разрешённую модель программы (JSON)")
    export.add_argument("programme", type=_existing_dir, metavar="ПРОГРАММА", help="папка программы, например specs/lipetsk-2022")
    export.add_argument("--format", choices=("json",), default="json", help="формат выгрузки")
    export.add_argument("-o", "--output", metavar="ФАЙЛ", help="файл для записи (по умолчанию — стандартный вывод)")
    export.set_defaults(run=cmd_export)

    schema = commands.add_parser("schema", parents=[verbose], help="JSON Schema файлов спецификации (для подсказок в редакторе)")
    schema.add_argument("-o", "--output", metavar="ФАЙЛ", help="файл для записи (по умолчанию — стандартный вывод)")
    schema.set_defaults(run=cmd_schema)

    checks = commands.add_parser("checks", parents=[verbose], help="список проверок или описание одной")
    checks.add_argument("code", nargs="?", metavar="КОД", help="код или имя проверки, например S101")
    checks.add_argument("--markdown", action="store_true", help="весь каталог проверок в Markdown (docs/checks.md)")
    checks.set_defaults(run=cmd_checks)

    new = commands.add_parser("new", parents=[verbose], help="создать папку новой программы (вопросы в терминале или флаги)")
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

    fmt = commands.add_parser("fmt", parents=[verbose], help="привести файлы спецификаций к единому виду, сохранив комментарии")
    fmt.add_argument("paths", type=_existing_path, nargs="*", default=[Path("specs")], metavar="ПУТЬ",
                     help="файлы или папки спецификаций (по умолчанию specs)")
    fmt.add_argument("--check", action="store_true",
                     help="ничего не менять, а перечислить файлы, которые изменились бы (код 1) — для CI")
    fmt.set_defaults(run=cmd_fmt)

    amend = commands.add_parser(
        "amend", parents=[verbose],
        help="оформить изменения после подписанной ревизии как приказ о внесении изменений")
    amend.add_argument("programme", type=_existing_dir, help="папка программы, например specs/lipetsk-2022")
    amend.add_argument("--since", required=True, metavar="РЕВИЗИЯ",
                       help="ревизия git с подписанным текстом: тег, коммит или ветка")
    amend.set_defaults(run=cmd_amend)

    serve = commands.add_parser("serve", parents=[verbose],
                                help="показать сайт локально и пересобирать его при сохранении файлов")
    _specs_argument(serve)
    _outputs_argument(serve)
    serve.add_argument("--port", type=_port, default=8000, metavar="ПОРТ", help="порт (по умолчанию 8000)")
    serve.add_argument("--host", default="127.0.0.1", metavar="АДРЕС",
                       help="адрес (по умолчанию 127.0.0.1 — только этот компьютер)")
    serve.set_defaults(run=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    _reserve_standard_descriptors()
    if _closed(sys.stdout):
        _complain("prikaz: стандартный вывод закрыт (например, «>&-»): сообщать о результате некуда, команда не "
                  "выполнена. Направьте вывод в файл или в /dev/null")
        return EXIT_USAGE
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Output(sys.stdout), _Output(sys.stderr)
    try:
        code = _run(argv)
        sys.stdout.flush()
    finally:
        output, sys.stdout, sys.stderr = sys.stdout, *streams
    if output.failure is not None:
        from engine.building.atomic import why_not_written

        _complain(f"prikaz: вывод не записан: {why_not_written(output.failure)}")
        return EXIT_USAGE
    return code


def _run(argv: list[str] | None) -> int:
    with in_russian():
        args = build_parser().parse_args(argv)
    _show_engine_failures(args.verbose or os.environ.get("PRIKAZ_DEBUG", "") not in ("", "0"))
    from engine.building.outputs_folder import BuildRefused

    try:
        return args.run(args)
    except KeyboardInterrupt:
        _complain("prikaz: прервано")
        return EXIT_USAGE
    except BuildRefused as exc:
        _complain(f"prikaz {args.command}: {exc}")
        return EXIT_USAGE
    except OSError as exc:
        from engine.building.atomic import why_not_written

        _complain(f"prikaz: ошибка ввода-вывода: {why_not_written(exc)} ({exc.filename or ''})")
        return EXIT_USAGE
    except Exception as exc:  # a bug of prikaz: the user gets a sentence, the developer the traceback on request
        log.exception("внутренняя ошибка prikaz")
        _complain(f"prikaz: внутренняя ошибка ({type(exc).__name__}: {exc}). Это ошибка программы, а не "
                  f"спецификации: сообщите разработчикам; подробности — с параметром --verbose или переменной "
                  f"PRIKAZ_DEBUG=1")
        return EXIT_USAGE


def _complain(text: str) -> None:
    sys.stderr.write(report.printable(text) + "\n")


class _ShownInert(logging.Formatter):
    """A logged traceback quotes file names and values: shown as report.printable shows them."""

    def format(self, record: logging.LogRecord) -> str:
        return "\n".join(report.printable(line) for line in super().format(record).split("\n"))


_stderr_handler: logging.Handler | None = None


def _show_engine_failures(verbose: bool) -> None:
    """The engine's failures (logger «prikaz»: tracebacks of E900, E901, crashes) on standard error, or not."""
    global _stderr_handler
    if _stderr_handler is not None:
        log.removeHandler(_stderr_handler)
        _stderr_handler = None
    if verbose:
        _stderr_handler = logging.StreamHandler(sys.stderr)
        _stderr_handler.setFormatter(_ShownInert("prikaz: %(message)s"))
        log.addHandler(_stderr_handler)
        log.setLevel(logging.DEBUG)


def _reserve_standard_descriptors() -> None:
    """Started with standard input, output or error closed (`>&-`), the process would hand their numbers to
    the next file it opens — and whatever is written to the closed stream would land in that file. Each
    closed one is taken by /dev/null first."""
    for number in (0, 1, 2):
        try:
            os.fstat(number)
        except OSError:
            held = os.open(os.devnull, os.O_RDWR)
            if held != number:
                os.dup2(held, number)
                os.close(held)
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - for the life of the process
    if sys.stderr is None:
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 - the process's own stream


def _closed(stream) -> bool:
    if stream is None:
        return True
    try:
        os.fstat(stream.fileno())
    except io.UnsupportedOperation:   # not a file (a test captures it): open
        return False
    except (OSError, ValueError):
        return True
    return False


class _Output:
    """A standard stream that never raises: a reader that went away (`prikaz check | head -1`) is not an error
    — what it no longer reads is dropped and the command finishes with its own exit code; another failure
    to write (a full disk) is remembered in `failure`, for main() to report."""

    def __init__(self, stream):
        self.stream = stream
        self.failure: OSError | None = None
        self._gone = False
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")   # a terminal in another encoding gets escapes, not a crash

    def write(self, text: str) -> int:
        if not self._gone:
            try:
                self.stream.write(text)
            except OSError as exc:
                self._leave(exc)
        return len(text)

    def flush(self) -> None:
        if not self._gone:
            try:
                self.stream.flush()
            except OSError as exc:
                self._leave(exc)

    def _leave(self, exc: OSError) -> None:
        """Stop writing; the interpreter's last flush at exit goes to /dev/null instead of failing again."""
        self._gone = True
        if exc.errno != errno.EPIPE:
            self.failure = exc
        try:
            held = os.open(os.devnull, os.O_WRONLY)
            os.dup2(held, self.stream.fileno())
            os.close(held)
        except (OSError, ValueError):
            pass

    def __getattr__(self, name: str):
        return getattr(self.stream, name)


if __name__ == "__main__":
    sys.exit(main())
