"""Beyond Russian–English: numbers and months in seven languages, language refusal, anchors across scripts, and
the MT route (a direct package, or a pivot through English). Fixtures are written here; nothing reads ../shared."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner.align.signals.anchors import AnchorSignal, any_anchors, english_anchors, russian_anchors
from aligner.numbers import chinese_numerals, find_months, number_tokens, parse_number
from aligner.read.language import detect_language

# --- numbers: one normal form whatever the script or separator ---------------------------------------------------

SAME_VALUE = [   # (text, lang, canonical value), each checked by hand
    ("15 000", "ru", "15000"), ("15 000", "fr", "15000"), ("15,000", "en", "15000"), ("15,000", "ru", "15000"),
    ("15.000", "es", "15000"), ("15.000", "de", "15000"), ("١٥٬٠٠٠", "ar", "15000"), ("１５,０００", "zh", "15000"),
    ("1,5", "ru", "1.5"), ("1.5", "en", "1.5"), ("١٫٥", "ar", "1.5"), ("0.125", "en", "0.125"),
    ("1.234.567", "de", "1234567"), ("1,234,567", "en", "1234567"), ("1,234.5", "en", "1234.5"),
    ("1.234,5", "fr", "1234.5"), ("2 млн", "ru", "2000000"), ("2 millones", "es", "2000000"),
    ("2 millions", "fr", "2000000"), ("2 Millionen", "de", "2000000"), ("2 مليون", "ar", "2000000"),
    ("两万", "zh", "20000"), ("一万五千", "zh", "15000"),
]


@pytest.mark.parametrize("text, lang, value", SAME_VALUE)
def test_figures_normalise_the_same_in_every_language(text, lang, value):
    assert number_tokens(text, lang) == {value}


@pytest.mark.parametrize("raw, value", [("15 000", "15000"), ("15,000", "15000"), ("15.000", "15000"),
                                        ("3,25", "3.25"), ("1.2.3", None)])
def test_parse_number(raw, value):
    parsed = parse_number(raw)
    assert (None if parsed is None else format(parsed.normalize(), "f")) == value


DATES = [   # the same date in seven languages: day 15, December, 2023
    ("15 декабря 2023 г.", "ru"), ("December 15, 2023", "en"), ("15 December 2023", "en"),
    ("le 15 décembre 2023", "fr"), ("el 15 de diciembre de 2023", "es"), ("am 15. Dezember 2023", "de"),
    ("في 15 كانون الأول/ديسمبر 2023", "ar"), ("٢٠٢٣ ديسمبر ١٥", "ar"), ("2023年12月15日", "zh"),
    ("二〇二三年十二月十五日", "zh"), ("15.12.2023", "fr"),
]


@pytest.mark.parametrize("text, lang", DATES)
def test_dates_normalise_the_same(text, lang):
    assert number_tokens(text, lang) == {"15", "M12", "2023"}


@pytest.mark.parametrize("text, lang, months", [
    ("en mayo y junio", "es", [5, 6]), ("en mars", "fr", [3]), ("im März", "de", [3]), ("you may go", "en", []),
    ("May and Dec. 1", "en", [5, 12]), ("в мае и декабре", "ru", [5, 12]), ("маяк", "ru", []),
    ("十一月和一月", "zh", [11, 1]), ("شباط/فبراير", "ar", [2, 2]),
])
def test_months(text, lang, months):
    assert [n for _, _, n in find_months(text, lang)] == months


def test_chinese_numerals():
    assert chinese_numerals("二〇一五年") == "2015年"
    assert chinese_numerals("三十一日") == "31日"
    assert chinese_numerals("一百五十名") == "150名"
    assert chinese_numerals("统一") == "统一"      # "unify": not a number
    assert chinese_numerals("一些") == "一些"      # "some"


# --- language identification and refusal ------------------------------------------------------------------------

SAMPLES = {
    "en": "The Security Council met on Tuesday to discuss the situation in the region and adopted a resolution.",
    "fr": "Le Conseil de sécurité s'est réuni mardi pour examiner la situation dans la région et a adopté une "
          "résolution.",
    "es": "El Consejo de Seguridad se reunió el martes para examinar la situación en la región y aprobó una "
          "resolución.",
    "de": "Der Sicherheitsrat trat am Dienstag zusammen, um die Lage in der Region zu erörtern, und nahm eine "
          "Resolution an.",
    "ru": "Совет Безопасности собрался во вторник, чтобы обсудить положение в регионе, и принял резолюцию.",
    "ar": "اجتمع مجلس الأمن يوم الثلاثاء لمناقشة الحالة في المنطقة واتخذ قرارا.",
    "zh": "安全理事会星期二举行会议，讨论该区域局势，并通过了一项决议。",
}


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_detect_language_names_each_language(lang):
    assert detect_language(SAMPLES[lang]) == lang
    assert detect_language(SAMPLES[lang], expected=lang) == lang


LATIN = ("en", "fr", "es", "de")


@pytest.mark.parametrize("lang", LATIN)
def test_plain_text_of_the_expected_language_is_confirmed_without_the_model(lang, monkeypatch):
    import aligner.read.language as language

    def no_model(text):
        raise AssertionError("the language model was loaded for a plainly expected text")

    monkeypatch.setattr(language, "_classify", no_model)
    assert detect_language(SAMPLES[lang], expected=lang) == lang


@pytest.mark.parametrize("lang, expected", [(a, b) for a in LATIN for b in LATIN if a != b])
def test_another_latin_language_goes_to_the_model_and_is_named(lang, expected, monkeypatch):
    import aligner.read.language as language

    asked = []
    real = language._classify
    monkeypatch.setattr(language, "_classify", lambda text: asked.append(text) or real(text))
    assert detect_language(SAMPLES[lang], expected=expected) == lang
    assert asked, "a text in another language was confirmed by its common words"


def test_detect_language_unsure_cases():
    assert detect_language("2545-15-12-2023 — 15.12") is None        # no letters
    assert detect_language("Россия и NATO: half English, half русский текст here") is None   # mixed scripts


def _run(*args):
    from aligner.cli import main
    return CliRunner().invoke(main, [str(a) for a in args], env={"SOURCE_DATE_EPOCH": "1700000000"})


def _write(folder: Path, name: str, lang: str, repeat: int = 3) -> Path:
    path = folder / name
    path.write_text("\n\n".join([SAMPLES[lang]] * repeat) + "\n", encoding="utf-8")
    return path


FAST = ("--signals", "length,anchors", "--mt", "none", "--no-fill")


def test_french_given_as_english_is_refused(tmp_path):
    ru, fr = _write(tmp_path, "a.ru.txt", "ru"), _write(tmp_path, "a.fr.txt", "fr")
    out = tmp_path / "o.tmx"
    result = _run("align", ru, fr, "-o", out, "--src-lang", "ru", "--tgt-lang", "en", *FAST)
    assert result.exit_code == 5
    assert "expected English text but it looks French" in result.stderr and str(fr) in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("src, tgt", [("ru", "fr"), ("en", "es"), ("ar", "zh"), ("de", "fr"), ("zh", "ru")])
def test_any_pair_aligns_and_tags_tmx(tmp_path, src, tgt):
    a, b = _write(tmp_path, f"a.{src}.txt", src), _write(tmp_path, f"a.{tgt}.txt", tgt)
    out = tmp_path / "o.tmx"
    result = _run("align", a, b, "-o", out, "--src-lang", src, "--tgt-lang", tgt, *FAST)
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.count("<tu>") + text.count("<tu ") == 3
    regions = {"ar": "ar-SA", "de": "de-DE", "en": "en-GB", "es": "es-ES", "fr": "fr-FR", "ru": "ru-RU", "zh": "zh-CN"}
    assert f'xml:lang="{regions[src]}"' in text and f'xml:lang="{regions[tgt]}"' in text


@pytest.mark.parametrize("given, tag", [("fr", "fr-FR"), ("EN_us", "en-US"), ("zh-hans-cn", "zh-Hans-CN"),
                                        ("ru-RU", "ru-RU"), ("ar", "ar-SA"), ("de-ch", "de-CH")])
def test_language_tags(given, tag):
    from aligner.read.language import language_tag
    assert language_tag(given) == tag


def test_wrong_language_on_either_side_and_swaps(tmp_path):
    es, de = _write(tmp_path, "a.es.txt", "es"), _write(tmp_path, "a.de.txt", "de")
    out = tmp_path / "o.tmx"
    result = _run("align", es, de, "-o", out, "--src-lang", "es", "--tgt-lang", "fr", *FAST)
    assert result.exit_code == 5 and "expected French text but it looks German" in result.stderr
    result = _run("align", de, es, "-o", out, "--src-lang", "es", "--tgt-lang", "de", *FAST)
    assert result.exit_code == 5 and "swapped" in result.stderr and "give the Spanish file first" in result.stderr


# --- anchors across scripts -----------------------------------------------------------------------------------

SAME_ANCHORS = [   # (text, lang): every one carries the figure 15000, the date 15 December 2023, and A/RES/70/1
    ("15 декабря 2023 г. собрались 15 000 человек (A/RES/70/1).", "ru"),
    ("On 15 December 2023, 15,000 people gathered (A/RES/70/1).", "en"),
    ("Le 15 décembre 2023, 15 000 personnes se sont réunies (A/RES/70/1).", "fr"),
    ("El 15 de diciembre de 2023 se reunieron 15.000 personas (A/RES/70/1).", "es"),
    ("Am 15. Dezember 2023 versammelten sich 15.000 Menschen (A/RES/70/1).", "de"),
    ("في ١٥ كانون الأول/ديسمبر ٢٠٢٣، تجمع ١٥٬٠٠٠ شخص (A/RES/70/1).", "ar"),
    ("2023年12月15日，一万五千人聚集（A/RES/70/1）。", "zh"),
]
HARD = {"#15", "#2023", "#15000", "@m12", "$a/res/70/1"}


@pytest.mark.parametrize("text, lang", SAME_ANCHORS)
def test_anchors_agree_across_scripts(text, lang):
    if lang == "ru":
        tokens = russian_anchors(text)
    elif lang == "en":
        tokens = english_anchors(text)
    else:
        tokens = any_anchors(text, lang)
    assert HARD <= tokens
    assert not any(t.startswith("#") and t not in HARD | {"#1", "#70"} for t in tokens), tokens


def test_chinese_small_counts_and_ordinals_are_not_figures():
    # "the sixty-ninth session", "three countries" are words in Russian and English: no figure to match there
    tokens = any_anchors("第六十九届会议审议了三个国家的报告。", "zh")
    assert not any(t.startswith("#") for t in tokens), tokens
    assert "#150" in any_anchors("一百五十名代表出席。", "zh")      # a hundred or more: written in figures elsewhere


@pytest.mark.parametrize("text, lang", [
    ("Совет Безопасности Организации Объединенных Наций принял резолюцию о детях.", "ru"),
    ("联合国安全理事会通过了关于儿童的决议。", "zh"),
    ("اتخذ مجلس الأمن التابع للأمم المتحدة قرارا بشأن الأطفال.", "ar"),
    ("Le Conseil de sécurité de l'Organisation des Nations Unies a adopté une résolution sur les enfants.", "fr"),
])
def test_lexicon_names_the_same_things_across_scripts(text, lang):
    from aligner.align.signals.anchors import lexicon_anchors
    assert {"^=un", "^=council", "^=security", "^=resolution", "^=children"} <= lexicon_anchors(text, lang)


def test_mfa_number_is_one_anchor():
    assert "$2545-15-12-2023" in english_anchors("Document No. 2545-15-12-2023")
    assert "$2545-15-12-2023" in any_anchors("Document n° 2545-15-12-2023", "fr")


def test_names_match_between_latin_and_cyrillic():
    ru = any_anchors("Встречу провёл министр Лавров в Женеве.", "ru", latin_hard=False)
    fr = any_anchors("La réunion a été menée par le ministre Lavrov à Genève.", "fr", latin_hard=False)
    assert "~lavr" in ru & fr


def _sentences(texts):
    from aligner.model import Sentence
    return [Sentence(t, i, 0) for i, t in enumerate(texts)]


def test_anchor_signal_prefers_the_right_partner_across_scripts():
    """A 1-1 bead whose figures and date agree scores above one whose figures differ (ru-zh, no shared script)."""
    from aligner.align.band import Band

    src = _sentences(["15 декабря 2023 г. собрались 15 000 человек.", "В 2019 году было 300 участников."])
    tgt = _sentences(["2023年12月15日，一万五千人聚集。", "2019年有300名参与者。"])
    signal = AnchorSignal("ru", "zh")
    signal.prepare(src, tgt)
    band = Band.full(len(src), len(tgt)) if hasattr(Band, "full") else None
    if band is None:
        pytest.skip("no full band constructor")
    scores = signal.score(band, 1, 1)
    assert scores[1, 1] > scores[1, 2] and scores[2, 2] > scores[2, 1]


# --- MT: a direct package, or a pivot through English ------------------------------------------------------------

@pytest.fixture
def argos_home(monkeypatch, tmp_path):
    from argos_fixture import isolate_packages

    isolate_packages(monkeypatch, tmp_path, mt_threads=None)
    return tmp_path / "packages"


def _install(archive: Path, packages: Path) -> None:
    """Unpack as argostranslate itself installs a package: its folder under the packages directory."""
    packages.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive) as z:
        z.extractall(packages)


@pytest.fixture(scope="module")
def tiny_pairs(tmp_path_factory):
    from argos_fixture import build_tiny_package

    folder = tmp_path_factory.mktemp("argos-pairs")
    return {
        ("fr", "en"): build_tiny_package(folder, output="Peace and cooperation.", from_code="fr", to_code="en"),
        ("en", "es"): build_tiny_package(folder, output="Paz y cooperación.", from_code="en", to_code="es"),
        ("fr", "es"): build_tiny_package(folder, output="Paz directa.", from_code="fr", to_code="es"),
    }


def test_pivot_through_english_when_no_direct_package(argos_home, tiny_pairs):
    from aligner.mt import PivotTranslator, find_route, load_translator

    _install(tiny_pairs[("fr", "en")], argos_home)
    assert find_route("fr", "es", argos_home) is None          # en→es missing: no route
    assert load_translator(src_lang="fr", tgt_lang="es") is None
    _install(tiny_pairs[("en", "es")], argos_home)
    route = find_route("fr-FR", "es-ES", argos_home)
    assert [(p.from_code, p.to_code) for p in route] == [("fr", "en"), ("en", "es")]
    translator = load_translator(threads=1, src_lang="fr-FR", tgt_lang="es-ES")
    assert isinstance(translator, PivotTranslator)
    assert translator.translate(["Paix et coopération."]) == ["Paz y cooperación."]
    assert "pivot" in translator.engine


def test_a_direct_package_wins_over_a_pivot(argos_home, tiny_pairs):
    from aligner.mt import find_route, load_translator

    for pair in tiny_pairs.values():
        _install(pair, argos_home)
    assert [(p.from_code, p.to_code) for p in find_route("fr", "es", argos_home)] == [("fr", "es")]
    assert load_translator(threads=1, src_lang="fr", tgt_lang="es").translate(["Paix."]) == ["Paz directa."]


def test_no_route_required_names_the_pair(argos_home):
    from aligner.errors import ModelError
    from aligner.mt import load_translator

    with pytest.raises(ModelError, match="no fr→es translation model installed"):
        load_translator(required=True, src_lang="fr", tgt_lang="es")


def test_split_command_in_chinese_and_arabic(tmp_path):
    zh = tmp_path / "a.zh.txt"
    zh.write_text("安全理事会星期二举行会议。会议讨论了该区域局势。\n", encoding="utf-8")
    result = _run("split", zh, "--lang", "zh")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == ["安全理事会星期二举行会议。", "会议讨论了该区域局势。"]
    ar = tmp_path / "a.ar.txt"
    ar.write_text("هل ستشارك الحكومة؟ نعم، ستشارك.\n", encoding="utf-8")
    result = _run("split", ar, "--lang", "ar")
    assert result.stdout.strip().splitlines() == ["هل ستشارك الحكومة؟", "نعم، ستشارك."]


def test_split_command_keeps_an_abbreviated_month_with_its_day(tmp_path):
    """Issue 12: "…on Dec. 15. He met…" was cut after "Dec."."""
    en = tmp_path / "a.en.txt"
    en.write_text("The minister arrived in Minsk on Dec. 15. He met his counterpart the same day.\n", encoding="utf-8")
    result = _run("split", en, "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().splitlines() == ["The minister arrived in Minsk on Dec. 15.",
                                                  "He met his counterpart the same day."]
