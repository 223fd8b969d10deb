"""Scores (sacrebleu, checked against WMT22's official values), evaluate-mt, and the per-bead QA flags."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner.cli import main
from aligner.model import Alignment, Bead, Document, Sentence
from aligner.quality.flags import (LENGTH_RATIO_RANGE, LOW_CONFIDENCE, PARTIAL_RATIO, flag_alignment, flag_bead,
                                   length_flags, numbers_differ)
from aligner.quality.numbers import number_tokens
from aligner.quality.wmt import read_official_scores, read_wmt_xml

from datapaths import SHARED, WMT as WMT_EXCERPT, needs_shared

WMT = SHARED / "data" / "wmt22-ruen"      # the whole test set: benchmark-level checks only (needs_shared)
UN = SHARED / "data" / "un-devset"


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def write_lines(path: Path, lines) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


# --- aligner score: WMT22 regression ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def wmt_excerpt():
    return read_wmt_xml(str(WMT_EXCERPT / "wmttest2022.ru-en.excerpt.xml"))


def test_wmt_reader_gives_parallel_segments_of_the_excerpt(wmt_excerpt):
    # 4 documents of 5 + 4 + 5 + 12 segments (counted in the file), one reference, ten systems
    assert len(wmt_excerpt.src) == 26
    assert wmt_excerpt.src[0].startswith("С моей точки зрения, программа по литературе")
    assert list(wmt_excerpt.refs) == ["A"]
    assert len(wmt_excerpt.hyps) == 10
    assert all(len(lines) == 26 for lines in list(wmt_excerpt.refs.values()) + list(wmt_excerpt.hyps.values()))
    plain = (WMT_EXCERPT / "generaltest2022.ru-en.ref.A.excerpt.en").read_text(encoding="utf-8").splitlines()
    assert plain == wmt_excerpt.refs["A"]


def test_score_matches_sacrebleus_own_figures_on_the_wmt22_excerpt(wmt_excerpt, tmp_path):
    """The regression anchor a fresh clone carries: sacrebleu's command line on the excerpt (tests/fixtures/wmt22)."""
    expected = {}
    for line in (WMT_EXCERPT / "expected-scores.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            system, bleu, chrf = line.split("\t")
            expected[system] = (float(bleu), float(chrf))
    assert sorted(expected) == sorted(wmt_excerpt.hyps)
    ref = write_lines(tmp_path / "ref.A.en", wmt_excerpt.refs["A"])
    hyp_args = []
    for system, lines in sorted(wmt_excerpt.hyps.items()):
        hyp_args += ["--hyp", write_lines(tmp_path / f"{system}.en", lines)]
    result = run("score", "--ref", ref, *hyp_args, "--metrics", "bleu,chrf")
    assert result.exit_code == 0, result.stderr
    got = {(Path(e["system"]).stem, e["name"]): e["score"] for e in json.loads(result.stdout)}
    for system, (bleu, chrf) in expected.items():
        assert got[(system, "BLEU")] == pytest.approx(bleu, abs=0.005), system
        assert got[(system, "chrF2")] == pytest.approx(chrf, abs=0.005), system


@pytest.fixture(scope="module")
def wmt():
    return read_wmt_xml(str(WMT / "wmttest2022.ru-en.all.xml"))


@needs_shared
def test_wmt_reader_gives_parallel_segments(wmt):
    assert len(wmt.src) == 2016                      # the segment count of generaltest2022 ru-en
    assert list(wmt.refs) == ["A"]
    assert len(wmt.hyps) == 10
    assert all(len(lines) == len(wmt.src) for lines in list(wmt.refs.values()) + list(wmt.hyps.values()))
    # The plain-text release of the same test set is line-parallel with the XML.
    plain = (WMT / "generaltest2022.ru-en.ref.A.en").read_text(encoding="utf-8").splitlines()
    assert plain == wmt.refs["A"]


@needs_shared
def test_score_matches_wmt22_official_bleu_and_chrf_for_every_ru_en_system(wmt, tmp_path):
    official = read_official_scores(str(WMT / "automatic-scores.tsv"), "ru-en")
    ref = write_lines(tmp_path / "ref.A.en", wmt.refs["A"])
    hyp_args = []
    for system, lines in sorted(wmt.hyps.items()):
        hyp_args += ["--hyp", write_lines(tmp_path / f"{system}.en", lines)]
    result = run("score", "--ref", ref, *hyp_args, "--metrics", "bleu,chrf")
    assert result.exit_code == 0, result.stderr
    entries = json.loads(result.stdout)
    got = {(Path(e["system"]).stem, e["name"]): e for e in entries}
    assert len(got) == 2 * len(wmt.hyps)
    for system in wmt.hyps:
        bleu, chrf = got[(system, "BLEU")], got[(system, "chrF2")]
        assert abs(bleu["score"] - official[(system, "bleu-A")]) <= 0.05, system
        assert abs(chrf["score"] - official[(system, "chrf-A")]) <= 0.05, system
        assert "tok:13a" in bleu["signature"] and "nc:6|nw:0" in chrf["signature"]


# --- aligner score: hand-worked examples ------------------------------------------------------------------------------

def test_score_single_system_has_sacrebleus_json_shape(tmp_path):
    # hyp lacks the last word: every n-gram precision is 1, brevity penalty exp(1 - 7/6); TER: 1 edit / 7 words.
    ref = write_lines(tmp_path / "ref", ["the cat sat on the mat today"])
    hyp = write_lines(tmp_path / "hyp", ["the cat sat on the mat"])
    result = run("score", "--ref", ref, "--hyp", hyp, "--width", "4")
    assert result.exit_code == 0, result.stderr
    entries = json.loads(result.stdout)
    assert [e["name"] for e in entries] == ["BLEU", "chrF2", "TER"]
    assert all({"name", "score", "signature"} <= set(e) for e in entries)
    assert "system" not in entries[0]
    assert entries[0]["score"] == pytest.approx(100 * math.exp(1 - 7 / 6), abs=1e-4)
    assert entries[2]["score"] == pytest.approx(100 / 7, abs=1e-4)
    assert entries[0]["signature"].startswith("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp")


def test_score_sentence_level_uses_effective_order_and_chrf_plus_plus(tmp_path):
    ref = write_lines(tmp_path / "ref", ["the cat sat on the mat today", "Да."])
    hyp = write_lines(tmp_path / "hyp", ["the cat sat on the mat", "Да."])
    result = run("score", "--ref", ref, "--hyp", hyp, "--sentence", "--metrics", "bleu,chrf",
                 "--chrf-word-order", "2", "--width", "4")
    assert result.exit_code == 0, result.stderr
    bleu, chrf = json.loads(result.stdout)
    # "Да ." has no 3- or 4-grams: with effective order it scores 100, not a smoothed fraction.
    assert bleu["segments"] == pytest.approx([100 * math.exp(1 - 7 / 6), 100.0], abs=1e-4)
    assert "eff:yes" in bleu["segment_signature"]
    assert chrf["name"] == "chrF2++" and "nw:2" in chrf["signature"]
    assert chrf["segments"][1] == 100.0 and chrf["segments"][0] < 100.0


def test_score_text_format_is_a_table_with_signatures(tmp_path):
    ref = write_lines(tmp_path / "ref", ["The talks were constructive."])
    hyp = write_lines(tmp_path / "hyp", ["The talks were constructive."])
    result = run("score", "--ref", ref, "--hyp", hyp, "--format", "text", "--sentence")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["system", "metric", "score", "signature"]
    assert lines[1].split()[1:3] == ["BLEU", "100.00"] and "tok:13a" in lines[1]
    assert lines[3].split()[1:3] == ["TER", "0.00"]
    assert "segment" in result.stdout


def test_score_errors_are_one_line_and_leave_no_output(tmp_path):
    ref = write_lines(tmp_path / "ref", ["one", "two"])
    hyp = write_lines(tmp_path / "hyp", ["one"])
    out = tmp_path / "scores.json"
    result = run("score", "--ref", ref, "--hyp", hyp, "-o", out)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"aligner: error: {hyp}: 1 lines, but the reference has 2: the files must be " \
                                    "line-parallel"
    assert not out.exists()
    assert run("score", "--ref", tmp_path / "missing", "--hyp", hyp).exit_code == 1
    assert run("score", "--ref", ref, "--hyp", hyp, "--metrics", "bleu,meteor").exit_code == 2
    assert run("score", "--hyp", hyp).exit_code == 2           # neither --ref nor --tmx
    (tmp_path / "bin").write_bytes(b"\x00\x01\x02")
    result = run("score", "--ref", ref, "--hyp", tmp_path / "bin")
    assert result.exit_code == 1 and "binary" in result.stderr


TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
<header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="aligner" adminlang="en"
 srclang="ru-RU" datatype="plaintext"/>
<body>
<tu><tuv xml:lang="ru-RU"><seg>Переговоры были конструктивными.</seg></tuv>
<tuv xml:lang="en-GB"><seg>The talks were constructive.</seg></tuv></tu>
<tu><prop type="x-origin">MT</prop><tuv xml:lang="ru-RU"><seg>Это было давно.</seg></tuv>
<tuv xml:lang="en-GB"><seg>It was a long time ago.</seg></tuv></tu>
<tu><tuv xml:lang="ru-RU"><seg>Спасибо.</seg></tuv>
<tuv xml:lang="en-GB"><seg>Thank you.</seg></tuv></tu>
</body>
</tmx>
"""


def test_score_tmx_scores_hyp_against_the_human_english_only(tmp_path):
    tmx = tmp_path / "aligned.tmx"
    tmx.write_text(TMX, encoding="utf-8")
    # One line per unit; the MT-filled unit's line is dropped with it (it has no human reference).
    hyp = write_lines(tmp_path / "mt.en", ["The talks were constructive.", "WRONG WRONG", "Thank you."])
    result = run("score", "--tmx", tmx, "--hyp", hyp, "--metrics", "bleu,ter")
    assert result.exit_code == 0, result.stderr
    bleu, ter = json.loads(result.stdout)
    assert bleu["score"] == 100.0 and ter["score"] == 0.0
    short = write_lines(tmp_path / "short.en", ["The talks were constructive."])
    result = run("score", "--tmx", tmx, "--hyp", short)
    assert result.exit_code == 1 and "3 translation units" in result.stderr
    (tmp_path / "bad.tmx").write_text("<tmx><body><tu>", encoding="utf-8")
    result = run("score", "--tmx", tmp_path / "bad.tmx", "--hyp", hyp)
    assert result.exit_code == 1 and "bad.tmx: not well-formed XML" in result.stderr


# --- evaluate-mt ------------------------------------------------------------------------------------------------------

class DictTranslator:
    """A stand-in ru→en model with known output, so the expected scores can be worked out by hand."""
    engine = "dict-test 1.0"

    def __init__(self, table):
        self.table, self.calls = table, []

    def translate(self, texts):
        self.calls.append(list(texts))
        return [self.table[t] for t in texts]


def test_evaluate_mt_translates_human_units_and_scores_them(tmp_path, monkeypatch):
    import aligner.cli.quality as cli_quality

    tmx = tmp_path / "aligned.tmx"
    tmx.write_text(TMX, encoding="utf-8")
    translator = DictTranslator({"Переговоры были конструктивными.": "The talks were constructive.",
                                 "Спасибо.": "Thank you."})
    monkeypatch.setattr(cli_quality, "_load_translator", lambda threads, cache, **langs: translator)
    saved = tmp_path / "mt.txt"
    result = run("evaluate-mt", tmx, "--metrics", "bleu,chrf", "--save-mt", saved)
    assert result.exit_code == 0, result.stderr
    # The MT-filled unit is not translated again nor scored.
    assert translator.calls == [["Переговоры были конструктивными.", "Спасибо."]]
    assert [e["score"] for e in json.loads(result.stdout)] == [100.0, 100.0]
    assert saved.read_text(encoding="utf-8") == "The talks were constructive.\nThank you.\n"
    assert "scored 2 units" in result.stderr and "dict-test 1.0" in result.stderr


def test_evaluate_mt_reads_what_the_tmx_writer_writes(tmp_path, monkeypatch):
    import aligner.cli.quality as cli_quality
    from aligner.write import render

    src = doc("ru.txt", ["Переговоры были конструктивными.", "Это было давно.", "Спасибо."])
    tgt = doc("en.txt", ["The talks were constructive.", "Thank you."])
    beads = [Bead((0,), (0,), 0.9), Bead((1,), (), 0.0, mt="It was long ago.", mt_engine="argos"),
             Bead((2,), (1,), 0.9)]
    tmx = tmp_path / "written.tmx"
    tmx.write_bytes(render(flag_alignment(Alignment(src=src, tgt=tgt, beads=beads, name="d")), "tmx"))
    # The model gets the first unit right and the second wrong: chrF of "Thanks." against "Thank you." is < 100.
    translator = DictTranslator({"Переговоры были конструктивными.": "The talks were constructive.",
                                 "Спасибо.": "Thanks."})
    monkeypatch.setattr(cli_quality, "_load_translator", lambda threads, cache, **langs: translator)
    result = run("evaluate-mt", tmx, "--metrics", "chrf", "--sentence")
    assert result.exit_code == 0, result.stderr
    assert translator.calls == [["Переговоры были конструктивными.", "Спасибо."]]   # the MT-filled unit is skipped
    (chrf,) = json.loads(result.stdout)
    assert chrf["segments"][0] == 100.0 and 0 < chrf["segments"][1] < 100


def test_evaluate_mt_without_a_model_fails_with_exit_4(tmp_path, monkeypatch):
    tmx = tmp_path / "aligned.tmx"
    tmx.write_text(TMX, encoding="utf-8")
    # An empty argos package folder: no ru→en model installed.
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    monkeypatch.setenv("ALIGNER_MODELS_DIR", str(tmp_path / "no-models"))
    result = run("evaluate-mt", tmx)
    assert result.exit_code == 4
    assert result.stderr.startswith("aligner: error: ") and len(result.stderr.strip().splitlines()) == 1


def test_evaluate_mt_bad_tmx_is_an_input_error(tmp_path):
    result = run("evaluate-mt", tmp_path / "nothing.tmx")
    assert result.exit_code == 1 and "nothing.tmx: cannot read" in result.stderr


# --- numbers ----------------------------------------------------------------------------------------------------------

SAME_NUMBERS = [
    ("Москва, 15 декабря 2023 г.", "Moscow, December 15, 2023"),
    ("Встреча состоялась 15 декабря 2023 года.", "The meeting took place on 15 December 2023."),
    ("Заявление от 15.12.2023", "Statement of 15 December 2023"),
    ("Рост товарооборота составил 1,5%.", "Trade grew by 1.5%."),
    ("На эти цели выделено 2 млн рублей.", "2 million roubles have been allocated for this."),
    ("Объём инвестиций превысил 1,5 млрд долларов.", "Investment exceeded $1.5bn."),
    ("В следующем году мы отметим 25-летие Союзного государства.",
     "Next year we will celebrate the 25th anniversary of the Union State."),
    ("Это вызов XXI века.", "This is a challenge of the 21st century."),
    ("В акции приняли участие более 15 000 человек.", "More than 15,000 people took part in the event."),
    ("Документ № 2545-15-12-2023", "Document No. 2545-15-12-2023"),
    ("Переговоры начнутся в 15:00.", "The talks will start at 3 pm."),
    ("Соглашение действует в течение трёх лет, до 2026 года.", "The agreement is valid for 3 years, until 2026."),
    ("Страны «Большой семерки» ввели новые санкции.", "The G7 countries imposed new sanctions."),
    ("Седьмого мая состоялись переговоры.", "Talks were held on 7 May."),
    ("2. Мы приветствуем это решение.", "We welcome this decision."),   # paragraph numbering dropped
    ("в мае 2022 года", "in May 2022"),
    ("Программа на 2023-2024 годы", "The 2023–24 programme"),
]

DIFFERENT_NUMBERS = [
    ("Москва, 15 декабря 2023 г.", "Moscow, December 16, 2023"),
    ("Москва, 15 декабря 2023 г.", "Moscow, 15 November 2023"),
    ("Мы обсудили 25 вопросов.", "We discussed 24 issues."),
    ("На эти цели выделено 2 млн рублей.", "2 billion roubles have been allocated for this."),
    ("Рост составил 1,5%.", "Growth was 15%."),
    ("В 2022 году товарооборот вырос.", "In 2023 trade grew."),
    ("Более 15 000 человек", "More than 1,500 people"),
    ("Встреча прошла 15 декабря.", "The meeting took place in December."),   # the day was dropped
]


@pytest.mark.parametrize("ru, en", SAME_NUMBERS)
def test_same_figures_written_differently_are_not_flagged(ru, en):
    assert not numbers_differ(ru, en), (number_tokens(ru, "ru"), number_tokens(en, "en"))


@pytest.mark.parametrize("ru, en", DIFFERENT_NUMBERS)
def test_different_figures_are_flagged(ru, en):
    assert numbers_differ(ru, en)


def test_number_tokens_normalise_dates_and_decimals():
    assert number_tokens("15 декабря 2023 г.", "ru") == {"15", "M12", "2023"}
    assert number_tokens("December 15, 2023", "en") == {"15", "M12", "2023"}
    assert number_tokens("1,5", "ru") == number_tokens("1.5", "en") == {"1.5"}
    assert number_tokens("1,500", "en") == {"1500"}            # an English thousands comma
    assert number_tokens("you may come in December", "en") == set()   # no figure: no month token, no "may"


# --- length -----------------------------------------------------------------------------------------------------------

RU_LONG = ("Россия последовательно выступает за укрепление многостороннего сотрудничества "
           "в рамках Организации Объединённых Наций.")   # 116 characters


def test_length_flags_on_real_looking_pairs():
    assert length_flags(RU_LONG, "Russia consistently advocates strengthening multilateral cooperation "
                                 "within the United Nations.") == ()
    # A third of the Russian: a partial translation (which is also outside the length range).
    assert length_flags(RU_LONG, "Russia supports the UN.") == ("length-ratio", "partial")
    # Much longer English: a length-ratio problem, never "partial".
    assert length_flags("Мы согласны.", "We fully agree with our Belarusian colleagues on this point.") == \
        ("length-ratio",)
    # Short Russian (under 60 characters): the ratio is low but too little text to call it partial.
    assert length_flags("Спасибо всем за сотрудничество и поддержку!", "Thanks!") == ("length-ratio",)
    # Both sides short: nothing is said.
    assert length_flags("Да.", "Yes, indeed.") == ()
    assert PARTIAL_RATIO < LENGTH_RATIO_RANGE[0] < 1 < LENGTH_RATIO_RANGE[1]


def read_pairs(ru: Path, en: Path):
    return list(zip(ru.read_text(encoding="utf-8").splitlines(), en.read_text(encoding="utf-8").splitlines()))


@needs_shared
def test_thresholds_match_real_translations():
    """Good 1-1 pairs (WMT22 ru-en and the UN dev set): the thresholds in docs/quality.md hold on them."""
    pairs = read_pairs(WMT / "generaltest2022.ru-en.src.ru", WMT / "generaltest2022.ru-en.ref.A.en")
    pairs += read_pairs(UN / "UNv1.0.devset.ru", UN / "UNv1.0.devset.en")
    assert len(pairs) == 6016
    length = sum(1 for ru, en in pairs if "length-ratio" in length_flags(ru, en)) / len(pairs)
    partial = sum(1 for ru, en in pairs if "partial" in length_flags(ru, en)) / len(pairs)
    assert 0.03 <= length <= 0.07          # the range is the 2.5th-97.5th percentile, on longer sentences
    assert partial <= 0.002
    wmt_pairs = pairs[:2016]               # news translated by professionals: the figures agree
    assert sum(1 for ru, en in wmt_pairs if numbers_differ(ru, en)) / len(wmt_pairs) < 0.005


# --- beads and alignments ---------------------------------------------------------------------------------------------

def test_flag_bead_null_beads_mt_and_confidence():
    assert flag_bead("Это было давно.", "", Bead((4,), (), 0.0)) == ("untranslated",)
    assert flag_bead("Первое. Второе.", "", Bead((4, 5), (), 0.0)) == ("untranslated",)
    assert flag_bead("", "An addition.", Bead((), (3,), 0.0)) == ("no-source",)
    mt_bead = Bead((4,), (), 0.0, mt="It was in 2021.", mt_engine="argos")
    assert flag_bead("Это было в 2020 году.", "It was in 2021.", mt_bead) == ("untranslated", "mt", "numbers")
    assert flag_bead("Спасибо.", "Thank you.", Bead((1,), (1,), 0.3)) == ("low-confidence",)
    assert flag_bead("Спасибо.", "Thank you.", Bead((1,), (1,), LOW_CONFIDENCE)) == ()
    assert flag_bead("Мы обсудили 25 вопросов.", "We discussed 24 issues.", Bead((0,), (0,), 0.2)) == \
        ("numbers", "low-confidence")


def doc(path: str, texts: list[str]) -> Document:
    return Document(path=path, sentences=[Sentence(t, i, 0) for i, t in enumerate(texts)])


def test_flag_alignment_returns_a_flagged_copy():
    src = doc("ru.txt", ["Москва, 15 декабря 2023 г.", "Мы обсудили 25 вопросов.", "Это было в 2020 году."])
    tgt = doc("en.txt", ["Moscow, December 15, 2023", "We discussed 24 issues.", "An English addition."])
    beads = [Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.8), Bead((2,), (), 0.0, mt="It was in 2020."),
             Bead((), (2,), 0.0)]
    alignment = Alignment(src=src, tgt=tgt, beads=beads, name="pair", signals=("length",))
    flagged = flag_alignment(alignment)
    assert [b.flags for b in flagged.beads] == [(), ("numbers",), ("untranslated", "mt"), ("no-source",)]
    assert [b.flags for b in alignment.beads] == [(), (), (), ()]   # the input is left alone
    assert flagged.name == "pair" and flagged.signals == ("length",) and flagged.src is src


def test_score_tmx_without_hyp_scores_one_side_against_the_other(tmp_path):
    # Two English variants of the same text: the en-US side scored against the en-GB one.
    tmx = tmp_path / "variants.tmx"
    tmx.write_text(TMX.replace("ru-RU", "en-US").replace("Переговоры были конструктивными.",
                                                         "The talks were constructive.")
                   .replace("Спасибо.", "Thanks."), encoding="utf-8")
    result = run("score", "--tmx", tmx, "--ref-lang", "en-GB", "--hyp-lang", "en-US", "--metrics", "ter")
    assert result.exit_code == 0, result.stderr
    (ter,) = json.loads(result.stdout)
    # Unit 1 identical; unit 2 is MT (left out); unit 3: "Thanks." against "Thank you." is 2 edits (TER splits on
    # whitespace only: 4 + 2 reference words). 2 / 6.
    assert ter["score"] == pytest.approx(100 * 2 / 6, abs=0.01)


def test_tmx_reader_does_not_expand_external_entities(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    tmx = tmp_path / "hostile.tmx"
    tmx.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>
<tmx version="1.4"><header srclang="ru-RU"/><body>
<tu><tuv xml:lang="ru-RU"><seg>Спасибо.</seg></tuv><tuv xml:lang="en-GB"><seg>&leak;Thank you.</seg></tuv></tu>
</body></tmx>""", encoding="utf-8")
    hyp = write_lines(tmp_path / "hyp", ["Thank you."])
    result = run("score", "--tmx", tmx, "--hyp", hyp, "--metrics", "chrf")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["score"] == 100.0     # the entity was not replaced by the file's text
