"""Which language a text is in: the script first, then a language model shipped inside a PyPI package.

The script settles most cases at no cost and with no doubt: Cyrillic is Russian here, Arabic script Arabic, Han
characters Chinese. Latin script could be English, French, Spanish, German or any other language, so a Latin text
goes to py3langid (a maintained fork of langid.py; its naive Bayes model, 97 languages, ships inside the wheel as
``data/model.npz.xz``: nothing is downloaded, ever). A mixed-script text, too little text, or an unsure model
gives None: the caller then does not refuse the file, as before.

    detect_language("The Council met on Tuesday.")  # "en"
    detect_language("Le Conseil s'est réuni mardi.")  # "fr"
"""
from __future__ import annotations

import functools
import re
from collections import Counter
import threading

__all__ = ["detect_language", "language_name", "language_tag", "NAMES", "DEFAULT_REGIONS"]

NAMES = {"ar": "Arabic", "de": "German", "en": "English", "es": "Spanish", "fr": "French", "ru": "Russian",
         "zh": "Chinese", "it": "Italian", "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "uk": "Ukrainian",
         "bg": "Bulgarian", "sr": "Serbian", "be": "Belarusian", "ca": "Catalan", "ro": "Romanian", "sv": "Swedish",
         "da": "Danish", "no": "Norwegian", "fi": "Finnish", "cs": "Czech", "tr": "Turkish", "fa": "Persian",
         "ja": "Japanese", "ko": "Korean", "hu": "Hungarian", "el": "Greek", "la": "Latin"}
# The share of letters a script must have for the text to be in it: Russian MFA texts carry some Latin (names,
# "NATO" in quotes), English ones almost no Cyrillic.
SCRIPT_SHARE = 0.75
# Below this many letters the model is not asked (a title, a date line): the script alone may still answer.
MIN_LETTERS_FOR_MODEL = 40
MIN_PROBABILITY = 0.9

# Common words of running text in each Latin-script language, less any word of another list ("de", "la", "en",
# "in", "die" and the like fall out): what a text of that language is plainly made of. A text whose words are at
# least PLAIN_SHARE of its expected language's list, and at most a fifth as many of any other's, is confirmed
# without py3langid: loading its model costs 0.6 to 0.9 s, a sixth of a 100-sentence pair's run, and nearly every
# run has an English or other Latin-script side. Anything less plain goes to the model as before, so a French or
# German file given as English is still refused by it (tests/test_languages.py).
_COMMON = {
    "en": "the of and to is that for with as by was are this be at from have has not which were will an or it its "
          "their they been would should could also than there these those into our we you he she his her who in on",
    "fr": "le la les des et est une du dans pour que qui sur pas au aux avec ce ne se sont par il elle cette ces "
          "nous vous leur été être mais ou plus comme aussi entre sans de en un se",
    "de": "der die das und ist nicht ein eine den dem des zu mit sich auf für von im auch es wir sie ich wird "
          "werden wurde bei nach aus oder aber noch wie dass nur über in da so",
    "es": "el los las del y es una que por con para se al lo su sus como más pero fue ha han este esta entre sin "
          "sobre también muy de en un no se con",
    "it": "il di che è la del della per non un una sono con gli le dei delle nel nella ha questo questa anche come "
          "più ma tra e o in da no se con",
    "pt": "o os do da dos das e é um uma em no na que para com não ao aos pelo pela seu sua mais como foi também "
          "entre sem de se",
    "nl": "de het een en van is dat niet op te zijn met voor ook wordt worden door maar bij naar dit deze uit nog",
}
_COMMON_SETS = {lang: set(words.split()) for lang, words in _COMMON.items()}
# word → the one language whose list has it
_OWNER = {word: lang for lang, words in _COMMON_SETS.items() for word in words
          if not any(word in other for code, other in _COMMON_SETS.items() if code != lang)}
PLAIN_SHARE = 0.12
_WORD = re.compile(r"[^\W\d_]+")


def language_name(code: str) -> str:
    return NAMES.get(code, code)


# The tag written into TMX when only a language is given (docs/languages.md: why each). Trados Studio and memoQ
# open a translation memory for one language *and region* and skip, or ask to map, units tagged otherwise;
# OmegaT matches language and region first, then the language alone. A full tag satisfies all three.
DEFAULT_REGIONS = {"ar": "ar-SA", "de": "de-DE", "en": "en-GB", "es": "es-ES", "fr": "fr-FR", "ru": "ru-RU",
                   "zh": "zh-CN"}


def language_tag(lang: str) -> str:
    """A BCP 47 tag as CAT tools expect it: "fr" → "fr-FR", "EN_us" → "en-US", "zh-hans-cn" → "zh-Hans-CN".
    A tag that names a region or script is kept (only its case is normalised); an unknown bare language stays."""
    parts = [p for p in (lang or "").strip().replace("_", "-").split("-") if p]
    if not parts:
        return lang
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.upper() if len(part) == 2 or part.isdigit() else part.title() if len(part) == 4 else part)
    if len(out) == 1:
        return DEFAULT_REGIONS.get(out[0], out[0])
    return "-".join(out)


def _script(ch: str) -> str | None:
    o = ord(ch)
    if 0x0400 <= o <= 0x04FF:
        return "cyrillic"
    if ch.isascii() or 0x00C0 <= o <= 0x024F or 0x1E00 <= o <= 0x1EFF:
        return "latin"
    if 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0xFB50 <= o <= 0xFEFF:
        return "arabic"
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF:
        return "han"
    return "other"


_SCRIPT_LANG = {"cyrillic": "ru", "arabic": "ar", "han": "zh"}


def detect_language(text: str, expected: str | None = None) -> str | None:
    """The ISO 639-1 code of the text's language, or None when unclear or too little text.

    Cyrillic → "ru", Arabic script → "ar", Han → "zh"; Latin → what the model says ("en", "fr", "de", …). With
    ``expected`` (a Latin-script language), an answer other than it is given only when the model is sure
    (MIN_PROBABILITY): a short English text full of names must not be called Dutch.
    """
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            script = _script(ch)
            counts[script] = counts.get(script, 0) + 1
    total = sum(counts.values())
    if total < 10:
        return None
    script, n = max(counts.items(), key=lambda kv: kv[1])
    # Chinese characters are words, not letters: ten of them are a sentence
    share = n / total
    if share < SCRIPT_SHARE:
        return None
    if script in _SCRIPT_LANG:
        return _SCRIPT_LANG[script]
    if script != "latin" or n < MIN_LETTERS_FOR_MODEL:
        return "en" if script == "latin" and expected in (None, "en", "ru") and n >= 10 else None
    if expected in _COMMON and _plainly(text, expected):
        return expected
    code, probability = _classify(text)
    if code in ("ru", "ar", "zh"):
        return None          # a Latin text the model calls Russian: a transliteration, not a language to name
    if code == "zxx":
        return None          # the model's "no linguistic content" ("Item 1. Item 2. …"): no evidence either way
    if probability < MIN_PROBABILITY and code != expected:
        return None
    return code


def _plainly(text: str, lang: str) -> bool:
    """Whether the text is plainly in ``lang`` by its common words (see _COMMON)."""
    words = _WORD.findall(text[:20_000].lower())
    if len(words) < 8:
        return False
    counts = Counter(_OWNER[w] for w in words if w in _OWNER)
    own = counts.pop(lang, 0)
    return own >= PLAIN_SHARE * len(words) and all(5 * c <= own for c in counts.values())


_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _classify(text: str) -> tuple[str, float]:
    with _lock:      # the identifier is shared; its classify is not documented as thread-safe
        code, probability = _identifier().classify(text[:20_000])
    return code, float(probability)
