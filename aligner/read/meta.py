"""What a statement says about itself (date, MFA document number) and what a website adds around it (chrome).

Shared by the text and HTML readers: an MFA page and its republished copy carry the same header lines
("15 December 2023 12:21", "2545-15-12-2023") and the same kinds of banners and footers.
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Optional

from aligner.numbers import MONTHS, month_number

# MFA document numbers: a running number, then the publication date dd-mm-yyyy: "2545-15-12-2023".
NUMBER = re.compile(r"(?<![\d-])(\d{1,5})-(\d{2})-(\d{2})-(\d{4})(?![\d-])")

# Month names come from the shared table (aligner.numbers), so readers, anchors and QA flags agree on them.
_MONTH_LANGS = ("ru", "en", "fr", "es", "de")
_ANY_MONTH = "(" + "|".join(p for lang in _MONTH_LANGS for p, _ in MONTHS[lang]) + ")"
_ENGLISH_MONTH = "(" + "|".join(p for p, _ in MONTHS["en"]) + ")"

# Each pattern: (regex, which groups are day, month, year). "15 декабря 2023 г.", "15 December 2023",
# "15 décembre 2023", "15 de diciembre de 2023", "15. Dezember 2023", "December 15, 2023", "15.12.2023", ISO.
_DATES = (
    (re.compile(r"\b(\d{1,2})\.?\s+(?:de\s+)?" + _ANY_MONTH + r",?\s+(?:de\s+)?(\d{4})"
                r"(?:\s*(?:г\.|года|год)(?!\w))?", re.I), "dmy"),
    (re.compile(r"\b" + _ENGLISH_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", re.I), "mdy"),
    (re.compile(r"(?<![\d.-])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d-])"), "dmy"),
    (re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?(?![\d-])"), "ymd"),
)
_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b")
# What may sit beside a date or number on a header line without making it a line of prose.
_META_FILLER = re.compile(
    r"(?i)\b(no|nr|number|document|date|published|updated|номер|документа?|дата|опубликовано)\b\.?|№"
    r"|\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|понедельник|вторник|среда|четверг|пятница"
    r"|суббота|воскресенье)\b|[\s,;:|/()\-–—.·•]+")


def _month(name: str) -> Optional[int]:
    for lang in _MONTH_LANGS:
        value = month_number(name, lang) or month_number(name.capitalize(), lang)
        if value:
            return value
    return None


def _iso(day: int, month: Optional[int], year: int) -> Optional[str]:
    if month is None or not 1900 <= year <= 2100:
        return None
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _dates_in(text: str):
    """Yield (start, end, ISO date) for every valid date in text, in order of the patterns."""
    for pattern, order in _DATES:
        for m in pattern.finditer(text):
            g = m.groups()
            if order == "dmy":
                day, month, year = int(g[0]), (_month(g[1]) if not g[1].isdigit() else int(g[1])), int(g[2])
            elif order == "mdy":
                month, day, year = _month(g[0]), int(g[1]), int(g[2])
            else:
                year, month, day = int(g[0]), int(g[1]), int(g[2])
            iso = _iso(day, month, year)
            if iso:
                yield m.start(), m.end(), iso


def find_date(text: str) -> Optional[str]:
    """The first date stated in text, as YYYY-MM-DD: "15 декабря 2023", "15 December 2023", "December 15, 2023",
    "15.12.2023", "2023-12-15T12:21:00+03:00"."""
    found = sorted(_dates_in(text))
    return found[0][2] if found else None


def find_number(text: str) -> Optional[str]:
    """The first MFA document number in text whose date part is a real date."""
    for m in NUMBER.finditer(text):
        if _iso(int(m.group(2)), int(m.group(3)), int(m.group(4))):
            return m.group(0)
    return None


def number_date(number: str) -> Optional[str]:
    """The publication date a document number encodes: "2545-15-12-2023" → "2023-12-15"."""
    m = NUMBER.fullmatch(number)
    return _iso(int(m.group(2)), int(m.group(3)), int(m.group(4))) if m else None


def metadata_line(line: str) -> Optional[tuple[Optional[str], Optional[str]]]:
    """(date, number) when the line states only a date/time and/or a document number, else None.

    "15 December 2023 12:21", "2545-15-12-2023", "№ 2545-15-12-2023 | 15.12.2023" are metadata; "On November 29,
    the Council met" is prose that happens to hold a date.
    """
    if not line or len(line) > 80:
        return None
    number = find_number(line)
    rest = NUMBER.sub(" ", line) if number else line
    spans = sorted(_dates_in(rest))
    date = spans[0][2] if spans else None
    for start, end, _ in reversed(_non_overlapping(spans)):
        rest = rest[:start] + " " + rest[end:]
    rest = _TIME.sub(" ", rest)
    if not (date or number):
        return None
    return (date, number) if not _META_FILLER.sub("", rest) else None


def _non_overlapping(spans):
    kept, last_end = [], -1
    for start, end, iso in spans:
        if start >= last_end:
            kept.append((start, end, iso))
            last_end = end
    return kept


# --- site chrome ---------------------------------------------------------------------------------------------

# Lines that are chrome wherever they appear, when they are the whole line: navigation, buttons, ad labels.
_EXACT_CHROME = re.compile(
    r"(?i)(home|menu|search|print|print version|share|share this|tweet|email|e-mail|back to top|top|skip to( main)?"
    r" content|advertisement|advertising|sponsored|read more|see also|related|related articles|related news"
    r"|related stories|comments?|tags?|newsletter|subscribe|cookies?|accept( all)?( cookies)?|close|next|previous"
    r"|главная|меню|поиск|печать|версия для печати|поделиться|наверх|реклама|читайте также|подробнее|по теме"
    r"|комментарии|теги|подписаться|рассылка|закрыть|далее|назад)[\s:.!»>›→]*")

# Phrases that mark a short line as banner/footer text of a republishing site.
_CHROME_PHRASES = re.compile(
    r"(?i)united24|charitable donation|newsletter|mailing list|all rights reserved|©|copyright\s*(\(c\)|\d{4})"
    r"|privacy policy|terms of (use|service)|cookie (policy|settings|consent)|(we|this site) uses? cookies"
    r"|^(subscribe|sign up|follow us|share (this|on|via)|donate|make a donation|support us|source:|tags?:"
    r"|related (articles|stories|news|posts)|read (more|also)|click here|download (the )?(app|pdf)|advertisement)"
    r"|^(подпишитесь|подписаться|подписка на|поделиться|читайте также|источник:|теги:|реклама\b"
    r"|(сделать |сделайте )?пожертвовани)"
    r"|рассылк|все права защищены|версия для печати|политика конфиденциальности|файлы cookie")

# The mid.ru site header that republishers copy with the text; everything above it is site navigation.
MINISTRY = re.compile(
    r"(?i)(the )?(ministry of foreign affairs of the russian federation|russian ministry of foreign affairs"
    r"|министерство иностранных дел российской федерации|мид росс(ии|ийской федерации))[\s.]*")


def is_exact_chrome(line: str) -> bool:
    return bool(_EXACT_CHROME.fullmatch(line.strip()))


def is_chrome(line: str, max_words: int = 15) -> bool:
    """A short line that reads like a banner, button or footer rather than part of the statement."""
    line = line.strip()
    if not line:
        return False
    if is_exact_chrome(line):
        return True
    return len(line.split()) <= max_words and bool(_CHROME_PHRASES.search(line))


def is_ministry_line(line: str) -> bool:
    return bool(MINISTRY.fullmatch(line.strip()))


_SENTENCE_END = re.compile(r"[.!?…][\"'»”’)\]]*$")


def ends_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line.strip()))


def is_prose(line: str, min_words: int = 8) -> bool:
    """A line that is a sentence of running text (enough words, ends like a sentence): the body has begun."""
    return len(line.split()) >= min_words and ends_sentence(line)
