"""A side-by-side HTML review page for one alignment: one self-contained file that opens offline.

A row per bead, Russian on the left and English on the right, tinted by the aligner's confidence; machine
translation and QA flags are marked; buttons (or a URL hash: #flagged, #low-confidence, #mt, #flag-numbers …)
show only the rows that need a look. Inline CSS and a few lines of inline JS, no external assets; every text is
escaped; the same alignment always gives the same bytes.
"""
from __future__ import annotations

import html
from collections import Counter

from aligner.model import Alignment, Bead, format_bead
from aligner.quality.flags import FLAG_NAMES, LOW_CONFIDENCE

HIGH_CONFIDENCE = 0.8

_CSS = """
:root { --high: #e6f4ea; --mid: #fff6d6; --low: #fde4e4; --null: #eeeeee; --line: #d0d0d0; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; margin: 0;
       color: #1b1b1b; background: #fafafa; }
header { padding: 16px 24px 8px; background: #fff; border-bottom: 1px solid var(--line); position: sticky; top: 0;
         z-index: 1; }
h1 { font-size: 20px; margin: 0 0 6px; }
.files { color: #555; font-size: 13px; margin: 0 0 8px; word-break: break-all; }
.summary { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 0 0 10px; padding: 0; list-style: none; }
.summary li b { font-variant-numeric: tabular-nums; }
.filters { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.filters button { font: inherit; font-size: 13px; padding: 3px 10px; border: 1px solid #999; border-radius: 14px;
                  background: #fff; cursor: pointer; }
.filters button[aria-pressed="true"] { background: #1b1b1b; color: #fff; border-color: #1b1b1b; }
.shown { margin-left: 8px; color: #555; font-size: 13px; }
.legend span { display: inline-block; padding: 0 8px; margin-right: 4px; border-radius: 3px; font-size: 12px; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; background: #fff; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; vertical-align: top; text-align: left; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #555; background: #f3f3f3; }
col.n { width: 4em; } col.bead { width: 8.5em; } col.conf { width: 7.5em; } col.flags { width: 11em; }
td.n, td.bead, td.conf { font-size: 12px; color: #444; font-variant-numeric: tabular-nums; }
td.bead code { white-space: nowrap; }
tr.high { background: var(--high); } tr.mid { background: var(--mid); } tr.low { background: var(--low); }
tr.null { background: var(--null); }
tr.mt td.en { font-style: italic; color: #5a3d8a; }
.badge { display: inline-block; font-size: 11px; line-height: 1.6; padding: 0 6px; margin: 1px 2px 1px 0;
         border-radius: 9px; background: #fff; border: 1px solid #b44; color: #933; white-space: nowrap; }
.badge.mt { border-color: #5a3d8a; color: #5a3d8a; }
.empty { color: #888; }
tr[hidden] { display: none; }
"""

_JS = """
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll("tbody tr"));
  var buttons = Array.prototype.slice.call(document.querySelectorAll(".filters button"));
  function keep(row, filter) {
    var flags = (row.getAttribute("data-flags") || "").split(" ").filter(Boolean);
    if (filter === "all") return true;
    if (filter === "flagged") return flags.length > 0;
    if (filter === "low-confidence") return row.getAttribute("data-low") === "1";
    if (filter === "mt") return row.classList.contains("mt");
    if (filter.indexOf("flag-") === 0) return flags.indexOf(filter.slice(5)) >= 0;
    return true;
  }
  function apply(filter) {
    if (!buttons.some(function (b) { return b.getAttribute("data-filter") === filter; })) filter = "all";
    var shown = 0;
    rows.forEach(function (row) {
      var on = keep(row, filter);
      row.hidden = !on;
      if (on) shown += 1;
    });
    buttons.forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-filter") === filter ? "true" : "false");
    });
    document.body.setAttribute("data-filter", filter);
    document.getElementById("shown").textContent = shown + " of " + rows.length + " rows shown";
  }
  buttons.forEach(function (b) {
    b.addEventListener("click", function () {
      var filter = b.getAttribute("data-filter");
      history.replaceState(null, "", filter === "all" ? location.pathname + location.search : "#" + filter);
      apply(filter);
    });
  });
  window.addEventListener("hashchange", function () { apply(location.hash.slice(1) || "all"); });
  apply(location.hash.slice(1) || "all");
})();
"""


def render_review(alignment: Alignment) -> bytes:
    """The review page of ``alignment`` as UTF-8 HTML5."""
    e = html.escape
    beads = alignment.beads
    title = alignment.name or alignment.src.title or alignment.src.path or "alignment"
    rows = "\n".join(_row(alignment, n, bead) for n, bead in enumerate(beads, 1))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Review: {e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        '<body data-filter="all">',
        "<header>",
        f"<h1>Review: {e(title)}</h1>",
        f'<p class="files">{e(alignment.src.path)} ↔ {e(alignment.tgt.path)}</p>',
        _summary(alignment),
        _filters(beads),
        "</header>",
        "<main>",
        '<table id="beads">',
        '<colgroup><col class="n"><col class="bead"><col class="conf"><col class="ru"><col class="en">'
        '<col class="flags"></colgroup>',
        "<thead><tr><th>#</th><th>Bead</th><th>Confidence</th><th>Russian</th><th>English</th><th>Flags</th>"
        "</tr></thead>",
        f"<tbody>\n{rows}\n</tbody>",
        "</table>",
        "</main>",
        f"<script>{_JS}</script>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts).encode("utf-8")


def confidence_class(bead: Bead) -> str:
    """Row tint: null beads have no confidence; the others by the aligner's score."""
    if not bead.src or not bead.tgt:
        return "null"
    if bead.score >= HIGH_CONFIDENCE:
        return "high"
    return "mid" if bead.score >= LOW_CONFIDENCE else "low"


def _row(alignment: Alignment, n: int, bead: Bead) -> str:
    e = html.escape
    classes = [confidence_class(bead)] + (["mt"] if bead.origin == "MT" else [])
    ru = e(alignment.src_text(bead)) if bead.src else '<span class="empty">(no Russian)</span>'
    if bead.tgt:
        en = e(alignment.tgt_text(bead))
    elif bead.mt is not None:
        engine = f' title="{e(bead.mt_engine)}"' if bead.mt_engine else ""
        en = f'<span class="badge mt"{engine}>MT</span> {e(bead.mt)}'
    else:
        en = '<span class="empty">(no English)</span>'
    conf = f"{bead.score:.2f}" if bead.src and bead.tgt else "—"
    low = "1" if confidence_class(bead) == "low" else "0"
    badges = " ".join(f'<span class="badge{" mt" if f == "mt" else ""}">{e(f)}</span>' for f in bead.flags)
    return (f'<tr id="b{n}" class="{" ".join(classes)}" data-kind="{bead.kind}" data-flags="{e(" ".join(bead.flags))}"'
            f' data-low="{low}"><td class="n">{n}</td><td class="bead"><code>{e(format_bead(bead))}</code></td>'
            f'<td class="conf">{conf}</td><td class="ru" lang="ru">{ru}</td><td class="en" lang="en">{en}</td>'
            f'<td class="flags">{badges}</td></tr>')


def _summary(alignment: Alignment) -> str:
    beads = alignment.beads
    kinds = Counter(b.kind for b in beads)
    scored = [b.score for b in beads if b.src and b.tgt]
    mean = f"{sum(scored) / len(scored):.3f}" if scored else "—"
    items = [("beads", str(len(beads)))]
    items += [(kind, str(kinds[kind])) for kind in sorted(kinds, key=lambda k: (-kinds[k], k))]
    items += [("mean confidence", mean),
              ("flagged", str(sum(1 for b in beads if b.flags))),
              ("low confidence", str(sum(1 for b in beads if confidence_class(b) == "low"))),
              ("MT", str(sum(1 for b in beads if b.origin == "MT")))]
    if alignment.signals:
        items.append(("signals", ", ".join(alignment.signals)))
    lis = "".join(f'<li data-key="{html.escape(k)}">{html.escape(k)}: <b>{html.escape(v)}</b></li>'
                  for k, v in items)
    return f'<ul class="summary" id="summary">{lis}</ul>'


def _filters(beads: list[Bead]) -> str:
    flag_counts = Counter(f for b in beads for f in b.flags)
    buttons = [("all", "All", len(beads)),
               ("flagged", "Flagged", sum(1 for b in beads if b.flags)),
               ("low-confidence", "Low confidence", sum(1 for b in beads if confidence_class(b) == "low")),
               ("mt", "MT", sum(1 for b in beads if b.origin == "MT"))]
    # "mt" and "low-confidence" already have their own buttons above.
    buttons += [(f"flag-{f}", f, flag_counts[f]) for f in FLAG_NAMES
                if flag_counts[f] and f not in ("mt", "low-confidence")]
    html_buttons = "".join(
        f'<button type="button" data-filter="{key}" aria-pressed="{"true" if key == "all" else "false"}">'
        f"{html.escape(label)} ({count})</button>" for key, label, count in buttons)
    hi, lo = f"{HIGH_CONFIDENCE:.2f}", f"{LOW_CONFIDENCE:.2f}"
    legend = (f'<span class="legend"><span style="background:var(--high)">≥ {hi}</span>'
              f'<span style="background:var(--mid)">{lo}–{hi}</span>'
              f'<span style="background:var(--low)">&lt; {lo}</span>'
              '<span style="background:var(--null)">one side empty</span></span>')
    shown = f'<span class="shown" id="shown">{len(beads)} of {len(beads)} rows shown</span>'
    return f'<div class="filters">{html_buttons}{shown}{legend}</div>'
