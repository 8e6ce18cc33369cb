"""Where a doctor group's name starts: the stem before its ending, and whether it names anyone.

A name is found by extending an ending (医生集团 …) to the left over name characters,
token by token (jieba, bundled dictionary only), until a word that cannot be part of a
name: a verb that governs the name (成立, 加入 …), a function word, a numeral or
measure word (一家, 首个, 7家), a pronoun or a common time word. What is left must
name someone in particular: a stem made only of specialties, descriptors, common words
or places (专科, 妇产科, 国际化, 条件, 上海) is a generic phrase.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache

from crawler.facts import dictionary
from crawler.facts.lexicon import (GENERIC_WORDS, NAME_STOP_POS, NAME_STOP_WORDS, PLACE_SUFFIXES, PLACES,
                                   SPECIALTY_TERMS)
from crawler.facts.viterbi import PosModel, viterbi

NAME_CHARS = r"\u4e00-\u9fffA-Za-z0-9·&"
"""Regex class body of the characters a name is written with."""
_NAME_CHAR = re.compile(f"[{NAME_CHARS}]")
_MAX_STEM = 16
# A numeral with a measure word (另一家, 第三个) makes a phrase generic.
_COUNTED = re.compile(r"(?:[一二两三四五六七八九十几数多每各另这那该首]|第.)(?:家|个|支|批|类|种)")
# Parts of speech that describe rather than name; a name needs one other token.
_DESCRIPTIVE_POS = frozenset("v vn vd vi a ad an ag b f z".split())
_VERB_POS = frozenset("v vn vd vi".split())
_PROPER_POS = frozenset("nr nrt nrfg nz nt ns eng".split())
# Dictionary frequency from which a word is too common to name a group on its own,
# and from which a verb cannot be part of a name.
_COMMON = 1000
_COMMON_VERB = 100
# Verbs and descriptions too common to be read as part of a coined brand (要, 看, 做 …);
# 达 and 开, just under it, name brands as often as they govern (立达, 远达).
_COMMON_CHAR = 30000
_ORGANISATIONS = ("医院", "病院", "大学", "公司", "学院", "集团", "机构", "协会", "学会")
NAME_OPENERS = frozenset("“‘「『《〈(（\"'、")
"""Characters that open a quotation, a title or a list item, before a name: a 和 right
after one cannot be a conjunction."""
# Characters the tokeniser may glue to the front of an unknown name (由朗润, 从朗润).
_FUNCTION_CHARS = frozenset("由从了在与和及对向把被将给为于的是据让使以当随经自同跟往朝这那其该")
# Those that never start a name, so they come off an unknown word of two characters
# too (的济 in 发起的济诚); 于, 向, 和 … are surnames or brand characters as well.
_PARTICLES = frozenset("的了及与被把是从由在对给让使暨")
# "Former", before a name it does not belong to (原云川医生集团, 前星海医生集团): split off an
# unknown word of three characters or more only, as 原点 or 前海 are names of their own.
_FORMER = frozenset("原前")
# Particles and conjunctions that end a name wherever the tokeniser put them: inside a
# word it does not know, or (是) inside a dictionary word (黄平 | 国是 | 星德).
_INSIDE_STOPS = frozenset("了的是与及")
# Below this dictionary frequency a word is a rare entry, such as a person's name.
_RARE = 10
# A counted span of time ends a name even when the tokeniser reads across it
# (5年内景仁: 年 | 内景 | 仁; 近两年中国), and so does a year (2015中国医生集团大会 is an
# event): the stem starts after it.
_DURATION = re.compile(r"[\d一二三四五六七八九十百几数多半两个][年月周天日](?:内|来|间)"
                       r"|(?:近|这|最近|过去|前|头)[\d一二三四五六七八九十几数两]+个?[年月周天]"
                       r"|(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])年?")


def canonical_form(name: str) -> str:
    """The canonical spelling of a name: 医师集团 folded to 医生集团."""
    return name.replace("医师集团", "医生集团")


def entity_kind(name: str) -> str:
    """"alliance" for names ending in 联盟, else "doctor_group"."""
    return "alliance" if name.endswith("联盟") else "doctor_group"


@lru_cache(maxsize=1)
def _posseg():
    """jieba's part-of-speech tokenizer, with the dictionaries crawler.facts.dictionary loads, and
    its HMM pass over unknown words memoised and done by numpy (crawler/facts/viterbi.py).

    That pass (a pure-Python Viterbi over every part of speech) was most of fact
    extraction's time, and it runs again and again on the same few unknown names
    (明川, 由丁英): the same group is written about article after article.
    """
    import jieba

    jieba.setLogLevel(logging.WARNING)
    posseg = dictionary.load(SPECIALTY_TERMS)
    model = PosModel(posseg.char_state_tab_P, posseg.start_P, posseg.trans_P, posseg.emit_P)

    class MemoPOSTokenizer(posseg.POSTokenizer):
        # jieba 0.42.1 (pinned, its last release) cuts a run of unknown characters in
        # the private __cut_detail; its result depends on the run alone.
        @lru_cache(maxsize=4096)
        def _POSTokenizer__cut_detail(self, sentence: str) -> tuple:
            return tuple(super()._POSTokenizer__cut_detail(sentence))

        # __cut_detail's Viterbi pass over each run of Chinese characters, in numpy; the
        # rest is jieba's __cut, reading the route into words.
        def _POSTokenizer__cut(self, sentence: str):
            route = viterbi(sentence, model)[1]
            begin = following = 0
            for i, (position, tag) in enumerate(route):
                if position == "B":
                    begin = i
                elif position in "ES":
                    yield posseg.pair(sentence[begin if position == "E" else i:i + 1], tag)
                    following = i + 1
            if following < len(sentence):
                yield posseg.pair(sentence[following:], route[following][1])

    tokenizer = MemoPOSTokenizer.__new__(MemoPOSTokenizer)
    tokenizer.__dict__.update(posseg.dt.__dict__)
    return tokenizer


# Bounded, like the memo above, so that a worker's memory stops growing after a few
# thousand pages (each entry ~1 kB); popular names stay cached.
@lru_cache(maxsize=4096)
def tokens(run: str) -> tuple[tuple[str, str], ...]:
    """(word, part of speech) pairs of `run`, cached."""
    return tuple((pair.word, pair.flag) for pair in _posseg().cut(run, HMM=True))


def is_place(word: str) -> bool:
    """A province, city or region from the lexicon, with or without 省/市/区."""
    if word in PLACES:
        return True
    for suffix in PLACE_SUFFIXES:
        if word.endswith(suffix) and word[: -len(suffix)] in PLACES:
            return True
    return False


def dictionary_frequency(word: str) -> int:
    """How often jieba's dictionary has seen `word` (0: not a dictionary word)."""
    return _posseg().tokenizer.FREQ.get(word) or 0


def _dictionary_verb(word: str) -> bool:
    """A common dictionary verb of two or more characters, or a phrase ending in one (全力支持).

    Rare dictionary verbs (启明), verbs unknown to the dictionary (创微 in 章建全创微) and
    single characters (润 in 朗润) may be part of a brand.
    """
    tags = _posseg().word_tag_tab
    if len(word) > 1 and tags.get(word) in _VERB_POS and dictionary_frequency(word) >= _COMMON_VERB:
        return True
    return len(word) >= 3 and tags.get(word[-2:]) in _VERB_POS and dictionary_frequency(word[-2:]) >= _COMMON_VERB


def _distinctive(word: str, flag: str) -> bool:
    """A token that can carry a name on its own: a proper noun or a rare word.

    Common words (条件, 私人), specialties and places cannot name a group alone. A word
    the dictionary does not know can, whatever part of speech the tokeniser guessed
    (怀信 and 启达 come out as verbs); a spun copy's verbs (筹修) are stop words.
    """
    if word in GENERIC_WORDS or is_place(word):
        return False
    if flag in _PROPER_POS:
        return True
    return dictionary_frequency(word) < _COMMON


_NUMERAL = re.compile(r"[0-9０-９零〇一二三四五六七八九十百千万亿两几数多半]")


def _ends_scan(word: str, flag: str, adjacent: bool, left: tuple[str, str] | None) -> bool:
    """A token that cannot be inside a name: stop words, any word holding 是 (黄平 | 国是 |
    星德), common dictionary verbs other than specialties (消化, 呼吸), and another
    organisation (北京大学第三医院朗润医生集团 is 朗润医生集团).

    A 和 right before the ending is part of the name (嘉和医生集团, 美中宜和), and so is
    one right after a particle, a preposition, an opening quote or a list's 、 (专访了和承医生集团,
    “和承医生集团”, A、和美脑科医生集团): a conjunction 和 has a noun on its left.
    """
    if word == "和" and (adjacent or left is not None and (left[1] == "p" or left[1].startswith("u")
                                                           or left[0] in NAME_OPENERS)):
        return False
    # The part of speech jieba's HMM guesses for a word it does not know (永心 as an adverb)
    # says nothing: such a word is stopped only by what it is.
    stopping = word in NAME_STOP_WORDS or (flag in NAME_STOP_POS and dictionary_frequency(word) > 0
                                           and not _numberless(word, flag, left))
    return (stopping and not (adjacent and _coined_pair(left, word))
            or not _NAME_CHAR.match(word)
            or "是" in word
            or word.endswith(_ORGANISATIONS) or _dictionary_verb(word) and word not in GENERIC_WORDS)


def _coined_pair(left: tuple[str, str] | None, word: str) -> bool:
    """A single character right before the ending that jieba tags as a function word, after
    another single character it does not know it with: two halves of a coined brand (禾 | 正
    in 杭州的禾正医生集团), since an adverb never stands right before a noun."""
    return (left is not None and len(word) == 1 and len(left[0]) == 1 and _NAME_CHAR.match(left[0]) is not None
            and left[0] not in NAME_STOP_WORDS and left[1] not in NAME_STOP_POS
            and dictionary_frequency(left[0] + word) < _RARE)


def _numberless(word: str, flag: str, left: tuple[str, str] | None) -> bool:
    """A word tagged as a numeral that counts nothing: 月 in 朗月 (5月 counts, with the 5 on its left)."""
    return flag in ("m", "mq") and not _NUMERAL.search(word) and not (left and _NUMERAL.search(left[0]))


def _strippable(word: str, flag: str) -> bool:
    """A leading token that describes or governs rather than names (助力, 参观); never a 和
    that the scan kept, which it does only where 和 cannot be a conjunction (与和诚心血管)."""
    if word == "和" or is_place(word) or flag in _PROPER_POS or flag == "s" or (flag == "f" and len(word) > 1):
        return False
    return flag in _DESCRIPTIVE_POS or dictionary_frequency(word) >= _COMMON


def _split_function_char(word: str, flag: str) -> list[tuple[str, str]]:
    """An unknown or rare word that starts with a preposition or particle is two tokens (由朗润 → 由, 朗润);
    one with 了, 的, 是, 与 or 及 after its first character is cut there (联系到了睿禾 → 到, 了, 睿禾;
    丁娟超是宏远 → 超, 是; 保健院与星 → 院, 与, 星: no name holds them)."""
    frequency = dictionary_frequency(word)
    if len(word) > 2 and word[0] in _PARTICLES | _FORMER and frequency < _RARE:
        return [(word[0], "p"), (word[1:], flag)]  # a rare dictionary name (由德华) reads across 由 too
    if frequency != 0:
        return [(word, flag)]
    inside = next((i for i, char in enumerate(word[1:], start=1) if char in _INSIDE_STOPS), None)
    if inside is not None:
        pieces = [(word[:inside], flag), (word[inside], "u"), (word[inside + 1:], flag)]
        return [piece for piece in pieces if piece[0]]
    if len(word) > 2 and word[0] in _FUNCTION_CHARS or len(word) == 2 and word[0] in _PARTICLES:
        return [(word[0], "p"), (word[1:], flag)]
    return [(word, flag)]


# Pure, and asked again for every mention of a name written the same way (and for the same
# names article after article): bounded like `tokens`.
@lru_cache(maxsize=4096)
def stem_of(run: str, strip: bool = True) -> str:
    """The name part at the end of `run` (the characters right before a group ending).

    Tokens are taken from the right until a stop word, a stop part of speech or a
    common dictionary verb; leading descriptive or common words (参观XX) are then
    dropped as long as a distinctive token and a brand of two characters remain
    (远曦整形 stays whole: 曦 alone names no one), unless `strip` is false.
    """
    run = run[-_MAX_STEM * 2:]
    durations = list(_DURATION.finditer(run))
    if durations:
        run = run[durations[-1].end():]
    pairs = [piece for pair in tokens(run) for piece in _split_function_char(*pair)]
    kept: list[tuple[str, str]] = []
    for index in range(len(pairs) - 1, -1, -1):
        word, flag = pairs[index]
        if _ends_scan(word, flag, adjacent=not kept, left=pairs[index - 1] if index else None):
            break
        kept.insert(0, (word, flag))
    while (strip and len(kept) > 1 and _strippable(*kept[0]) and any(_distinctive(w, f) for w, f in kept[1:])
           and sum(len(w) for w, _ in kept[1:] if w not in GENERIC_WORDS) >= 2):
        kept.pop(0)
    stem = "".join(word for word, _ in kept)
    return stem[-_MAX_STEM:]


def verb_before(run: str, stem: str) -> str | None:
    """The dictionary verb right before `stem` at the end of `run`, which ended its scan (远航 in 远航疼痛), if any."""
    pairs = tokens(run[:len(run) - len(stem)]) if len(run) > len(stem) else ()
    return pairs[-1][0] if pairs and _dictionary_verb(pairs[-1][0]) else None


def _coined(pairs: tuple[tuple[str, str], ...]) -> bool:
    """Two or more single characters in a row that the dictionary does not know together,
    or knows only as a rare entry (济 | 航 in 济航脑科, 启 | 禾, 立 | 达): a coined brand, though
    each character alone is common.
    The commonest verbs and descriptions do not count (要 | 看 is a phrase)."""
    run = ""
    for word, flag in pairs + (("", ""),):
        if len(word) == 1 and word not in GENERIC_WORDS and (flag not in NAME_STOP_POS or word == "和") \
                and not (flag in _DESCRIPTIVE_POS and dictionary_frequency(word) >= _COMMON_CHAR) \
                and _NAME_CHAR.match(word) and not word.isdigit():
            run += word
            continue
        if len(run) >= 2 and dictionary_frequency(run) < _RARE:
            return True
        run = ""
    return False


def is_specific(stem: str, kind: str) -> bool:
    """Whether a stem names someone in particular (else the phrase is generic).

    It needs a distinctive token or a coined run of characters; a place with a non-generic word also does
    (广州私人), and alliances may be named by a place alone (中国医生集团联盟).
    """
    if len(stem) < 2 or stem[-1] in "内外" or _COUNTED.search(stem):
        return False
    pairs = tokens(stem)
    if any(_distinctive(w, f) for w, f in pairs) or _coined(pairs):
        return True
    places = [w for w, _ in pairs if is_place(w)]
    if not places:
        return False
    if kind == "alliance":
        return True
    return any(w not in GENERIC_WORDS and not is_place(w) and f not in _DESCRIPTIVE_POS | NAME_STOP_POS
               for w, f in pairs)
