"""Tokens that survive translation: numbers, dates, acronyms and names.

Each sentence becomes a set of language-neutral anchor tokens ("#2023", "@m12", "NATO", "~lavr"). A candidate bead's
gain is matched minus unmatched anchors over all anchors, so two sentences with no anchors are neutral (0) and a
number present on one side only is evidence against.
"""
from __future__ import annotations

import functools
import re
import zlib

import numpy as np

from aligner.align.band import Band
from aligner.align.signals import Signal, register
from aligner.model import Sentence
from aligner.numbers import ascii_digits, canonical, chinese_numerals, find_months, find_numbers, month_number

DIM = 512

# Months come from the shared table (aligner.numbers): Russian stems in every case form, English capitalised only
# ("may", "march" and "sept" are also ordinary words).
# Acronyms and names whose English form is not a transliteration. Keys are Russian stems (lower case),
# values English stems: both sides map to the same token.
ACRONYMS = {
    "нато": "nato", "обсе": "osce", "оон": "un", "шос": "sco", "снг": "cis", "одкб": "csto", "ес": "eu",
    "сша": "us", "брикс": "brics", "асеан": "asean", "еаэс": "eaeu", "магатэ": "iaea", "вто": "wto", "воз": "who",
    "юнеско": "unesco", "лаг": "league", "ссагпз": "gcc", "атэс": "apec", "опек": "opec", "муc": "icc", "мус": "icc",
    "мккк": "icrc", "пасе": "pace", "днр": "dpr", "лнр": "lpr", "кндр": "dprk", "кнр": "prc", "оаэ": "uae",
    "фрг": "frg", "мвф": "imf", "оэср": "oecd", "юнисеф": "unicef", "проон": "undp", "фао": "fao", "мот": "ilo",
    "ооп": "plo", "ау": "au", "ао": "au", "дрсмд": "inf", "снв": "start", "днятo": "npt", "дняо": "npt",
    "свпд": "jcpoa", "оиc": "oic", "оис": "oic", "бапор": "unrwa", "ввп": "gdp", "сбсе": "csce", "ир": "ir",
    "еэк": "eec", "мчс": "emercom", "фсб": "fsb", "свр": "svr", "мид": "mfa", "сб": "security",
}
PLACES = {
    "росси": "russ", "белорус": "belar", "беларус": "belar", "украин": "ukrain", "кита": "china", "америк": "americ",
    "франци": "franc", "франц": "french", "германи": "german", "немец": "german", "британ": "brit", "англи": "brit",
    "япони": "japan", "японск": "japan", "инди": "india", "сири": "syria", "турци": "turk", "израил": "israel",
    "палестин": "palestin", "грузи": "georgia", "молдави": "moldova", "молдов": "moldova", "европ": "europ",
    "африк": "afric", "ази": "asia", "москв": "moscow", "минск": "minsk", "киев": "kiev", "пекин": "beijing",
    "вашингтон": "washington", "женев": "geneva", "брюссел": "brussels", "евраз": "euras", "польш": "pol",
    "польск": "pol", "латви": "latvi", "литв": "lithuani", "эстони": "estoni", "финлянди": "finland",
    "швеци": "swed", "норвеги": "norw", "итали": "ital", "испани": "spain", "греци": "greec", "сербии": "serbi",
    "серби": "serbi", "венгри": "hungar", "египт": "egypt", "иран": "iran", "ирак": "iraq", "афганистан": "afghan",
    "казахстан": "kazakh", "кыргыз": "kyrgyz", "киргиз": "kyrgyz", "таджик": "tajik", "узбек": "uzbek",
    "армени": "armeni", "азербайджан": "azerbaijan", "вьетнам": "viet", "корe": "korea", "коре": "korea",
    "бразили": "brazil", "аргентин": "argentin", "мексик": "mexic", "куб": "cuba", "венесуэл": "venezuel",
    "ливи": "libya", "судан": "sudan", "эфиопи": "ethiopi", "крым": "crimea", "донбасс": "donbass",
    "арктик": "arctic", "балти": "baltic", "черноморск": "black", "каспи": "caspian", "ватикан": "vatican",
    "стамбул": "istanbul", "анкар": "ankara", "берлин": "berlin", "париж": "paris", "лондон": "london",
}

# Transliteration close enough that inflected Russian names and their English spelling share a prefix key.
_TRANSLIT = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
})
_KEY_FOLD = [("kh", "h"), ("ts", "c"), ("x", "ks"), ("ph", "f"), ("w", "v"), ("y", "i"), ("j", "i"), ("q", "k"),
             ("ck", "k"), ("ee", "i"), ("ou", "u"), ("sch", "sh"), ("tch", "ch"), ("zh", "j"),
             ("c", "k")]   # last: Куба/Cuba, Центр/Central (ts → c → k) meet
_KEY_LEN = 4

_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
_CAP_RU = re.compile(r"\b[А-ЯЁ][а-яё]+(?:-[А-ЯЁ]?[а-яё]+)*")
_CAP_EN = re.compile(r"\b[A-Z][a-z]+(?:-[A-Z]?[a-z]+)*")
_ACRO_RU = re.compile(r"\b[А-ЯЁ]{2,}[а-яё]?\b")
_ACRO_LAT = re.compile(r"\b(?:[A-Z]{2,}[a-z]?|G\d{1,2}|[A-Z]\d{1,2})\b")


def _name_key(latin: str) -> str:
    s = latin.lower()
    for old, new in _KEY_FOLD:
        s = s.replace(old, new)
    return s[:_KEY_LEN]


def _sentence_initial(text: str, start: int) -> bool:
    """A capital at the start of a sentence says nothing about names: "The", "Мы"."""
    before = text[:start].rstrip(" «\"'„“(—–-")
    if not before:
        return True
    if before[-1] == "." and re.search(r"(?:^|[\s.])[A-ZА-ЯЁ]\.$", before):
        return False                      # after an initial: "С.В.Лавров", "S. Lavrov"
    return before[-1] in ".!?:;"


def _numbers(text: str, lang: str = "") -> list[str]:
    """Figures as "#value", normalised by aligner.numbers: "15 000", "15,000", "15.000" and "١٥٬٠٠٠" are all
    "#15000", "1,5" and "1.5" are "#1.5"."""
    return ["#" + canonical(value) for _, _, value in find_numbers(text, lang)]


def _prefix_lookup(word: str, table: dict[str, str]) -> str | None:
    for n in range(min(len(word), 12), 2, -1):
        hit = table.get(word[:n])
        if hit:
            return hit
    return None


def _punctuation(text: str) -> set[str]:
    """Marks that translators keep: a question, an exclamation, a quotation, a parenthesis, a list colon."""
    out = set()
    for mark, token in (("?", "?q"), ("!", "?x"), ("(", "?p"), (":", "?c")):
        if mark in text:
            out.add(token)
    if any(q in text for q in "«»“”„\""):
        out.add("?quote")
    return out


@functools.lru_cache(maxsize=65536)
def _ru_acronym(acro: str) -> str:
    low = acro.lower()
    hit = ACRONYMS.get(low) or ACRONYMS.get(low.rstrip("аеуоы"))
    return "=" + hit if hit else "~" + _name_key(low.translate(_TRANSLIT))


@functools.lru_cache(maxsize=65536)
def _ru_word(word: str) -> str | None:
    low = word.lower()
    place = _prefix_lookup(low, PLACES)
    if place:
        return "=" + place
    return "~" + _name_key(low.translate(_TRANSLIT)) if len(low) >= _KEY_LEN else None


COGNATES = True
_SOFT = "~^"
COGNATE_WEIGHT = 2.5
COGNATE_BASE = 0.0
_WORD_RU = re.compile(r"\b[а-яё]{6,}\b")
_WORD_EN = re.compile(r"\b[a-z]{6,}\b")
_COGNATE_LEN = 5


@functools.lru_cache(maxsize=131072)
def _cognate_key(latin: str) -> str:
    return "^" + _name_key_n(latin, _COGNATE_LEN)


@functools.lru_cache(maxsize=131072)
def _cognate_key_ru(word: str) -> str:
    return _cognate_key(word.translate(_TRANSLIT))


def _name_key_n(latin: str, n: int) -> str:
    s = latin.lower()
    for old, new in _KEY_FOLD:
        s = s.replace(old, new)
    return s[:n]


def _cognates_ru(text: str) -> set[str]:
    """International words keep their stem across the two languages: программа/program, конференция/conference."""
    if not COGNATES:
        return set()
    return {_cognate_key_ru(w) for w in _WORD_RU.findall(text)}


def _cognates_en(text: str) -> set[str]:
    if not COGNATES:
        return set()
    return {_cognate_key(w) for w in _WORD_EN.findall(text)}


# Names spelled out in words on the Russian side (stems, lower case, ё as е) that English writes as its phrases.
_RU_PHRASES = (("объединенных наци", "=un"), ("совет безопасности", "=security"), ("совета безопасности", "=security"),
               ("европейский союз", "=eu"), ("европейского союза", "=eu"),
               ("европейским союзом", "=eu"), ("европейском союзе", "=eu"), ("евросоюз", "=eu"), ("соединенны", "=us"), ("министерств иностранных дел", "=mfa"),
               ("министерства иностранных дел", "=mfa"), ("лиг арабских", "=league"), ("лига арабских", "=league"))


def russian_anchors(text: str) -> set[str]:
    tokens = set(_numbers(text, "ru")) | _punctuation(text) | _symbols(text)
    low = text.lower().replace("ё", "е")
    tokens.update(token for phrase, token in _RU_PHRASES if phrase in low)
    tokens.update(f"@m{n}" for _, _, n in find_months(text, "ru"))
    tokens.update(_ru_acronym(a) for a in _ACRO_RU.findall(text))
    tokens.update("=" + a.lower() for a in _ACRO_LAT.findall(text))   # "G20", "BRICS" in Latin in Russian text
    for match in _CAP_RU.finditer(text):
        token = _ru_word(match.group(0))
        if token and (token[0] == "=" or not _sentence_initial(text, match.start())):
            tokens.add(token)
    return tokens


_EN_PLACES = {stem: stem for stem in PLACES.values()}
_EN_ACRO = {v for v in ACRONYMS.values()}


@functools.lru_cache(maxsize=65536)
def _en_word(word: str) -> str | None:
    low = word.lower()
    place = _prefix_lookup(low, _EN_PLACES)
    if place:
        return "=" + place
    if len(low) >= _KEY_LEN and not month_number(word, "en"):
        return "~" + _name_key(low)
    return None


_EN_PHRASES = (("United Nations", "=un"), ("Arab League", "=league"), ("League of Arab", "=league"),
               ("European Union", "=eu"), ("United States", "=us"), ("Security Council", "=security"),
               ("Foreign Ministry", "=mfa"), ("Ministry of Foreign Affairs", "=mfa"))


def english_anchors(text: str) -> set[str]:
    tokens = set(_numbers(text, "en")) | _punctuation(text) | _symbols(text)
    tokens.update(f"@m{n}" for _, _, n in find_months(text, "en"))
    tokens.update("=us" if a == "USA" else "=" + a.lower() for a in _ACRO_LAT.findall(text))
    tokens.update(token for phrase, token in _EN_PHRASES if phrase in text)
    for match in _CAP_EN.finditer(text):
        token = _en_word(match.group(0))
        if token and (token[0] == "=" or not _sentence_initial(text, match.start())):
            tokens.add(token)
    return tokens


# Document symbols survive translation letter for letter: UN "A/RES/70/1", "S/2015/10", "E/CN.6/2015/13" and MFA
# numbers "2545-15-12-2023". One token for the whole symbol: its figures alone would match any date.
_UN_SYMBOL = re.compile(r"(?<![\w/])[A-Z]{1,6}(?:\.\d{1,3})?(?:/(?:[A-Z]{1,8}(?:\.\d{1,3})?|\d{1,5}(?:\.\d{1,3})?))+"
                        r"(?:/(?:Rev|Add|Corr|Amend)\.\d{1,3})*")
_MFA_NUMBER = re.compile(r"(?<![\d-])\d{1,5}-\d{2}-\d{2}-\d{4}(?![\d-])")


def _symbols(text: str) -> set[str]:
    out = {"$" + m.group().lower() for m in _UN_SYMBOL.finditer(text) if "/" in m.group() and
           any(ch.isdigit() for ch in m.group())}
    out.update("$" + m.group() for m in _MFA_NUMBER.finditer(text))
    return out


# Punctuation as each script writes it: "？" and "؟" are questions, "（" a parenthesis, "“" or "「" a quotation.
_MARKS = (("?？؟", "?q"), ("!！", "?x"), ("(（", "?p"), (":：", "?c"), ("«»“”„\"「」『』", "?quote"))
_SCRIPT_LATIN = {"en", "fr", "es", "de", "it", "pt", "nl", "pl", "ro", "ca", "sv", "da", "no", "fi", "cs", "tr"}
_SCRIPT_CYRILLIC = {"ru", "uk", "be", "bg", "sr", "kk"}
_CAP_WORD = re.compile(r"\b[^\W\d_][^\W\d_]{3,}\b")
_WORD_LONG = re.compile(r"\b[^\W\d_]{6,}\b")


def _script_of(lang: str) -> str:
    return "latin" if lang in _SCRIPT_LATIN else "cyrillic" if lang in _SCRIPT_CYRILLIC else lang


def _to_latin(word: str) -> str:
    return word.lower().replace("ё", "е").translate(_TRANSLIT)


def any_anchors(text: str, lang: str, latin_hard: bool = True) -> set[str]:
    """Any language: figures in any script (Arabic-Indic digits, simple Chinese numerals), months, document
    symbols, Latin acronyms and names (Cyrillic ones transliterated), and punctuation in the script's own marks.

    ``latin_hard``: Latin acronyms count as hard evidence only when both sides write them in Latin ("OSCE" in
    French and Spanish); against Cyrillic or Arabic, where "ОБСЕ" or "منظمة" stands for them, they are soft.
    """
    digits = ascii_digits(text)
    if lang == "zh":
        # dates and large numbers only: Chinese writes small counts and ordinals in numerals ("三个国家",
        # "第六十九届会议") where the other languages write words, which would count as a figure missing there
        digits = chinese_numerals(digits, keep_small=True)
    # soft: each language and tradition punctuates its own way (UN Russian quotes with << >>, Chinese with “”,
    # Arabic with "); a shared mark is evidence, a missing one is not
    tokens = {"~" + token for marks, token in _MARKS if any(m in text for m in marks)}
    tokens |= _symbols(digits)
    months = list(find_months(digits, lang))
    tokens.update(f"@m{n}" for _, _, n in months)
    if lang == "zh" and months:      # "12月" is a month, not the figure 12
        for start, end, _ in reversed(months):
            digits = digits[:start] + " " * (end - start) + digits[end:]
    tokens.update(_numbers(digits, lang))
    acronym = "=" if latin_hard else "~"
    tokens.update(acronym + a.lower() for a in _ACRO_LAT.findall(text))
    script = _script_of(lang)
    if script == "cyrillic":
        tokens.update("~" + _name_key(_to_latin(a)) for a in _ACRO_RU.findall(text))
    for match in _CAP_WORD.finditer(text):
        word = match.group()
        if not word[0].isupper() or word.isupper() or _sentence_initial(text, match.start()):
            continue
        key = _name_key(_to_latin(word) if script == "cyrillic" else word.lower())
        if key.isascii() and (script != "latin" or not _month_word(word, lang)):
            tokens.add("~" + key)
    return tokens


# A small lexicon of what UN and MFA texts name in every language, for pairs whose words cannot meet by spelling
# (Russian–Chinese, French–Arabic): soft evidence, a match says something, a miss nothing. Lower-case patterns;
# the alphabetic languages match at a word start, Arabic and Chinese anywhere (they attach prefixes or no spaces).
_LEX_LANGS = ("ru", "en", "fr", "es", "de", "ar", "zh")
LEXICON = {
    "un": ("объединенных наций|оон", "united nations", "nations unies", "naciones unidas", "vereinten nationen",
           "الأمم المتحدة", "联合国"),
    "council": ("совет", "council", "conseil", "consejo", "rat(?![a-z])|sicherheitsrat|wirtschafts- und sozialrat", "مجلس", "理事会"),
    "security": ("безопасност", "security", "sécurité", "seguridad", "sicherheit", "الأمن", "安全"),
    "assembly": ("генеральн", "general assembly", "assemblée générale", "asamblea general", "generalversammlung",
                 "الجمعية العامة", "大会"),
    "secgen": ("генеральный секретар|генерального секретар|генеральному секретар", "secretary-general",
               "secrétaire général", "secretario general", "generalsekretär", "الأمين العام", "秘书长"),
    "secretariat": ("секретариат", "secretariat", "secrétariat", "secretaría", "sekretariat", "الأمانة", "秘书处"),
    "committee": ("комитет", "committee", "comité", "comité", "ausschuss", "اللجنة", "委员会"),
    "commission": ("комисси", "commission", "commission", "comisión", "kommission", "اللجنة", "委员会"),
    "convention": ("конвенци", "convention", "convention", "convención|convenio", "übereinkommen|konvention",
                   "اتفاقية", "公约"),
    "resolution": ("резолюци", "resolution", "résolution", "resolución", "resolution", "القرار|قرار", "决议"),
    "report": ("доклад", "report", "rapport", "informe", "bericht", "تقرير", "报告"),
    "session": ("сесси", "session", "session", "período de sesiones", "tagung", "الدورة", "届会"),
    "meeting": ("заседани|совещани", "meeting", "réunion|séance", "reunión|sesión", "sitzung|tagung", "اجتماع|جلسة",
                "会议"),
    "women": ("женщин", "women", "femmes", "mujeres", "frauen", "المرأة|النساء", "妇女"),
    "children": ("дет(?:и|ей|ям|ьми|ях|ск)", "child", "enfant", "niñ", "kinder", "الأطفال|الطفل", "儿童"),
    "rights": ("прав человека", "human rights", "droits de l'homme", "derechos humanos", "menschenrechte",
               "حقوق الإنسان", "人权"),
    "development": ("развити", "development", "développement", "desarrollo", "entwicklung", "التنمية", "发展"),
    "government": ("правительств", "government", "gouvernement", "gobierno", "regierung", "الحكومة|حكومة", "政府"),
    "state": ("государств", "states?(?![a-z])", "état", "estado", "staat", "الدول|دولة", "国家"),
    "climate": ("климат", "climate", "climat", "clima", "klima", "المناخ", "气候"),
    "budget": ("бюджет", "budget", "budget", "presupuest", "haushalt", "الميزانية", "预算"),
    "programme": ("программ", "programme|program", "programme", "programa", "programm", "برنامج", "方案"),
    "africa": ("африк", "africa", "afrique", "áfrica", "afrika", "أفريقي", "非洲"),
    "europe": ("европ", "europe", "europe", "europa", "europa", "أوروب", "欧洲"),
    "russia": ("росси", "russia", "russie", "rusia", "russland", "روسي", "俄罗斯"),
    "china": ("кита", "china|chinese", "chine", "china", "china", "الصين", "中国"),
    "usa": ("соединенные штаты|соединенных штатов|сша", "united states", "états-unis", "estados unidos",
            "vereinigten staaten", "الولايات المتحدة", "美国"),
    "cyprus": ("кипр", "cyprus|cypriot", "chypre|chypriote", "chipre", "zypern", "قبرص|القبارصة", "塞浦路斯"),
    "israel": ("израил", "israel", "israël", "israel", "israel", "إسرائيل", "以色列"),
    "palestine": ("палестин", "palestin", "palestin", "palestin", "palästin", "فلسطين", "巴勒斯坦"),
    "syria": ("сири", "syria", "syrie", "siria", "syrien", "سوري", "叙利亚"),
    "ukraine": ("украин", "ukrain", "ukrain", "ucrania", "ukraine", "أوكراني", "乌克兰"),
    "iran": ("иран", "iran", "iran", "irán", "iran", "إيران", "伊朗"),
    "cuba": ("куб", "cuba", "cuba", "cuba", "kuba", "كوبا", "古巴"),
    "nuclear": ("ядерн", "nuclear", "nucléaire", "nuclear", "nuklear|atom", "النووي", "核武器|核能|核不扩散|核裁军|核材料|核安全"),
    "weapons": ("оружи", "weapon", "armes", "armas", "waffen", "الأسلحة|أسلحة", "武器"),
    "health": ("здравоохранени|здоров", "health", "santé", "salud", "gesundheit", "الصحة", "卫生|健康"),
    "education": ("образовани", "education", "éducation", "educación", "bildung", "التعليم", "教育"),
    "violence": ("насили", "violence", "violence", "violencia", "gewalt", "العنف", "暴力"),
    "environment": ("окружающ|экологи", "environment", "environnement", "ambiente", "umwelt", "البيئ", "环境"),
    "agenda": ("повестк", "agenda", "ordre du jour", "programa", "tagesordnung", "جدول الأعمال", "议程"),
    "draft": ("проект", "draft", "projet", "proyecto", "entwurf", "مشروع", "草案"),
    "annex": ("приложени", "annex", "annexe", "anexo", "anhang|anlage", "المرفق|مرفق", "附件"),
    "paragraph": ("пункт", "paragraph", "paragraphe", "párrafo", "absatz|ziffer", "الفقرة", r"\d+段"),
    "article": ("стать[яиейю]", "article", "article", "artículo", "artikel", "المادة", r"第\d+条"),
    "trade": ("торгов", "trade", "commerce", "comercio", "handel", "التجارة", "贸易"),
    "water": ("вод[аыуео]", "water", "eau(?![a-z])", "agua", "wasser", "المياه", "水资源|饮用水|供水|用水"),
    "food": ("продовольств|питани", "food", "alimentaire|alimentation", "aliment", "ernährung|nahrung", "الغذاء|الغذائي",
             "粮食"),
    "refugees": ("беженц", "refugee", "réfugié", "refugiad", "flüchtling", "اللاجئين", "难民"),
    "terrorism": ("террор", "terror", "terror", "terror", "terror", "الإرهاب", "恐怖"),
    "police": ("полиц", "police", "police", "policía", "polizei", "الشرطة", "警察"),
    "mission": ("мисси", "mission", "mission", "misión", "mission", "البعثة|بعثة", "特派团"),
    "staff": ("персонал|сотрудник", "staff", "personnel", "personal", "personal", "الموظفين", "工作人员"),
}


@functools.lru_cache(maxsize=None)
def _lexicon(lang: str) -> list[tuple[re.Pattern[str], str]]:
    if lang not in _LEX_LANGS:
        return []
    k = _LEX_LANGS.index(lang)
    left = "" if lang in ("ar", "zh") else r"(?<![^\W\d_])"

    def pattern(p: str) -> str:
        # Arabic: "الأمم" and "للأمم" (to the …) both hold "لأمم": the article's alif is left out
        return "|".join(a[1:] if lang == "ar" and a.startswith("ال") else a for a in p.split("|"))
    return [(re.compile(left + "(?:" + pattern(patterns[k]) + ")"), "^=" + concept)
            for concept, patterns in LEXICON.items()]


def lexicon_anchors(text: str, lang: str) -> set[str]:
    low = text.lower().replace("ё", "е")
    return {token for pattern, token in _lexicon(lang) if pattern.search(low)}


def _month_word(word: str, lang: str) -> bool:
    return any(True for _ in find_months(word, lang))


@functools.lru_cache(maxsize=131072)
def _any_cognate(word: str) -> str | None:
    latin = word.translate(_TRANSLIT)
    return _cognate_key(latin) if latin.isascii() else None


def any_cognates(text: str, lang: str) -> set[str]:
    """International words keep their stem across Latin and Cyrillic: programme/programa/программа."""
    if not COGNATES or _script_of(lang) not in ("latin", "cyrillic"):
        return set()
    return {k for k in (_any_cognate(w) for w in _WORD_LONG.findall(text.lower().replace("ё", "е"))) if k}


def generic_anchors(text: str) -> set[str]:
    """Kept for callers of the old name: anchors of a Latin-script text in an unknown language."""
    return any_anchors(text, "")


EXTRACTORS = {"ru": russian_anchors, "en": english_anchors}


@functools.lru_cache(maxsize=262144)
def _slot(token: str) -> int:
    return zlib.crc32(token.encode()) % DIM


def anchor_vectors(sets: list[set[str]]) -> np.ndarray:
    rows = [row for row, tokens in enumerate(sets) for _ in tokens]
    cols = [_slot(tok) for tokens in sets for tok in tokens]
    out = np.zeros((len(sets), DIM), dtype=np.float32)
    out[rows, cols] = 1.0
    return out


@register
class AnchorSignal(Signal):
    name = "anchors"
    order = 20
    weight = 1.0
    help = "numbers, dates, names and symbols both sides share"

    @classmethod
    def build(cls, context) -> "AnchorSignal":
        return cls(context.src_lang, context.tgt_lang)

    def __init__(self, src_lang: str = "ru", tgt_lang: str = "en"):
        self.src_lang, self.tgt_lang = src_lang[:2].lower(), tgt_lang[:2].lower()

    def coarse(self, src, tgt, src_blocks, tgt_blocks) -> "AnchorSignal":
        # A block's anchors are its sentences' anchors: reuse them rather than extract again from joined text.
        return _BlockAnchors(_block_max(self.x, src_blocks), _block_max(self.y, tgt_blocks),
                             _block_max(self.xc, src_blocks), _block_max(self.yc, tgt_blocks))

    def prepare(self, src: list[Sentence], tgt: list[Sentence]) -> None:
        pair_known = {self.src_lang, self.tgt_lang} == {"ru", "en"}
        if pair_known:
            # Russian–English: the tuned extractors, with their tables of acronyms, places and phrases
            fs, ft = EXTRACTORS[self.src_lang], EXTRACTORS[self.tgt_lang]
            src_sets = [fs(s.text) for s in src]
            tgt_sets = [ft(s.text) for s in tgt]
            if COGNATES:
                cs = _cognates_ru if self.src_lang == "ru" else _cognates_en
                ct = _cognates_ru if self.tgt_lang == "ru" else _cognates_en
                src_sets = [t | cs(s.text.lower()) for t, s in zip(src_sets, src)]
                tgt_sets = [t | ct(s.text.lower()) for t, s in zip(tgt_sets, tgt)]
        else:
            both_latin = _script_of(self.src_lang) == _script_of(self.tgt_lang) == "latin"
            src_sets = [any_anchors(s.text, self.src_lang, both_latin) | any_cognates(s.text, self.src_lang)
                        | lexicon_anchors(s.text, self.src_lang) for s in src]
            tgt_sets = [any_anchors(s.text, self.tgt_lang, both_latin) | any_cognates(s.text, self.tgt_lang)
                        | lexicon_anchors(s.text, self.tgt_lang) for s in tgt]
        # Numbers, dates, acronyms and punctuation are hard evidence both ways; name keys and cognates are soft:
        # a match says a lot, a miss little (capitalised common nouns, words with no cognate).
        self.x = anchor_vectors([{t for t in ts if t[0] not in _SOFT} for ts in src_sets])
        self.y = anchor_vectors([{t for t in ts if t[0] not in _SOFT} for ts in tgt_sets])
        self.xc = anchor_vectors([{t for t in ts if t[0] in _SOFT} for ts in src_sets])
        self.yc = anchor_vectors([{t for t in ts if t[0] in _SOFT} for ts in tgt_sets])
        self.cx = self.x.sum(axis=1)
        self.cy = self.y.sum(axis=1)
        self._band = None

    def score(self, band: Band, a: int, b: int) -> np.ndarray:
        if self._band is not band:
            self._band = band
            self._pair = band.pair_dots(self.x, self.y)
        matched = band.bead_sum(self._pair, a, b)
        total = band.row_run(self.cx, a)[:, None] + band.col_run(self.cy, b)
        unmatched = np.maximum(total - 2 * matched, 0.0)
        gain = (2 * matched - unmatched) / (total + 1.0)
        if self.xc is not None:
            if getattr(self, "_cband", None) is not band:
                self._cband = band
                self._cpair = band.pair_dots(self.xc, self.yc)
                self._cx = self.xc.sum(axis=1)
                self._cy = self.yc.sum(axis=1)
            cm = band.bead_sum(self._cpair, a, b)
            ct = band.row_run(self._cx, a)[:, None] + band.col_run(self._cy, b)
            gain = gain + COGNATE_WEIGHT * (2 * cm / (ct + 2.0) - COGNATE_BASE)
        return gain.astype(np.float32)


def _block_max(vectors: np.ndarray, blocks: list[range]) -> np.ndarray:
    return np.stack([vectors[block.start:block.stop].max(axis=0) for block in blocks])


class _BlockAnchors(AnchorSignal):
    def __init__(self, x: np.ndarray, y: np.ndarray, xc: np.ndarray, yc: np.ndarray):
        super().__init__()
        self._given = (x, y, xc, yc)

    def prepare(self, src: list[Sentence], tgt: list[Sentence]) -> None:
        self.x, self.y, self.xc, self.yc = self._given
        self.cx = self.x.sum(axis=1)
        self.cy = self.y.sum(axis=1)
        self._band = None
