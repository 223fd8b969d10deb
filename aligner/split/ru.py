"""Russian: razdel, then the MFA conventions it lacks.

razdel already knows initials ("С.В.Лавров", "С. В. Лавров", "Дж. Байден"), most abbreviations ("т.е.", "им.",
"ул.", "см.", "ст.", "проф.") and splits after "и т.д."/"и др." before a capital. What it lacks:

- "г." (год) after a year ends a sentence when a capitalised word follows: "…подписан в 1999 г. Через год…";
  razdel keeps it together because "г." (город) normally precedes a name;
- unless what precedes is only a prepositional date phrase, which cannot be a sentence of its own:
  "В 2023 г. Москва и Минск подписали…", "С 1 января 2024 г. Россия…" stay one sentence;
- an abbreviation that only ever follows its word (a unit: "руб.", "экз.", "км.", "млн.") ends the sentence before a
  capitalised word: "…2,5 тыс. экз. Книга быстро разошлась."
"""
from __future__ import annotations

import re

import razdel

from aligner.numbers import RU_MONTHS_GENITIVE
from aligner.split import rules

# What starts a sentence after "г.": a capitalised word, a one-letter one ("В Москве…"), or initials ("В.В. Путин").
_CAP_WORD = r"[«\"„(]?(?:[А-ЯЁA-Z][а-яёa-z]|[А-ЯЁ]\s|[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.\s?)?[А-ЯЁ][а-яё])"
_YEARS = r"\d{4}(?:\s?[–-]\s?\d{2,4})?(?:-[ех])?"

_YEAR_END = re.compile(rf"(?<!\d){_YEARS}\s?гг?\.\s+(?={_CAP_WORD})")
# Units and the like: never before a name, so a capital after them starts a sentence. Not "г." (город), "т.н.",
# "т.е.", "им.", "ул.", "см.", "ст.", "проф." — those precede what they qualify.
_POSTPOSITIVE_END = re.compile(
    rf"(?<![А-Яа-яЁё.])(?:руб|коп|долл|экз|км|кг|тыс|млн|млрд|трлн|чел|шт|проц|др|т\.\s?д|т\.\s?п)\.\s+"
    rf"(?={_CAP_WORD})")

_MONTHS = "|".join(RU_MONTHS_GENITIVE)          # "1 января 2024 г.": the shared table, aligner/numbers.py
# Words a date phrase may open with: "В 2023 г.", "С 1 января 2024 г.", "Уже в декабре 2023 г.", "К концу 2024 г."
_PREPOSITIONS = ("в|во|с|со|к|до|после|на|за|от|по|около|начиная|уже|ещё|еще|лишь|только|вплоть|между|течение|"
                 "конце|начале|середине|концу|началу|январе|феврале|марте|апреле|мае|июне|июле|августе|сентябре|"
                 "октябре|ноябре|декабре")
_DATE_PHRASE = re.compile(
    rf"(?:(?:{_PREPOSITIONS})\s+){{1,3}}(?:\d{{1,2}}(?:\s?[–-]\s?\d{{1,2}})?\s+(?:{_MONTHS})\s+)?{_YEARS}\s?гг?\.",
    re.IGNORECASE)


def cuts_ru(text: str) -> list[int]:
    cuts = rules.cuts_from_starts(text, (s.start for s in razdel.sentenize(text)))
    cuts = rules.add_cuts(text, cuts, _YEAR_END)
    cuts = rules.add_cuts(text, cuts, _POSTPOSITIVE_END)
    return rules.merge_where(text, cuts, _one_sentence)


def _one_sentence(left: str, right: str) -> bool:
    if _DATE_PHRASE.fullmatch(left):
        return True                      # "В 2023 г." | "Москва и Минск подписали…"
    return left.endswith("долл.") and right.startswith("США")     # razdel splits "5 млн. долл." | "США"
