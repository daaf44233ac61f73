"""The folio rule against the laid-out PDF of each good book."""

from __future__ import annotations

from pypdf import PdfReader

from publish.pdf.folios import roman


def test_roman_numerals() -> None:
    assert [roman(n) for n in (1, 4, 9, 14, 40, 90, 400, 1994)] == [
        "i", "iv", "ix", "xiv", "xl", "xc", "cd", "mcmxciv",
    ]  # fmt: skip


def test_page_labels_count_front_matter_in_roman_and_body_from_one(built) -> None:
    from publish.build.output import build_time
    from publish.convert.markdown import convert_book
    from publish.pdf import layout_pdf, make_print_html
    from publish.pdf.folios import page_labels
    from publish.read.book import load_book

    book = convert_book(load_book(built.source))
    document = layout_pdf(book, make_print_html(book, build_time())).document
    labels = page_labels(document.pages, book.chapters[0].anchor)
    first_body = labels.index("1")
    assert labels[:first_body] == [roman(n) for n in range(1, first_body + 1)]
    assert labels[first_body:] == [str(n) for n in range(1, len(labels) - first_body + 1)]
    assert len(labels) == len(PdfReader(built.pdf).pages)
    assert book.chapters[0].anchor in document.pages[first_body].anchors
