"""The native libraries WeasyPrint loads when imported, and what to say when one is missing.

WeasyPrint lays out text with Pango (over GObject and HarfBuzz) through cffi; without them its
import raises OSError. That is the machine's set-up, not a bug: the author gets one line naming
the library and the command that installs it, and an EPUB-only build still works.
"""

from __future__ import annotations

import platform
import re

from publish.errors import Problem, PublishError

# Library name as WeasyPrint asks for it (without "lib" and version) -> Debian's packages.
DEBIAN_PACKAGES = {
    "gobject": "libglib2.0-0",
    "pango": "libpango-1.0-0",
    "pangoft2": "libpangoft2-1.0-0",
    "harfbuzz": "libharfbuzz0b",
    "harfbuzz-subset": "libharfbuzz-subset0",
    "fontconfig": "libfontconfig1",
}
EVERY_PACKAGE = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"


class MissingLibraryError(PublishError):
    """WeasyPrint cannot load a native library it needs to make the PDF."""


def missing_library(error: OSError) -> MissingLibraryError:
    """The one-line message for WeasyPrint's `cannot load library 'libpango-1.0-0'`."""
    found = re.search(r"cannot load library '([^']+)'", str(error))
    library = found[1] if found else str(error).split(":")[0]
    key = re.sub(r"^lib|(-\d[\d.]*)*(\.so.*|\.dylib)?$", "", library)
    if platform.system() == "Darwin":
        command = "brew install pango harfbuzz"
    else:
        wanted = DEBIAN_PACKAGES.get(key)
        packages = EVERY_PACKAGE if wanted is None or wanted in EVERY_PACKAGE else wanted
        command = f"sudo apt-get install {packages}"
    message = (
        f"the PDF needs the system library {library}, which is not installed: run '{command}'"
        " (or 'make book', which installs it); '--format epub' builds the EPUB without it"
    )
    return MissingLibraryError([Problem("publish", None, None, message)])
