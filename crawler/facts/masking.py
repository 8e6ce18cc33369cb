"""Sentences with each entity mention replaced by one placeholder character.

Attribute patterns then refer to "an entity here" as one character (`ENTITY`), and
a figure or a person inside a name can never be mistaken for a fact's own.
"""
from __future__ import annotations

from dataclasses import dataclass

from crawler.facts.entities import Mention
from crawler.facts.text import Sentence

PLACEHOLDER_FIRST = 0xE000
PLACEHOLDER_LAST = 0xF8FF
ENTITY = "[\ue000-\uf8ff]"
"""Regex source matching one placeholder character."""


def is_placeholder(char: str) -> bool:
    return PLACEHOLDER_FIRST <= ord(char) <= PLACEHOLDER_LAST


@dataclass
class MaskedSentence:
    """A sentence whose mentions are placeholders, with a map back to the original text."""

    sentence: Sentence
    text: str
    mentions: dict[str, Mention]
    offsets: list[int]
    """offsets[i]: where masked character i starts in the sentence; one extra at the end."""

    def original(self, start: int, end: int) -> str:
        """The sentence text behind masked characters start..end."""
        return self.sentence.text[self.offsets[start]:self.offsets[end]]


def mask(sentence: Sentence, mentions: list[Mention]) -> MaskedSentence:
    """Replace every mention inside `sentence` by a placeholder of its own."""
    first, last = sentence.start, sentence.end
    inside = [m for m in mentions if m.start >= first and m.end <= last]
    pieces: list[str] = []
    offsets: list[int] = []
    placeholders: dict[str, Mention] = {}
    cursor = 0
    for number, mention in enumerate(inside):
        start, end = mention.start - sentence.start, mention.end - sentence.start
        pieces.append(sentence.text[cursor:start])
        offsets.extend(range(cursor, start))
        char = chr(PLACEHOLDER_FIRST + number)
        placeholders[char] = mention
        pieces.append(char)
        offsets.append(start)
        cursor = end
    pieces.append(sentence.text[cursor:])
    offsets.extend(range(cursor, len(sentence.text) + 1))
    return MaskedSentence(sentence, "".join(pieces), placeholders, offsets)
