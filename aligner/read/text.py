"""Plain text: a statement as saved from a page or copied from a republishing site.

Paragraphs are separated by blank lines (lines inside a paragraph are joined with a space); a file with no blank
line at all has one paragraph per line. Around the statement a republishing site leaves its own text: a donation
banner, site sections and the ministry's name above it, a newsletter box below. Those go. The statement's header
(title, date, document number) becomes metadata and is not part of the body, so a text file and the HTML page
of the same statement give the same paragraphs.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from aligner.read import meta
from aligner.read.normalize import normalize_line, normalize_newlines

HEADER_LINES = 20     # the header (banners, title, date, number) lies within the first lines before the prose


@dataclass
class TextResult:
    paragraphs: list[str]
    title: Optional[str] = None
    date: Optional[str] = None
    number: Optional[str] = None


def read_text(text: str) -> TextResult:
    lines = [normalize_line(line) for line in normalize_newlines(text).split("\n")]
    result = TextResult(paragraphs=[])
    start = _strip_header(lines, result)
    end = _strip_footer(lines, start)
    body = lines[start:end]
    while body and not body[-1]:
        body.pop()
    has_blank_lines = any(not line for line in body)
    # A button label or ad marker left between paragraphs is dropped; it also ends the paragraph it interrupts.
    body = ["" if meta.is_exact_chrome(line) else line for line in body]
    result.paragraphs = paragraphs_from_lines(body, has_blank_lines)
    if result.title:   # the headline is text, a unit of its own, as in HTML (read.html): kept first, not dropped
        result.paragraphs.insert(0, result.title)
    return result


def paragraphs_from_lines(lines: list[str], blank_separated: bool = True) -> list[str]:
    if not blank_separated:
        return [line for line in lines if line]
    paragraphs, current = [], []
    for line in lines + [""]:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return paragraphs


def _strip_header(lines: list[str], result: TextResult) -> int:
    """Index of the first body line; fills title/date/number from the header it skips."""
    region = []
    for i, line in enumerate(lines):
        if not line:
            continue
        if len(region) >= HEADER_LINES or (meta.is_prose(line) and not meta.is_chrome(line)):
            break
        region.append(i)

    stated = {i: meta.metadata_line(lines[i]) for i in region}
    meta_lines = [i for i in region if stated[i]]
    ministry = [i for i in region if meta.is_ministry_line(lines[i])]

    if meta_lines:
        last = meta_lines[-1]
        for i in meta_lines:
            date, number = stated[i]  # type: ignore[misc]
            result.date = result.date or date
            result.number = result.number or number
        result.title = _title(lines, region, meta_lines, ministry, last)
        start = last + 1
    elif ministry:
        # No dateline, but the ministry's name: what precedes it is the republisher's navigation.
        start = ministry[-1] + 1
    else:
        start = 0
    if result.date is None and result.number:
        result.date = meta.number_date(result.number)
    while start < len(lines) and (not lines[start] or meta.is_chrome(lines[start])):
        start += 1
    return start


def _title(lines: list[str], region: list[int], meta_lines: list[int], ministry: list[int],
           last: int) -> Optional[str]:
    """The statement's title: the header line nearest before the first dateline (after the ministry's name);
    failing that, a line between the datelines."""
    after = ministry[-1] if ministry and ministry[-1] < meta_lines[0] else -1
    candidates = [i for i in region if after < i < last and i not in meta_lines
                  and not meta.is_chrome(lines[i]) and not meta.is_ministry_line(lines[i])]
    before = [i for i in candidates if i < meta_lines[0]]
    if before:
        return lines[before[-1]]
    return lines[candidates[0]] if candidates else None


def _strip_footer(lines: list[str], start: int) -> int:
    """Index just past the last body line.

    The footer starts at the first chrome line after the last line of prose, provided that nothing after it looks
    like the statement again: only chrome, or short lines that do not end like a sentence (a site name, a link).
    """
    last_prose = start - 1
    for i in range(start, len(lines)):
        if meta.is_prose(lines[i]) and not meta.is_chrome(lines[i]):
            last_prose = i
    for i in range(max(last_prose + 1, start), len(lines)):
        if lines[i] and meta.is_chrome(lines[i]):
            rest = [line for line in lines[i:] if line]
            if all(meta.is_chrome(line, max_words=60) or (len(line.split()) <= 15 and not meta.ends_sentence(line))
                   for line in rest):
                return i
    return len(lines)
