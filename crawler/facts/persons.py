"""Person names next to a role word: 创始人张强医生 → 张强, 主任医师孙宏涛倡议 → 孙宏涛.

A name is a surname (single or compound) plus one or two characters, bounded on the
far side by a title, a speech or action verb, punctuation or the end of the clause.
Two-character names are tried before three-character ones, so 李辉担任 gives 李辉
and 刘兴鹏介绍 gives 刘兴鹏.
"""
from __future__ import annotations

import re

from crawler.facts.lexicon import AFTER_NAME, COMPOUND_SURNAMES, GENERIC_WORDS, SURNAMES, TITLES
from crawler.facts.names import dictionary_frequency, tokens

_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
_SEPARATORS = " \t、,:·"
_TITLE_RE = "|".join(sorted(TITLES, key=len, reverse=True))
_LEADING_TITLES = re.compile(rf"^(?:(?:{_TITLE_RE})[、,\s]*)+")
_TRAILING_TITLES = re.compile(rf"(?:{_TITLE_RE})+$")
_AFTER = tuple(sorted(AFTER_NAME, key=len, reverse=True))
# What may stand right before a name read from the end of a phrase.
_BEFORE = tuple(sorted(TITLES + ("由", "是", "的", "、", ",", "和", "与", "及", "人", "长", "任", "师", "授"),
                       key=len, reverse=True))
# Adverbs and time words between a name and its verb (李四此次创办的, 张明亲自创办).
_TRAILING_ADVERBS = re.compile(r"(?:此次|这次|本次|日前|近日|近期|当年|曾经|曾|已经|已|也|又|还|亲自|一手|先后)+$")
# The speaker in a list of people: 张明和他本人, 张明与我.
_SELF = re.compile(r"[、和与及](?:他|她)?本人$|[、和与及](?:我|他|她)$")
_SPEAKER = re.compile(r"^(?P<name>[\u4e00-\u9fff]{2,4}?)(?:介绍|表示|说|称|透露|坦言|告诉记者)")
# A department, office or institution ends so: 麻醉科, 医务处, 研究所.
_UNIT_ENDINGS = frozenset("科室部处所院")
_NOT_NAMES = frozenset(("医生", "专家", "教授", "主任", "院长", "医师", "团队", "集团", "公司", "医院"))


def _surname_length(candidate: str) -> int:
    if candidate[:2] in COMPOUND_SURNAMES:
        return 2
    return 1 if candidate[:1] in SURNAMES else 0


def is_person_name(candidate: str) -> bool:
    """Whether `candidate` can be a person's name: Han characters only, a known surname,
    and a given name of one or two characters.

    Specialties that happen to start with a surname (康复, 皮肤科, 呼吸) are not names.
    """
    if not _HAN.match(candidate) or candidate in _NOT_NAMES or candidate in GENERIC_WORDS:
        return False
    if candidate[-1] in _UNIT_ENDINGS and dictionary_frequency(candidate) > 0:
        return False  # a department or office the dictionary knows (麻醉科, 办公室), not 李科
    surname = _surname_length(candidate)
    return surname > 0 and 1 <= len(candidate) - surname <= 2


def _ends_name(rest: str) -> bool:
    return not rest or rest[0] in _SEPARATORS or rest[0] in ",。;:!?()“”\"'《》" or rest.startswith(_AFTER)


def name_after(text: str) -> str | None:
    """The person named at the start of `text` (after separators and titles), or None.

    创始人[、 ]?(董事长)?张强医生 → 张强: call with the text after the role word.
    """
    rest = _LEADING_TITLES.sub("", text.lstrip(_SEPARATORS))
    for length in (2, 3, 4):
        candidate = rest[:length]
        if len(candidate) == length and is_person_name(candidate) and _ends_name(rest[length:]):
            return candidate
    # A verb the list does not know (罗晓明用…, 李明负责): the tokeniser's reading of a name
    # decides, unless a single character after it may go on with it (杜飞 | 建 may be 杜飞建).
    if not (is_person_name(rest[:2]) or is_person_name(rest[:3])):
        return None
    pairs = tokens(rest[:8])
    if pairs and pairs[0][1].startswith("nr") and is_person_name(pairs[0][0]):
        name = pairs[0][0]
        following = pairs[1][0] if len(pairs) > 1 else ""
        if len(following) != 1 or not is_person_name(name + following):
            return name
    return None


def name_before(text: str) -> str | None:
    """The person named at the end of `text`, after any titles and adverbs: 主任医师孙宏涛 → 孙宏涛.

    Call with the text up to the verb (倡议, 创办, 表示 …); 由张强医生 → 张强,
    由李四等人 → 李四, 李四此次 → 李四. What stands before the name must end there: a
    title, a particle, punctuation, or a word the tokeniser ends where the name starts
    (理想主义者 | 宋冬雷, a person's name to it).
    """
    head = _TRAILING_TITLES.sub("", _TRAILING_ADVERBS.sub("", re.sub(r"等人?$", "", text.rstrip(_SEPARATORS))))
    for length in (2, 3, 4):
        candidate = head[-length:]
        before = head[:-length]
        if len(candidate) == length and is_person_name(candidate) and (
                not before or before.endswith(_BEFORE) or _read_apart(head, candidate)):
            return candidate
    return None


def _read_apart(head: str, candidate: str) -> bool:
    """Whether the tokeniser reads `candidate`, at the end of `head`, as a person's name of its own."""
    word, flag = tokens(head)[-1]
    return word == candidate and flag.startswith("nr")


def speaker_of(sentence: str) -> str | None:
    """The person whose words a sentence reports, named at its start (李明介绍, / 李明表示:)."""
    match = _SPEAKER.match(sentence)
    return name_after(match["name"]) if match else None


def name_in_clause(text: str) -> str | None:
    """A person introduced by titles somewhere in a short clause, read up to its verb.

    北京医院心血管内科副主任医师施海峰表示 → 施海峰: the name right after the last title.
    """
    direct = name_after(text)
    if direct:
        return direct
    titles = list(re.finditer(_TITLE_RE, text))
    for title in reversed(titles):
        found = name_after(text[title.end():])
        if found:
            return found
    return None


_JOINERS = ("、", "和", "与", "及")
# What follows a list of people before its verb: 共同, 等人, 等9位呼吸专家, 带领8位骨科专家,
# 两位骨科专家 …
_COUNTED_PEOPLE = r"[\d一二两三四五六七八九十几数多]+[位名个]"
_PROFESSION = r"[\u4e00-\u9fff]{0,8}?(?:专家|医生|医师|教授|名医|人|团队)"
_GROUP_WORDS = re.compile(rf"(?:共同|一起|联合|(?:等|带领|率领|携手?)(?:{_COUNTED_PEOPLE}?)?(?:{_PROFESSION})?"
                          rf"|{_COUNTED_PEOPLE}{_PROFESSION})+$")


def names_before(text: str, speaker: str | None = None) -> list[str]:
    """Everyone named at the end of `text`, in order: 由张明、李华等人 → [张明, 李华],
    骨科专家张明和李华共同 → [张明, 李华], 由刘飞敏等9位呼吸专家 → [刘飞敏]; [] when the
    last is no name. The speaker of the sentence, if known, is the last of 由张明和他本人
    (张明和我); else that item is left out."""
    head = _GROUP_WORDS.sub("", text.rstrip(_SEPARATORS))
    names: list[str] = []
    self_reference = _SELF.search(head)
    if self_reference:
        head = head[:self_reference.start()]
        if speaker:
            names.append(speaker)
    while (name := name_before(head)) is not None:
        names.insert(len(names) - bool(self_reference and speaker), name)
        # Each item may describe its person (内科医生罗明、外科医生李华): back to the joiner before it.
        head = head[:head.rfind(name)]
        joiner = max(head.rfind(joiner) for joiner in _JOINERS)
        if joiner < 0:
            break
        head = head[:joiner]
    return names


def names_in_clause(text: str) -> list[str]:
    """Everyone listed from the person `name_in_clause` finds: 张明、李华 → [张明, 李华],
    张明教授和李华医生 → [张明, 李华]."""
    first = name_in_clause(text)
    if first is None:
        return []
    names = [first]
    rest = text[text.index(first) + len(first):]
    while True:
        rest = _LEADING_TITLES.sub("", rest)
        if not rest.startswith(_JOINERS):
            return names
        following = name_after(rest[1:])
        if following is None:
            return names
        names.append(following)
        rest = rest[rest.index(following) + len(following):]
