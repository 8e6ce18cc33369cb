"""Doctor groups and alliances named in a body (spec section 1), under canonical names.

Every occurrence of a section-1 ending (医生集团, 医师集团, 名医集团, 医生工作室集团,
医生集团联盟; 医疗集团 only where the article says it is a doctor group) is extended to
the left into a name by names.stem_of; a generic phrase (专科医生集团) names no one.

Forms of one entity are linked: 医师 spelling; a shorter form that the longer one ends
with (私人医生工作室集团 ⊂ 广州私人医生工作室集团); variants of one brand (旭光口腔颌面外科 /
旭光颌面外科); 以下简称 short names; the brand alone (哈特瑞姆 for 哈特瑞姆心脏医生集团);
X 改名为/更名为 Y; a registered company name (深圳X医生集团医疗有限公司: the place is where
it was registered, the group is X医生集团); and `known` aliases from the database. A
short name the article calls a doctor group (X是国内首家…的医生集团) is the group X医生集团.
The canonical name is the known one, else the first full form in the article (never a
rename target or a company name), with 医师集团 folded to 医生集团.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterable, Mapping

from crawler.facts.lexicon import GENERIC_WORDS, HE_PHRASE_VERBS, MEDICAL_GROUP_SUFFIX, RENAMED, rename_bridge
from crawler.facts.names import (NAME_CHARS, NAME_OPENERS, canonical_form, entity_kind, is_place, is_specific,
                                 stem_of, tokens, verb_before)
from crawler.facts.persons import is_person_name
from storage.records import GROUP_SUFFIXES, Entity

_SUFFIX = re.compile("|".join(GROUP_SUFFIXES + (MEDICAL_GROUP_SUFFIX,)))
# Quotes mark a name: a brand quoted before its ending (“星海”医生集团), or one whose ending starts
# inside them (“私人医生工作室”集团); a quoted title such as “蓄势·破局”医生集团研讨会 has
# punctuation inside, or is no name.
_QUOTED = re.compile(r"[“\"]([\u4e00-\u9fff]{2,14})[”\"]")
# A registered company name after a group's name: trade words and legal form (医疗有限公司,
# 医疗管理(深圳)有限公司); a word of any other kind (与) starts another name.
_COMPANY = re.compile(r"^(?:医疗|健康|科技|管理|投资|咨询|服务|医院|技术|发展|控股)*(?:\([\u4e00-\u9fff]{2,6}\))?"
                      r"(?:有限责任公司|股份有限公司|有限公司)")
# X是(中国首个…的)医生集团, a whole clause: X is a short name of a doctor group. Found from the
# ending back, as endings are few.
_DECLARED_ENDING = re.compile(r"(?:医生集团|医师集团|名医集团)(?=[,。;!?—\n]|$)")
_DECLARED_SHORT = re.compile(r"(?P<brand>[\u4e00-\u9fff]{2,6})是(?:[^,。;!?\n]{0,24}?的)?$")
_NAME_CHAR = re.compile(f"[{NAME_CHARS}]")
# A list of doctor groups: any 医疗集团 in it is one of them (出席的医生集团有:A、B医疗集团).
_GROUP_LIST = re.compile(r"(?:医生集团|医师集团)(?:有|包括|分别为|分别是|名单如下|如下|为)[::]")
_DECLARED = re.compile(r"^[^。,;!?]{0,3}(?:是|为|作为|属于)[^。,;!?]{0,15}?(?:医生集团|医师集团)")
# The rename may be the second of two clauses with one subject (召开发布会,宣布正式更名为…).
_RENAME = re.compile(
    rf"^(?:{rename_bridge()}|[^,。;!?]{{0,12}}?)(?:{RENAMED})"
    rf"[“\"《]?(?P<target>[{NAME_CHARS}()]{{2,40}})"
)
_FORMER = re.compile(rf"^\((?:原名|原|前身为|前身是|曾用名)[“\"]?(?P<old>[{NAME_CHARS}]{{2,40}})[”\"]?\)")
_SHORT_NAME = re.compile(
    rf"^\s*[(,]?\s*(?:以下)?简称(?:为)?[::]?\s*[“\"]?(?P<alias>[{NAME_CHARS}]{{2,12}}?)[”\"]?\s*[),。;]"
)
_CLAUSE_END = re.compile(r"[,，。;；:：!！?？\n]")
_PHRASE_PREPOSITION = re.compile("[与同跟和]")
# What an organisation's full name ends with: a rename's target is one.
ORG_ENDINGS = GROUP_SUFFIXES + (MEDICAL_GROUP_SUFFIX, "集团", "联盟")
_TARGET_STOP = ("并", "后", "的", "以", "和", "与", "及", "等", "之", "(", "正式", "开始")
# A short alias followed by one of these is part of a facility's name, not the group
# (明湖妇产医院, 哈特瑞姆心脏学院); a verb or particle in between ends that reading.
_FACILITY_AFTER = re.compile(r"^[^的了在与和将新今开建设立办是为,。;!?、\s]{0,4}?(?:医院|病院|诊所|学院|中心|门诊)")


@dataclass(frozen=True)
class Mention:
    """An occurrence of an entity's name (any form) in the text."""

    start: int
    end: int
    surface: str
    entity: str


@dataclass
class EntityIndex:
    """The entities of one text and every place their names occur."""

    entities: dict[str, Entity] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)

    def kind(self, entity: str) -> str:
        return self.entities[entity].kind


@dataclass
class _Candidate:
    start: int
    end: int
    surface: str
    kind: str


@dataclass
class _Occurrence:
    """A mention of a phrase, with the run of name characters before it."""

    run: str
    run_opens_clause: bool
    stem: str
    mention: _Candidate

    def verb(self) -> str | None:
        """The dictionary verb right before the phrase, if any (tokenising is the cost: asked only when needed)."""
        return verb_before(self.run, self.stem)

    def stripped(self) -> str:
        """What stem_of dropped from the front of the stem as a describing word (启 of 启诚心血管)."""
        whole = stem_of(self.run, strip=False)
        return whole[:-len(self.stem)] if len(whole) > len(self.stem) and whole.endswith(self.stem) else ""

    def opened_by(self, word: str) -> bool:
        """Whether `word`, right before the phrase, opens the clause."""
        return self.run_opens_clause and len(self.run) == len(word) + len(self.stem)


def _scan(text: str) -> tuple[list[_Candidate], list[tuple[int, int]]]:
    """Named candidates (医疗集团 ones not yet confirmed) and generic phrase spans."""
    named: dict[str, list[_Occurrence]] = {}
    unnamed: dict[str, list[_Occurrence]] = {}
    generic: list[tuple[int, int]] = []
    previous_end = 0
    for match in _SUFFIX.finditer(text):
        run_start = match.start()
        while run_start > previous_end and _NAME_CHAR.match(text[run_start - 1]):
            run_start -= 1
        # An opening quote or a list's 、 stays in front of the run: 和 right after one starts a name.
        opened = run_start > previous_end and text[run_start - 1] in NAME_OPENERS
        stem = stem_of(text[run_start - opened:match.start()]) if run_start < match.start() else ""
        suffix = match.group()
        kind = entity_kind(suffix)
        start = match.start() - len(stem)
        if _he_starts_name(text, start, match.end(), run_start, previous_end, stem, kind):
            stem, start = "和" + stem, start - 1
        occurrence = _Occurrence(text[run_start:match.start()], _run_opens_clause(run_start, previous_end), stem,
                                 _Candidate(start, match.end(), stem + suffix, kind))
        if stem and is_specific(stem, kind):
            named.setdefault(stem + suffix, []).append(occurrence)
        else:
            generic.append((start, match.end()))
            if occurrence.run:  # (“互联网+医生集团”: nothing before it either way)
                unnamed.setdefault(stem + suffix, []).append(occurrence)
        previous_end = match.end()
    # A brand that is a dictionary verb (远航疼痛医生集团): not a governing verb (借助医生集团),
    # which a common verb is anyway, and which names no one with the phrase.
    branded = _always_after(unnamed, _Occurrence.verb, lambda verb, o: is_specific(verb + o.stem, o.mention.kind))
    # A brand character read as a describing word and dropped (启 | 诚心血管名医集团).
    widened = {c.end: c for c in _always_after(named, _Occurrence.stripped, lambda word, _: len(word) == 1)}
    candidates = [widened.get(o.mention.end, o.mention) for occurrences in named.values() for o in occurrences]
    named_ends = {c.end for c in branded}
    generic = [span for span in generic if span[1] not in named_ends]
    return _always_after_he(text, sorted(candidates + branded, key=lambda c: c.start)), generic


def _always_after(phrases: dict[str, list[_Occurrence]], word_before: Callable[[_Occurrence], str | None],
                  fits: Callable[[str, _Occurrence], bool]) -> list[_Candidate]:
    """Phrases written twice or more, each time right after the same word and once with that
    word opening a clause, widened to take the word in when it `fits`.

    A word that governs the phrase (借助医生集团的力量, 携手X医生集团) rarely comes before every
    mention of it, and has its own subject before it (医院希望借助…).
    """
    widened: list[_Candidate] = []
    for occurrences in phrases.values():
        if len(occurrences) < 2:
            continue
        word = word_before(occurrences[0])
        if not word or any(word_before(o) != word for o in occurrences[1:]):
            continue
        if any(o.opened_by(word) for o in occurrences) and fits(word, occurrences[0]):
            widened += [_Candidate(o.mention.start - len(word), o.mention.end, word + o.mention.surface,
                                   o.mention.kind) for o in occurrences]
    return widened


def _he_starts_name(text: str, start: int, end: int, run_start: int, previous_end: int, stem: str, kind: str) -> bool:
    """Whether the 和 right before a stem starting at `start` is the first character of the name.

    A conjunction 和 needs a noun on its left, so a 和 that opens a clause or follows a verb
    is none; it is a preposition only when a verb that takes a 和-phrase follows in the
    clause (和启明医生集团合作). So the name starts with it in 本周,和康乳腺甲状腺医生集团宣布…
    and 罗晴振创办和诚心血管医生集团, and in 据悉,和远儿科医生集团… whatever follows (远儿科 alone
    names no one).
    """
    if start - 1 < run_start or text[start - 1] != "和" or not is_specific("和" + stem, kind):
        return False
    if start - 1 == run_start and _run_opens_clause(run_start, previous_end):
        return not (stem and is_specific(stem, kind)) or not _he_phrase_follows(text, end)
    return verb_before(text[run_start:start - 1], "") is not None and not _he_phrase_follows(text, end)


def _he_phrase_follows(text: str, end: int) -> bool:
    """Whether the clause after a name that ends at `end` has a verb that takes a 和-phrase,
    before another preposition takes it (和康…医生集团与医院签署合作协议: 与 does)."""
    clause_end = _CLAUSE_END.search(text, end)
    stop = clause_end.start() if clause_end else len(text)
    taken = _PHRASE_PREPOSITION.search(text, end, stop)
    return bool(HE_PHRASE_VERBS.search(text, end, taken.start() if taken else stop))


def _run_opens_clause(run_start: int, previous_end: int) -> bool:
    """Whether a run of name characters opens its clause: not right after another group's
    name (A医生集团和B医生集团), where its first word may join the two."""
    return run_start == 0 or run_start > previous_end


def _always_after_he(text: str, candidates: list[_Candidate]) -> list[_Candidate]:
    """A name written twice or more, each time right after 和, and once with that 和 opening
    a clause, starts with it (本周,和诚心血管医生集团…).

    A conjunction 和 (医院和X医生集团签约) has a noun before it, and does not come back
    before every mention.
    """
    preceded: dict[str, list[bool]] = {}
    opening: set[str] = set()
    for candidate in candidates:
        after_he = text[candidate.start - 1:candidate.start] == "和"
        preceded.setdefault(candidate.surface, []).append(after_he)
        if after_he and (candidate.start < 2 or not _NAME_CHAR.match(text[candidate.start - 2])):
            opening.add(candidate.surface)
    joined = {surface for surface, flags in preceded.items() if len(flags) >= 2 and all(flags) and surface in opening}
    return [_Candidate(c.start - 1, c.end, "和" + c.surface, c.kind) if c.surface in joined else c
            for c in candidates]


def _confirmed_medical_group(text: str, candidate: _Candidate, generic: list[tuple[int, int]]) -> bool:
    """A 医疗集团 counts when listed among doctor groups, declared one, formerly one, or in apposition."""
    sentence_start = max(text.rfind(mark, 0, candidate.start) for mark in "。\n!?;") + 1
    if _GROUP_LIST.search(text, sentence_start, candidate.start):
        return True
    if _DECLARED.match(text[candidate.end:]):
        return True
    former = _FORMER.match(text[candidate.end:])
    if former and former["old"].endswith(GROUP_SUFFIXES):
        return True
    return any(end == candidate.start for _, end in generic)


def _rename_target(text: str, end: int) -> str | None:
    """The new name in `X 改名为 Y` when a name ends at `end`."""
    match = _RENAME.match(text[end:])
    if not match:
        return None
    run = match["target"]
    best = None
    for ending in ORG_ENDINGS:
        for found in re.finditer(re.escape(ending), run):
            stop = found.end()
            rest = run[stop:]
            if not rest or rest.startswith(_TARGET_STOP) or not _NAME_CHAR.match(rest[0]):
                if best is None or stop < best:
                    best = stop
    return run[:best] if best else None


class KnownNames(dict):
    """Names already stored, alias → canonical, with what reading an article needs of them
    worked out once: an archive knows thousands of names, and looking for every one of them
    in every article made reading one cost in proportion to the archive.

    A dict, so that it goes wherever `known` does; only the mapping is pickled.
    """

    def __reduce__(self):
        return KnownNames, (dict(self),)

    @classmethod
    def of(cls, known: Mapping[str, str] | None) -> "KnownNames":
        """`known` itself when it is KnownNames already, else its names as KnownNames."""
        return known if isinstance(known, KnownNames) else cls(known or {})

    @cached_property
    def canonicals(self) -> frozenset[str]:
        return frozenset(self.values())

    @cached_property
    def short(self) -> frozenset[str]:
        """Aliases without an ending (哈特瑞姆), looked for with care."""
        return frozenset(alias for alias in self if not _SUFFIX.search(alias))

    @cached_property
    def _pairs(self) -> list[tuple[str, str]]:
        return list(self.items())

    @cached_property
    def _by_opening(self) -> dict[str, list[tuple[int, str]]]:
        # The first two characters of every form, alias or canonical → (its pair's place, the form).
        index: dict[str, list[tuple[int, str]]] = {}
        for number, pair in enumerate(self._pairs):
            for form in set(pair):
                index.setdefault(form[:2], []).append((number, form))
        return index

    @cached_property
    def _one_character(self) -> list[tuple[int, str]]:
        # Forms of one character, which no two-character opening finds.
        return [entry for opening, entries in self._by_opening.items() if len(opening) == 1 for entry in entries]

    @cached_property
    def _starts(self) -> re.Pattern | None:
        # The first characters of the two-character openings: the places an opening may start
        # are found by the regular expression engine, not by slicing the text at every character.
        firsts = sorted({opening[0] for opening in self._by_opening if len(opening) == 2})
        return re.compile("[" + "".join(map(re.escape, firsts)) + "]") if firsts else None

    @cached_property
    def _by_canonical(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = {}
        for number, (_, canonical) in enumerate(self._pairs):
            index.setdefault(canonical, []).append(number)
        return index

    def pairs_in(self, text: str) -> list[tuple[str, str]]:
        """The (alias, canonical) pairs, in their order, either of whose forms occurs in `text`."""
        index = self._by_opening
        numbers = set()
        if self._starts is not None:
            for match in self._starts.finditer(text):
                start = match.start()
                numbers.update(number for number, form in index.get(text[start:start + 2], ())
                               if text.startswith(form, start))
        numbers.update(number for number, form in self._one_character if form in text)
        return [self._pairs[number] for number in sorted(numbers)]

    def pairs_of(self, canonicals: Iterable[str]) -> list[tuple[str, str]]:
        """The (alias, canonical) pairs, in their order, whose canonical is one of `canonicals`."""
        return [self._pairs[number] for number in sorted(number for canonical in set(canonicals)
                                                          for number in self._by_canonical.get(canonical, ()))]


class _Forms:
    """Union-find over name forms, remembering where each form first occurs."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.first: dict[str, int] = {}

    def add(self, form: str, position: int) -> None:
        if form not in self.parent:
            self.parent[form] = form
            self.first[form] = position
        else:
            self.first[form] = min(self.first[form], position)

    def find(self, form: str) -> str:
        while self.parent[form] != form:
            self.parent[form] = self.parent[self.parent[form]]
            form = self.parent[form]
        return form

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)

    def clusters(self) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = {}
        for form in self.parent:
            groups.setdefault(self.find(form), []).append(form)
        return groups


def _strip_suffix(name: str) -> str:
    for suffix in sorted(ORG_ENDINGS, key=len, reverse=True):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _strip_place(stem: str) -> str:
    for token, _ in tokens(stem)[:1]:
        if is_place(token) and len(stem) > len(token) + 1:
            return stem[len(token):]
    return stem


def _lcs(a: str, b: str) -> int:
    row = [0] * (len(b) + 1)
    for char in a:
        previous = 0
        for j, other in enumerate(b, 1):
            current = row[j]
            row[j] = previous + 1 if char == other else max(row[j], row[j - 1])
            previous = current
    return row[-1]


def same_brand(a: str, b: str) -> bool:
    """Whether two full names are forms of one group within an article.

    One ends with the other (a place or qualifier prefixed), or, places aside, both
    start with the same two characters and the shorter is mostly a subsequence of the
    longer (旭光颌面外科 / 旭光口腔颌面外科 / 旭光口腔颌外科).
    """
    if entity_kind(a) != entity_kind(b):
        return False
    ca, cb = canonical_form(a), canonical_form(b)
    if ca == cb:
        return True
    short, long_ = sorted((ca, cb), key=len)
    if long_.endswith(short) and len(_strip_suffix(short)) >= 2:
        return True
    sa, sb = _strip_place(_strip_suffix(ca)), _strip_place(_strip_suffix(cb))
    if len(sa) < 2 or len(sb) < 2 or sa[:2] != sb[:2] or is_place(sa[:2]):
        return False
    shorter = min(len(sa), len(sb))
    return _lcs(sa, sb) >= max(2, 0.75 * shorter)


def _short_alias_ok(text: str, start: int, end: int) -> bool:
    """A short name is no mention inside a facility's name (明湖妇产医院) or a person's (宋 | 冬雷)."""
    return not _FACILITY_AFTER.match(text[end:]) and not (start and is_person_name(text[start - 1:end]))


def unquote_brands(text: str) -> tuple[str, list[str]]:
    """The text with a name quoted before or around its ending unquoted (“星海”医生集团 →
    星海医生集团, “私人医生工作室”集团 → 私人医生工作室集团), and the names so marked.

    Extraction reads the name whole; the quotes say nothing the name does not, except
    that it is a name: a stem of common words (私人) names a group when quoted.
    """
    names: list[str] = []

    def unquote(match: re.Match) -> str:
        name = _quoted_name(match[1], text[match.end():match.end() + 8])
        if name is None:
            return match[0]
        names.append(name)
        return match[1]

    return _QUOTED.sub(unquote, text), names


def _quoted_name(quoted: str, after: str) -> str | None:
    """The group's name when the quoted words and what follows them end in a section-1 ending, with a stem that
    may be a name."""
    joined = quoted + after
    for suffix in GROUP_SUFFIXES:
        position = joined.find(suffix, 2)
        if 2 <= position <= len(quoted) < position + len(suffix):
            stem = joined[:position]
            if is_specific(stem, entity_kind(suffix)) or _nameable(stem):
                return joined[:position + len(suffix)]
    return None


def _nameable(stem: str) -> bool:
    """A stem that may be a name once the article marks it as one: a noun in it that is
    neither a specialty or description nor a place (私人, not 创新发展: a theme)."""
    return any(flag.startswith("n") and word not in GENERIC_WORDS and not is_place(word) for word, flag in tokens(stem))


def find_entities(text: str, known: Mapping[str, str] | None = None, named: Iterable[str] = ()) -> EntityIndex:
    """Every doctor group and alliance named in `text`, with all their mentions.

    `known` maps alias → canonical name already stored; a form found in it resolves to
    that canonical name, and its aliases are recognised in `text` as mentions. `named`
    are names the text marks as such (quoted), whatever their stem.
    """
    known = KnownNames.of(known)
    candidates, generic = _scan(text)
    forms = _Forms()
    targets: set[str] = set()
    short_aliases: set[str] = set()
    registered: set[str] = set()
    accepted = [c for c in candidates
                if not c.surface.endswith(MEDICAL_GROUP_SUFFIX)
                or c.surface in known or _confirmed_medical_group(text, c, generic)]
    for candidate in accepted:
        forms.add(candidate.surface, candidate.start)
    for name in named:
        forms.add(name, text.find(name))
    for alias, canonical in known.pairs_in(text):
        for form in (alias, canonical):
            position = text.find(form)
            if position >= 0 and form not in forms.parent:
                forms.add(form, position)
    for candidate in accepted:
        _link_statements(text, candidate, forms, targets, short_aliases)
        _link_company(text, candidate, forms, registered)
    _link_variants(text, forms, targets | short_aliases | registered)
    _link_brands(text, forms, targets | short_aliases | registered, short_aliases)
    _link_declared(text, forms, short_aliases)
    return _build_index(text, forms, known, targets | short_aliases | registered, short_aliases)


def _link_company(text: str, candidate: _Candidate, forms: _Forms, registered: set[str]) -> None:
    """A registered company name (深圳X医生集团医疗有限公司) is a form of X医生集团: the place
    in front is where the company was registered, the trade and legal form come after."""
    company = _COMPANY.match(text[candidate.end:])
    if not company:
        return
    full = candidate.surface + company.group()
    forms.add(full, candidate.start)
    forms.union(full, candidate.surface)
    registered.add(full)
    stem = _strip_suffix(candidate.surface)
    brand = _strip_place(stem)
    if brand != stem and is_specific(brand, candidate.kind):
        name = brand + candidate.surface[len(stem):]
        forms.add(name, candidate.start)
        forms.union(name, candidate.surface)
        registered.add(candidate.surface)


def brand_stems(name: str) -> set[str]:
    """The brand of a full name alone, as articles shorten it: the stem without a place in
    front, and without the specialties after it (哈特瑞姆心脏医生集团 → 哈特瑞姆心脏, 哈特瑞姆)."""
    stem = _strip_place(_strip_suffix(name))
    words = [word for word, _ in tokens(stem)]
    while words and words[-1] in GENERIC_WORDS:
        words.pop()
    return {brand for brand in (stem, "".join(words))
            if len(brand) >= 2 and brand != name and is_specific(brand, entity_kind(name))
            and not _read_as_person(brand)}


def _read_as_person(word: str) -> bool:
    """A group named after its founder (张强医生集团): the stem is a person, not a short name."""
    pairs = tokens(word)
    return is_person_name(word) and len(pairs) == 1 and pairs[0][1].startswith("nr")


def _link_brands(text: str, forms: _Forms, excluded: set[str], short_aliases: set[str]) -> None:
    """A group's brand written alone is a short name of it, when no other group has that brand."""
    owners: dict[str, set[str]] = {}
    for form in list(forms.parent):
        if form not in excluded:
            for brand in brand_stems(form):
                owners.setdefault(brand, set()).add(forms.find(form))
    for brand, roots in owners.items():
        if len(roots) == 1 and brand not in forms.parent and _alone(text, brand):
            forms.add(brand, text.find(brand))
            forms.union(brand, next(iter(roots)))
            short_aliases.add(brand)


def _alone(text: str, brand: str) -> bool:
    """Whether `brand` occurs without a name ending right after it."""
    found = text.find(brand)
    while found >= 0:
        if not _SUFFIX.match(text, found + len(brand)):
            return True
        found = text.find(brand, found + 1)
    return False


def _link_declared(text: str, forms: _Forms, short_aliases: set[str]) -> None:
    """X是…的医生集团: X, never written with its ending, is the group X医生集团."""
    for ending in _DECLARED_ENDING.finditer(text):
        clause_start = max(text.rfind(mark, 0, ending.start()) for mark in ",。;!?\n") + 1
        match = _DECLARED_SHORT.fullmatch(text, clause_start, ending.start())
        if not match:
            continue
        brand = match["brand"]
        if (brand in forms.parent or not is_specific(brand, "doctor_group") or _read_as_person(brand)
                or brand.endswith(ORG_ENDINGS + ("公司", "医院"))):
            continue
        name = canonical_form(brand + ending.group())
        if name in forms.parent:
            continue
        forms.add(name, clause_start)
        forms.add(brand, clause_start)
        forms.union(brand, name)
        short_aliases.add(brand)


def _link_statements(text: str, candidate: _Candidate, forms: _Forms, targets: set[str],
                     short_aliases: set[str]) -> None:
    """Renames, former names and 以下简称 stated right after a candidate's name."""
    target = _rename_target(text, candidate.end)
    if target and len(_strip_suffix(target)) >= 2:
        forms.add(target, text.find(target, candidate.end))
        forms.union(target, candidate.surface)
        targets.add(target)
    former = _FORMER.match(text[candidate.end:])
    if former:
        forms.add(former["old"], candidate.end)
        forms.union(former["old"], candidate.surface)
        targets.add(candidate.surface)
    _link_short_name(text, candidate.end, candidate.surface, forms, short_aliases)
    if target:
        target_end = text.find(target, candidate.end) + len(target)
        _link_short_name(text, target_end, target, forms, short_aliases)


def _link_short_name(text: str, end: int, surface: str, forms: _Forms, short_aliases: set[str]) -> None:
    """`NAME(以下简称 X)`: X is an alias of NAME."""
    short = _SHORT_NAME.match(text[end:])
    if short and short["alias"] != surface:
        forms.add(short["alias"], end)
        forms.union(short["alias"], surface)
        short_aliases.add(short["alias"])


def _link_variants(text: str, forms: _Forms, excluded: set[str]) -> None:
    """Full names that are forms of one group (same_brand) are one, unless the article
    lists them side by side (与A、B等同行相比): a list names different groups."""
    names = [form for form in forms.parent if form not in excluded]
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if forms.find(a) != forms.find(b) and same_brand(a, b) and not _listed_together(text, a, b):
                forms.union(a, b)


def _listed_together(text: str, a: str, b: str) -> bool:
    return any(first + mark + second in text for first, second in ((a, b), (b, a)) for mark in "、,和与及")


def _canonical(cluster: list[str], forms: _Forms, known: KnownNames, excluded: set[str]) -> str:
    for form in sorted(cluster, key=forms.first.__getitem__):
        for variant in (form, canonical_form(form)):
            if variant in known:
                return known[variant]
            if variant in known.canonicals:
                return variant
    full = [form for form in cluster if form not in excluded] or cluster
    full = [form for form in full
            if not any(other != form and canonical_form(form) in canonical_form(other) for other in full)] or full
    return canonical_form(min(full, key=forms.first.__getitem__))


def _build_index(text: str, forms: _Forms, known: KnownNames, not_canonical: set[str],
                 short_aliases: set[str]) -> EntityIndex:
    index = EntityIndex()
    owner: dict[str, str] = {}
    for cluster in forms.clusters().values():
        canonical = _canonical(cluster, forms, known, not_canonical)
        for form in cluster:
            owner[form] = canonical
    for alias, canonical in known.pairs_of(owner.values()):
        owner.setdefault(alias, canonical)
    index.mentions = _mentions(text, owner, short_aliases | known.short)
    seen_order: list[str] = []
    for mention in index.mentions:
        if mention.entity not in seen_order:
            seen_order.append(mention.entity)
    for canonical in seen_order:
        surfaces = []
        for mention in index.mentions:
            if mention.entity == canonical and mention.surface != canonical and mention.surface not in surfaces:
                surfaces.append(mention.surface)
        index.entities[canonical] = Entity(canonical, entity_kind(canonical), surfaces)
    return index


def _mentions(text: str, owner: dict[str, str], short: set[str]) -> list[Mention]:
    """Non-overlapping occurrences of every form, longest forms first."""
    if not owner:
        return []
    pattern = re.compile("|".join(re.escape(f) for f in sorted(owner, key=len, reverse=True)))
    mentions = []
    for match in pattern.finditer(text):
        form = match.group()
        if form in short and not _short_alias_ok(text, match.start(), match.end()):
            continue
        mentions.append(Mention(match.start(), match.end(), form, owner[form]))
    return mentions
