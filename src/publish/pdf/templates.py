"""The one Jinja2 environment over styles/templates, and the CSS beside it."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # src/publish/


@functools.cache
def styles_dir() -> Path:
    """styles/ (templates and CSS): inside the installed package, or at the top of a checkout."""
    for candidate in (PACKAGE_DIR / "styles", PACKAGE_DIR.parents[1] / "styles"):
        if (candidate / "templates").is_dir():
            return candidate
    raise FileNotFoundError(f"publish's styles/ folder is missing beside {PACKAGE_DIR}")


@functools.cache
def environment() -> jinja2.Environment:
    import jinja2  # on first use: a build with nothing to do never renders a template

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(styles_dir() / "templates"),
        # Every value is escaped: a title such as "{{ x }}" or "<b>" is shown as written.
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "xhtml"), disabled_extensions=("css",), default=True
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def stylesheet(name: str) -> str:
    return (styles_dir() / name).read_text(encoding="utf-8")
