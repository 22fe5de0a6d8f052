"""Synthetic programmes of realistic size for the benchmark: a specs tree that `prikaz check` passes clean.

Each programme is the size of a large real one: a приказ approving four appendices — a roadmap of
50 activities in 5 sections with every kind of time expression the time language knows (days,
windows, several windows, months, month ranges with and without a year, lists of months,
deadlines, monthly, quarterly, yearly, the whole year, undated), 1–3 owners per row (some with a
result of their own), dependencies; a budget of 20 lines (quantity × price lines, «из них»
sub-lines, budget classification codes, a declared total); 15 indicators (each linked to
activities or measuring a specification item); a technical specification of 12 items; 7
organisations, a term, 5 people of both genders. Values in the decree text are substitutions
({{ budget.total }}, {{ control.acc }}, …), as the bundled programmes write them.

Programmes differ by their index (names, numbers, amounts, region, time zone) but have the same
shape, so the work per programme is the same and total time should grow linearly.

    python bench/generate.py OUT_DIR --count 10      # writes OUT_DIR/bench-0001 … bench-0010
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path

from engine import formats

PERIOD = "2025–2026"
DECREE_DATE = "20.01.2025"
SECTIONS = 5
ACTIVITIES_PER_SECTION = 10
BUDGET_LINES = 20
INDICATORS = 15
SPEC_ITEMS = 12

REGIONS = [("Липецкая область", "Europe/Moscow", "г. Липецк"),
           ("Ленинградская область", "Europe/Moscow", "г. Санкт-Петербург"),
           ("Пермский край", "Asia/Yekaterinburg", "г. Пермь"),
           ("Свердловская область", "Asia/Yekaterinburg", "г. Екатеринбург"),
           ("Тульская область", "Europe/Moscow", "г. Тула")]

# (surname, initials, gender)
PEOPLE = [("Загеева", "Л.А.", "female"), ("Кирина", "С.Н.", "female"), ("Огарков", "А.С.", "male"),
          ("Михайлюк", "Л.Г.", "female"), ("Ковальчук", "О.В.", "female"), ("Степанов", "И.П.", "male"),
          ("Воронова", "Т.Г.", "female"), ("Малахов", "К.В.", "male"), ("Горошникова", "Г.Л.", "female"),
          ("Петров", "Н.Е.", "male"), ("Сидорова", "А.М.", "female"), ("Кузнецов", "Д.Ю.", "male")]

# Time expressions of every kind (docs/spec-language.md, «Сроки»), all inside 2025–2026, none
# ending before the decree date, every written day a working day (T207), in the order the roadmap's sections use them.
TIMES = [
    "Февраль-март 2025",                                      # month range with a year
    "Март 2025",                                              # a month with a year
    "17.03.2025",                                             # a day
    "05.04.2025 – 09.04.2025",                                # a window
    "01.06.2025 – 27.06.2025; 15.11.2025 – 28.11.2025",       # several windows
    "Март-декабрь 2025",                                      # a long range
    "май, июнь 2025 года",                                    # a list of months with a year
    "до 10 февраля 2025 года",                                # a deadline
    "не позднее 03.03.2025",                                  # a deadline, numeric
    "ежемесячно",                                             # monthly, the whole period
    "ежемесячно, февраль - декабрь 2025 года",                # monthly within months
    "ежеквартально",                                          # quarterly
    "Ноябрь, январь, март, июнь",                             # months every year
    "Июнь-июль",                                              # a month range every year
    "Ежегодно",                                               # every year
    "В течение года",                                         # the whole year, every year
    "2026 год",                                               # one whole year
    "Август, 2025",                                           # a month, year after a comma
    "ноябрь 2025 – январь 2026",                              # across the new year
    "по отдельному графику",                                  # undated
    "по запросу",                                             # undated
    "В соответствии с графиками проведения",                  # undated
]

ACTIVITY_TITLES = [
    "Формирование нормативной базы реализации программы поддержки школ",
    "Экспертиза муниципальных программ повышения качества образования",
    "Консультирование руководителей образовательных организаций по вопросам управления качеством",
    "Проведение мониторинга образовательных результатов обучающихся",
    "Организация курсов повышения квалификации педагогов",
    "Проведение семинаров и мастер-классов для педагогических команд",
    "Адресное методическое сопровождение школ с низкими результатами обучения",
    "Разработка адресных рекомендаций по результатам мониторинга",
    "Заседание рабочей группы по реализации программы",
    "Информационное сопровождение программы на сайтах МОС",
]

SECTION_TITLES = ["Нормативно-правовое обеспечение", "Общесистемные мероприятия", "Методическое сопровождение",
                  "Мониторинг и оценка", "Информационное сопровождение"]

BUDGET_TITLES = [
    "Профессиональное развитие педагогических и административных команд",
    "Организационно-методическое сопровождение",
    "Услуги наставников",
    "Экспертиза муниципальных программ повышения качества образования",
    "Разработка методических рекомендаций и пакетов методических материалов",
    "Проведение мониторинга результативности программ",
    "Консалтинговое сопровождение образовательных организаций",
    "Издание сборника материалов",
]

UNITS = [("Ед.", "1"), ("%", "0"), ("чел.", "0")]


def _q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _money(value: Decimal) -> str:
    """A sum as the specs write it: «1 234 567,80» (engine.formats.money, with plain spaces for the YAML)."""
    return formats.money(value).replace(formats.NBSP, " ")


def _programme_yaml(pid: str, index: int) -> str:
    region, timezone, _ = REGIONS[index % len(REGIONS)]
    return (f"programme:\n  id: {pid}\n"
            f"  title: {_q(f'Синтетическая программа поддержки школ № {index}, {region}, 2025–2026')}\n"
            f"  region: {_q(region)}\n  period: {_q(PERIOD)}\n  timezone: {timezone}\n"
            f"  reminders: [P7D]\n")


def _inn(index: int) -> str:
    """A valid ИНН of the programme's own education authority (a district's, different in every programme): its
    check digit by the weights the engine checks (P901)."""
    digits = [int(digit) for digit in f"{990_000_000 + index:09d}"]
    check = sum(weight * digit for weight, digit in zip((2, 4, 10, 3, 5, 9, 4, 6, 8), digits, strict=True)) % 11 % 10
    return "".join(map(str, digits)) + str(check)


def _organisations_yaml(index: int) -> str:
    people = [PEOPLE[(index + k) % len(PEOPLE)] for k in range(5)]
    roles = ["signatory", "controller", "coordinator", "rector", "analyst"]
    positions = ["начальник управления образования", "первый заместитель начальника управления образования",
                 "консультант управления образования", "ректор", "начальник отдела мониторинга"]
    orgs_of = ["uo", "uo", "uo", "iro", "cmoko"]
    lines = [
        "organisations:",
        "  uo:",
        "    short: УО",
        f"    full: {_q(f'управление образования синтетического округа № {index}')}",
        f"    inn: \"{_inn(index)}\"     # управление своего округа: свой общий календарь",
        "  iro:",
        "    short: ГАУДПО «ИРО»",
        "    full: >-",
        "      государственное автономное учреждение дополнительного профессионального",
        "      образования «Институт развития образования»",
        "  cmoko:",
        "    short: ЦМОКО",
        "    full: областное казённое учреждение «Центр мониторинга и оценки качества образования»",
        "  mouo:",
        "    short: МОУО",
        "    full: муниципальный орган управления образованием",
        "  oo:",
        "    short: ОО",
        "    full: образовательная организация",
        "  cnmo:",
        "    short: МАУ ДПО «ЦНМО»",
        "    full: МАУ ДПО «ЦНМО»",
        "  finance:",
        "    short: Отдел финансирования",
        "    full: Отдел финансирования и бухгалтерского учета",
        "",
        "terms:",
        "  mos:",
        "    short: МОС",
        "    full: муниципальная образовательная система",
        "",
        "people:",
    ]
    for role, (surname, initials, gender), position, org in zip(roles, people, positions, orgs_of, strict=True):
        lines += [f"  {role}:", f"    surname: {surname}", f"    initials: {initials}", f"    gender: {gender}",
                  f"    position: {position}", f"    organisation: {org}"]
        if role == "signatory":
            lines.append("    signature_position: Начальник управления")
    return "\n".join(lines) + "\n"


def _decree_yaml(index: int) -> str:
    _, _, place = REGIONS[index % len(REGIONS)]
    return f"""decree:
  kind: приказ
  authority: uo
  number: "{100 + index}/01-08"
  date: {DECREE_DATE}
  place: {_q(place)}
  title: >-
    Об утверждении документов программы поддержки школ с низкими образовательными результатами
    на {{{{ programme.period }}}} годы
  legal_basis:
    subprogramme:
      kind: приказ
      issuer: uo
      date: 19.12.2024
      number: "{200 + index}/01-08"
      title: Об утверждении подпрограммы поддержки школ с низкими результатами
    budget-law:
      kind: постановление
      issuer: Правительства области
      date: 14.11.2024
      number: "{300 + index}"
  preamble: >-
    В соответствии с {{{{ basis.budget-law.ins }}}}, в целях реализации подпрограммы, утверждённой
    {{{{ basis.subprogramme.ins }}}},
  clauses:
    - id: approve-roadmap
      text: Утвердить план-график реализации программы (приложение {{{{ appendix.roadmap }}}}).
      approves: roadmap
    - id: approve-budget
      text: >-
        Утвердить смету расходов на реализацию программы в размере {{{{ budget.total }}}} рублей
        ({{{{ budget.total_words }}}}) (приложение {{{{ appendix.budget }}}}).
      approves: budget
    - id: approve-indicators
      text: Утвердить целевые показатели программы (приложение {{{{ appendix.indicators }}}}).
      approves: indicators
    - id: approve-specification
      text: Утвердить техническое задание на оказание услуг (приложение {{{{ appendix.specification }}}}).
      approves: specification
    - id: implement
      text: >-
        {{{{ people.coordinator.dat }}}}, {{{{ people.coordinator.position.dat }}}}, обеспечить выполнение
        мероприятий плана-графика в установленные сроки.
      responsible: [coordinator]
    - id: reporting
      text: "{{{{ orgs.iro.full.dat }}}} ({{{{ people.rector }}}}) представить в {{{{ orgs.uo.full.acc }}}}:"
      responsible: [iro, rector]
      clauses:
        - id: application
          text: в срок {{{{ deadline }}}} – заявку на проведение мероприятий;
          deadline: до 10 февраля 2025 года
          responsible: [iro]
        - id: report
          text: в срок {{{{ deadline }}}} – отчёт о реализации программы.
          deadline: до 18 декабря 2026 года
          responsible: [iro]
    - id: monitoring
      text: >-
        {{{{ people.analyst.dat }}}} обеспечить мониторинг целевых показателей в срок {{{{ deadline }}}}.
      deadline: не позднее 01.12.2025
      responsible: [analyst]
    - id: financing
      text: >-
        {{{{ orgs.finance.full.dat }}}} обеспечить финансирование в соответствии с п. {{{{ clauses.approve-budget }}}}
        настоящего приказа.
      responsible: [finance]
    - id: control
      text: Контроль за исполнением приказа возложить на {{{{ control.acc }}}}.
  signatory: signatory
  control: controller
"""


def _activity_lines(section: int, number: int, index: int) -> list[str]:
    """One roadmap row; `number` counts rows through the whole roadmap (0…49)."""
    aid = f"s{section + 1}-a{number % ACTIVITIES_PER_SECTION + 1}"
    title = ACTIVITY_TITLES[number % len(ACTIVITY_TITLES)]
    time = TIMES[number % len(TIMES)]
    lines = [f"        - id: {aid}",
             f"          title: {_q(f'{title} (этап {number + 1})')}",
             f"          time: {_q(time)}"]
    if number % 4 == 1:
        lines += ["          details:", "            - – тьюторское;", "            - – консалтинговое;",
                  "            - – методическое."]
    owners = [["iro"], ["uo", "iro"], ["cmoko", "iro", "oo"], ["mouo", "iro"], ["cnmo"]][number % 5]
    if number % 7 == 3:
        lines.append("          owners:")
        for org in owners:
            lines += [f"            - org: {org}", "              result:",
                      f"                - {_q(f'Результат исполнителя по этапу {number + 1}')}",
                      "                - Аналитическая справка."]
    else:
        lines.append(f"          owners: [{', '.join(owners)}]")
        lines.append(f"          result: {_q(f'Наличие отчёта о выполнении этапа {number + 1} программы № {index}')}")
    # a dependency: the 2nd activity of a section («Март 2025», «май, июнь 2025 года», …) follows nothing
    # dated earlier; a day (17.03.2025) after «Февраль-март 2025» would overlap, so depend only where in order
    if TIMES[number % len(TIMES)] == "05.04.2025 – 09.04.2025":
        lines.append(f"          depends_on: [s{section + 1}-a{(number - 1) % ACTIVITIES_PER_SECTION + 1}]")
    return lines


def _roadmap_yaml(index: int) -> str:
    lines = ["roadmap:", "  title: План-график", "  subtitle: >-",
             "    выполнения работ по реализации программы поддержки школ с низкими результатами обучения",
             "    на {{ programme.period }} годы",
             "  columns:",
             "    - field: number", "      heading: № п/п",
             "    - field: time", "      heading: Срок (период) выполнения",
             "    - field: activity", "      heading: Перечень мероприятий",
             "    - field: owners", "      heading: Ответственный исполнитель",
             "    - field: result", "      heading: Прогнозируемый результат",
             "  glossary: [uo, iro, cmoko, mouo, oo, cnmo, mos]",
             "  sections:"]
    number = 0
    for section in range(SECTIONS):
        lines += [f"    - id: section-{section + 1}", f"      title: {_q(SECTION_TITLES[section])}",
                  "      activities:"]
        for _ in range(ACTIVITIES_PER_SECTION):
            lines += _activity_lines(section, number, index)
            number += 1
    return "\n".join(lines) + "\n"


def budget_lines(index: int) -> list[dict]:
    """The 20 budget lines as values: {id, title, amount | (quantity, unit_price), of_which}."""
    lines = []
    for k in range(BUDGET_LINES):
        title = f"{BUDGET_TITLES[k % len(BUDGET_TITLES)]} (направление {k + 1})"
        line: dict = {"id": f"line-{k + 1}", "title": title}
        if k % 4 == 2:
            line["quantity"] = 10 + (index + k) % 15
            line["unit_price"] = Decimal(40000 + 500 * (k % 7))
            line["amount"] = line["quantity"] * line["unit_price"]
        else:
            line["amount"] = Decimal(100000 + 10000 * ((index * 7 + k * 3) % 29)) + Decimal("0.50") * (k % 2)
        if k % 5 == 0:
            line["of_which"] = [("Методический конструктор", (line["amount"] / 4).quantize(Decimal("0.01"))),
                                ("Расходные материалы", (line["amount"] / 10).quantize(Decimal("0.01")))]
        lines.append(line)
    return lines


def _budget_yaml(index: int) -> str:
    lines = budget_lines(index)
    total = sum((line["amount"] for line in lines), Decimal(0))
    out = ["budget:", "  title: Смета расходов", "  subtitle: >-",
           "    на реализацию программы поддержки школ с низкими результатами обучения",
           "    на {{ programme.period }} годы",
           "  columns: [Комплекс мероприятий, \"Сумма, рублей\"]",
           "  codes:", "    КФСР: \"0709\"", "    КЦСР: \"52 7 01 13760\"", "    КВР: \"622\"", "    КОСГУ: \"241\"",
           "  funding_source: средства областного бюджета",
           "  lines:"]
    for line in lines:
        out += [f"    - id: {line['id']}", f"      title: {_q(line['title'])}"]
        if "quantity" in line:
            out += [f"      quantity: \"{line['quantity']}\"", f"      unit_price: \"{_money(line['unit_price'])}\""]
        else:
            out.append(f"      amount: \"{_money(line['amount'])}\"")
        if "of_which" in line:
            out.append("      of_which:")
            for title, amount in line["of_which"]:
                out += [f"        - title: {title}", f"          amount: \"{_money(amount)}\""]
        if line["id"] == "line-2":
            out.append("      recipient: iro")
    out.append(f"  total: \"{_money(total)}\"")
    return "\n".join(out) + "\n"


SPEC_QUANTITY = [("курс", "курса"), ("семинар", "семинаров"), ("программа", "программ"), ("сессия", "сессий")]
SPEC_TIMES = ["февраль - май 2025 года", "март 2025 года", "май, июнь 2025 года", "апрель 2025 года",
              "октябрь 2025 года", "март, сентябрь 2025 года", "ежемесячно, февраль - декабрь 2025 года",
              "ноябрь 2025 года", None, "май, октябрь 2025 года", "сентябрь 2025 года", "июнь 2026 года"]


def spec_quantity(k: int) -> int:
    return 2 + (k * 5) % 30


def _specification_yaml(index: int) -> str:
    out = ["specification:", "  title: Техническое задание", "  subtitle: >-",
           "    на оказание услуг по методическому сопровождению школ с низкими результатами обучения",
           "  event_name: «Повышение качества образования в школах с низкими результатами обучения»",
           "  items:"]
    for k in range(SPEC_ITEMS):
        count = spec_quantity(k)
        out += [f"    - id: item-{k + 1}",
                "      text: >-",
                f"        {ACTIVITY_TITLES[k % len(ACTIVITY_TITLES)]} – {{{{ quantity }}}},",
                f"        с участием не менее {{{{ quantities.1 }}}} (пункт программы № {index})",
                f"      quantities: [\"не менее {count} единиц\", \"{20 + k} человек\"]"]
        if SPEC_TIMES[k] is not None:
            out.append(f"      time: {SPEC_TIMES[k]}")
        out += ["      deliverables:",
                "        - подготовка аналитического отчета и выводов (объем не менее 0,8 п.л., формат А4);",
                "        - разработка методических рекомендаций по результатам анализа;",
                "        - организация обучения в дистанционной форме."]
    out += ["  service_period: февраль - декабрь 2025 года", "  executor: iro",
            "  funding_source: >-",
            "    субсидии на иные цели на {{ programme.period }} годы за счет средств областного бюджета."]
    return "\n".join(out) + "\n"


def _indicators_yaml(index: int) -> str:
    out = ["indicators:", "  title: Целевые показатели", "  subtitle: >-",
           "    результативности реализации программы поддержки школ на {{ programme.period }} годы",
           "  columns: [№ п/п, Наименование показателя, Единица измерения, Целевое значение]",
           "  items:"]
    for k in range(INDICATORS):
        out += [f"    - id: indicator-{k + 1}"]
        if k < SPEC_ITEMS and k % 2 == 0:      # measures a specification item: its target is the item's quantity
            out += [f"      name: {_q(f'Выполнение пункта ТЗ: {ACTIVITY_TITLES[k % len(ACTIVITY_TITLES)]}')}",
                    "      unit: Ед.", f"      target: \"{spec_quantity(k)}\"",
                    f"      target_note: Не менее {spec_quantity(k)} единиц",
                    "      year: 2025", f"      measures: item-{k + 1}"]
            continue
        unit = ["%", "чел.", "Ед."][k % 3]
        if unit == "%":
            baseline, target, direction = str(40 + k), str(60 + k), "increase"
        elif k % 4 == 1:
            baseline, target, direction = str(30 + k), str(10 + k), "decrease"
        else:
            baseline, target, direction = str(100 + index % 50), str(150 + index % 50), "increase"
        out += [f"      name: {_q(f'Доля школ, достигших результатов этапа {k + 1}')}",
                f"      unit: {_q(unit)}", f"      baseline: \"{baseline}\"", f"      target: \"{target}\"",
                f"      direction: {direction}", f"      year: {2025 + k % 2}",
                f"      activities: [s{k % SECTIONS + 1}-a{k % ACTIVITIES_PER_SECTION + 1}]"]
    return "\n".join(out) + "\n"


HEADER = "# Синтетическая программа для bench/ (bench/generate.py); не правьте вручную.\n"


def programme_id(index: int) -> str:
    return f"bench-{index:04d}"


def write_programme(specs: Path, index: int) -> Path:
    """Write specs/bench-NNNN/ (the folder name is the programme id) and return it."""
    pid = programme_id(index)
    folder = specs / pid
    folder.mkdir(parents=True, exist_ok=True)
    files = {"programme.yaml": _programme_yaml(pid, index), "organisations.yaml": _organisations_yaml(index),
             "decree.yaml": _decree_yaml(index), "roadmap.yaml": _roadmap_yaml(index),
             "budget.yaml": _budget_yaml(index), "indicators.yaml": _indicators_yaml(index),
             "specification.yaml": _specification_yaml(index)}
    for name, text in files.items():
        (folder / name).write_text(HEADER + text, encoding="utf-8")
    return folder


def write_tree(specs: Path, count: int) -> list[Path]:
    """specs/bench-0001 … bench-<count>."""
    return [write_programme(specs, index) for index in range(1, count + 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("specs", type=Path, help="папка, куда писать программы")
    parser.add_argument("--count", type=int, default=1)
    args = parser.parse_args(argv)
    for folder in write_tree(args.specs, args.count):
        print(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
