"""Fact extraction: what one article says about which doctor groups (spec sections 1–2).

`extract_facts` runs the default extractor. Extractors are pluggable: anything with
the `FactExtractor` method can be registered in `EXTRACTORS` (a model served by the
user, say) and chosen by name with `get_extractor`.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Protocol

from crawler.errors import DgwatchError
from crawler.facts.extractor import RuleExtractor
from storage.records import Extraction

__all__ = ["DEFAULT_EXTRACTOR", "EXTRACTORS", "FactExtractor", "RuleExtractor", "extract_facts", "get_extractor"]


class FactExtractor(Protocol):
    """Turns one normalised article body into entities and facts."""

    def extract(self, text: str, *, published: str | None, url: str | None,
                known: dict[str, str] | None) -> Extraction:
        """Entities named in `text` and the facts it states about them.

        `known` maps alias → canonical name of entities already stored, so that a new
        name after a rename, or a short alias, resolves to the stored entity.
        """
        ...


EXTRACTORS: dict[str, type] = {"rules": RuleExtractor}
DEFAULT_EXTRACTOR = "rules"


def get_extractor(name: str = DEFAULT_EXTRACTOR) -> FactExtractor:
    """A new extractor of the registered kind `name`; DgwatchError names an unknown one."""
    try:
        return EXTRACTORS[name]()
    except KeyError:
        raise DgwatchError(f"unknown fact extractor {name!r} (known: {', '.join(sorted(EXTRACTORS))})") from None


def extract_facts(text: str, *, published: str | None = None, url: str | None = None,
                  known: dict[str, str] | None = None) -> Extraction:
    """Entities and facts of one normalised article body, with the default extractor.

    `published` and `url` are copied into every fact; `known` maps alias → canonical
    entity name already in the database.
    """
    return _default().extract(text, published=published, url=url, known=known)


@lru_cache(maxsize=1)
def _default() -> FactExtractor:
    return get_extractor(DEFAULT_EXTRACTOR)
