"""Typed records passed between the crawl stages, the fact extractor and storage."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Attribute vocabulary of spec section 2; the extractor may add more.
ATTRIBUTES = (
    "founded",
    "founder",
    "ceo",
    "doctors",
    "partner_hospitals",
    "patients_managed",
    "members",
    "renamed_to",
    "funding",
    "facility",
)
# Attributes that hold a set: each value is its own current fact, a new one is a new_fact.
SET_VALUED = frozenset({"facility", "founder"})
APPROX = ("", "more_than", "about")
# Name endings of spec section 1, longest first so that 医生集团联盟 wins over 医生集团.
GROUP_SUFFIXES = ("医生工作室集团", "医生集团联盟", "医师集团联盟", "医生集团", "医师集团", "名医集团")
ENTITY_KINDS = ("doctor_group", "alliance")
CHANGE_KINDS = ("new_entity", "renamed", "changed", "new_fact")


@dataclass
class Fact:
    """One statement an article makes about one entity (spec section 2)."""

    entity: str
    attribute: str
    value: int | str
    approx: str = ""
    evidence: str = ""
    published: str | None = None
    url: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Entity:
    """A doctor group or alliance named in an article, under its canonical name."""

    name: str
    kind: str = "doctor_group"
    aliases: list[str] = field(default_factory=list)


@dataclass
class Extraction:
    """What one article says: the entities its body names and the facts it states."""

    entities: list[Entity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)


@dataclass
class Page:
    """An article page after chrome removal: metadata and body text.

    `text` is the body as the page has it; `normalised` is the same text after
    spec section 3 normalisation, which everything downstream reads.
    """

    url: str
    title: str | None
    published: str | None
    author: str | None
    text: str
    normalised: str
    encoding: str | None = None


@dataclass
class Change:
    """One recorded difference between what was known and what a crawl found (spec section 4)."""

    kind: str
    entity: str
    attribute: str | None
    old: Any
    new: Any
    published: str | None
    url: str | None
    evidence: str | None
    detected_at: str
    run_id: int | None = None
    current_name: str | None = None
    # Extras beyond the contract's fields: the stored id, the title of the article
    # that raised it, and for a new entity the facts it arrived with.
    id: int | None = None
    title: str | None = None
    facts: list[dict[str, Any]] = field(default_factory=list)
    # The qualifiers (APPROX) of `new` and `old`: 2万余名 is 20000 with "more_than".
    approx: str = ""
    old_approx: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Analysed:
    """A page after decoding, extraction, normalisation, fingerprinting and fact extraction.

    `bands` are the fingerprint's near-duplicate index keys (storage.neardup.band_keys).
    A page found not `relevant` (it names no keyword) has no fingerprint, bands or facts:
    it is recorded as seen, without its text.
    """

    page: Page
    fingerprint: bytes
    bands: list[tuple[int, int]]
    extraction: Extraction
    relevant: bool = True
