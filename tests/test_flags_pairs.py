"""The `numbers` QA flag beyond Russian–English (issue 15): figures in every script and grouping, dates, multipliers
and Chinese numerals, compared through aligner.numbers for any pair of the seven languages. Every expected value
below was worked out by hand (the comment says how)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from aligner.cli import main
from aligner.model import Alignment, Bead, Document, Sentence
from aligner.quality.flags import flag_alignment, flag_bead, numbers_differ

SAME = [   # (src, tgt, src_lang, tgt_lang): the same figures, written each language's way
    # 一万五千 = 1×10⁴ + 5×10³ = 15 000
    ("Plus de 15 000 personnes ont participé.", "超过一万五千人参加了会议。", "fr", "zh"),
    ("Plus de 15 000 personnes ont participé.", "超过15,000人参加了会议。", "fr", "zh"),
    ("Plus de 15 000 personnes ont participé.", "超过1.5万人参加了会议。", "fr", "zh"),       # 1.5 × 10⁴
    ("La réunion a eu lieu le 15 décembre 2023.", "会议于2023年12月15日举行。", "fr", "zh"),
    ("La réunion a eu lieu le 15 décembre 2023.", "会议于二〇二三年十二月十五日举行。", "fr", "zh"),
    ("2 millions de dollars", "200万美元", "fr", "zh"),                                    # 200 × 10⁴
    # small counts and ordinals in Chinese numerals are words, as French spells them out
    ("Trois pays ont voté contre.", "三个国家投了反对票。", "fr", "zh"),
    ("3 pays ont voté contre.", "三个国家投了反对票。", "fr", "zh"),
    ("la soixante-neuvième session", "第六十九届会议", "fr", "zh"),
    ("la 69e session", "第六十九届会议", "fr", "zh"),
    # Arabic-Indic digits with the Arabic thousands mark ٬ (U+066C) and decimal mark ٫ (U+066B)
    ("Il y a 15 000 habitants.", "يوجد ١٥٬٠٠٠ نسمة.", "fr", "ar"),
    ("Le taux est de 1,5 %.", "المعدل ١٫٥ في المائة.", "fr", "ar"),
    ("Es gibt 15.000 Einwohner.", "Hay 15 000 habitantes.", "de", "es"),                  # German full stop groups
    ("1,5 Millionen Euro", "1,5 millones de euros", "de", "es"),
    ("am 15. Dezember 2023", "el 15 de diciembre de 2023", "de", "es"),
    ("Il y a 15 000 habitants.", "There are 15,000 inhabitants.", "fr", "en"),
    ("Более 15 000 человек.", "超过1.5万人。", "ru", "zh"),
    ("Objectif : 350 000", "目标值：35万次", "fr", "zh"),                                    # 35 × 10⁴
    ("27 753 cas suspects", "27 753个疑似病例", "fr", "zh"),                                 # UN Chinese groups with spaces
    ("Des millions de femmes.", "数百万妇女。", "fr", "zh"),                                  # 数百万 "millions": a word
    ("Des millions de victimes.", "千百万人民。", "fr", "zh"),                               # 千百万: an idiom, no figure
    ("le dimanche 15 février 2015, à 17 heures", "2015年2月15日星期天下午5时", "fr", "zh"),      # 下午 5 = 17 h
    ("à 15 h 30", "下午三时三十分", "fr", "zh"),
    ("à 10 h 30", "上午10时30分", "fr", "zh"),
    # Arabic numbers in words, with article and proclitics: 5, 60th, 18, 13
    ("une durée de 5 minutes", "مدة خمس دقائق", "fr", "ar"),
    ("sa 60e session", "في الدورة الستين", "fr", "ar"),
    ("avant l'âge de 18 ans", "قبل بلوغهن سن الثامنة عشرة", "fr", "ar"),
    ("les 13 listes rouges", "القوائم الحمراء الثلاث عشرة", "fr", "ar"),
    ("environ 1 million de personnes", "نحو مليون شخص", "fr", "ar"),
    ("51. Au Panama, le projet est terminé.", "٥١- وفي بنما، اختتم المشروع.", "fr", "ar"),   # paragraph numbers
    # French and Spanish tens and teens in words
    ("sa soixantième session", "第60届会议", "fr", "zh"),
    ("quince países", "15 pays", "es", "fr"),
]

DIFFERENT = [
    ("Plus de 15 000 personnes ont participé.", "超过一万六千人参加了会议。", "fr", "zh"),      # 16 000
    ("Plus de 15 000 personnes ont participé.", "超过1,500人参加了会议。", "fr", "zh"),         # 1 500
    ("La réunion a eu lieu le 15 décembre 2023.", "会议于2023年11月15日举行。", "fr", "zh"),    # November
    ("la 70e session", "第六十九届会议", "fr", "zh"),                                           # 69th
    ("Il y a 15 000 habitants.", "يوجد ١٦٬٠٠٠ نسمة.", "fr", "ar"),                             # 16 000
    ("1,5 Millionen Euro", "15 millones de euros", "de", "es"),                                 # 1.5 vs 15 million
    ("2 millions de dollars", "3 millones de dólares", "fr", "es"),
    ("am 15. Dezember 2023", "el 15 de noviembre de 2023", "de", "es"),
    ("Objectif : 360 000", "目标值：35万次", "fr", "zh"),
    ("le dimanche 15 février 2015, à 16 heures", "2015年2月15日星期天下午5时", "fr", "zh"),    # 17 h
    ("une durée de 6 minutes", "مدة خمس دقائق", "fr", "ar"),
]


@pytest.mark.parametrize("src, tgt, src_lang, tgt_lang", SAME)
def test_the_same_figures_in_other_pairs_are_not_flagged(src, tgt, src_lang, tgt_lang):
    assert not numbers_differ(src, tgt, src_lang, tgt_lang)
    assert not numbers_differ(tgt, src, tgt_lang, src_lang)       # either direction


@pytest.mark.parametrize("src, tgt, src_lang, tgt_lang", DIFFERENT)
def test_different_figures_in_other_pairs_are_flagged(src, tgt, src_lang, tgt_lang):
    assert numbers_differ(src, tgt, src_lang, tgt_lang)
    assert numbers_differ(tgt, src, tgt_lang, src_lang)


def test_the_languages_decide_how_figures_are_read():
    # Read as English, "一万五千" holds no figure, so 15 000 looks missing; read as Chinese it is 15 000.
    assert numbers_differ("15 000 personnes.", "一万五千人。")
    assert not numbers_differ("15 000 personnes.", "一万五千人。", "fr", "zh")
    # Tags work as codes.
    assert not numbers_differ("15 000 personnes.", "一万五千人。", "fr-FR", "zh-CN")


def doc(path: str, texts: list[str], lang: str | None) -> Document:
    return Document(path=path, sentences=[Sentence(t, i, 0) for i, t in enumerate(texts)], lang=lang)


# Headings (no sentence end, at most 80 characters): never length-flagged, so only `numbers` can differ.
FR_SIDE = ["Séance du 15 décembre 2023", "Budget de 15 000 euros", "Budget de 2 millions de dollars"]
ZH_SIDE = ["2023年12月15日会议", "一万六千欧元预算", "200万美元预算"]


def test_flag_alignment_reads_the_documents_languages():
    beads = [Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.9), Bead((2,), (2,), 0.9)]
    fr_zh = Alignment(src=doc("a.fr", FR_SIDE, "fr"), tgt=doc("a.zh", ZH_SIDE, "zh"), beads=beads, name="a")
    # date equal; 15 000 against 一万六千 = 16 000; 2 000 000 against 200 × 10⁴ = 2 000 000
    assert [b.flags for b in flag_alignment(fr_zh).beads] == [(), ("numbers",), ()]

    unknown = Alignment(src=doc("a.fr", FR_SIDE, None), tgt=doc("a.zh", ZH_SIDE, None), beads=beads, name="a")
    # Documents without a language are Russian and English, as before: "décembre" is then no month (the Chinese
    # date still gives M12), and 一万六千 and 万 are no figures.
    assert [b.flags for b in flag_alignment(unknown).beads] == [("numbers",), ("numbers",), ("numbers",)]
    # Languages given by the caller win.
    assert [b.flags for b in flag_alignment(unknown, "fr", "zh").beads] == [(), ("numbers",), ()]


def test_flag_bead_on_a_gap_filled_fr_zh_bead():
    # 29 characters against 8 wide ones (32 units): 32 / 29 / 0.981 = 1.12, no length flag
    fr = "15 000 personnes sont venues."
    mt = Bead((4,), (), 0.0, mt="一万六千人来了。", mt_engine="argos")
    assert flag_bead(fr, "一万六千人来了。", mt, "fr", "zh") == ("untranslated", "mt", "numbers")
    mt = Bead((4,), (), 0.0, mt="一万五千人来了。", mt_engine="argos")
    assert flag_bead(fr, "一万五千人来了。", mt, "fr", "zh") == ("untranslated", "mt")


def test_align_fr_zh_flags_the_wrong_figure(tmp_path, monkeypatch):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    fr, zh = tmp_path / "a.fr.txt", tmp_path / "a.zh.txt"
    # The second pair shares its date and the lexicon's Security Council, and differs in one figure: 15 000
    # against 一万六千 = 16 000.
    fr.write_text("Le Conseil de sécurité s’est réuni le 15 décembre 2023 à New York.\n\n"
                  "Le 18 décembre 2023, le Conseil de sécurité a entendu 15 000 témoignages.\n", encoding="utf-8")
    zh.write_text("安全理事会于2023年12月15日在纽约举行会议。\n\n2023年12月18日，安全理事会听取了一万六千份证词。\n",
                  encoding="utf-8")
    out = tmp_path / "a.tsv"
    result = CliRunner().invoke(main, ["align", str(fr), str(zh), "--src-lang", "fr", "--tgt-lang", "zh",
                                       "--signals", "length,anchors", "--no-fill", "-o", str(out)])
    assert result.exit_code == 0, result.output
    header, *rows = out.read_text(encoding="utf-8").splitlines()
    col = {name: k for k, name in enumerate(header.split("\t"))}
    cells = [row.split("\t") for row in rows]
    assert [(c[col["src_ids"]], c[col["tgt_ids"]]) for c in cells] == [("0", "0"), ("1", "1")]
    assert ["numbers" in c[col["flags"]].split(",") for c in cells] == [False, True]


def test_chinese_units_after_a_figure_and_idioms_are_not_numerals():
    from aligner.numbers import chinese_numerals, number_tokens

    assert chinese_numerals("35万次") == "35万次"            # was "350次": 万 alone read as 0
    assert number_tokens("35万次", "zh") == {"350000"}
    assert chinese_numerals("千百万人民") == "千百万人民"     # "millions of people", not 11 000 000
    assert chinese_numerals("一千五百二十名") == "1520名"


# --- length: other pairs around their own expected ratio ---------------------------------------------------------

FR_96 = "Le Conseil de sécurité a examiné la situation au Moyen-Orient et la question palestinienne hier."


def test_length_flags_in_french_chinese_use_chinese_units():
    from aligner.quality.flags import length_flags

    assert len(FR_96) == 96
    zh_29 = "安全理事会昨天审议了中东局势，包括巴勒斯坦问题和其他事项。"     # 29 wide characters: 116 units
    assert len(zh_29) == 29
    # expected zh/fr ratio 1.095 / 1.116 = 0.981 (DENSITY); 116 / 96 / 0.981 = 1.23, inside 0.67-1.37
    assert length_flags(FR_96, zh_29, "fr", "zh") == ()
    # Read as English/Russian, 29 characters against 96 is 0.30: "partial", as every Chinese sentence was.
    assert length_flags(FR_96, zh_29) == ("length-ratio", "partial")
    # 11 wide characters, 44 units: 44 / 96 / 0.981 = 0.47 < 0.5, source 96 >= 60: partial
    assert length_flags(FR_96, "安全理事会审议了局势。", "fr", "zh") == ("length-ratio", "partial")
    # 15 wide characters, 60 units: 0.64 < 0.67 but >= 0.5: length-ratio only
    assert length_flags(FR_96, "安全理事会审议了中东局势问题。", "fr", "zh") == ("length-ratio",)


def test_russian_english_length_flags_are_unchanged_by_the_languages():
    from aligner.quality.flags import length_flags

    ru = "Россия поддерживает укрепление сотрудничества в рамках Организации Объединённых Наций."
    for en in ("Russia supports the UN.", "Russia supports stronger cooperation within the United Nations.",
               "Russia supports stronger cooperation within the United Nations, as it always has, and will."):
        assert length_flags(ru, en, "ru", "en") == length_flags(ru, en) == length_flags(ru, en, "ru-RU", "en-GB")
