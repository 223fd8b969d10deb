"""Post-pass rules shared by both languages."""
from __future__ import annotations

import re

# A list number or bullet on its own is not a sentence: "1.", "2)", "а)", "IV.", "•", "—".
_LIST_MARK = re.compile(r"(?:\d{1,3}[.)]|[a-zа-я][.)]|[IVXLC]{1,5}\.|[•\-–—*])", re.IGNORECASE)


def post_pass(pieces: list[str], lang: str) -> list[str]:
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
