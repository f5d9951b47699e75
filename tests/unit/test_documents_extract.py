"""Extraction per format, and chunking with locators."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.core.documents.chunking import chunk_sections, estimate_tokens
from desktop_app.core.documents.extract import ExtractionError, Section, extract


def test_plain_text_utf8_and_legacy_chinese_encoding(tmp_path: Path) -> None:
    utf8 = tmp_path / "notes.txt"
    utf8.write_text("Hello world\n\n第二段", encoding="utf-8")
    assert extract(utf8).text == "Hello world\n\n第二段"
    gbk = tmp_path / "gbk.txt"
    text = "长城是中国古代的军事防御工程，东起山海关，西至嘉峪关，全长两万多公里。" * 3
    gbk.write_bytes(text.encode("gb18030"))
    assert "长城" in extract(gbk).text


def test_binary_file_named_txt_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "photo.txt"
    fake.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(ExtractionError, match="binary data, not text"):
        extract(fake)


def test_markdown_sections_carry_their_heading(tmp_path: Path) -> None:
    path = tmp_path / "guide.md"
    path.write_text(
        "Intro line.\n\n# Installation\n\nRun the setup.\n\n```\n# not a heading\n```\n\n"
        "## Usage\n\nType a question.\n",
        encoding="utf-8",
    )
    sections = extract(path).sections
    assert [s.heading for s in sections] == [None, "Installation", "Usage"]
    assert "# not a heading" in sections[1].text


def test_html_visible_text_under_headings(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>T</title><style>p{}</style></head><body>"
        "<h1>Great Wall</h1><p>It is long &amp; old.</p><script>var x=1;</script>"
        "<h2>History</h2><p>Built over centuries.</p></body></html>",
        encoding="utf-8",
    )
    sections = extract(path).sections
    assert [s.heading for s in sections] == ["Great Wall", "History"]
    assert "It is long & old." in sections[0].text
    assert "var x" not in extract(path).text


def test_csv_json_and_code_are_text(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text("city,country\nParis,France\n", encoding="utf-8")
    (tmp_path / "d.json").write_text(json.dumps({"capital": "Paris"}), encoding="utf-8")
    (tmp_path / "m.py").write_text("def answer():\n    return 42\n", encoding="utf-8")
    assert "Paris,France" in extract(tmp_path / "t.csv").text
    assert '"capital": "Paris"' in extract(tmp_path / "d.json").text
    assert "return 42" in extract(tmp_path / "m.py").text


def _pdf(path: Path, pages: list[str], password: str | None = None) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 10, text)
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    pdf.output(str(path))
    return path


def test_pdf_sections_are_pages(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "report.pdf", ["The first page talks about apples.", "Bananas here."])
    sections = extract(path).sections
    assert [s.page for s in sections] == [1, 2]
    assert "apples" in sections[0].text and "Bananas" in sections[1].text


def test_pdf_without_text_layer_says_ocr_is_not_supported(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "scan.pdf", ["", ""])
    with pytest.raises(ExtractionError, match=r"no text layer.*OCR is not supported"):
        extract(path)


def test_encrypted_pdf_needs_a_password(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "secret.pdf", ["classified"], password="hunter2")
    with pytest.raises(ExtractionError, match="encrypted"):
        extract(path)


def test_damaged_pdf(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    with pytest.raises(ExtractionError, match="not a readable PDF"):
        extract(path)


def test_docx_paragraphs_under_headings(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Overview", level=1)
    document.add_paragraph("Hearth runs on your computer.")
    document.add_heading("Privacy", level=2)
    document.add_paragraph("Nothing leaves the machine.")
    path = tmp_path / "spec.docx"
    document.save(str(path))
    sections = extract(path).sections
    assert [s.heading for s in sections] == ["Overview", "Privacy"]
    assert "Nothing leaves the machine." in sections[1].text


def test_not_a_docx(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_text("plain text", encoding="utf-8")
    with pytest.raises(ExtractionError, match="not a readable DOCX"):
        extract(path)


def test_chunks_respect_budget_and_keep_locators() -> None:
    paragraph = "This sentence has some words in it. " * 20
    sections = [
        Section(paragraph + "\n\n" + paragraph, page=1),
        Section("长城" * 300, heading="中国"),
    ]
    chunks = chunk_sections(sections, budget=100)
    assert all(chunk.tokens <= 100 for chunk in chunks)
    assert {chunk.page for chunk in chunks if chunk.heading is None} == {1}
    assert chunks[-1].locator == "中国"
    assert [chunk.ordinal for chunk in chunks] == list(range(len(chunks)))
    joined = "".join(chunk.text for chunk in chunks if chunk.heading == "中国")
    assert joined == "长城" * 300


def test_token_estimate_counts_cjk_characters() -> None:
    assert estimate_tokens("长城") == 2
    assert estimate_tokens("abcdefgh") == 2
