"""Names of the styles the bundled templates define and the renderer relies on.

Templates carry the look (fonts, sizes, indents, borders) in named styles, so staff
restyle a document in Word by editing a style, not the code. The renderer refers to
styles only by these names: the roadmap table it builds, and the corner requisites
whose position it computes (see `form.py`). `tools/make_templates.py` creates them.
"""

from __future__ import annotations

from docx.shared import Twips

# Official form, ГОСТ Р 7.0.97-2016 п. 6.2: A4, margins for documents kept over 10 years.
PAGE_WIDTH, PAGE_HEIGHT = Twips(11906), Twips(16838)
MARGIN_LEFT, MARGIN_RIGHT = Twips(1701), Twips(567)        # 30 mm, 10 mm
MARGIN_TOP, MARGIN_BOTTOM = Twips(1134), Twips(1134)       # 20 mm, 20 mm
HEADER_DISTANCE = Twips(709)                               # page number ≥ 10 mm from the top edge

# ГОСТ documents are set in Times New Roman; where it is missing (Linux), LibreOffice lays the text out in
# Liberation Serif, made metric-compatible with it for this: the lines and pages stay where Word puts them.
DEFAULT_FONT = "Times New Roman"
TEXT_SIZE_PT, TABLE_SIZE_PT = 14, 12

# Table style and the paragraph styles of table cells (the roadmap table is built in code).
TABLE = "Таблица документа"
TABLE_HEADING = "Шапка таблицы"
TABLE_TEXT = "Текст таблицы"
TABLE_CENTERED = "Текст таблицы по центру"
TABLE_SECTION = "Раздел таблицы"
TABLE_AMOUNT = "Сумма в таблице"
TABLE_PART = "Часть строки таблицы"            # «из них …» under its line, indented
TABLE_PART_AMOUNT = "Сумма части строки"
TABLE_TOTAL = "Итог таблицы"
TABLE_TOTAL_AMOUNT = "Итоговая сумма в таблице"
TABLE_TOTAL_CENTERED = "Итог таблицы по центру"
TABLE_CAPTION = "Заголовок таблицы"

# Corner requisites: appendix mark and approval stamp (top right of an appendix).
CORNER = "Отметка о приложении"
STAMP_WORD = "Гриф утверждения"
CORNER_STYLES = (CORNER, STAMP_WORD)

# The body of a programme document (context.py `document.body`): headings of sections and subsections, subheadings
# inside a section, list items of the first and of deeper levels.
SECTION_HEADING = "Заголовок раздела"
SUBSECTION_HEADING = "Заголовок подраздела"
HEADING = "Подзаголовок"
LIST_ITEM = "Пункт списка"
NESTED_LIST_ITEM = "Пункт вложенного списка"

ROADMAP_TABLE_STYLES = (TABLE, TABLE_HEADING, TABLE_TEXT, TABLE_CENTERED, TABLE_SECTION)
