"""Break opportunities in long identifiers and addresses: `<wbr>` at their joints."""

from __future__ import annotations

import pytest
from lxml import etree, html

from publish.convert.breaks import mark_joints


def _marked(fragment: str) -> str:
    tree = html.fragment_fromstring(fragment, create_parent="div")
    text = tree.text_content()
    mark_joints(tree)
    assert tree.text_content() == text  # the text a reader copies is unchanged
    markup = etree.tostring(tree, encoding="unicode", method="xml")
    return markup.removeprefix("<div>").removesuffix("</div>")


@pytest.mark.parametrize(
    ("written", "marked"),
    [
        ("SO_REUSEADDR_AND_PORT", "SO<wbr/>_REUSEADDR<wbr/>_AND<wbr/>_PORT"),
        ("socket.SO_REUSEADDR", "socket<wbr/>.SO<wbr/>_REUSEADDR"),
        ("std::net::TcpListener", "std::<wbr/>net::<wbr/>Tcp<wbr/>Listener"),
        ("getAddrInfoFromHost", "get<wbr/>Addr<wbr/>Info<wbr/>From<wbr/>Host"),
        ("HTTPServerRequest", "HTTP<wbr/>Server<wbr/>Request"),
        # Short words, numbers, leading and doubled underscores are left alone.
        ("SO_LINGER", "SO_LINGER"),
        ("3.14159265358979", "3.14159265358979"),
        ("__init__method_x", "__init__method<wbr/>_x"),
    ],
)
def test_a_long_identifier_breaks_at_its_joints(written: str, marked: str) -> None:
    assert _marked(f"<p>Use {written} here.</p>") == f"<p>Use {marked} here.</p>"


def test_an_address_keeps_its_scheme_with_its_host() -> None:
    assert _marked(
        '<p><a href="https://x.org/a_b">https://www.x.org/long/reuse_address.html</a></p>'
    ) == (
        '<p><a href="https://x.org/a_b"><span class="nowrap">https://www.x.org</span>'
        "/long/reuse<wbr/>_address<wbr/>.html</a></p>"
    )


def test_code_blocks_and_keys_are_left_as_written() -> None:
    written = "<pre><code>socket.SO_REUSEADDR</code></pre><p><kbd>ControlAltDelete</kbd></p>"
    assert _marked(written) == written


def test_joints_inside_inline_code_and_around_elements() -> None:
    assert _marked(
        "<p>A <code>hash_map::DefaultHasher</code>, then <em>x</em>DefaultHasherAgain.</p>"
    ) == (
        "<p>A <code>hash<wbr/>_map::<wbr/>Default<wbr/>Hasher</code>, then "
        "<em>x</em>Default<wbr/>Hasher<wbr/>Again.</p>"
    )
