"""Numbers, dates and months in every supported language: the one table that anchors, QA flags, readers and
splitters share.

Each language writes the same figure its own way — "15 000" (ru, fr), "15,000" (en, zh), "15.000" (es, de),
"١٥٬٠٠٠" (ar), "一万五千" (zh) — and the same month as "декабря", "December", "Dec.", "décembre", "diciembre",
"Dezember", "كانون الأول/ديسمبر", "十二月" / "12月". This module turns them into one canonical form:

- ``ascii_digits``: Arabic-Indic, Persian and full-width digits (and the Arabic decimal and thousands marks) as
  ASCII, so every later pattern sees 0-9;
- ``parse_number``: a written figure as a ``Decimal``, with one rule for separators in every language: spaces
  always group thousands; a single "," or "." followed by exactly three digits groups thousands (unless the
  integer part is 0: "0.125"); several of the same mark group thousands ("1.234.567"); two different marks are
  grouping then decimal ("1,234.5", "1.234,5"); otherwise the mark is a decimal one ("1,5", "2.75");
- ``MONTHS`` / ``find_months``: month names per language (stems for Russian case forms; English only capitalised,
  since "may" and "march" are everyday words);
- ``chinese_numerals``: simple Chinese numerals ("二〇一五", "十二", "三十一", "一百五十") as digits;
- ``number_tokens`` / ``soft_numbers``: the figures and dates of a sentence as comparable strings, for the
  ``numbers`` QA flag ("1.5", "15000", "M12").
"""
from __future__ import annotations

import functools
import re
from decimal import Decimal, InvalidOperation
from typing import Iterator

from aligner.model import language_code

__all__ = ["LANGS", "MONTHS", "ascii_digits", "parse_number", "find_numbers", "find_months", "month_number",
           "chinese_numerals", "number_tokens", "soft_numbers", "EN_MONTH_ABBREVIATIONS", "RU_MONTHS_GENITIVE",
           "month_pattern", "MULTIPLIER_PATTERNS"]

LANGS = ("ar", "de", "en", "es", "fr", "ru", "zh")

# --- digits -------------------------------------------------------------------------------------------------------

_DIGIT_MAP = {**{0x0660 + i: str(i) for i in range(10)},        # Arabic-Indic ٠١٢٣٤٥٦٧٨٩
              **{0x06F0 + i: str(i) for i in range(10)},        # Eastern Arabic (Persian, Urdu) ۰۱۲…
              **{0xFF10 + i: str(i) for i in range(10)},        # full-width ０１２…
              0x066B: ".", 0x066C: ",",                          # Arabic decimal and thousands separators
              0xFF0C: ",", 0xFF0E: "."}                          # full-width comma and full stop between digits
_NON_ASCII_DIGIT = re.compile("[\u0660-\u066c\u06f0-\u06f9\uff10-\uff19]")


def ascii_digits(text: str) -> str:
    """Every digit as 0-9, same length as the input (offsets stay valid)."""
    if not _NON_ASCII_DIGIT.search(text):
        return text
    out = text.translate({k: v for k, v in _DIGIT_MAP.items() if k not in (0xFF0C, 0xFF0E)})
    # a full-width comma or full stop is a separator only between digits (elsewhere it is punctuation)
    return re.sub(r"(?<=\d)[，．](?=\d)", lambda m: "," if m.group() == "，" else ".", out)


# --- Chinese numerals -----------------------------------------------------------------------------------------

_ZH_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10 ** 4, "亿": 10 ** 8}
_ZH_RUN = re.compile("[〇零一二两三四五六七八九十百千万亿]+")


def _zh_value(run: str) -> int | None:
    """"二〇一五" → 2015 (digit by digit), "三十一" → 31, "一百五十" → 150, "两万" → 20000; None when not simple."""
    if all(ch in _ZH_DIGITS for ch in run):
        return int("".join(str(_ZH_DIGITS[ch]) for ch in run)) if len(run) > 1 or run not in "一" else 1
    total = section = digit = 0
    last_unit = 0       # units of a section fall ("一千五百二十"); "千百万" ("millions") is an idiom, not a figure
    for ch in run:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            if (last_unit and (not digit or _ZH_UNITS[ch] >= last_unit)):
                return None
            section += (digit or 1) * _ZH_UNITS[ch]
            digit, last_unit = 0, _ZH_UNITS[ch]
        elif ch in _ZH_BIG:
            total += (section + digit) * _ZH_BIG[ch]
            section = digit = last_unit = 0
    return total + section + digit


def chinese_numerals(text: str, keep_small: bool = False) -> str:
    """Runs of Chinese numerals as ASCII digits. A lone "一" stays (it is also the word "one"/"a"), and so do runs
    inside words that are not numbers ("统一", "一些"): only runs next to a counter or unit (年 月 日 号 个 名 项 次 %
    万 亿) or of two characters or more count; a unit right after a figure ("35万") is its multiplier and stays.
    ``keep_small``: only dates ("二〇一五年十二月") and numbers of a hundred or more ("一万五千"): small counts and
    ordinals ("三个国家", "第六十九届") are words in the other languages ("three", "sixty-ninth"), and so are
    approximations ("数百万", "几十": "millions", "dozens")."""
    def repl(m: re.Match) -> str:
        run = m.group()
        after = text[m.end():m.end() + 1]
        before = text[m.start() - 1:m.start()]
        if before.isdigit() and run[0] in _ZH_UNITS.keys() | _ZH_BIG.keys():
            return run      # "35万", "1.5亿": the figure's multiplier, which number_tokens and anchors apply
        if keep_small and before in "数几" and before:
            return run      # "数百万", "几十": "millions", "dozens", not a figure
        if keep_small and (not after or after not in "年月日号") and not any(ch in "百千万亿" for ch in run):
            return run
        if len(run) == 1 and (not after or after not in "年月日号个名项次届条款段%％"):
            return run
        if len(run) == 1 and run == "一" and after not in "月日号":
            return run
        value = _zh_value(run)
        return run if value is None else str(value)
    return _ZH_RUN.sub(repl, text)


# --- numbers ------------------------------------------------------------------------------------------------------

_SPACES = "\u0020\u00a0\u2009\u202f"          # space, no-break space, thin spaces: thousands separators
# A figure: digits grouped by spaces, commas or full stops, an optional decimal part. Not glued to letters before.
NUMBER = re.compile(rf"(?<![\w.,])\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:[.,]\d+)?(?![\w])"
                    rf"|(?<![\w.,])\d+(?:[.,]\d+)*(?!\d)")


def parse_number(raw: str) -> Decimal | None:
    """A written figure as a Decimal, the same for "15 000", "15,000", "15.000" and "١٥٬٠٠٠" (see module doc)."""
    raw = ascii_digits(re.sub(f"[{_SPACES}]", "", raw)).rstrip(".,")
    if not raw or not raw[0].isdigit():
        return None
    marks = re.findall(r"[.,]", raw)
    if len(marks) == 1:
        whole, frac = re.split(r"[.,]", raw)
        if len(frac) == 3 and whole != "0" and not whole.startswith("0"):
            raw = whole + frac                       # "15,000" / "15.000": thousands
        else:
            raw = whole + "." + frac                 # "1,5" / "2.75": decimal
    elif len(marks) > 1:
        if len(set(marks)) == 1:
            groups = re.split(r"[.,]", raw)
            if all(len(g) == 3 for g in groups[1:]):
                raw = "".join(groups)                # "1.234.567" / "1,234,567"
            else:
                return None                          # "1.2.3": a section number, not a figure
        else:
            decimal_mark = marks[-1]
            grouping = "," if decimal_mark == "." else "."
            raw = raw.replace(grouping, "").replace(decimal_mark, ".")
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


def canonical(value: Decimal) -> str:
    return format(value.normalize(), "f")


# Chinese and Arabic glue figures to words ("2015年"): there only a Latin letter before a figure makes it a name.
_NUMBER_GLUED = re.compile(rf"(?<![A-Za-z.,\d])\d{{1,3}}(?:[{_SPACES},]\d{{3}})+(?:\.\d+)?(?!\d)"
                           rf"|(?<![A-Za-z.,\d])\d+(?:[.,]\d+)*(?!\d)")


def find_numbers(text: str, lang: str = "") -> Iterator[tuple[int, int, Decimal]]:
    """(start, end, value) of every figure in text, any script of digits (offsets are the text's own)."""
    text = ascii_digits(text)
    for m in (_NUMBER_GLUED if language_code(lang) in ("zh", "ar") else NUMBER).finditer(text):
        value = parse_number(m.group())
        if value is not None:
            yield m.start(), m.end(), value


# --- months -------------------------------------------------------------------------------------------------------

# Patterns per language, matched case-insensitively except English and German (where capitalisation tells a
# month from "may"/"march"/"Mai" is always capitalised anyway). Russian stems cover every case form.
MONTHS: dict[str, list[tuple[str, int]]] = {
    "ru": [(r"январ[ьяюеё]\w*", 1), (r"феврал[ьяюеё]\w*", 2), (r"март[ае]?\w*", 3), (r"апрел[ьяюеё]\w*", 4),
           (r"ма(?:й|я|ю|е|ем)", 5), (r"июн[ьяюеё]\w*", 6), (r"июл[ьяюеё]\w*", 7), (r"август[аеу]?\w*", 8),
           (r"сентябр[ьяюеё]\w*", 9), (r"октябр[ьяюеё]\w*", 10), (r"ноябр[ьяюеё]\w*", 11),
           (r"декабр[ьяюеё]\w*", 12)],
    "en": [(r"January|Jan\.?", 1), (r"February|Feb\.?", 2), (r"March|Mar\.", 3), (r"April|Apr\.?", 4), (r"May", 5),
           (r"June|Jun\.?", 6), (r"July|Jul\.?", 7), (r"August|Aug\.?", 8), (r"September|Sept?\.?", 9),
           (r"October|Oct\.?", 10), (r"November|Nov\.?", 11), (r"December|Dec\.?", 12)],
    "fr": [(r"janvier|janv\.", 1), (r"f[ée]vrier|f[ée]vr\.", 2), (r"mars", 3), (r"avril|avr\.", 4), (r"mai", 5),
           (r"juin", 6), (r"juillet|juil\.", 7), (r"ao[uû]t", 8), (r"septembre|sept\.", 9), (r"octobre|oct\.", 10),
           (r"novembre|nov\.", 11), (r"d[ée]cembre|d[ée]c\.", 12)],
    "es": [(r"enero", 1), (r"febrero", 2), (r"marzo", 3), (r"abril", 4), (r"mayo", 5), (r"junio", 6),
           (r"julio", 7), (r"agosto", 8), (r"se?ptiembre", 9), (r"octubre", 10), (r"noviembre", 11),
           (r"diciembre", 12)],
    "de": [(r"Januar|J[äa]nner|Jan\.", 1), (r"Februar|Feber|Feb\.", 2), (r"M[äa]rz", 3), (r"April|Apr\.", 4),
           (r"Mai", 5), (r"Juni", 6), (r"Juli", 7), (r"August|Aug\.", 8), (r"September|Sept?\.", 9),
           (r"Oktober|Okt\.", 10), (r"November|Nov\.", 11), (r"Dezember|Dez\.", 12)],
    # UN Arabic writes both the Levantine and the Egyptian name ("كانون الأول/ديسمبر"); either names the month.
    "ar": [(r"كانون الثاني|يناير", 1), (r"شباط|فبراير", 2), (r"آذار|مارس", 3), (r"نيسان|أبريل|ابريل", 4),
           (r"أيار|مايو", 5), (r"حزيران|يونيو|يونيه", 6), (r"تموز|يوليو|يوليه", 7), (r"آب|أغسطس|اغسطس", 8),
           (r"أيلول|سبتمبر", 9), (r"تشرين الأول|أكتوبر|اكتوبر", 10), (r"تشرين الثاني|نوفمبر", 11),
           (r"كانون الأول|ديسمبر", 12)],
    # "十二月" or "12月" (full-width digits are made ASCII first).
    "zh": [(rf"(?<![\d〇一二三四五六七八九十])(?:{n}|{z})月", n) for n, z in
           ((12, "十二"), (11, "十一"), (10, "十"), (9, "九"), (8, "八"), (7, "七"), (6, "六"), (5, "五"), (4, "四"),
            (3, "三"), (2, "二"), (1, "一"))],
}
_CASED = {"en", "de"}
EN_MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec")
RU_MONTHS_GENITIVE = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                      "октября", "ноября", "декабря")


@functools.lru_cache(maxsize=None)
def month_pattern(lang: str) -> re.Pattern[str] | None:
    """One regex naming every month of ``lang``, with one named group per month (m1 … m12)."""
    table = MONTHS.get(lang)
    if not table:
        return None
    flags = 0 if lang in _CASED else re.IGNORECASE
    # Arabic has no \b between a prefix ("في", "و") and the word: let a one-letter proclitic stand before it.
    left = r"(?<![^\W\d_])" if lang not in ("zh", "ar") else ""
    parts = "|".join(f"(?P<m{n}_{k}>{p})" for k, (p, n) in enumerate(table))
    right = r"(?![^\W\d_])" if lang not in ("zh",) else ""
    return re.compile(f"{left}(?:{parts}){right}" if lang != "en" else f"{left}(?:{parts})(?![a-z])", flags)


def find_months(text: str, lang: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, month 1-12) of every month name in text."""
    text = ascii_digits(text)       # same length: offsets hold
    pattern = month_pattern(lang)
    if pattern is None:
        return
    for m in pattern.finditer(text):
        yield m.start(), m.end(), int(m.lastgroup.split("_")[0][1:])


def month_number(name: str, lang: str) -> int | None:
    pattern = month_pattern(lang)
    m = pattern.fullmatch(name.strip()) if pattern else None
    return int(m.lastgroup.split("_")[0][1:]) if m else None


# --- the numbers QA flag: the figures and dates of a sentence as comparable tokens --------------------------------

# Multipliers after a figure: "2 млн", "1,5 млрд", "15 тыс.", "2 million", "$2.5bn", "2 millones", "2 Mio.".
_MULTIPLIERS = [
    (r"тыс\.?|тысяч\w*", 10 ** 3), (r"млн\.?|миллион\w*", 10 ** 6), (r"млрд\.?|миллиард\w*", 10 ** 9),
    (r"трлн\.?|триллион\w*", 10 ** 12),
    (r"thousands?", 10 ** 3), (r"millions?|mln|mn", 10 ** 6), (r"billions?|bn", 10 ** 9), (r"trillions?|tn", 10 ** 12),
    (r"mil", 10 ** 3), (r"millones|millón|millon", 10 ** 6), (r"milliards?|mil millones", 10 ** 9),
    (r"Tausend", 10 ** 3), (r"Mio\.?|Millionen|Million", 10 ** 6), (r"Mrd\.?|Milliarden?", 10 ** 9),
    (r"ألف|آلاف", 10 ** 3), (r"مليون|ملايين", 10 ** 6), (r"مليار|بليون|مليارات|بلايين", 10 ** 9),
]
MULTIPLIER_PATTERNS = tuple(p for p, _ in _MULTIPLIERS)   # for callers' quick "may hold a magnitude" hints
_MULT_RE = re.compile(r"[\s\u00a0]?(" + "|".join(f"(?:{p})" for p, _ in _MULTIPLIERS) + r")(?!\w)", re.IGNORECASE)
_ZH_MULT = {"万": 10 ** 4, "亿": 10 ** 8, "千": 10 ** 3}

_DATE_DMY = re.compile(r"(?<![\d.])(\d{1,2})[./](\d{1,2})[./](\d{4})(?![\d])")   # 15.12.2023, 15/12/2023
_DATE_ISO = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")           # 2023-12-15
_DATE_ZH = re.compile(r"(\d{4})年(?:(\d{1,2})月)?(?:(\d{1,2})[日号])?")             # 2023年12月15日
_YEAR_RANGE = re.compile(r"(?<!\d)((\d{2})\d{2})[-–—](\d{2})(?![\d-])")      # 2023–24 (English shorthand)
_TIME_12H = re.compile(r"(?<!\d)(\d{1,2})(?:[:.](\d{2}))?\s?([ap])\.?\s?m\.?(?!\w)", re.IGNORECASE)
_TIME_24H = re.compile(r"(?<![\d.,])([01]?\d|2[0-3])"                            # 15:30, 10 ч. 00 м., 15 h 30
                       r"(?::|[\s\u00a0]?(?:ч\.?|h)[\s\u00a0]?)([0-5]\d)(?:[\s\u00a0]?мин?\.?)?(?!\d)")
_ROMAN_CENTURY = re.compile(r"(?<!\w)([IVXL]+)(?=[\s\u00a0]*(?:-?м[\s\u00a0]+)?(?:век|столети|e siècle|siècle|"
                            r"\. Jahrhundert|Jahrhundert))")
_ROMAN_CENTURY_ES = re.compile(r"(?<=siglo )([IVXL]+)(?!\w)")

# Per language, the figure pattern: English, Chinese and Arabic group with commas; the others with spaces or
# full stops and write a decimal comma. parse_number's one rule settles "15,000" vs "1,5" for all of them.
_NUMBER_EN = re.compile(rf"(?<![\w.,])\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:\.\d+)?(?!\w)"
                        rf"|(?<![\w.,])\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?(?!\d)"
                        rf"|(?<![\w.,])\d+(?:[.,]\d+)?(?!\d)")
_NUMBER_OTHER = re.compile(rf"(?<![\w.,])\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:[.,]\d+)?(?!\w)"
                           rf"|(?<![\w.,])\d{{1,3}}(?:\.\d{{3}})+(?:,\d+)?(?!\d)"
                           rf"|(?<![\w.,])\d+(?:[.,]\d+)?(?!\d)")
_COMMA_GROUPING = {"en", "zh", "ar"}
# Chinese and Arabic glue figures to words ("2015年", "في2015"): only a Latin letter before a figure makes it a name.
# UN Chinese also groups with spaces ("27 753个", "18 000名").
_NUMBER_ZH = re.compile(rf"(?<![A-Za-z.,\d])\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:\.\d+)?(?!\d)"
                        r"|(?<![A-Za-z.,\d])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|(?<![A-Za-z.,\d])\d+(?:\.\d+)?(?!\d)")
# Chinese clock times: "下午5时" / "下午三时三十分" is 17:00 / 15:30 ("17 heures", "5 p.m."); Chinese numerals only
# after a part of the day ("一时" alone is "for a while").
_TIME_ZH = re.compile(r"(上午|下午|晚上|中午|凌晨)?(\d{1,2}|(?<=[午上晨])[〇零一二两三四五六七八九十]{1,3})[时点]"
                      r"(?:(\d{1,2}|[〇零一二三四五六七八九十]{1,3})分|(半))?")
# "26. " or "3) " opening a sentence numbers a paragraph; translations keep or drop such numbering freely.
# UN style: "26 - ", "٢٦ - ", Arabic also "٥١- " and "'3` " (a list item).
_ENUMERATOR = re.compile(r"^\s*(?:\(?\d{1,3}[.)]\s+|\d{1,3}\s?[-–]\s|'\d{1,3}`\s)")

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}

_RU_WORDS = {
    1: r"од(?:ин|на|но|ного|ной|ному|ним|ном|ну)|перв\w+", 2: r"дв(?:а|е|ух|ум|умя)|втор\w+",
    3: r"тр(?:и|[её]х|[её]м|емя)|треть\w*", 4: r"четыр(?:е|[её]х|[её]м|ьмя)|четв[её]рт\w+",
    5: r"пят(?:ь|и|ью)|пят\w+", 6: r"шест(?:ь|и|ью)|шест\w+", 7: r"сем(?:ь|и|ью)|седьм\w+",
    8: r"вос(?:емь|ьми|емью|ьмью)|восьм\w+", 9: r"девят(?:ь|и|ью)|девят\w+", 10: r"десят(?:ь|и|ью)|десят\w+",
    11: r"одиннадцат\w+", 12: r"двенадцат\w+", 20: r"двадцат\w+", 30: r"тридцат\w+", 40: r"сорок\w*",
    50: r"пятидесят\w+|пятьдесят",
    60: r"шестидесят\w+|шестьдесят", 70: r"семидесят\w+|семьдесят", 80: r"восьмидесят\w+|восемьдесят",
    90: r"девяност\w+", 100: r"сто|ста|сотн\w+",
}
_EN_WORDS = {
    1: r"one|first|once|single", 2: r"two|second|twice|both|pair", 3: r"three|third|thrice", 4: r"four|fourth",
    5: r"five|fifth", 6: r"six|sixth", 7: r"seven|seventh", 8: r"eight|eighth", 9: r"nine|ninth",
    10: r"ten|tenth", 11: r"eleven|eleventh", 12: r"twelve|twelfth|dozen", 20: r"twenty|twentieth",
    30: r"thirty|thirtieth", 40: r"forty|fortieth", 50: r"fifty|fiftieth", 60: r"sixty|sixtieth",
    70: r"seventy|seventieth", 80: r"eighty|eightieth", 90: r"ninety|ninetieth", 100: r"hundred|hundredth",
}
_FR_WORDS = {1: r"un|une|premier|première", 2: r"deux|deuxième|second|seconde", 3: r"trois|troisième",
             4: r"quatre|quatrième", 5: r"cinq|cinquième", 6: r"six|sixième", 7: r"sept|septième",
             8: r"huit|huitième", 9: r"neuf|neuvième", 10: r"dix|dixième", 12: r"douze|douzième"}
_ES_WORDS = {1: r"uno|una|primer|primero|primera", 2: r"dos|segundo|segunda", 3: r"tres|tercer|tercero|tercera",
             4: r"cuatro|cuarto|cuarta", 5: r"cinco|quinto|quinta", 6: r"seis|sexto|sexta", 7: r"siete|séptimo",
             8: r"ocho|octavo", 9: r"nueve|noveno", 10: r"diez|décimo", 12: r"doce"}
_DE_WORDS = {1: r"ein\w*|erst\w*", 2: r"zwei\w*|beide\w*", 3: r"drei\w*|dritt\w*", 4: r"vier\w*", 5: r"fünf\w*",
             6: r"sechs\w*", 7: r"sieben\w*|siebt\w*", 8: r"acht\w*", 9: r"neun\w*", 10: r"zehn\w*", 12: r"zwölf\w*"}
_FR_WORDS.update({11: r"onze|onzième", 13: r"treize|treizième", 14: r"quatorze|quatorzième",
                  15: r"quinze|quinzième", 16: r"seize|seizième", 20: r"vingt\w*", 30: r"trent\w+",
                  40: r"quarant\w+", 50: r"cinquant\w+", 60: r"soixant\w+", 100: r"cent|cents|centième\w*"})
_ES_WORDS.update({11: r"once|undécim\w+", 13: r"trece|decimotercer\w*", 14: r"catorce", 15: r"quince",
                  20: r"veinte|vigésim\w+", 30: r"treinta|trigésim\w+", 40: r"cuarenta|cuadragésim\w+",
                  50: r"cincuenta|quincuagésim\w+", 60: r"sesenta|sexagésim\w+", 70: r"setenta|septuagésim\w+",
                  80: r"ochenta|octogésim\w+", 90: r"noventa|nonagésim\w+", 100: r"cien|ciento|centésim\w+"})
# Arabic: cardinal and ordinal, masculine and feminine, with the proclitics and article a word may carry
# ("والخامسة", "للأول", "الستين"); 11-19 as "<unit> عشر(ة)" ("الثامنة عشرة" = 18th, "ثلاث عشرة" = 13).
_AR_UNITS = {1: r"واحد|واحدة|[أإا]حد|[إا]حدى|[أا]ول|[أا]ولى|حادي|حادية", 2: r"اثنان|اثنين|اثنتان|اثنتين|اثنا|اثني|"
             r"اثنتا|اثنتي|ثان|ثاني|ثانية|مرتين", 3: r"ثلاث|ثلاثة|ثالث|ثالثة", 4: r"[أا]ربع|[أا]ربعة|رابع|رابعة",
             5: r"خمس|خمسة|خامس|خامسة", 6: r"ست|ستة|سادس|سادسة", 7: r"سبع|سبعة|سابع|سابعة",
             8: r"ثمان|ثماني|ثمانية|ثامن|ثامنة", 9: r"تسع|تسعة|تاسع|تاسعة"}
_AR_PREFIX = r"(?:[وف])?(?:[بلك])?(?:ال|ل)?"
_AR_WORDS = {n: rf"{_AR_PREFIX}(?:{p})" for n, p in _AR_UNITS.items()}
_AR_WORDS.update({10 + n: rf"{_AR_PREFIX}(?:{p})\s+عشرة?" for n, p in _AR_UNITS.items()})
_AR_WORDS.update({n: rf"{_AR_PREFIX}(?:{p})" for n, p in {
    10: r"عشر|عشرة|عاشر|عاشرة", 20: r"عشرون|عشرين", 30: r"ثلاثون|ثلاثين", 40: r"[أا]ربعون|[أا]ربعين",
    50: r"خمسون|خمسين", 60: r"ستون|ستين", 70: r"سبعون|سبعين", 80: r"ثمانون|ثمانين", 90: r"تسعون|تسعين",
    100: r"مائة|مئة", 1000: r"ألف|آلاف", 10 ** 6: r"مليون|ملايين"}.items()})
_WORDS = {"ru": _RU_WORDS, "en": _EN_WORDS, "fr": _FR_WORDS, "es": _ES_WORDS, "de": _DE_WORDS, "ar": _AR_WORDS}
_GAP = " ; "   # what a consumed date part leaves behind: never part of a "15 000" figure
# soft_numbers matches these on lower-cased text (re.IGNORECASE makes them several times slower).
_WORD_RE = {lang: [(re.compile(rf"(?<!\w)(?:{p})(?!\w)"), n) for n, p in table.items()]
            for lang, table in _WORDS.items()}

_ANY_FIGURE = re.compile(r"\d|\b[IVXLCM]+\b|[\u0660-\u0669\u06f0-\u06f9\uff10-\uff19〇零一二两三四五六七八九十百千万亿]")


def number_tokens(text: str, lang: str, keep_small: bool = False) -> set[str]:
    """The figures and dates of ``text`` as canonical tokens: "1.5", "2000000", "M12".

    ``keep_small``: Chinese small counts and ordinals in numerals ("三个国家", "第六十九届") are words, not figures,
    as chinese_numerals(keep_small=True) says; soft_numbers then names them (the other languages spell them out)."""
    lang = language_code(lang)
    tokens: set[str] = set()
    if not _ANY_FIGURE.search(text):
        return tokens      # every token below starts from a digit or a Roman numeral; most sentences have neither
    text = ascii_digits(text)
    if lang == "zh":
        text = chinese_numerals(text, keep_small=keep_small)
    text = _dates(_ENUMERATOR.sub("", text), tokens)
    if lang == "en":
        text = _year_ranges(text, tokens)
        text = _times_12h(text, tokens)
    else:
        text = _roman_centuries(text, tokens)
    if lang == "zh":
        text = _times_zh(text, tokens)
    text = _times_24h(text, tokens)
    text = _months(text, lang, tokens)
    pattern = _NUMBER_ZH if lang in ("zh", "ar") else _NUMBER_EN if lang in _COMMA_GROUPING else _NUMBER_OTHER
    for match in pattern.finditer(text):
        value = parse_number(match.group(0))
        if value is None:
            continue
        if lang == "zh" and text[match.end():match.end() + 1] in _ZH_MULT:
            value *= _ZH_MULT[text[match.end()]]
        else:
            mult = _MULT_RE.match(text, match.end())
            if mult:
                value *= _multiplier(mult.group(1))
        tokens.add(canonical(value))
    return tokens


def soft_numbers(text: str, lang: str) -> set[str]:
    """What excuses a figure the other side writes: numbers spelled out in words ("три", "third", "seventieth"),
    in Chinese the small counts and ordinals written in numerals ("三个", "第六十九届": 3, 69), and months named
    without a figure ("седьмого и восьмого июля" / "7 and 8 July")."""
    lang = language_code(lang)
    lower = text.lower()
    table = _WORD_RE.get(lang, [])
    soft = ({str(n) for regex, n in table if regex.search(lower)}
            | {f"M{n}" for _, _, n in find_months(text, lang)})
    if lang == "zh" and _ZH_RUN.search(text):
        soft |= {str(v) for run in _ZH_RUN.findall(chinese_numerals(text, keep_small=True))
                 if (v := _zh_value(run))}
    return soft


def _dates(text: str, tokens: set[str]) -> str:
    def dmy(m: re.Match) -> str:
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return m.group(0)
        tokens.update({str(day), f"M{month}", year})
        return _GAP

    def iso(m: re.Match) -> str:
        year, month, day = m.group(1), int(m.group(2)), int(m.group(3))
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return m.group(0)
        tokens.update({str(day), f"M{month}", year})
        return _GAP

    def zh(m: re.Match) -> str:
        tokens.add(m.group(1))
        if m.group(2):
            tokens.add(f"M{int(m.group(2))}")
        if m.group(3):
            tokens.add(str(int(m.group(3))))
        return _GAP

    text = _DATE_ISO.sub(iso, _DATE_DMY.sub(dmy, text))
    return _DATE_ZH.sub(zh, text) if "年" in text else text


def _months(text: str, lang: str, tokens: set[str]) -> str:
    """A month name next to a figure ("15 декабря", "December 15", "декабре 2023") becomes M<n>.

    A month without a figure ("in December", "last May") is left alone: the other side may say "this month".
    """
    found = list(find_months(text, lang))
    for start, end, month in reversed(found):
        before, after = text[max(0, start - 6):start], text[end:end + 6]
        if lang == "zh" or re.search(r"\d[\s\u00a0,]*(?:de\s+)?$", before) or \
                re.match(r"[\s\u00a0,]*(?:de\s+)?\d", after):
            tokens.add(f"M{month}")
            text = text[:start] + _GAP + text[end:]
    return text


def _roman_centuries(text: str, tokens: set[str]) -> str:
    """"XXI век" is "21st century" in English."""
    def repl(m: re.Match) -> str:
        value = _roman(m.group(1))
        if value is None:
            return m.group(0)
        tokens.add(str(value))
        return _GAP
    return _ROMAN_CENTURY_ES.sub(repl, _ROMAN_CENTURY.sub(repl, text))


def _year_ranges(text: str, tokens: set[str]) -> str:
    """"2023–24" is "2023-2024" in Russian."""
    def repl(m: re.Match) -> str:
        start, end = int(m.group(1)), int(m.group(2) + m.group(3))
        if end <= start:
            return m.group(0)
        tokens.update({str(start), str(end)})
        return _GAP
    return _YEAR_RANGE.sub(repl, text)


def _times_12h(text: str, tokens: set[str]) -> str:
    """"3.30 pm" is "15:30" in Russian; "10 a.m." is "10 ч. 00 м."."""
    def repl(m: re.Match) -> str:
        hour = int(m.group(1))
        if not 1 <= hour <= 12:
            return m.group(0)
        if m.group(3).lower() == "p" and hour != 12:
            hour += 12
        elif m.group(3).lower() == "a" and hour == 12:
            hour = 0
        _add_time(tokens, hour, m.group(2))
        return _GAP
    return _TIME_12H.sub(repl, text)


def _times_24h(text: str, tokens: set[str]) -> str:
    """"15:30", "10 ч. 00 м.": the hour, and the minutes unless they are zero (English says "10 a.m.")."""
    def repl(m: re.Match) -> str:
        _add_time(tokens, int(m.group(1)), m.group(2))
        return _GAP
    return _TIME_24H.sub(repl, text)


def _times_zh(text: str, tokens: set[str]) -> str:
    """"下午5时" is 17 ("17 heures", "5 p.m."); "上午10时30分" is 10 and 30; "下午三时半" is 15 and 30."""
    def number(raw: str) -> int | None:
        return int(raw) if raw.isdigit() else _zh_value(raw)

    def repl(m: re.Match) -> str:
        hour = number(m.group(2))
        if hour is None or not 0 <= hour <= 24:
            return m.group(0)
        if m.group(1) in ("下午", "晚上") and hour < 12:
            hour += 12
        minutes = "30" if m.group(4) else (str(number(m.group(3))) if m.group(3) else None)
        _add_time(tokens, hour, minutes)
        return _GAP
    return _TIME_ZH.sub(repl, text) if ("时" in text or "点" in text) else text


def _add_time(tokens: set[str], hour: int, minutes: str | None) -> None:
    tokens.add(str(hour))
    if minutes and int(minutes):
        tokens.add(str(int(minutes)))


def _multiplier(word: str) -> int:
    for pattern, value in _MULTIPLIERS:
        if re.fullmatch(pattern, word, re.IGNORECASE):
            return value
    return 1


def _roman(numeral: str) -> int | None:
    total, previous = 0, 0
    for ch in reversed(numeral):
        value = _ROMAN[ch]
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total if 0 < total <= 40 else None
