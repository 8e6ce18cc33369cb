"""Decode page bytes to text: config override, then HTTP header, then <meta>, then sniffing.

Chinese sites often declare gb2312 (or gbk) and use characters only GB18030 has, and
declare big5 while using the Hong Kong extensions; declared legacy charsets are therefore
widened to their supersets before decoding.
"""
from __future__ import annotations

import codecs

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding

from crawler.errors import DgwatchError

# A declared charset decodes as its superset: what the page says is rarely all it uses.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "big5hkscs": "big5hkscs",
    "ascii": "utf-8",
    "latin-1": "utf-8",
    "iso8859-1": "utf-8",
    "cp1252": "utf-8",
}
_SNIFF_ORDER = ("utf-8", "gb18030", "big5hkscs")
# A page whose non-ASCII text is at least this share valid UTF-8 is UTF-8 with a few bad
# bytes (a truncated sequence, a stray byte): legacy Chinese text is mostly invalid UTF-8.
_UTF8_SHARE = 0.95
# C0 control characters other than tab, newline, form feed, carriage return, and the
# shifts and escape of ISO-2022: text has next to none, binary data about one byte in ten.
_CONTROLS = bytes(b for b in range(32) if b not in b"\t\n\f\r\x0e\x0f\x1b")
_SAMPLE = 8192
_MAX_CONTROL_SHARE = 0.01
# Frequent characters of news text: a wrong legacy decoding turns
# text into rare characters, so the right charset is the one that yields most of these.
_COMMON = frozenset(
    "的一是在不了有和人中大上个我以要他时来用们生到作地于出就分成可主年同工也能下过子"
    "产种面而方后多定行学法所民得十三之进着等部度家力里如水化高自二理起小物现实加量都"
    "两体制当使点从业本去把性好应开它合还因由其些然前外天四日那社事平形相全表间样与关"
    "各重新内数正心反你明看原又利比或但气第向道此变条只没结解问意建月公无系很情者最立"
    "代想已通并提直题程展五果料象员位入常文总次品式活设及管特件长求老头基资边流路级少"
    "图山接知较将组见计别她手角期根运农指几九区强放决西被干做必先回则任取据处南给色光"
    "门即保治北造百规热领七海口东器压志世金增争济思术极交受联什认六共权收证改清己美再"
    "医院集团生患病科心脏专家合作签约床位创始投资融资"
)


class EncodingError(DgwatchError):
    """The page's bytes cannot be decoded with the encoding it or the config gives."""


class NotText(EncodingError):
    """The body is binary data (NULs, control characters), not a page of text."""


def _check_text(body: bytes) -> None:
    sample = body[:_SAMPLE]
    controls = len(sample) - len(sample.translate(None, _CONTROLS))
    if sample and controls > _MAX_CONTROL_SHARE * len(sample):
        raise NotText(f"not an article: binary data, not text ({controls} control bytes in the first {len(sample)})")


def _mostly_utf8(body: bytes) -> str | None:
    """`body` decoded as UTF-8 with replacements, if nearly all its non-ASCII bytes are valid UTF-8."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", errors="ignore")) - bad
    return text if good and good >= _UTF8_SHARE * (good + bad) else None


def _canonical(name: str | None) -> str | None:
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    return _SUPERSETS.get(codec.replace("_", "-"), _SUPERSETS.get(codec, codec))


def _sniff(body: bytes) -> tuple[str, str]:
    """(text, charset): of UTF-8 and the legacy charsets, bad bytes replaced, the decoding with most common Han characters."""
    best, best_score = ("", "utf-8"), -1
    for candidate in _SNIFF_ORDER:
        text = body.decode(candidate, errors="replace")
        score = sum(ch in _COMMON for ch in text)
        if score > best_score:
            best, best_score = (text, candidate), score
    return best


def decode_html(body: bytes, content_type: str | None = None, override: str | None = None) -> tuple[str, str]:
    """Decode `body`; returns (text, encoding used).

    The config's `override` wins; else the charset of the Content-Type header; else
    the page's own <meta> declaration; else a sniff over UTF-8, GB18030 and Big5-HKSCS.
    Bytes that are valid UTF-8, or nearly (a few bad bytes, replaced), are read as UTF-8
    unless overridden. A declared charset that does not decode the bytes is ignored in
    favour of the next source; only an override that fails is an error. Binary data
    (NULs, control characters) raises NotText.
    """
    _check_text(body)
    if body.startswith(codecs.BOM_UTF8):
        return body[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8"
    if override:
        encoding = _canonical(override)
        if encoding is None:
            raise EncodingError(f"unknown encoding {override!r}")
        try:
            return body.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise EncodingError(f"page is not valid {override}: {exc.reason} at byte {exc.start}") from None
    # Chinese text in a legacy charset practically never forms valid multi-byte UTF-8,
    # so bytes that decode as UTF-8 are UTF-8 whatever a stale header claims.
    if not body.isascii():
        nearly = _mostly_utf8(body)
        if nearly is not None:
            return nearly, "utf-8"
    declared = [
        http_content_type_encoding(content_type) if content_type else None,
        html_body_declared_encoding(body[:4096]),
    ]
    for name in declared:
        encoding = _canonical(name)
        if encoding:
            try:
                return body.decode(encoding), encoding
            except UnicodeDecodeError:
                continue
    return _sniff(body)
