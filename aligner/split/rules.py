"""Post-pass rules shared by both languages: the libraries split too eagerly in a few places."""
from __future__ import annotations

import re

# A list number or bullet on its own is not a sentence: "1.", "2)", "а)", "IV.", "•", "—".
_LIST_MARK = re.compile(r"(?:\d{1,3}[.)]|[a-zа-я][.)]|[IVXLC]{1,5}\.|[•\-–—*])", re.IGNORECASE)
_MAX_QUOTE_JOIN = 4


def post_pass(pieces: list[str], lang: str) -> list[str]:
    return _join_open_quotes(_join_soft_ends(_attach_list_marks(pieces)))


def _attach_list_marks(pieces: list[str]) -> list[str]:
    out: list[str] = []
    carry = ""
    for piece in pieces:
        if _LIST_MARK.fullmatch(piece):
            carry = f"{carry} {piece}".strip()
            continue
        out.append(f"{carry} {piece}".strip() if carry else piece)
        carry = ""
    if carry:
        if out:
            out[-1] = f"{out[-1]} {carry}"
        else:
            out.append(carry)
    return out


def _join_soft_ends(pieces: list[str]) -> list[str]:
    """A piece ending in ";" or "," is a list item or a clause, not a sentence: "1) торговля; 2) энергетика"."""
    out: list[str] = []
    for piece in pieces:
        if out and out[-1].endswith((";", ",")):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def _join_open_quotes(pieces: list[str]) -> list[str]:
    """A quotation that spans a full stop and then goes on («Мы готовы. Но…», – заявил) is one sentence."""
    out: list[str] = []
    k = 0
    while k < len(pieces):
        piece = pieces[k]
        joined = 0
        while (piece.count("«") > piece.count("»") and k + 1 < len(pieces) and joined < _MAX_QUOTE_JOIN
               and _closes_mid_sentence(pieces[k + 1])):
            k += 1
            joined += 1
            piece = f"{piece} {pieces[k]}"
        out.append(piece)
        k += 1
    return out


def _closes_mid_sentence(piece: str) -> bool:
    """The quotation closes in this piece and the sentence carries on after it (», – заявил / », said)."""
    close = piece.find("»")
    return close != -1 and bool(re.match(r"»\s*[,–—-]", piece[close:]))
