"""HTML pages: the statement's text, title, date and MFA number, without the website around it.

Parsing is lxml with a hardened parser: no network, comments and processing instructions dropped, and external
entities never resolved. XHTML (XML declaration or a DOCTYPE declaring entities) goes through lxml's XML parser
with entity substitution off, so ``&e;`` declared as ``SYSTEM "file:///etc/passwd"`` stays an unexpanded reference
and is left out of the text; a document that libxml2 itself flags as an entity bomb is refused.

Finding the statement: drop elements that are never text (script, style, forms …) and site chrome (nav, header,
footer, aside, and anything whose class/id says menu, breadcrumb, share, cookie, subscribe …), then take the
best-scoring of <article>, <main> and elements whose class/id says content/article/text; failing those, the element
whose direct <p> children hold the most text (a simple text-density rule, as in readability).
"""
from __future__ import annotations

import html.entities
import re
from dataclasses import dataclass
from typing import Iterable, Optional

import lxml.html
from lxml import etree

from aligner.errors import InputError
from aligner.read import meta
from aligner.read.normalize import normalize_line

# Elements whose text is never part of a statement.
_NEVER_TEXT = {"script", "style", "noscript", "template", "iframe", "object", "embed", "canvas", "svg", "math",
               "head", "link", "meta", "title", "button", "select", "option", "input", "textarea", "form", "label",
               "dialog", "audio", "video", "map"}
# Elements that are site chrome by their very tag.
_CHROME_TAGS = {"nav", "header", "footer", "aside", "menu"}
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "dialog",
                 "alertdialog"}
# class/id words that mark chrome ("main-menu", "share_buttons", "cookie-banner", "breadcrumbs" …).
_CHROME_WORDS = {"menu", "nav", "navbar", "navigation", "breadcrumb", "breadcrumbs", "share", "sharing", "social",
                 "cookie", "cookies", "consent", "banner", "subscribe", "subscription", "newsletter", "footer",
                 "header", "masthead", "sidebar", "related", "advert", "advertisement", "ads", "promo", "popup",
                 "modal", "toolbar", "print", "tags", "pagination", "pager", "comments", "widget", "topbar",
                 "donate", "donation", "skip", "login", "search"}
_CHROME_PREFIXES = ("share", "social", "breadcrumb", "cookie", "subscri", "newsletter", "advert", "sidebar",
                    "navbar", "menu")
# class/id words that mark the main text.
_CONTENT_WORDS = {"content", "article", "text", "post", "entry", "story", "main", "bodytext", "maintext",
                  "articletext", "articlebody", "document"}
_BLOCK = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
          "table", "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "section", "article", "main", "figure",
          "figcaption", "address", "hr", "center", "summary", "details", "body", "html", "header", "footer", "nav",
          "aside", "fieldset", "legend"}
_DATE_META = ("article:published_time", "og:published_time", "published_time", "date", "dc.date",
              "dc.date.issued", "dcterms.date", "dcterms.created", "pubdate", "publishdate", "publish-date",
              "datepublished", "article:modified_time")

_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[(.*?)\]\s*>", re.S | re.I)
_ENTITY_DECL = re.compile(r"<!ENTITY\s+%?\s*([\w.:-]+)", re.I)


@dataclass
class HtmlResult:
    paragraphs: list[str]
    title: Optional[str] = None
    date: Optional[str] = None
    number: Optional[str] = None


def read_html(text: str, path: str) -> HtmlResult:
    root = parse_html(text, path)
    tags = _meta_tags(root)
    early_title = _early_title(root, tags)
    headlines = {_clean_title(" ".join(extract_paragraphs(h))) for h in _elements(root) if _tag(h) == "h1"}
    for el in list(_elements(root)):
        if _tag(el) in _NEVER_TEXT and el is not root:
            _remove(el)
    # Metadata first, from the whole page: the dateline and number often sit in an article header that is chrome
    # for the text's purposes.
    page = extract_paragraphs(root)
    date, number = _stated_metadata(root, page, tags)

    _remove_chrome(root)
    content = find_main_content(root)
    paragraphs = _lead_paragraphs(content) + extract_paragraphs(content)
    title = _first_h1(content) or early_title
    body = _body_only(paragraphs, title)
    # The headline is text the translator translated: it is the body's first paragraph, a unit of its own, as the
    # title line of a plain-text file is (read.text). Only an <h1>'s text: a <title> or og:title is the site's.
    if title and title in headlines:
        body = [title] + body
    return HtmlResult(paragraphs=body, title=title, date=date, number=number)


# --- parsing -------------------------------------------------------------------------------------------------

_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")


def parse_html(text: str, path: str) -> etree._Element:
    head = text[:2048].lstrip().lower()
    subset = _DOCTYPE_SUBSET.search(text[:65536])
    declares_entities = bool(subset and _ENTITY_DECL.search(subset.group(1)))
    if head.startswith("<?xml") or declares_entities:
        root = _parse_xml(text, path)
        if root is not None:
            return root
    if subset:
        # The HTML parser does not understand an internal DTD subset and would show "]>" as text; references to
        # the entities it declared are dropped unexpanded, like the XML parser leaves them.
        names = _ENTITY_DECL.findall(subset.group(1))
        text = text[:subset.start()] + text[subset.end():]
        for name in names:
            text = text.replace(f"&{name};", "")
    # An XHTML page that is not well-formed XML still starts with its declaration, which lxml refuses in a str
    # (the text is already decoded, so the declared encoding means nothing here).
    text = _XML_DECLARATION.sub("", text, count=1)
    root = _parse_as_html(text, path)
    if root is None:
        # Nested deeper than libxml2 goes (legacy pages leave <font> unclosed hundreds of times): everything
        # deeper would be dropped without a word. Inline formatting tags carry no text of their own, so without
        # them the page has the same text and a shallow tree.
        root = _parse_as_html(_INLINE_TAGS.sub(" ", text), path)
    if root is None:
        raise InputError(path, f"HTML nested deeper than {MAX_HTML_DEPTH} levels even without inline formatting "
                               "tags; text past that depth would be lost")
    return root


# libxml2's limit with huge_tree (256 without it, which a page of unclosed <font> tags reaches).
MAX_HTML_DEPTH = 2048
_INLINE_TAGS = re.compile(r"</?(?:font|span|b|i|u|s|em|strong|small|big|strike|tt|sup|sub|mark|abbr|cite|q|ins|"
                          r"del|code|kbd|samp|var|nobr|wbr|bdi|bdo|time|data)\b[^>]*>", re.I)


def _parse_as_html(text: str, path: str) -> Optional[etree._Element]:
    """The tree, or None when the page is nested deeper than MAX_HTML_DEPTH (libxml2 stops there).

    huge_tree lifts libxml2's depth and text-node limits (256 levels, 10 MB nodes), which would otherwise cut a
    page short silently; the HTML parser has no user-defined entities, so there is no expansion to guard.
    """
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise InputError(path, f"cannot parse as HTML: {str(exc).splitlines()[0] if str(exc) else 'no content'}") \
            from None
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        return None
    return root


def _parse_xml(text: str, path: str) -> Optional[etree._Element]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True, encoding="utf-8")
    try:
        root = etree.fromstring(text.encode("utf-8"), parser=parser)
    except etree.XMLSyntaxError as exc:
        message = str(exc).lower()
        if "entity" in message and any(w in message for w in ("amplification", "loop", "exceeded", "too many")):
            raise InputError(path, "refusing an XML entity-expansion bomb (its DOCTYPE declares entities that "
                                   "expand exponentially)") from None
        return None   # not well-formed XML: read it as HTML instead
    for el in root.iter():
        if isinstance(el.tag, str) and "}" in el.tag:
            el.tag = el.tag.split("}", 1)[1]
    return root


# --- tree helpers --------------------------------------------------------------------------------------------

def _tag(el) -> Optional[str]:
    """Lower-case local name; None for comments, processing instructions and (unexpanded) entity references."""
    return el.tag.lower() if isinstance(el.tag, str) else None


def _elements(root) -> Iterable[etree._Element]:
    return (el for el in root.iter() if isinstance(el.tag, str))


def _remove(el) -> None:
    """Remove an element but keep its tail text (the text that follows it belongs to the parent)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail and el.tail.strip():
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + " " + el.tail
        else:
            parent.text = (parent.text or "") + " " + el.tail
    parent.remove(el)


def _words(el) -> set[str]:
    label = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    return {w for w in re.split(r"[\s_\-]+", label) if w}


def _text_length(el) -> int:
    """Characters of text under el, link text excluded: a menu is mostly links, a statement is mostly not."""
    total = 0
    stack = [(el, False)]
    while stack:
        node, in_link = stack.pop()
        if not isinstance(node.tag, str):
            continue
        link = in_link or _tag(node) == "a"
        if node.text and not link:
            total += len(node.text.strip())
        for child in node:
            if child.tail and not link:
                total += len(child.tail.strip())
            stack.append((child, link))
    return total


# --- chrome and main content ---------------------------------------------------------------------------------

def _is_chrome(el) -> bool:
    tag = _tag(el)
    if tag in ("html", "body", "main", "article"):
        return False
    if tag in _CHROME_TAGS or (el.get("role") or "").lower() in _CHROME_ROLES:
        return True
    words = _words(el)
    return bool(words & _CHROME_WORDS) or any(w.startswith(_CHROME_PREFIXES) for w in words)


def _remove_chrome(root) -> None:
    total = max(_text_length(root), 1)
    for el in list(_elements(root)):
        if el.getparent() is None or not _is_chrome(el):
            continue
        if _tag(el) not in _CHROME_TAGS:
            # A class word is a hint, not proof: "page has-sidebar" may wrap the whole page. Keep wrappers that
            # hold the article or most of the text.
            if any(_tag(d) in ("article", "main", "h1") for d in el.iterdescendants()):
                continue
            if _text_length(el) > 0.4 * total:
                continue
        _remove(el)


def find_main_content(root):
    body = next((el for el in _elements(root) if _tag(el) == "body"), root)
    total = _text_length(body)
    candidates = [el for el in _elements(body)
                  if _tag(el) in ("article", "main") or (el.get("role") or "").lower() == "main"
                  or _words(el) & _CONTENT_WORDS
                  or any(w in (el.get("class") or "").lower() for w in ("body-text", "article-body"))]
    scored = [(el, _text_length(el)) for el in candidates]
    scored = [(el, n) for el, n in scored if n >= max(0.2 * total, 50)]
    if scored:
        best, score = max(scored, key=lambda item: item[1])
        # Prefer the tightest candidate that still holds nearly all of the text: the article inside "content".
        narrowed = True
        while narrowed:
            narrowed = False
            for el, n in scored:
                if el is not best and n >= 0.85 * score and best in el.iterancestors():
                    best, score, narrowed = el, n, True
                    break
        return best
    return _densest(body, total)


def _lead_paragraphs(content) -> list[str]:
    """Prose just before the main block, inside the article that holds it: the lead paragraph MFA pages put
    between the headline and the body (``<div class="lead">`` beside ``<div class="text">``).

    Only sentences of running text count (meta.is_prose): the headline, the dateline, the number and labels
    stay out, as they do when they sit inside the block.
    """
    outer = None
    for ancestor in content.iterancestors():
        tag = _tag(ancestor)
        if tag in ("body", "html"):
            break
        if tag in ("article", "main") or (ancestor.get("role") or "").lower() == "main" or \
                _words(ancestor) & _CONTENT_WORDS:
            outer = ancestor
    if outer is None:
        return []
    before: list = []
    node = content
    while node is not outer:
        before[:0] = list(node.itersiblings(preceding=True))[::-1]
        node = node.getparent()
    lead = []
    for el in before:
        if not isinstance(el.tag, str) or _tag(el) in ("h1", "h2", "h3", "h4", "h5", "h6"):
            continue
        lead += [text for text in extract_paragraphs(el)
                 if meta.is_prose(text) and not meta.is_chrome(text, max_words=12) and not meta.metadata_line(text)]
    return lead


def _densest(body, total: int):
    """The element whose direct <p> children (and loose text) hold the most text: the statement's container."""
    best, best_score = body, 0
    for el in _elements(body):
        score = len((el.text or "").strip())
        for child in el:
            if _tag(child) == "p":
                score += _text_length(child)
            if child.tail:
                score += len(child.tail.strip())
        if score > best_score:
            best, best_score = el, score
    return best if best_score >= 0.5 * total else body


# --- text ----------------------------------------------------------------------------------------------------

class _Paragraphs:
    """Collects inline text; a block element or two <br> in a row end a paragraph, one <br> is a space."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self._buffer: list[str] = []
        self._breaks = 0

    def text(self, value: str) -> None:
        if value.strip():
            self._breaks = 0
        self._buffer.append(value)

    def br(self) -> None:
        self._breaks += 1
        if self._breaks >= 2:
            self.end()
        else:
            self._buffer.append(" ")

    def end(self) -> None:
        line = normalize_line("".join(self._buffer))
        if line:
            self.paragraphs.append(line)
        self._buffer, self._breaks = [], 0


def extract_paragraphs(root) -> list[str]:
    """Paragraph texts under root, in document order (iterative: hostile nesting cannot exhaust the stack)."""
    out = _Paragraphs()
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        el, closing = stack.pop()
        tag = _tag(el)
        if closing:
            if tag in _BLOCK:
                out.end()
            if el is not root and el.tail:
                out.text(el.tail)
            continue
        if tag is None and isinstance(el, etree._Entity):
            # XHTML with an unloaded DTD keeps &nbsp; etc. as references. Only HTML's own fixed table is used;
            # whatever the document's DTD declares (file:///etc/passwd …) is never looked at.
            out.text(html.entities.html5.get(f"{el.name};", ""))
        if tag is None or tag in _NEVER_TEXT:   # comment, PI, unexpanded entity: no text of its own
            if el is not root and el.tail:
                out.text(el.tail)
            continue
        if tag == "br":
            out.br()
            if el.tail:
                out.text(el.tail)
            continue
        if tag in _BLOCK:
            out.end()
        if el.text:
            out.text(el.text)
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(el))
    out.end()
    return out.paragraphs


# --- metadata ------------------------------------------------------------------------------------------------

def _meta_tags(root) -> list[tuple[str, str]]:
    pairs = []
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key and el.get("content"):
            pairs.append((key, el.get("content")))
    return pairs


def _stated_metadata(root, page: list[str], tags: list[tuple[str, str]]) -> tuple[Optional[str], Optional[str]]:
    """(date, number): <time datetime>, then meta tags, then datelines in the page text; the number's own date
    last."""
    date = None
    for el in _elements(root):
        if _tag(el) == "time":
            date = meta.find_date(el.get("datetime") or "") or meta.find_date(el.text or "")
            if date:
                break
    if not date:
        for wanted in _DATE_META:
            date = next((meta.find_date(v) for k, v in tags if k == wanted and meta.find_date(v)), None)
            if date:
                break
    number = next((meta.find_number(v) for _, v in tags if meta.find_number(v)), None)
    for line in page:
        stated = meta.metadata_line(line)
        if stated:
            date = date or stated[0]
            number = number or stated[1]
    if not number:
        number = next((meta.find_number(line) for line in page if meta.find_number(line)), None)
    if not date and number:
        date = meta.number_date(number)
    return date, number


def _clean_title(value: Optional[str]) -> Optional[str]:
    if not value:
        return None
    title = normalize_line(value)
    # "Title | Ministry of Foreign Affairs …": the site's name is not part of the title.
    parts = re.split(r"\s+[|–—-]\s+", title)
    kept = [p for p in parts if not meta.is_ministry_line(p)]
    if kept and len(kept) < len(parts):
        title = " - ".join(kept)
    return title or None


def _first_h1(el) -> Optional[str]:
    for h in _elements(el):
        if _tag(h) == "h1":
            text = _clean_title(" ".join(extract_paragraphs(h)))
            if text:
                return text
    return None


def _early_title(root, meta_tags: list[tuple[str, str]]) -> Optional[str]:
    """Title when the main content has no <h1>: one inside article/main, og:title, <title>, any <h1>."""
    for el in _elements(root):
        if _tag(el) in ("article", "main"):
            found = _first_h1(el)
            if found:
                return found
    tags = dict(meta_tags)
    if tags.get("og:title"):
        return _clean_title(tags["og:title"])
    title = next((el for el in root.iter("title")), None)
    if title is not None and _clean_title(title.text):
        return _clean_title(title.text)
    return _first_h1(root)


def _body_only(paragraphs: list[str], title: Optional[str]) -> list[str]:
    """Drop what is metadata (the title, datelines, the number) or chrome left inside the content."""
    body, title_seen = [], False
    for text in paragraphs:
        if title and not title_seen and text == title:
            title_seen = True
            continue
        if meta.metadata_line(text) or meta.is_chrome(text, max_words=12):
            continue
        body.append(text)
    return body
