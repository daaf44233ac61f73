"""Attribute lists that give an attribute no value, made safe before the passes that read them.

Python-Markdown's attr_list reads a bare word as an attribute without a value, so
`## Title {#1 bad id}` (an id with spaces) ends with `id` set to None, on which the toc pass
fails. Such an id, and an empty one or one with spaces, is dropped here: a heading then gets an
id made from its text, and the author hears which element lost it. Any other value-less
attribute becomes empty, as HTML reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# After attr_list (8) has set the attributes, before abbr (7), typography (6) and toc (5).
_PRIORITY = 7.5

Report = Callable[[str], None]  # called with the text of each element whose id was dropped


class ValuelessAttributes(Extension):
    """Python-Markdown extension: no attribute is left without a value; ids without one dropped."""

    def __init__(self, report: Report | None = None, **kwargs: Any) -> None:
        self.report = report
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(_Repair(md, self.report), "valueless_attributes", _PRIORITY)


class _Repair(Treeprocessor):
    def __init__(self, md: Markdown, report: Report | None) -> None:
        super().__init__(md)
        self.report = report

    def run(self, root: Element) -> None:
        for element in root.iter():
            for name, value in list(element.attrib.items()):
                if name == "id" and (value is None or not value.strip() or " " in value.strip()):
                    del element.attrib[name]
                    if self.report is not None:
                        self.report("".join(element.itertext()))
                elif value is None:
                    element.set(name, "")
