"""Quality: scores against a reference (sacrebleu), per-bead QA flags, and the numbers they compare.

  scoring   BLEU / chrF / TER through sacrebleu's metric classes, with signatures
  flags     flag_bead / flag_alignment: untranslated, no-source, mt, numbers, length-ratio, partial, low-confidence
  numbers   figures and dates as comparable tokens across Russian and English
  evaluate  evaluate-mt: the installed MT model scored against an aligned TMX's official English
  wmt, tmx  readers for WMT XML test sets and aligned TMX files (hardened lxml parser)

The review page lives with the other writers: aligner.write.review.
"""
