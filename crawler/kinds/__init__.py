"""Source kinds: how a source's documents (listing pages, feeds, sitemaps) give article links.

A kind is a class in its own module here; subclassing `SourceKind` with a `name`
registers it in `KINDS`, and every module of this package is imported below, so a new
kind touches only its own file (and the docs). A kind declares the config keys it takes
beyond the common ones (`required`, `optional`), as urlwatch's job kinds do;
crawler.config validates a source against them.
"""
from __future__ import annotations

import importlib
import pkgutil

from crawler.kinds.base import KINDS, DocumentError, Link, SourceKind

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["KINDS", "DocumentError", "Link", "SourceKind"]
