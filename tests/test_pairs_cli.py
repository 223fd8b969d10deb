"""The command line beyond Russian-English (issue 15): batch pairs the stems and folders of --src-lang/--tgt-lang,
evaluate-mt translates the pair it is given, and no help text assumes a Russian source."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner.batch import find_pairs, read_manifest
from aligner.batch.pairing import Pair, document_key, sniff
from aligner.cli import main
from aligner.errors import InputError

CLI_FAST = ["--signals", "length,anchors", "--mt", "none", "--no-fill"]

FR = ["Le ministre des affaires étrangères a tenu des pourparlers à Genève.",
      "Les parties ont examiné les questions de sécurité pendant trois heures.",
      "La prochaine réunion aura lieu en mai 2024."]
ZH = ["外交部长在日内瓦举行了会谈。",
      "双方用三个小时讨论了安全问题。",
      "下一次会议将于2024年5月举行。"]


@pytest.fixture(autouse=True)
def _fixed_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def write(path: Path, lines) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def segs(tmx: Path, lang: str) -> list[str]:
    from lxml import etree
    root = etree.fromstring(tmx.read_bytes())
    return [tuv.findtext("seg") for tuv in root.iter("tuv")
            if tuv.get("{http://www.w3.org/XML/1998/namespace}lang") == lang]


# -- batch: stems and folders of the languages given ------------------------------------------------------------

def stem_corpus(root: Path) -> Path:
    write(root / "g/doc1.fr.txt", FR)
    write(root / "g/doc1.zh.txt", ZH)
    write(root / "doc2_fra.txt", FR[:2])            # ISO 639-2 markers and other separators, as for .rus/.eng
    write(root / "doc2-chi.txt", ZH[:2])
    write(root / "lonely.fr.txt", FR[2:])           # no Chinese file anywhere
    write(root / "g/doc1.en.txt", ["The minister held talks in Geneva."])   # not a language of this batch
    return root


def test_batch_pairs_a_french_chinese_corpus_by_stems(tmp_path):
    corpus, out = stem_corpus(tmp_path / "corpus"), tmp_path / "out"
    result = run("batch", corpus, "-o", out, "--jobs", "1", "--src-lang", "fr", "--tgt-lang", "zh", *CLI_FAST)
    assert result.exit_code == 0, result.output
    assert "2 pairs: 2 aligned, 0 failed, 2 unpaired files" in result.output
    lonely = corpus / "lonely.fr.txt"
    assert f"unpaired: {lonely}: no Chinese counterpart: no Chinese file for 'lonely'" in result.output
    # The English file is another language: reported by name, never taken for French by its (Latin) script.
    assert (f"unpaired: {corpus / 'g/doc1.en.txt'}: marked as English (its name's marker), not a language of "
            "this batch (French/Chinese): not read") in result.output
    rows = {r["name"]: r for r in map(json.loads, (out / "metrics.jsonl").read_text().splitlines())}
    assert sorted(rows) == ["doc2", "g/doc1"]
    assert rows["g/doc1"]["ru"] == str(corpus / "g/doc1.fr.txt") and rows["g/doc1"]["pairing"] == "stem"
    assert rows["doc2"]["en"] == str(corpus / "doc2-chi.txt")
    # Three sentences on each side that translate one another in order: three 1-1 units, in the pair's tags.
    tmx = out / "docs/g/doc1.tmx"
    assert segs(tmx, "fr-FR") == FR and segs(tmx, "zh-CN") == ZH


def test_batch_still_pairs_russian_english_by_default(tmp_path):
    # The same corpus plus a Russian-English pair, under the defaults: only .ru/.en count, the rest is named.
    corpus, out = stem_corpus(tmp_path / "corpus"), tmp_path / "out"
    write(corpus / "g/doc1.ru.txt", ["Министр провёл переговоры в Женеве."])
    result = run("batch", corpus, "-o", out, "--jobs", "1", *CLI_FAST)
    assert result.exit_code == 0, result.output
    assert "1 pairs: 1 aligned, 0 failed, 5 unpaired files" in result.output
    assert f"unpaired: {corpus / 'g/doc1.zh.txt'}: marked as Chinese (its name's marker), not a language of this " \
        "batch (Russian/English)" in result.output
    assert f"unpaired: {corpus / 'doc2_fra.txt'}: marked as French" in result.output
    rows = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert [(r["name"], r["ru"], r["en"]) for r in rows] == [
        ("g/doc1", str(corpus / "g/doc1.ru.txt"), str(corpus / "g/doc1.en.txt"))]


def test_batch_pairs_a_french_chinese_corpus_by_folders(tmp_path):
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    write(corpus / "fr/a.txt", FR)
    write(corpus / "zh/a.htm", ["<p>" + s + "</p>" for s in ZH])      # the extensions may differ
    write(corpus / "un/fra/b.txt", FR[:2])                             # a folder named by the ISO 639-2 code
    write(corpus / "un/zh/b.txt", ZH[:2])
    write(corpus / "zh/c.txt", ZH[2:])
    result = run("batch", corpus, "-o", out, "--jobs", "1", "--src-lang", "fr-FR", "--tgt-lang", "zh-CN",
                 *CLI_FAST)
    assert result.exit_code == 0, result.output
    assert "2 pairs: 2 aligned, 0 failed, 1 unpaired files" in result.output
    assert f"unpaired: {corpus / 'zh/c.txt'}: no French counterpart: no French file for 'c'" in result.output
    rows = {r["name"]: r for r in map(json.loads, (out / "metrics.jsonl").read_text().splitlines())}
    assert {name: r["pairing"] for name, r in rows.items()} == {"a": "folder", "un/b": "folder"}
    assert segs(out / "docs/un/b.tmx", "zh-CN") == ZH[:2]


def test_pairing_follows_the_direction_and_only_the_languages_given(tmp_path):
    c = tmp_path / "c"
    write(c / "x.fr.txt", FR)
    write(c / "x.zh.txt", ZH)
    write(c / "x.ru.txt", ["Министр провёл переговоры."])
    pairs, unpaired = find_pairs(str(c), langs=("zh", "fr"))
    assert pairs == [Pair("x", str(c / "x.zh.txt"), str(c / "x.fr.txt"), "stem")]   # source first
    assert [u.path for u in unpaired] == [str(c / "x.ru.txt")]
    assert document_key("ar/x.html", ("ru", "ar")) == ("x", "ar", "folder")
    assert document_key("x.ru.txt", ("fr", "zh")) == (None, None, "none")
    assert document_key("x.ara.txt", ("en", "ar")) == ("x", "ar", "stem")


def test_a_file_of_another_language_is_never_paired_by_its_document_number(tmp_path):
    # X.fr.txt's Latin script would make it the English side of X.ru.txt's number: it is left out instead.
    c = tmp_path / "c"
    write(c / "X.ru.txt", ["Заявление 2545-15-12-2023."])
    write(c / "Y.fr.txt", ["Déclaration 2545-15-12-2023."])
    write(c / "de/Z.html", ["<p>Erklärung 2545-15-12-2023.</p>"])
    write(c / "de/Z.en.html", ["<p>Statement 2545-15-12-2023.</p>"])     # its own marker wins over the folder
    pairs, unpaired = find_pairs(str(c))
    assert pairs == [Pair("2545-15-12-2023", str(c / "X.ru.txt"), str(c / "de/Z.en.html"), "number")]
    reasons = {Path(u.path).name: u.reason for u in unpaired}
    assert sorted(reasons) == ["Y.fr.txt", "Z.html"]
    assert reasons["Y.fr.txt"].startswith("marked as French (its name's marker), not a language of this batch "
                                          "(Russian/English)")
    assert reasons["Z.html"].startswith("marked as German (its language folder)")


def test_pairing_by_number_tells_the_languages_by_script_only_when_it_can(tmp_path):
    zh = write(tmp_path / "p.html", ["<p>2545-15-12-2023</p><p>" + ZH[0] + "</p>"])
    fr = write(tmp_path / "q.html", ["<p>2545-15-12-2023</p><p>" + FR[0] + "</p>"])
    assert sniff(str(zh), ("fr", "zh")) == ("2545-15-12-2023", "zh")
    assert sniff(str(fr), ("fr", "zh")) == ("2545-15-12-2023", "fr")
    assert sniff(str(fr), ("fr", "en")) == ("2545-15-12-2023", None)   # both Latin: the script cannot tell
    pairs, _ = find_pairs(str(tmp_path), langs=("fr", "zh"))
    assert pairs == [Pair("2545-15-12-2023", str(fr), str(zh), "number")]
    _, unpaired = find_pairs(str(tmp_path), langs=("fr", "en"))
    assert [u.path for u in unpaired] == [str(zh), str(fr)]     # sorted by path: p.html, q.html
    assert all("cannot tell French from English" in u.reason for u in unpaired)


def test_batch_refuses_a_corpus_of_one_language_and_names_the_manifest_columns(tmp_path):
    corpus = tmp_path / "corpus"
    write(corpus / "x.en.txt", ["Text."])
    result = run("batch", corpus, "-o", tmp_path / "out", "--src-lang", "en-GB", "--tgt-lang", "en-US", *CLI_FAST)
    assert result.exit_code == 2
    assert "both sides are English" in result.output and "--pairs" in result.output
    result = run("batch", corpus, "-o", tmp_path / "out", "--src-lang", "fr", "--tgt-lang", "zh", *CLI_FAST)
    assert result.exit_code == 0 and f"warning: no French/Chinese pairs found in {corpus}" in result.output
    bad = write(tmp_path / "bad.tsv", ["only-one-column"])
    with pytest.raises(InputError, match=r"line 1: expected FR<TAB>ZH or FR<TAB>ZH<TAB>NAME"):
        read_manifest(str(bad), ("fr-FR", "zh"))
    manifest = write(tmp_path / "m.tsv", ["fr/a.html\tzh/a.html", "b.fr.txt\tb.zh.txt"])
    pairs, _ = read_manifest(str(manifest), ("fr", "zh"))
    assert [p.name for p in pairs] == ["a", "b"]


# -- evaluate-mt --src-lang/--tgt-lang ------------------------------------------------------------------------------

FR_ZH_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
<header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="aligner" adminlang="en"
 srclang="fr-FR" datatype="plaintext"/>
<body>
<tu><tuv xml:lang="fr-FR"><seg>Merci.</seg></tuv><tuv xml:lang="zh-CN"><seg>谢谢。</seg></tuv></tu>
<tu><tuv xml:lang="fr-CA"><seg>Bonjour.</seg></tuv><tuv xml:lang="zh-CN"><seg>你好。</seg></tuv></tu>
</body>
</tmx>
"""


def test_evaluate_mt_without_a_model_for_the_pair_is_one_line_naming_it(tmp_path, monkeypatch):
    tmx = tmp_path / "fr-zh.tmx"
    tmx.write_text(FR_ZH_TMX, encoding="utf-8")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    monkeypatch.setenv("ALIGNER_MODELS_DIR", str(tmp_path / "no-models"))
    result = run("evaluate-mt", tmx, "--src-lang", "fr", "--tgt-lang", "zh")
    assert result.exit_code == 4, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aligner: error: ")
    assert "no fr→zh translation model installed" in lines[0] and "ru→en" not in lines[0]


def test_evaluate_mt_routes_the_pair_through_load_translator(tmp_path, monkeypatch):
    import aligner.mt

    tmx = tmp_path / "fr-zh.tmx"
    tmx.write_text(FR_ZH_TMX, encoding="utf-8")
    asked = []

    class Stub:
        engine = "stub fr-zh"

        def translate(self, texts):
            return [{"Merci.": "谢谢。", "Bonjour.": "您好。"}[t] for t in texts]

    def load_translator(**kwargs):
        asked.append((kwargs["src_lang"], kwargs["tgt_lang"], kwargs["required"]))
        return Stub()

    monkeypatch.setattr(aligner.mt, "load_translator", load_translator)
    saved = tmp_path / "mt.txt"
    result = run("evaluate-mt", tmx, "--src-lang", "fr-FR", "--tgt-lang", "zh", "--metrics", "chrf",
                 "--save-mt", saved)
    assert result.exit_code == 0, result.output
    assert asked == [("fr", "zh", True)]
    # fr-FR takes only that variant's unit: the fr-CA one is not translated; 谢谢。 is its reference exactly.
    assert saved.read_text(encoding="utf-8") == "谢谢。\n"
    assert json.loads(result.stdout)[0]["score"] == 100.0
    assert "scored 1 units" in result.stderr


@pytest.mark.parametrize("args, hint", [(["--src-lang", "it"], "--src-lang"), (["--tgt-lang", "ru"], "--tgt-lang"),
                                        (["--src-lang", "fr", "--tgt-lang", "fr-CA"], "--tgt-lang")])
def test_evaluate_mt_refuses_a_pair_it_cannot_translate_as_a_usage_error(args, hint, tmp_path):
    tmx = tmp_path / "fr-zh.tmx"
    tmx.write_text(FR_ZH_TMX, encoding="utf-8")
    result = run("evaluate-mt", tmx, *args)
    assert result.exit_code == 2 and hint in result.output


# -- help texts ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["align", "review", "batch", "evaluate-mt"])
def test_help_assumes_no_russian_source(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    text = " ".join(result.output.split())     # click wraps lines
    assert "Russian sentence" not in text and "when a ru→en model is installed" not in text
    assert "Russian/English pair" not in text and "English translation per" not in text
    assert "--src-lang" in text and "--tgt-lang" in text
