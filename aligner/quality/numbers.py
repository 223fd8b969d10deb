"""Numbers and dates of a sentence as a set of comparable tokens, for the ``numbers`` QA flag.

A Russian sentence and its English translation should carry the same figures, but each language writes them its
own way: "1,5" / "1.5", "15 000" / "15,000", "2 млн" / "2 million", "15 декабря 2023 г." / "December 15, 2023",
"15.12.2023", "XXI век" / "21st century", "25-летие" / "25th". ``number_tokens`` turns both into the same
canonical strings: values as normalised decimals ("1.5", "15000", "2000000") and months next to a figure as "M12",
so a date compares equal whatever its order and language. ``soft_numbers`` lists the small numbers a side spells
out in words ("три года" / "3 years"), which excuse a figure missing on the other side.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Russian month stems match every case form ("декабрь", "декабря", "декабре", "декабрём"); "ма(й|я|ю|е|ем)" keeps
# out "маяк" and "март" keeps its own stem.
_RU_MONTHS = [
    (r"январ[ьяюеё]\w*", 1), (r"феврал[ьяюеё]\w*", 2), (r"март[ае]?\w*", 3), (r"апрел[ьяюеё]\w*", 4),
    (r"ма(?:й|я|ю|е|ем)", 5), (r"июн[ьяюеё]\w*", 6), (r"июл[ьяюеё]\w*", 7), (r"август[аеу]?\w*", 8),
    (r"сентябр[ьяюеё]\w*", 9), (r"октябр[ьяюеё]\w*", 10), (r"ноябр[ьяюеё]\w*", 11), (r"декабр[ьяюеё]\w*", 12),
]
# English months only capitalised: "may" and "march" are everyday words. Abbreviations as newswire writes them.
_EN_MONTHS = [
    (r"January|Jan\.", 1), (r"February|Feb\.", 2), (r"March|Mar\.", 3), (r"April|Apr\.", 4), (r"May", 5),
    (r"June|Jun\.", 6), (r"July|Jul\.", 7), (r"August|Aug\.", 8), (r"September|Sept?\.", 9),
    (r"October|Oct\.", 10), (r"November|Nov\.", 11), (r"December|Dec\.", 12),
]

# Multipliers after a figure: "2 млн", "1,5 млрд", "15 тыс.", "2 million", "$2.5bn".
_MULTIPLIERS = [
    (r"тыс\.?|тысяч\w*", 10 ** 3), (r"млн\.?|миллион\w*", 10 ** 6), (r"млрд\.?|миллиард\w*", 10 ** 9),
    (r"трлн\.?|триллион\w*", 10 ** 12),
    (r"thousands?", 10 ** 3), (r"millions?|mln|mn", 10 ** 6), (r"billions?|bn", 10 ** 9), (r"trillions?|tn", 10 ** 12),
]
_MULT_RE = re.compile(r"[\s\u00a0]?(" + "|".join(f"(?:{p})" for p, _ in _MULTIPLIERS) + r")(?!\w)", re.IGNORECASE)

_SPACES = "\u0020\u00a0\u2009\u202f"          # space, no-break space, thin spaces: thousands separators in Russian
_DATE_DMY = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d])")   # 15.12.2023
_DATE_ISO = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")        # 2023-12-15
_YEAR_RANGE = re.compile(r"(?<!\d)((\d{2})\d{2})[-–—](\d{2})(?![\d-])")      # 2023–24 (English shorthand)
_TIME_12H = re.compile(r"(?<!\d)(\d{1,2})(?:[:.](\d{2}))?\s?([ap])\.?\s?m\.?(?!\w)", re.IGNORECASE)
_TIME_24H = re.compile(r"(?<![\d.,])([01]?\d|2[0-3])"                            # 15:30, 10 ч. 00 м.
                       r"(?::|[\s\u00a0]?ч\.?[\s\u00a0]?)([0-5]\d)(?:[\s\u00a0]?мин?\.?)?(?!\d)")
_ROMAN_CENTURY = re.compile(r"(?<!\w)([IVXL]+)(?=[\s\u00a0]*(?:-?м[\s\u00a0]+)?(?:век|столети))")

# One figure: thousands grouped by spaces ("15 000") or, in English, by commas ("15,000"), then a decimal part.
# A figure glued to letters ("G7", "ChME3", "Т-90") is part of a name that the other side may spell out
# ("Большая семерка"), so it is not compared.
_NUMBER_RU = re.compile(rf"(?<![\w.,])\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:[.,]\d+)?(?!\w)"
                        rf"|(?<![\w.,])\d+(?:[.,]\d+)?(?!\d)")
_NUMBER_EN = re.compile(rf"(?<![\w.,])\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:\.\d+)?(?!\w)"
                        rf"|(?<![\w.,])\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?(?!\d)"
                        rf"|(?<![\w.,])\d+(?:[.,]\d+)?(?!\d)")
# "26. " or "3) " opening a sentence numbers a paragraph; translations keep or drop such numbering freely.
_ENUMERATOR = re.compile(r"^\s*\(?\d{1,3}[.)]\s+")

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
_RU_MONTH_RE = [(re.compile(rf"(?<!\w)(?:{p})(?!\w)", re.IGNORECASE), n) for p, n in _RU_MONTHS]
_EN_MONTH_RE = [(re.compile(rf"(?<!\w)(?:{p})(?!\w)"), n) for p, n in _EN_MONTHS]
# one pass to tell whether any month is named at all: most sentences name none
_ANY_RU_MONTH = re.compile("|".join(rf"(?<!\w)(?:{p})(?!\w)" for p, _ in _RU_MONTHS), re.IGNORECASE)
_ANY_EN_MONTH = re.compile("|".join(rf"(?<!\w)(?:{p})(?!\w)" for p, _ in _EN_MONTHS))
_GAP = " ; "   # what a consumed date part leaves behind: never part of a "15 000" figure
# soft_numbers matches these on lower-cased text (re.IGNORECASE makes them several times slower).
_RU_WORD_RE = [(re.compile(rf"(?<!\w)(?:{p})(?!\w)"), n) for n, p in _RU_WORDS.items()]
_EN_WORD_RE = [(re.compile(rf"(?<!\w)(?:{p})(?!\w)"), n) for n, p in _EN_WORDS.items()]
_RU_MONTH_LOWER_RE = [(re.compile(rf"(?<!\w)(?:{p})(?!\w)"), n) for p, n in _RU_MONTHS]


_ANY_FIGURE = re.compile(r"\d|\b[IVXLCM]+\b")


def number_tokens(text: str, lang: str) -> set[str]:
    """The figures and dates of ``text`` ("ru" or "en") as canonical tokens: "1.5", "2000000", "M12"."""
    tokens: set[str] = set()
    if not _ANY_FIGURE.search(text):
        return tokens      # every token below starts from a digit or a Roman numeral; most sentences have neither
    text = _dates(_ENUMERATOR.sub("", text), tokens)
    if lang == "ru":
        text = _roman_centuries(text, tokens)
    else:
        text = _year_ranges(text, tokens)
        text = _times_12h(text, tokens)
    text = _times_24h(text, tokens)
    text = _months(text, lang, tokens)
    pattern = _NUMBER_RU if lang == "ru" else _NUMBER_EN
    for match in pattern.finditer(text):
        value = _parse(match.group(0), lang)
        if value is None:
            continue
        mult = _MULT_RE.match(text, match.end())
        if mult:
            value *= _multiplier(mult.group(1))
        tokens.add(_canonical(value))
    return tokens


def soft_numbers(text: str, lang: str) -> set[str]:
    """What excuses a figure the other side writes: numbers spelled out in words ("три", "third", "seventieth")
    and months named without a figure ("седьмого и восьмого июля" / "7 and 8 July")."""
    lower = text.lower()
    table = _RU_WORD_RE if lang == "ru" else _EN_WORD_RE
    # English months count only capitalised ("may" is a verb), so they are matched on the text as written.
    months = ((regex, n, lower) for regex, n in _RU_MONTH_LOWER_RE) if lang == "ru" else \
        ((regex, n, text) for regex, n in _EN_MONTH_RE)
    return ({str(n) for regex, n in table if regex.search(lower)}
            | {f"M{n}" for regex, n, where in months if regex.search(where)})


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

    return _DATE_ISO.sub(iso, _DATE_DMY.sub(dmy, text))


def _months(text: str, lang: str, tokens: set[str]) -> str:
    """A month name next to a figure ("15 декабря", "December 15", "декабре 2023") becomes M<n>.

    A month without a figure ("in December", "last May") is left alone: the other side may say "this month".
    """
    if not (_ANY_RU_MONTH if lang == "ru" else _ANY_EN_MONTH).search(text):
        return text
    for regex, month in (_RU_MONTH_RE if lang == "ru" else _EN_MONTH_RE):
        text = regex.sub(lambda m, month=month, s=text: _month(m, s, month, tokens), text)
    return text


def _month(m: re.Match, text: str, month: int, tokens: set[str]) -> str:
    before, after = text[max(0, m.start() - 6):m.start()], text[m.end():m.end() + 6]
    if re.search(r"\d[\s\u00a0,]*$", before) or re.match(r"[\s\u00a0,]*\d", after):
        tokens.add(f"M{month}")
        return _GAP
    return m.group(0)


def _roman_centuries(text: str, tokens: set[str]) -> str:
    """"XXI век" is "21st century" in English."""
    def repl(m: re.Match) -> str:
        value = _roman(m.group(1))
        if value is None:
            return m.group(0)
        tokens.add(str(value))
        return _GAP
    return _ROMAN_CENTURY.sub(repl, text)


def _year_ranges(text: str, tokens: set[str]) -> str:
    """"2023–24" is "2023-2024" in Russian."""
    def repl(m: re.Match) -> str:
        start, century, end = int(m.group(1)), m.group(2), int(m.group(2) + m.group(3))
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


def _add_time(tokens: set[str], hour: int, minutes: str | None) -> None:
    tokens.add(str(hour))
    if minutes and int(minutes):
        tokens.add(str(int(minutes)))


def _parse(raw: str, lang: str) -> Decimal | None:
    raw = re.sub(f"[{_SPACES}]", "", raw)
    if lang == "en" and re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
        raw = raw.replace(",", "")
    raw = raw.replace(",", ".")   # a Russian decimal comma, or an English "1,5"
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


def _multiplier(word: str) -> int:
    for pattern, value in _MULTIPLIERS:
        if re.fullmatch(pattern, word, re.IGNORECASE):
            return value
    return 1


def _canonical(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _roman(numeral: str) -> int | None:
    total, previous = 0, 0
    for ch in reversed(numeral):
        value = _ROMAN[ch]
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total if 0 < total <= 40 else None
