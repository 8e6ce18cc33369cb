"""Spec section 3 normalisation: what every recogniser downstream reads.

Pinyin glosses dropped, traditional → simplified (OpenCC t2s), full-width ASCII
forms → ASCII, ideographic spaces → spaces. Chinese punctuation other than the
full-width ASCII forms (、。“”《》) is kept: it carries sentence structure.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

# A gloss is a parenthesised pinyin syllable with a tone mark, written right after a
# Han character: 醫(yī)生. Toneless Latin in brackets (e.g. (ID:vistamed)) is kept.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_GLOSS = re.compile(
    rf"(?<=[\u3400-\u9fff])[(（]\s*[a-zü{_TONED}]*[{_TONED}][a-zü{_TONED}]*\s*[)）]",
    re.IGNORECASE,
)
# Full-width forms U+FF01–U+FF5E map to ASCII by a fixed offset.
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def drop_pinyin_glosses(text: str) -> str:
    """Remove toned pinyin glosses written in brackets after Han characters."""
    return _GLOSS.sub("", text)


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese with OpenCC's t2s table."""
    return _t2s().convert(text)


def fullwidth_to_ascii(text: str) -> str:
    """Full-width digits, letters and ASCII punctuation → ASCII; ideographic space → space."""
    return text.translate(_FULLWIDTH)


def normalise(text: str) -> str:
    """Apply the whole of spec section 3 to `text`.

    NFC first so that tone marks typed as combining accents match the gloss pattern.
    """
    text = unicodedata.normalize("NFC", text)
    return to_simplified(fullwidth_to_ascii(drop_pinyin_glosses(text)))
