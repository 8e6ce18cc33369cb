"""The rule-based extractor: entities, then every row of the rules table on every sentence.

One article states one value per entity and attribute, except facilities (a group
may open several). When it states more than one:
- a weak rule's value (a founding membership) gives way to any other;
- a count in an enumeration whose neighbour counts the same thing is a breakdown
  (儿科专家35名、妇科专家30名) and gives no fact at all;
- dates that refine each other keep the most precise (2015 / 2015-09 → 2015-09);
- other counts keep the largest (articles retell earlier, smaller figures);
- persons, other dates and renames keep the first statement.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate
from dataclasses import dataclass, replace
from functools import lru_cache

from crawler.facts.dates import resolve_date
from crawler.facts.discourse import Discourse
from crawler.facts.entities import ORG_ENDINGS, EntityIndex, brand_stems, find_entities, unquote_brands
from crawler.facts.names import canonical_form, is_place, is_specific, tokens
from crawler.facts.lexicon import FACILITY_TERMS, OTHER_ORG
from crawler.facts.masking import MaskedSentence, is_placeholder, mask
from crawler.facts.numbers import FIGURE_PATTERN, parse_figure
from crawler.facts.persons import name_after, names_before, names_in_clause, speaker_of
from crawler.facts.rules import FUTURE, GROUPS, RULES, Rule
from crawler.facts.text import split_sentences
from storage.records import SET_VALUED, Extraction, Fact

_YUAN = ("元", "元人民币", "人民币")
_COUNTS = ("doctors", "partner_hospitals", "patients_managed", "members", "funding")
_PERSON_VALUES = ("person_before", "person_clause", "person_subject")
# A count right after these is an increase (新增5家), not the total.
_INCREMENT = re.compile(r"(?:新增|新签约?|新|又|再|另)$")
_TEAM = re.compile(r"团队|课题组|小组")
# 每一家, 各一名: a distributive, not a count.
_DISTRIBUTIVE = re.compile(r"[每各]$")
# A figure from a group's beginnings (成立之初只有11名医生) is not its figure now, unless
# the sentence comes back to the present before it (从成立之初的7家增长到如今的130多家).
_BEGINNINGS = re.compile(r"(?:成立|创立|创办|创建|组建)(?:之初|初期|伊始|时|的时候)|刚(?:成立|起步)|起初|最初|当初|起步时"
                         r"|曾经?(?:拥有|有|达到|签约)|一度|原有")
_NOW = re.compile(r"如今|现在|目前|至今|眼下|现阶段|现已|已经|已有|已达|增长到|增至|发展到")
_CLAUSE_MARKS = ",;:。"
# An enumeration item that counts the same thing: its neighbour is a breakdown
# (儿科专家35名、妇科专家30名), so neither is the total.
_ITEM = {
    attribute: re.compile(rf"{FIGURE_PATTERN}{unit}[^、,。;]{{0,12}}(?:{noun})|(?:{noun}){FIGURE_PATTERN}{unit}")
    for attribute, unit, noun in (
        ("doctors", "(?:位|名|人)", "医生|医师|专家|名医"),
        ("partner_hospitals", "家", "医院|医疗机构|机构"),
        ("patients_managed", "(?:名|位|例|人)", "患者|病人|病患"),
    )
}
_BRACKET_AFTER = re.compile(r"\((?P<place>[^()]{1,8})\)$")
_FACILITY_END = re.compile(r"(?:医院|病院|中心|诊所|门诊部|研究院)$")
_GENERIC_FACILITY = re.compile(r"^(?:一家|首家|第一家|这家|该|其|自己|我们|旗下|新的?|一个)")
_QUOTED = re.compile(r"[“\"]([^”\"]+)[”\"]")
# A hospital named after a group's brand, opened or being built (上海X脑科医院开始筹建): the group's.
_OPENING = "筹建|开业|建成|落成|开诊|揭牌|动工|开工|奠基|投入使用|试运营"
_OPENING_CUE = re.compile(_OPENING)
_OPENS = rf"(?:已|已经|正式|开始|顺利|于[^,。;!?]{{1,10}}?)*(?:{_OPENING})"
_OPENED = re.compile(rf"[\u4e00-\u9fffA-Za-z0-9()]{{2,30}}?(?:医院|病院|诊所|门诊部|中心)(?={_OPENS})")


@dataclass
class _Candidate:
    fact: Fact
    weak: bool
    order: int


def _clause_start(text: str, position: int) -> int:
    """Where the clause holding `position` starts."""
    return max(text.rfind(mark, 0, position) for mark in _CLAUSE_MARKS) + 1


def _clause_around(text: str, start: int, end: int) -> str:
    right_marks = [i for i in (text.find(mark, end) for mark in _CLAUSE_MARKS) if i >= 0]
    return text[_clause_start(text, start):min(right_marks) if right_marks else len(text)]


def _planned_span(rule: Rule, match: re.Match, text: str) -> str:
    """Where a plan would show: the match's whole clause for a figure (计划明年签约100家医院),
    but for a facility only what comes before its name, since what follows describes the
    facility (投资建设的X医院将于明年开业 is being built; 将在成都开设X医院 is a plan)."""
    value = "names" if rule.value == "respective" else "name" if rule.value == "facility" else None
    if value is None:
        return _clause_around(text, match.start(), match.end())
    return text[_clause_start(text, match.start()):match.start(value)]


def _respectively(text: str, start: int, end: int) -> bool:
    """Whether the figure is one of several that 分别 pairs with several groups in order
    (A和B分别拥有医生50名和80名): which is whose, the rule does not read."""
    clause = _clause_around(text, start, end)
    return "分别" in clause and sum(map(is_placeholder, text[:end])) > 1


def _names_another_subject(text: str, start: int) -> bool:
    """Whether the clause before `start` names another organisation or a team, whose figure
    it then is (此前,该市医院的骨科只有3名医生; 某团队的方案已在3家合作医院推广)."""
    clause = text[_clause_start(text, start):start]
    return bool(OTHER_ORG.search(clause) or _TEAM.search(clause))


def _from_the_beginnings(before: str) -> bool:
    """Whether the text before a figure dates it to the group's beginnings."""
    starts = list(_BEGINNINGS.finditer(before))
    return bool(starts) and not _NOW.search(before, starts[-1].end())


def _facility_name(raw: str) -> str | None:
    """The facility's name, or None for a description (一家医院, 专科诊疗中心); a place in
    brackets after it is part of it (X心脏医院(杭州)), anything else there is not."""
    name = raw.strip("“”\" ")
    bracket = _BRACKET_AFTER.search(name)
    if bracket:
        core = name[:bracket.start()]
        return _facility_name(core) and (name if is_place(bracket["place"]) else core)
    if len(name) < 4 or not _FACILITY_END.search(name) or _GENERIC_FACILITY.match(name):
        return None
    # What comes before the ending, less what the facility does, must name it: a brand,
    # an institution or a place.
    words = [word for word, _ in tokens(_FACILITY_END.sub("", name)) if word not in FACILITY_TERMS]
    stem = "".join(words)
    if not stem or not is_specific(stem, "doctor_group") and not any(is_place(word) for word in words):
        return None
    return name


class RuleExtractor:
    """Extracts facts with the rules table of crawler.facts.rules (registered as "rules")."""

    def __init__(self, rules: tuple[Rule, ...] = RULES) -> None:
        self.rules = rules
        self._needs = [frozenset(cue for cue in (rule.cue, rule.requires) if cue is not None) for rule in rules]
        self._cues = {cue: re.compile(cue) for needs in self._needs for cue in needs}
        # Sentences share a few sets of cues: the rules each set lets through are worked out once.
        self._runnable = lru_cache(maxsize=1024)(self._rules_for)

    def extract(self, text: str, *, published: str | None = None, url: str | None = None,
                known: dict[str, str] | None = None) -> Extraction:
        """Entities and facts of one normalised body."""
        text, quoted = unquote_brands(text)
        index = find_entities(text, known, quoted)
        if not index.entities:
            return Extraction([], [])  # every fact needs a doctor group or alliance as its subject
        starts = [mention.start for mention in index.mentions]
        masked = [mask(sentence, index.mentions[bisect_left(starts, sentence.start):bisect_left(starts, sentence.end)])
                  for sentence in split_sentences(text)]
        discourse = Discourse.build(index, masked)
        candidates: list[_Candidate] = []
        for number, (sentence, cued) in enumerate(zip(masked, self._cued(masked))):
            for rule in self._runnable(frozenset(cued)):
                for match in rule.regex.finditer(sentence.text):
                    for entity, value, approx in self._values(rule, match, sentence, published):
                        subject = entity or self._subject(rule, match, number, discourse)
                        if subject is None or index.kind(subject) not in rule.kinds:
                            continue
                        fact = Fact(subject, rule.attribute, value, approx, sentence.sentence.text, published, url)
                        candidates.append(_Candidate(fact, rule.weak, sentence.sentence.start + match.start()))
        candidates += _brand_facilities(index, masked, published, url)
        candidates += _this_number(candidates, masked)
        return Extraction(list(index.entities.values()), _settle(candidates))

    def _rules_for(self, cued: frozenset[str]) -> tuple[Rule, ...]:
        """The rules, in order, whose cues are all among `cued`."""
        return tuple(rule for rule, needs in zip(self.rules, self._needs) if needs <= cued)

    def _cued(self, masked: list[MaskedSentence]) -> list[set[str]]:
        """The cues each sentence holds. Each cue is sought in all sentences at once, resuming
        after the sentence it was found in: a cue most sentences lack costs one search."""
        joined = "\n".join(sentence.text for sentence in masked)
        starts = list(accumulate((len(sentence.text) + 1 for sentence in masked[:-1]), initial=0))
        cued: list[set[str]] = [set() for _ in masked]
        for cue, regex in self._cues.items():
            match = regex.search(joined)
            while match:
                number = bisect_right(starts, match.start()) - 1
                cued[number].add(cue)
                match = regex.search(joined, starts[number + 1]) if number + 1 < len(starts) else None
        return cued

    def _subject(self, rule: Rule, match: re.Match, number: int, discourse: Discourse) -> str | None:
        groups = match.groupdict()
        if groups.get("ent"):
            return discourse.sentences[number].mentions[groups["ent"]].entity
        if groups.get("ana"):
            return discourse.resolve_anaphor(number, groups["ana"], match.start("ana"))
        person = rule.value in _PERSON_VALUES
        subject, has_cue = discourse.subject_before(number, match.start(), clause_only=person)
        if subject or has_cue or person:
            return subject
        subject = discourse.subject_after(number, match.start(), match.end())
        if subject is None and rule.carry and not _names_another_subject(discourse.sentences[number].text,
                                                                         match.start()):
            subject = discourse.carried_topic(number)
        return subject

    def _values(self, rule: Rule, match: re.Match, sentence: MaskedSentence,
                published: str | None) -> list[tuple[str | None, int | str, str]]:
        """(entity if the value fixes it, value, approx) for one match; [] when it is no fact."""
        text = sentence.text
        if rule.future and FUTURE.search(_planned_span(rule, match, text)):
            return []
        if rule.clean and OTHER_ORG.search(match.group()):
            return []
        kind = rule.value
        if kind in ("count", "money"):
            if kind == "money" and match["cur"] not in _YUAN:
                return []
            if kind == "count" and (_INCREMENT.search(text[max(0, match.start() - 3):match.start()])
                                    or _respectively(text, match.start(), match.end())
                                    or _one_kind_of_staff(rule.attribute, text[_clause_start(text, match.start()):
                                                                                 match.end()], text)
                                    or _DISTRIBUTIVE.search(text[max(0, match.start("fig") - 1):match.start("fig")])
                                    or _from_the_beginnings(text[:match.start("fig")])
                                    or _in_breakdown(rule.attribute, text, match.start(), match.end())):
                return []
            figure = parse_figure(match["fig"], before=text[max(0, match.start("fig") - 3):match.start("fig")])
            if not figure or figure.value <= 0:
                return []
            return [(None, figure.value, figure.approx or _approx_after(text[match.end():]))]
        if kind == "date":
            value = resolve_date(match["date"], published)
            return [(None, value, "")] if value else []
        if kind in _PERSON_VALUES:
            if kind == "person_before":
                people = names_before(match["head"], speaker=speaker_of(text))
            elif kind == "person_clause":
                people = names_in_clause(match["tail"])
            else:
                people = [name] if (name := name_after(match["tail"])) else []
            # Co-founders are each a founder; a single-valued role keeps the person next to it.
            if rule.attribute not in SET_VALUED:
                people = people[-1:] if kind == "person_before" else people[:1]
            return [(None, person, "") for person in people]
        if kind == "facility":
            name = _facility_name(sentence.original(match.start("name"), match.end("name")))
            return [(None, name, "")] if name else []
        if kind == "renamed":
            new = sentence.mentions[match["new"]]
            old = sentence.mentions[match["ent"]]
            if new.entity != old.entity or new.surface == old.surface or not new.surface.endswith(ORG_ENDINGS):
                return []
            return [(None, canonical_form(new.surface), "")]
        if kind == "respective":
            return _respective(match, sentence)
        raise ValueError(f"unknown value kind {kind!r} in rule {rule.notes!r}")


# 截至2020年合作医院为20家;截至2022年,这一数字增至35家: the figure a count was given
# grows to, in the same sentence or the next.
_THIS_NUMBER = re.compile(rf"(?:这一|这个|该)(?:数字|数量|数据)(?:已|已经|则|又)?"
                          rf"(?:增至|增加到|增长到|增加至|增长至|达到|上升到|上升至|发展到|扩大到|(?P<over>突破|超过))了?"
                          rf"(?P<fig>{FIGURE_PATTERN})(?:家|位|名|人|例|元)?")


def _this_number(candidates: list[_Candidate], masked: list[MaskedSentence]) -> list[_Candidate]:
    """A later figure stated as 这一数字增至N: the same group's count, of the attribute the
    count just before it (in its sentence or the one before) was."""
    found = []
    starts = [sentence.sentence.start for sentence in masked]
    for number, sentence in enumerate(masked):
        for match in _THIS_NUMBER.finditer(sentence.text):
            at = sentence.sentence.start + match.start()
            earliest = starts[number - 1] if number else starts[number]
            before = [c for c in candidates if c.fact.attribute in _COUNTS and earliest <= c.order < at]
            figure = parse_figure(match["fig"])
            if not before or not figure or FUTURE.search(_clause_around(sentence.text, match.start(), match.end())):
                continue
            last = max(before, key=lambda c: c.order)
            approx = figure.approx or ("more_than" if match["over"] else "")
            fact = replace(last.fact, value=figure.value, approx=approx, evidence=sentence.sentence.text)
            found.append(_Candidate(fact, last.weak, at))
    return found


def _brand_facilities(index: EntityIndex, masked: list[MaskedSentence], published: str | None,
                      url: str | None) -> list[_Candidate]:
    """Hospitals named after one group's brand (a place may come first) that the article says
    opened or are being built; a plan (将于明年开业) is none."""
    opened = [(sentence, match) for sentence in masked if _OPENING_CUE.search(sentence.text)
              for match in _OPENED.finditer(sentence.text)
              if not FUTURE.search(_clause_around(sentence.text, match.start(), match.end()))]
    if not opened:
        return []
    owners: dict[str, set[str]] = {}
    for entity in index.entities.values():
        if entity.kind in GROUPS:
            for form in (entity.name, *entity.aliases):
                for brand in brand_stems(form):
                    owners.setdefault(brand, set()).add(entity.name)
    brands = sorted((brand for brand, names in owners.items() if len(names) == 1), key=len, reverse=True)
    found = []
    for sentence, match in opened:
        brand = next((brand for brand in brands if brand in match.group()), None)
        if brand is None:
            continue
        start = match.start() + match.group().index(brand)
        start -= _place_before(sentence.text[max(0, start - 4):start])
        name = _facility_name(sentence.original(start, match.end()))
        if name:
            fact = Fact(next(iter(owners[brand])), "facility", name, "", sentence.sentence.text, published, url)
            found.append(_Candidate(fact, False, sentence.sentence.start + start))
    return found


def _place_before(text: str) -> int:
    """How many characters at the end of `text` name a place (上海, 杭州市), 0 if none."""
    return next((length for length in range(len(text), 1, -1) if is_place(text[-length:])), 0)


def _approx_after(rest: str) -> str:
    """An approximation written after the unit: 30家左右, 50名以上."""
    for words, approx in ((("左右", "上下"), "about"), (("以上", "多"), "more_than")):
        if rest.startswith(words):
            return approx
    return ""


_STAFF_KINDS = {"全职": "full", "专职": "full", "兼职": "part"}
_STAFF = re.compile("|".join(_STAFF_KINDS))


def _one_kind_of_staff(attribute: str, counted: str, text: str) -> bool:
    """Whether a doctor count (`counted`: its clause up to the figure) is of full-time or
    part-time doctors only, while the sentence
    counts the other kind too (专职医生45名,兼职医生超过100名): neither is the group's total."""
    if attribute != "doctors":
        return False
    own = {_STAFF_KINDS[word] for word in _STAFF.findall(counted)}
    return len(own) == 1 and len({_STAFF_KINDS[word] for word in _STAFF.findall(text)}) == 2


def _in_breakdown(attribute: str, text: str, start: int, end: int) -> bool:
    """Whether an enumeration item next to the match (、-separated) counts the same thing."""
    item = _ITEM.get(attribute)
    if item is None:
        return False
    separators = "、,。;:"
    left = max(text.rfind(mark, 0, start) for mark in separators)
    right_marks = [i for i in (text.find(mark, end) for mark in separators) if i >= 0]
    right = min(right_marks) if right_marks else len(text)
    neighbours = []
    if left >= 0 and text[left] == "、":
        neighbours.append(text[max(text.rfind(mark, 0, left) for mark in separators) + 1:left])
    if right < len(text) and text[right] == "、":
        following = [i for i in (text.find(mark, right + 1) for mark in separators) if i >= 0]
        neighbours.append(text[right + 1:min(following) if following else len(text)])
    return any(item.search(piece) for piece in neighbours)


def _respective(match: re.Match, sentence: MaskedSentence) -> list[tuple[str | None, int | str, str]]:
    entities = [sentence.mentions[c].entity for c in match["ents"] if is_placeholder(c)]
    offset = match.start("names")
    names = [_facility_name(sentence.original(offset + q.start(1), offset + q.end(1)))
             for q in _QUOTED.finditer(match["names"])]
    if len(entities) != len(names) or len(set(entities)) != len(entities):
        return []
    return [(entity, name, "") for entity, name in zip(entities, names) if name]


def _settle(candidates: list[_Candidate]) -> list[Fact]:
    """One value per entity and attribute (sets, facilities and founders: each distinct one); see module doc."""
    by_key: dict[tuple[str, str], list[_Candidate]] = {}
    for candidate in sorted(candidates, key=lambda c: c.order):
        by_key.setdefault((candidate.fact.entity, candidate.fact.attribute), []).append(candidate)
    facts: list[Fact] = []
    for (_, attribute), group in by_key.items():
        strong = [c for c in group if not c.weak] or group
        facts.extend(_choose(attribute, strong))
    return facts


def _choose(attribute: str, group: list[_Candidate]) -> list[Fact]:
    if attribute in SET_VALUED:
        distinct: dict[object, Fact] = {}
        for c in group:
            distinct.setdefault(c.fact.value, c.fact)
        return list(distinct.values())
    if attribute in _COUNTS:
        return [max(group, key=lambda c: (c.fact.value, -c.order)).fact]
    if attribute == "founded":
        finest = max(group, key=lambda c: (len(str(c.fact.value)), -c.order))
        if all(str(finest.fact.value).startswith(str(c.fact.value)) for c in group):
            return [finest.fact]
    return [group[0].fact]
