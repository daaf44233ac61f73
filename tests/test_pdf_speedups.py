"""The PDF speed-ups give the very same PDF, and are in place only while they are needed."""

from __future__ import annotations

import contextlib
import io

import pydyf
import pytest
import weasyprint
from pypdf import PdfReader
from weasyprint.layout import page as page_layout

from publish.pdf import make_print_html
from publish.pdf import writer as pdf_writer
from publish.pdf.speedups import page_references_kept, page_styles_by_key


def _pdf_with_pages(count: int) -> pydyf.PDF:
    pdf = pydyf.PDF()
    for _ in range(count):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    return pdf


def test_the_kept_references_follow_the_pages_added() -> None:
    rebuilt_each_time = pydyf.PDF.page_references
    pdf = _pdf_with_pages(3)
    expected = pdf.page_references
    with page_references_kept():
        assert pdf.page_references == expected
        assert pdf.page_references is pdf.page_references  # built once, not per read
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
        assert len(pdf.page_references) == 4
    assert pdf.page_references == _pdf_with_pages(4).page_references
    assert pydyf.PDF.page_references is rebuilt_each_time  # put back afterwards


def test_page_styles_are_looked_up_only_during_layout_and_only_on_weasyprint_70() -> None:
    walks_every_element = page_layout.set_page_type_computed_styles
    with page_styles_by_key():
        replaced = page_layout.set_page_type_computed_styles is not walks_every_element
    assert replaced == weasyprint.__version__.startswith("70.")
    assert page_layout.set_page_type_computed_styles is walks_every_element


@pytest.mark.parametrize("name", ["features", "manuscript"])
def test_the_same_pdf_bytes_with_and_without(
    name: str, build_once, monkeypatch: pytest.MonkeyPatch
) -> None:
    from publish.build.output import build_time
    from publish.convert.markdown import convert_book
    from publish.read.book import load_book

    book = convert_book(load_book(build_once(name).source))
    html = make_print_html(book, build_time())

    def pdf_bytes() -> bytes:
        stream = io.BytesIO()
        pdf_writer.write_pdf(book, pdf_writer.layout_pdf(book, html), stream)
        return stream.getvalue()

    sped_up = pdf_bytes()
    monkeypatch.setattr(pdf_writer, "page_references_kept", contextlib.nullcontext)
    monkeypatch.setattr(pdf_writer, "page_styles_by_key", contextlib.nullcontext)
    assert pdf_bytes() == sped_up
    reader = PdfReader(io.BytesIO(sped_up))
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged: the references were read
    assert len(reader.pages) > 10  # with running heads and folios: margin boxes were styled
