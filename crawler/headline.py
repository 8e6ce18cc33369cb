"""A page's headline: the heading that the page's <title> also names, without the site's name.

News CMSs print their section or site name in an <h1> as often as the headline, and
add the site's name to <title> ("…|香港_新浪新闻", "…-EDN 电子技术设计", "栏目--…").
The headline is the heading (h1–h5, or an element classed as a title) sharing the
longest stretch with <title>/og:title; where no heading shares enough, the last
heading before the body; else the longest part of <title> between separators.
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher

_HEADINGS = "//h1|//h2|//h3|//h4|//h5|//*[contains(@class,'title') and not(self::title)]"
# Headings looked at, in document order: enough for any page's header and article.
_MAX_HEADINGS = 60
_MIN_TITLE, _MAX_TITLE = 4, 80
# A heading is the headline when this share of it, and at least _MIN_SHARED characters, is in
# <title>: fewer are the site's or section's name ("中国地理学会" in "新闻动态--中国地理学会官网").
_SHARED = 0.6
_MIN_SHARED = 8
# Separators between a headline and the site or section name in <title>.
_SEPARATORS = re.compile(r"\s*(?:_|\||｜|--+|——|\s[-–—]\s)\s*")


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _shared(heading: str, reference: str) -> int:
    if heading in reference:
        return len(heading)
    match = SequenceMatcher(None, heading, reference, autojunk=False).find_longest_match(
        0, len(heading), 0, len(reference))
    return match.size


def _headings(tree) -> list[str]:
    texts = (_collapse(element.text_content()) for element in tree.xpath(_HEADINGS)[:_MAX_HEADINGS])
    return [text for text in texts if _MIN_TITLE <= len(text) <= _MAX_TITLE]


def _titles(tree) -> list[str]:
    texts = (_collapse(t) for t in tree.xpath("//meta[@property='og:title']/@content|//title//text()"))
    return [text for text in texts if text]


def titled_heading(tree) -> str | None:
    """The heading that <title>/og:title also names (the longest shared stretch wins), if any."""
    titles = _titles(tree)
    reference = " ".join(titles)
    # Most pages: an <h1> that <title> holds whole and that is most of it (not the site's name),
    # found without comparing any other heading.
    longest = max(map(len, titles), default=0)
    for h1 in tree.iter("h1"):
        text = _collapse(h1.text_content())
        if len(text) >= _MIN_SHARED and 2 * len(text) >= longest and text in reference:
            return text
    scored = [(_shared(text, reference), -index, text) for index, text in enumerate(_headings(tree))]
    best = max(scored, default=None)
    return best[2] if best and best[0] >= max(_MIN_SHARED, _SHARED * len(best[2])) else None


def untitled_headline(tree, body_start: str) -> str | None:
    """Where no heading matches <title>: the last heading before the body, else <title>'s longest part.

    `body_start` is the opening of the body's first line, found in the page's text to
    know where the body begins.
    """
    last = None
    headings = set(tree.xpath(_HEADINGS)[:_MAX_HEADINGS])
    for element in tree.iter():
        if element in headings:
            text = _collapse(element.text_content())
            if body_start and body_start in text:
                break
            if _MIN_TITLE <= len(text) <= _MAX_TITLE:
                last = text
        elif body_start and body_start in _collapse((element.text or "") + (element.tail or "")):
            break
    if last:
        return last
    parts = [part for title in _titles(tree) for part in _SEPARATORS.split(title) if part]
    return max(parts, key=len) if parts else None
