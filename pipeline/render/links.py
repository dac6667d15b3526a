"""Links built from file names: relative URLs that can never carry a scheme.

Article file names, slugs and language folders come from disk, where anyone who can commit to the
translators' repository or drop a file in the articles folder chooses them. Escaping a value for
HTML is not enough for an ``href``: ``javascript:alert(1).txt`` is valid HTML and a working script
URL. So every path segment is percent-encoded (``:``, ``#``, ``?``, ``%`` included, which also
makes names with those characters link to the right file) and the URL starts ``./`` or ``../``,
which no URL scheme can.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from urllib.parse import quote


def relative_url(path: str | PurePath) -> str:
    """A relative file path (``../articles/a:b.txt``) as a URL (``../articles/a%3Ab.txt``)."""
    segments = PurePath(path).as_posix().split("/")
    url = "/".join(quote(segment, safe="") for segment in segments)
    return url if url.startswith(("./", "../")) or url in {".", ".."} else f"./{url}"


def file_url(target: str | Path, base: Path) -> str:
    """A link from a page in folder ``base`` to ``target`` (relative to the working folder, or
    absolute): relative when it can be, else a ``file:`` URL (``Path.as_uri`` encodes it)."""
    target = Path(target)
    if target.is_absolute():
        return target.as_uri()
    return relative_url(os.path.relpath(target.resolve(), base.resolve()))
