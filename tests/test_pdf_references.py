"""The PDF writer's page references, built once per page count: same PDF, less time."""

from __future__ import annotations

import contextlib
import io

import pydyf
import pytest
from pypdf import PdfReader

from publish.writers import pdf as pdf_writer
from publish.writers.pdf_references import page_references_kept


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


def test_the_same_pdf_bytes_with_and_without(features, monkeypatch: pytest.MonkeyPatch) -> None:
    from publish.convert import convert_book
    from publish.manuscript import load_book
    from publish.output import build_time

    book = convert_book(load_book(features.source))
    laid_out = pdf_writer.layout_pdf(book, pdf_writer.make_print_html(book, build_time()))
    kept = io.BytesIO()
    pdf_writer.write_pdf(book, laid_out, kept)
    monkeypatch.setattr(pdf_writer, "page_references_kept", contextlib.nullcontext)
    rebuilt = io.BytesIO()
    pdf_writer.write_pdf(book, laid_out, rebuilt)
    assert kept.getvalue() == rebuilt.getvalue()
    kept.seek(0)
    assert "/StructTreeRoot" in PdfReader(kept).trailer["/Root"]  # tagged: the references were read
