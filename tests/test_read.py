"""aligner.read: encodings, errors, plain text with republishing chrome, HTML pages, pre-split lines, hostile XML."""
from __future__ import annotations

import builtins
import codecs
import time
from pathlib import Path

import pytest

from aligner.errors import InputError
from aligner.model import Sentence
from aligner.read import decode_bytes, detect_language, read_document
from aligner.read.normalize import normalize_line

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "read"
# The seed document (../shared/seeds/000_536ce80840e49457.txt), shipped byte for byte in corpora/seed/.
SEED = Path(__file__).resolve().parents[1] / "corpora" / "seed" / "2545-15-12-2023.en.txt"

RU = "Министр иностранных дел России С.В.Лавров провёл переговоры. «Союзное государство» — наш общий дом, №1."


def write(tmp_path: Path, name: str, data: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return str(path)


def refused(path: str, fmt: str = "auto") -> str:
    with pytest.raises(InputError) as info:
        read_document(path, fmt)
    message = info.value.message
    assert message.startswith(f"{path}: "), message
    assert "\n" not in message
    assert info.value.exit_code == 1
    return message


# --- encodings ------------------------------------------------------------------------------------------------

EN = "Plain English text, no BOM at all."


@pytest.mark.parametrize("text, data, encoding", [
    (RU, RU.encode("utf-8"), "utf-8"),
    (RU, codecs.BOM_UTF8 + RU.encode("utf-8"), "utf-8-sig"),
    (RU, codecs.BOM_UTF16_LE + RU.encode("utf-16-le"), "utf-16-le"),
    (RU, codecs.BOM_UTF16_BE + RU.encode("utf-16-be"), "utf-16-be"),
    (RU, codecs.BOM_UTF32_LE + RU.encode("utf-32-le"), "utf-32-le"),
    (RU, RU.encode("cp1251"), "cp1251"),
    # UTF-16 without a BOM: decoded, told apart by which side of each byte pair the NULs of spaces/digits are on.
    (RU, RU.encode("utf-16-le"), "utf-16-le"),
    (RU, RU.encode("utf-16-be"), "utf-16-be"),
    (EN, EN.encode("utf-16-le"), "utf-16-le"),
    (EN, EN.encode("utf-16-be"), "utf-16-be"),
])
def test_decode_bytes_gives_back_the_original_text(text, data, encoding):
    assert decode_bytes(data, "x.txt") == (text, encoding)


def test_cp1251_is_not_mistaken_for_utf8_or_mojibake():
    text = "Уважаемые коллеги! Рады приветствовать вас в Москве."
    decoded, encoding = decode_bytes(text.encode("cp1251"), "x.txt")
    assert encoding == "cp1251"
    assert decoded == text


def test_latin1_text_is_not_passed_off_as_cp1251():
    # cp1251 would read "café" as "cafй": Cyrillic letters inside Latin words are the tell.
    with pytest.raises(InputError, match=r"x\.txt: cannot decode: not UTF-8 \(byte 0xE9 at offset 3\)"):
        decode_bytes("café au lait, résumé, naïve".encode("latin-1"), "x.txt")


def test_undefined_cp1251_byte_is_undecodable_with_offset():
    with pytest.raises(InputError, match=r"offset 6\b"):
        decode_bytes(b"hello \x98 world", "x.txt")


def test_truncated_utf8_at_end_of_file():
    data = "Привет, мир".encode("utf-8")[:-1]   # "р" is two bytes; the last one is cut off
    with pytest.raises(InputError, match=rf"truncated UTF-8 at end of file .*offset {len(data) - 1}\b"):
        decode_bytes(data, "x.txt")


def test_truncated_utf16_with_bom():
    data = codecs.BOM_UTF16_LE + "Привет".encode("utf-16-le")[:-1]
    with pytest.raises(InputError, match="truncated UTF-16-LE"):
        decode_bytes(data, "x.txt")


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
    b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00>\x00",
    bytes(range(1, 9)) * 20,                    # control characters, no NUL
])
def test_binary_data_is_refused(data):
    with pytest.raises(InputError, match=r"^x\.bin: binary file, not text"):
        decode_bytes(data, "x.bin")


# --- errors from read_document ---------------------------------------------------------------------------------

def test_missing_file(tmp_path):
    assert refused(str(tmp_path / "nope.txt")).endswith("no such file")


def test_directory(tmp_path):
    assert refused(str(tmp_path)).endswith("is a directory, not a file")


def test_unreadable_file(tmp_path, monkeypatch):
    path = write(tmp_path, "secret.txt", "Some text.")
    real_open = builtins.open

    def deny(file, *args, **kwargs):   # chmod 000 does not stop root, so deny the read itself
        if str(file) == path:
            raise PermissionError(13, "Permission denied", path)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", deny)
    assert "permission denied" in refused(path)


def test_empty_file(tmp_path):
    assert refused(write(tmp_path, "empty.txt", b"")).endswith(": empty file")


def test_whitespace_only_file(tmp_path):
    # NBSP, zero-width space and a soft hyphen are as empty as spaces.
    path = write(tmp_path, "blank.txt", " \n\t\r\n\u00a0\u200b\u00ad\n")
    assert refused(path).endswith("contains only whitespace, no text")


def test_binary_file(tmp_path):
    path = write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "binary file, not text (NUL byte at offset 8)" in refused(path)


def test_undecodable_file(tmp_path):
    path = write(tmp_path, "latin.txt", "Déclaration du ministère".encode("latin-1"))
    assert "not UTF-8 (byte 0xE9 at offset 1)" in refused(path)


def test_unknown_format(tmp_path):
    path = write(tmp_path, "a.txt", "Text.")
    assert "unknown input format 'pdf'" in refused(path, "pdf")


def test_html_without_any_text(tmp_path):
    path = write(tmp_path, "menu.html", "<html><body><nav><a href='/'>Home</a></nav><script>x()</script></body></html>")
    assert "no text in the page" in refused(path)


def test_cli_reports_one_line_without_traceback(tmp_path):
    split = pytest.importorskip("aligner.split")   # the split command needs the splitter stage
    if not hasattr(split, "split_document"):
        pytest.skip("aligner.split has no split_document yet")
    from click.testing import CliRunner
    from aligner.cli import main

    missing = str(tmp_path / "missing.txt")
    result = CliRunner().invoke(main, ["split", missing, "--lang", "en"])
    assert result.exit_code == 1
    assert f"aligner: error: {missing}: no such file" in result.output
    assert "Traceback" not in result.output


# --- normalisation and language ------------------------------------------------------------------------------

def test_normalize_line():
    raw = "Re\u0301sume\u0301\u00a0and\u2009\u00abcon\u00adfir\u200bma\u00adtion\u00bb \u2014 \u0438\u0306 \u20132024  x"
    assert normalize_line(raw) == "Résumé and «confirmation» — й –2024 x"


def test_detect_language():
    assert detect_language(RU) == "ru"
    assert detect_language("We are delighted to welcome our Belarusian colleagues to Moscow.") == "en"
    assert detect_language("Россия и NATO: half English, half русский текст here") is None
    assert detect_language("2545-15-12-2023 — 15.12") is None   # no letters to judge by
    assert detect_language("Да") is None


# --- plain text ----------------------------------------------------------------------------------------------

def test_seed_republished_text():
    doc = read_document(str(SEED))
    assert (doc.format, doc.encoding, doc.lang) == ("text", "utf-8", "en")
    assert doc.number == "2545-15-12-2023"
    assert doc.date == "2023-12-15"
    assert doc.title.startswith("Foreign Minister Sergey Lavrov's opening remarks at a meeting of the Collegiums")
    assert doc.title.endswith("Moscow, December 15, 2023")
    # the headline is text to align: the first paragraph, once; the dateline and number are metadata only
    assert doc.paragraphs[:4] == [doc.title, "Mr Aleinik,", "Mr Mezentsev,", "Colleagues."]
    assert doc.paragraphs[-1].startswith("It is in our mutual interests to establish a strong military")
    assert len(doc.paragraphs) == 19
    everything = "\n".join(doc.paragraphs)
    for chrome in ("NEWSLETTER", "UNITED24", "mailing list", "Weapons of Mass Destruction", "Ministry of Foreign",
                   "2545-15-12-2023", "12:21", "\u00a0"):
        assert chrome not in everything


def test_text_paragraphs_join_wrapped_lines(tmp_path):
    path = write(tmp_path, "a.txt", "First line\nof the first paragraph.\n\n\n  Second\tparagraph.  \n\n")
    assert read_document(path).paragraphs == ["First line of the first paragraph.", "Second paragraph."]


def test_text_without_blank_lines_is_one_paragraph_per_line(tmp_path):
    path = write(tmp_path, "a.txt", "Уважаемые коллеги!\r\nРады вас видеть.\r\nСпасибо.\r\n")
    doc = read_document(path)
    assert doc.paragraphs == ["Уважаемые коллеги!", "Рады вас видеть.", "Спасибо."]
    assert doc.lang == "ru"


def test_russian_text_header_becomes_metadata(tmp_path):
    text = ("Министерство иностранных дел Российской Федерации\n\n"
            "Заявление МИД России в связи с годовщиной\n\n"
            "15 декабря 2023 года, 12:21\n2545-15-12-2023\n\n"
            "Коллеги,\n\n"
            "Сегодня мы подводим итоги года. Это был непростой, но насыщенный для нашей дипломатии год.\n\n"
            "Реклама\n\n"
            "Мы подписываемся под каждым словом этого заявления.\n\n"
            "Подпишитесь на нашу рассылку\n© 2024 Сайт новостей\n")
    doc = read_document(write(tmp_path, "ru.txt", text), lang="ru")
    assert doc.title == "Заявление МИД России в связи с годовщиной"
    assert (doc.date, doc.number, doc.lang) == ("2023-12-15", "2545-15-12-2023", "ru")
    assert doc.paragraphs == ["Заявление МИД России в связи с годовщиной",     # the headline, a paragraph
                              "Коллеги,",
                              "Сегодня мы подводим итоги года. Это был непростой, но насыщенный для нашей дипломатии год.",
                              "Мы подписываемся под каждым словом этого заявления."]


def test_text_without_header_keeps_everything(tmp_path):
    # No dateline, no ministry line: nothing is guessed to be a header; a sentence about subscribing stays.
    text = "Short title\n\nWe subscribe to the principles of the UN Charter.\n\nRussia will donate aid."
    assert read_document(write(tmp_path, "a.txt", text)).paragraphs == [
        "Short title", "We subscribe to the principles of the UN Charter.", "Russia will donate aid."]
    doc = read_document(write(tmp_path, "b.txt", text))
    assert doc.title is None and doc.number is None and doc.date is None


def test_cp1251_file_reads_back_equal(tmp_path):
    text = "Уважаемый господин Алейник!\n\nКоллеги!"
    doc = read_document(write(tmp_path, "ru.txt", text.encode("cp1251")))
    assert doc.encoding == "cp1251"
    assert doc.paragraphs == ["Уважаемый господин Алейник!", "Коллеги!"]


# --- lines ---------------------------------------------------------------------------------------------------

def test_lines_format(tmp_path):
    path = write(tmp_path, "s.txt", "\n\nFirst sentence.\nSecond one.\n\n\n\nThird,\u00a0alone.\n  \nFourth.\nFifth.")
    doc = read_document(path, "lines")
    assert doc.format == "lines"
    assert doc.paragraphs == ["First sentence. Second one.", "Third, alone.", "Fourth. Fifth."]
    assert doc.sentences == [
        Sentence("First sentence.", 0, 0), Sentence("Second one.", 1, 0),
        Sentence("Third, alone.", 2, 1),
        Sentence("Fourth.", 3, 2), Sentence("Fifth.", 4, 2),
    ]
    assert doc.texts()[-1] == "Fifth."


def test_lines_format_keeps_header_like_lines(tmp_path):
    # The user split the file: a date or "Share" line is theirs to keep.
    doc = read_document(write(tmp_path, "s.txt", "15 December 2023\nShare\n"), "lines")
    assert [s.text for s in doc.sentences] == ["15 December 2023", "Share"]
    assert doc.number is None


# --- HTML ----------------------------------------------------------------------------------------------------

def test_mfa_russian_page():
    doc = read_document(str(FIXTURES / "mfa_ru.html"))
    assert (doc.format, doc.lang, doc.encoding) == ("html", "ru", "utf-8")
    assert doc.title == ("Вступительное слово Министра иностранных дел Российской Федерации С.В.Лаврова на "
                         "совместном заседании коллегий МИД России и Белоруссии, Москва, 15 декабря 2023 года")
    assert (doc.date, doc.number) == ("2023-12-15", "2545-15-12-2023")
    p = doc.paragraphs
    assert p[0] == doc.title                      # the <h1>, outside the text block, is the first paragraph
    assert p[1] == "Уважаемый Сергей Фёдорович, уважаемый Дмитрий Фёдорович,"   # single <br>, NBSP → space
    assert p[2] == "Коллеги,"
    assert p.count(doc.title) == 1
    assert "Вопрос: Как Вы оцениваете итоги встречи в Скопье?" in p
    assert "С.В.Лавров:" in p
    # <br><br> splits a paragraph; list items are paragraphs
    i = p.index("Итоги встречи в Скопье подтвердили глубокий кризис ОБСЕ.")
    assert p[i + 1] == "Западные страны окончательно отказались от принципа равной и неделимой безопасности."
    assert "Программа согласованных действий на 2024–2026 годы." in p
    assert p[-1] == "В наших общих интересах создать прочную военно-политическую основу."
    assert "Сегодняшняя повестка дня насыщенная. Она целиком посвящена «Глобальному Югу» и «Глобальному Востоку»." in p
    text = "\n".join(p)
    for chrome in ("СКРИПТ", "dataLayer", "стиль", "cookie", "Главная", "Пресс-служба", "Поиск", "Поделиться",
                   "Telegram", "Теги", "Читайте также", "Захаровой", "рассылку", "Все права защищены",
                   "Смоленская", "комментарий", "счётчик", "12:21", "2545-15-12-2023"):
        assert chrome not in text, chrome


def test_mfa_english_page():
    doc = read_document(str(FIXTURES / "mfa_en.html"))
    assert doc.lang == "en"
    # from <title>, without the site's name after "|"
    assert doc.title == ("Foreign Minister Sergey Lavrov's opening remarks at a meeting of the Collegiums of the "
                         "Foreign Ministries of Russia and Belarus, Moscow, December 15, 2023")
    assert (doc.date, doc.number) == ("2023-12-15", "2545-15-12-2023")
    assert doc.paragraphs == [
        doc.title,                                # the <h1> (which <title> repeats), once
        "Mr Aleinik, Mr Mezentsev,",
        "Colleagues.",
        "We are delighted to welcome our Belarusian colleagues to Moscow. Yesterday, we started working with the "
        "Minister and his deputies.",
        "The Republic of Belarus is our closest strategic partner and ally. The unique format of joint meetings of "
        "the foreign ministry collegiums of the two fraternal nations is a clear confirmation of this.",
        "Today's agenda is quite full. It is entirely focused on the \"Global South\" and the \"Global East\".",
        "Answers to media questions",
        "Question: How do you assess the results of the meeting in Skopje?",
        "Sergey Lavrov: The results of the meeting in Skopje confirmed the deep crisis of the OSCE.",
        "It is in our mutual interests to establish a strong military and political foundation.",
    ]


def test_page_without_markup_hints_uses_text_density():
    doc = read_document(str(FIXTURES / "plain_page.html"))
    assert doc.title == "Statement by the Delegation at the General Assembly"
    assert doc.date is None and doc.number is None
    assert doc.paragraphs[0].startswith("The delegation welcomes the adoption of the resolution.")
    assert doc.paragraphs[-1] == "Thank you."
    assert len(doc.paragraphs) == 4
    assert not any(w in " ".join(doc.paragraphs) for w in ("Index", "Archive", "Back"))


def test_auto_detects_html_by_content(tmp_path):
    page = ("<!-- saved page -->\n<!DOCTYPE html><html><head><meta name='date' content='15.12.2023'></head>"
            "<body><p>Документ № 2545-15-12-2023</p><div>Первый абзац.</div><div>Второй абзац.</div></body></html>")
    doc = read_document(write(tmp_path, "page.txt", page))
    assert doc.format == "html"
    assert (doc.date, doc.number) == ("2023-12-15", "2545-15-12-2023")
    assert doc.paragraphs == ["Первый абзац.", "Второй абзац."]
    # and forced as text it stays text (tags and all)
    assert read_document(str(tmp_path / "page.txt"), "text").format == "text"


def test_html_in_windows_1251(tmp_path):
    page = "<html><head><meta charset='windows-1251'></head><body><p>Москва – столица России.</p></body></html>"
    doc = read_document(write(tmp_path, "p.htm", page.encode("cp1251")))
    assert doc.encoding == "cp1251"
    assert doc.paragraphs == ["Москва – столица России."]


# --- hostile XML ---------------------------------------------------------------------------------------------

XXE = ('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
       '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Statement</title></head>'
       '<body><p>Before &e; after the entity.</p><p>Second paragraph.</p></body></html>')


@pytest.mark.parametrize("prefix, name", [('<?xml version="1.0" encoding="UTF-8"?>\n', "page.xhtml"),
                                          ("", "page.html"),
                                          # not well-formed XML: the HTML parser reads it
                                          ("", "broken.html")])
def test_external_entity_is_never_expanded(tmp_path, prefix, name):
    page = prefix + XXE
    if name == "broken.html":
        page = page.replace("</p><p>Second", "<br></p><p>Second &nbsp; ")
    doc = read_document(write(tmp_path, name, page))
    text = " ".join(doc.paragraphs)
    assert "root:" not in text and "/bin/" not in text and "&e;" not in text and "]>" not in text
    assert doc.paragraphs[0] == "Before after the entity."
    assert doc.paragraphs[1] == "Second paragraph."


def test_billion_laughs_is_refused_quickly(tmp_path):
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    page = f'<?xml version="1.0"?>\n<!DOCTYPE lolz [{entities}]>\n<html><body><p>Text &lol9; end</p></body></html>'
    path = write(tmp_path, "lol.html", page)
    started = time.monotonic()
    message = refused(path)
    assert time.monotonic() - started < 2
    assert "entity-expansion" in message


def test_xhtml_named_entities_come_from_html_not_from_the_dtd(tmp_path):
    # A public DTD is never loaded, so &nbsp; stays a reference; it is filled from HTML's fixed table. Redefining
    # nbsp as a SYSTEM entity changes nothing: the document's declaration is never read.
    public = ('<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
              '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">'
              '<body><p>Москва&nbsp;&mdash; столица.</p></body></html>')
    assert read_document(write(tmp_path, "a.xhtml", public)).paragraphs == ["Москва — столица."]
    hostile = ('<?xml version="1.0"?>\n<!DOCTYPE html [<!ENTITY nbsp SYSTEM "file:///etc/passwd">]>\n'
               '<html><body><p>Mr&nbsp;Aleinik,</p></body></html>')
    assert read_document(write(tmp_path, "b.xhtml", hostile)).paragraphs == ["Mr Aleinik,"]


# --- properties ----------------------------------------------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab Яя\u00a0\u200b\u00ad\u2009\t\n\u0301«»—–.")), max_size=40))
def test_normalize_line_is_idempotent_and_leaves_no_odd_characters(raw):
    once = normalize_line(raw)
    assert normalize_line(once) == once
    assert not any(ch in once for ch in "\u00a0\u200b\u00ad\u2009\t\n")
    assert "  " not in once and once == once.strip()
    assert once.count("«") == raw.count("«") and once.count("—") == raw.count("—")
