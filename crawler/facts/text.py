"""Sentences of a normalised body, with their offsets and paragraph numbers."""
from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at 。!?; or a line break; a closing quote right after the mark
# belongs to the sentence it closes.
_SENTENCE = re.compile(r"[^。!?;\n]+(?:[。!?;]+[”\"')]*)?|[。!?;]+")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text exactly as in the body, where it starts, and its paragraph."""

    text: str
    start: int
    paragraph: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def split_sentences(text: str) -> list[Sentence]:
    """Split `text` into sentences; paragraphs are lines. Blank pieces are dropped.

    Leading and trailing spaces are trimmed from each sentence, so its text stays a
    substring of `text` that can serve as evidence.
    """
    sentences: list[Sentence] = []
    paragraph = 0
    line_start = 0
    for line in text.split("\n"):
        if line.strip():
            for match in _SENTENCE.finditer(line):
                piece = match.group()
                stripped = piece.strip()
                if not stripped or not re.search(r"[\w\u4e00-\u9fff]", stripped):
                    continue
                offset = line_start + match.start() + (len(piece) - len(piece.lstrip()))
                sentences.append(Sentence(stripped, offset, paragraph))
            paragraph += 1
        line_start += len(line) + 1
    return sentences
