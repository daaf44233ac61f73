"""Cover, title, copyright, contents and chapters -> EPUB 3 via ebooklib."""

from __future__ import annotations

from typing import Any

from ebooklib import epub
from lxml import etree

from publish.epub import accessibility, stores
from publish.epub.cover import book_cover
from publish.epub.pagemarks import mark_pages
from publish.model import Book, Entry, Memo, computed, contents
from publish.pdf import PageMap, book_faces, render, stylesheet
from publish.pdf import documents as sections_by_document

CSS_HREF = "css/book.css"
NAV_HREF = "nav.xhtml"
XHTML = "http://www.w3.org/1999/xhtml"
APPLE_OPTIONS = "META-INF/com.apple.ibooks.display-options.xml"
APPLE_SPECIFIED_FONTS = b"""<?xml version="1.0" encoding="UTF-8"?>
<display_options>
  <platform name="*">
    <option name="specified-fonts">true</option>
  </platform>
</display_options>
"""


def make_epub(book: Book, page_map: PageMap | None = None, memo: Memo = computed) -> epub.EpubBook:
    """The whole EPUB as ebooklib objects; nothing is written yet.

    With the `page_map` of the print edition, its pages are marked in the text and listed.
    """
    meta = book.metadata
    package = epub.EpubBook()
    package.set_identifier(book.epub.identifier or meta.identifier)  # the EPUB's own, if any
    package.set_title(meta.title)
    package.set_language(meta.language)
    for number, author in enumerate(meta.authors, start=1):
        package.add_author(author, uid=f"creator{number}")
    for name, value in [
        ("description", meta.description),
        ("publisher", meta.publisher),
        ("rights", meta.rights),
        ("date", meta.date.isoformat() if meta.date else None),
    ]:
        if value:
            package.add_metadata("DC", name, value)

    css = stylesheet("book.css") + stylesheet("epub.css")
    css += stylesheet("code.css") + stylesheet("code-epub.css") + stylesheet("blocks.css")

    cover = book_cover(book, memo)
    stores.check(book, cover)
    package.set_cover(cover.source_path, cover.data, create_page=False)
    cover_page = _page(
        book, "cover", "cover.xhtml", "Cover", "epub/cover.xhtml", cover_href=cover.source_path
    )
    title_page = _page(
        book,
        "titlepage",
        "titlepage.xhtml",
        meta.title,
        "epub/titlepage.xhtml",
        division="frontmatter",
    )
    copyright_page = _page(
        book,
        "copyright",
        "copyright.xhtml",
        "Copyright",
        "epub/copyright.xhtml",
        division="frontmatter",
        # The typeface is named only when this edition carries it.
        typeface=book_faces()[0].family if book.epub.embed_fonts else None,
        isbn=book.isbn("epub"),
    )
    chapters = [
        _page(
            book,
            chapter.anchor,
            chapter.href,
            chapter.title,
            "epub/chapter.xhtml",
            division=chapter.division,
            chapter=chapter,
            html=chapter.html,
        )
        for chapter in book.chapters
    ]
    for number, asset in enumerate(book.assets, start=1):
        if asset.source_path == cover.source_path:
            continue  # a chapter shows the cover image: it is in the package already
        package.add_item(
            epub.EpubItem(
                uid=f"image-{number}",
                file_name=asset.source_path,
                media_type=asset.media_type,
                content=asset.data,
            )
        )
    for page in [cover_page, title_page, copyright_page, *chapters]:
        package.add_item(page)
    documents = {"titlepage": title_page, "copyright": copyright_page}
    documents |= {
        chapter.anchor: page for chapter, page in zip(book.chapters, chapters, strict=True)
    }
    page_list = _mark_pages(book, page_map, documents) if page_map else []

    content = accessibility.survey(book, page_list=bool(page_list))
    print_edition = f"{meta.title}, print edition (PDF)"
    for name, value in accessibility.metadata(content, print_edition):
        package.add_metadata("OPF", name, value, {"property": name})

    # The NCX, for reading systems older than EPUB 3, is made by ebooklib from `toc`.
    # A dedication or an epigraph that opens the book stands before the contents, unlisted.
    package.toc = [
        _toc_entry(entry, f"toc-{number}")
        for number, entry in enumerate(contents(book.after_contents), start=1)
    ]
    body_start = next((c for c in book.chapters if c.division == "bodymatter"), book.chapters[0])
    landmarks = [
        {"type": "cover", "href": cover_page.file_name, "title": "Cover"},
        {"type": "toc", "href": NAV_HREF, "title": "Contents"},
        {"type": "bodymatter", "href": body_start.href, "title": "Begin Reading"},
    ]
    nav = _Nav(uid="nav", file_name=NAV_HREF, title="Contents")
    nav.content = _render(
        book,
        "epub/nav.xhtml",
        page_title="Contents",
        division="frontmatter",
        contents=contents(book.after_contents),
        landmarks=landmarks,
        pages=page_list,
    )
    package.add_item(nav)
    package.add_item(epub.EpubNcx())
    if book.epub.embed_fonts:
        css += _embed_fonts(package, [cover_page, title_page, copyright_page, nav, *chapters])
    package.add_item(
        epub.EpubItem(uid="css", file_name=CSS_HREF, media_type="text/css", content=css.encode())
    )
    opening = len(book.opening)
    package.spine = [cover_page, title_page, copyright_page, *chapters[:opening], nav]
    package.spine += chapters[opening:]
    # The EPUB 2 guide, for older reading systems; EPUB 3 ones read the landmarks.
    package.guide = [
        {"type": "cover", "href": cover_page.file_name, "title": "Cover"},
        {"type": "toc", "href": NAV_HREF, "title": "Contents"},
        {"type": "text", "href": body_start.href, "title": "Begin Reading"},
    ]
    return package


def _embed_fonts(package: epub.EpubBook, pages: list[_Page]) -> str:
    """Add the book's faces, subset to the text of `pages`; returns their @font-face rules."""
    from publish.epub.fonts import embed  # fontTools' subsetter loads only when asked for

    text: list[str] = []
    code: list[str] = []
    for page in pages:
        root = etree.fromstring(page.content)
        text += map(str, root.itertext())
        for element in root.iter(*(f"{{{XHTML}}}{tag}" for tag in ("code", "pre", "kbd", "samp"))):
            code += map(str, element.itertext())
    fonts, licences = embed("".join(text), "".join(code))
    for number, font in enumerate(fonts, start=1):
        package.add_item(
            epub.EpubItem(
                uid=f"font-{number}", file_name=font.href, media_type="font/ttf", content=font.data
            )
        )
    for number, licence in enumerate(licences, start=1):
        package.add_item(
            epub.EpubItem(
                uid=f"font-licence-{number}",
                file_name=licence.href,
                media_type="text/plain",
                content=licence.text,
            )
        )
    # Apple Books shows a book's own fonts only when the book asks for them.
    apple = epub.EpubItem(file_name=APPLE_OPTIONS, content=APPLE_SPECIFIED_FONTS)
    apple.manifest = False
    package.add_item(apple)
    # The book's typeface, subset to the characters it uses ([epub] embed-fonts = true).
    return render("partials/font-faces.css", faces=[(font, f"../{font.href}") for font in fonts])


def _mark_pages(book: Book, page_map: PageMap, documents: dict[str, _Page]) -> list[dict[str, str]]:
    """Place a page-break marker where each page of the print edition starts; list them."""
    chapter_ids = [chapter.anchor for chapter in book.chapters]
    hrefs: dict[int, str] = {}  # index in page_map.pages -> its marker
    starting: dict[str, list[int]] = {}  # document -> indexes of the pages starting in it
    for index, start in enumerate(page_map.pages):
        starting.setdefault(start.document, []).append(index)
    for name, page in documents.items():
        indexes = starting.get(name)
        if not indexes:
            continue
        root = etree.fromstring(page.content)
        ids = {element.get("id") for element in root.iter() if element.get("id")}
        section = sections_by_document(root, chapter_ids)[name]
        marker_ids = mark_pages(section, [page_map.pages[i] for i in indexes], ids)
        for index, marker_id in zip(indexes, marker_ids, strict=True):
            if marker_id is not None:
                hrefs[index] = f"{page.file_name}#{marker_id}"
        page.content = etree.tostring(root.getroottree(), encoding="utf-8", xml_declaration=True)
    return [{"href": hrefs[i], "label": page_map.pages[i].label} for i in sorted(hrefs)]


def _toc_entry(entry: Entry, uid: str) -> Any:
    """The entry in the NCX, with the entries under it."""
    # NCX and OPF ids must be XML names: a letter first, whatever the file is called.
    link = epub.Link(entry.href, entry.title, uid)
    children = [
        _toc_entry(child, f"{uid}-{index}") for index, child in enumerate(entry.children, start=1)
    ]
    return (link, children) if children else link


class _Page(epub.EpubHtml):  # type: ignore[misc]
    """A page rendered whole from our templates, written as it is.

    ebooklib would re-parse it with an HTML parser and rebuild its head; our page is
    already well-formed XHTML with its stylesheet linked.
    """

    def get_content(self, default: Any = None) -> bytes:
        content: bytes = self.content
        return content


class _Nav(epub.EpubNav):  # type: ignore[misc]
    """The navigation document, rendered whole from epub/nav.xhtml."""


def _page(
    book: Book,
    uid: str,
    file_name: str,
    title: str,
    template: str,
    division: str | None = None,
    **context: Any,
) -> _Page:
    page = _Page(uid=uid, file_name=file_name, title=title, lang=book.metadata.language)
    page.content = _render(book, template, page_title=title, division=division, **context)
    return page


def _render(book: Book, template: str, **context: Any) -> bytes:
    # bytes: lxml refuses a str that carries an XML encoding declaration
    return render(template, meta=book.metadata, **context).encode("utf-8")
