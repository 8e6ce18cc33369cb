"""Who a sentence is about when it does not name them: anaphors, speakers, carry-over.

- 该集团 / 这家医生集团 / 该联盟: the entity of the right kind named last before it in the
  sentence; 集团 / 其: the one named earlier in the sentence if there is exactly one;
  else the only one of the latest earlier sentence (up to three back) that names any;
  ambiguity resolves to nobody.
- 我们 / 咱们: in an interview, the group of the current speaker. A speaker line is
  "X医生集团(创始人) 宋冬雷:" or "宋冬雷:" once 宋冬雷 is known to belong to a group
  (from such a line, from "X创始人宋冬雷", or from a group named after its founder).
  Outside interviews, 我们 is read like 其. Neither stands for a group when another
  organisation is named between the group and them (医院院长表示,“我们…”).
- Carry-over: a count stated with no subject at all belongs to the only entity of the
  previous sentence.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from crawler.facts.entities import EntityIndex
from crawler.facts.lexicon import OTHER_ORG
from storage.records import GROUP_SUFFIXES
from crawler.facts.masking import ENTITY, MaskedSentence, is_placeholder
from crawler.facts.persons import name_after
from crawler.facts.rules import ANAPHOR

_CUE = re.compile(rf"{ENTITY}|{ANAPHOR}")
_SPEAKER = re.compile(
    rf"^(?:(?P<ent>{ENTITY})\s*(?:联合)?(?:创始人|CEO|总裁|院长|董事长|负责人|合伙人)?\s*)?"
    r"(?P<name>[\u4e00-\u9fff]{2,4})\s*(?::|$)"
)
_ROLE_NAME = re.compile(rf"(?P<ent>{ENTITY})(?:的)?(?:联合)?(?:创始人|CEO|总裁)[\s、,:]*(?P<tail>[\u4e00-\u9fff]{{2,6}})")
_QUESTION = re.compile(r"^\s*\d+\)|请问")
_LOOKBACK = 3
# 与A、B等同行相比 …: whatever is named inside is not what the article is about.
_COMPARED = re.compile(r"[与和同跟较][^,。;!?]{0,40}?(?:相比|相较|比较)")
# After a leading 继…之后, clause, the subject is named right after it.
_AFTER_CLAUSE = re.compile(r"^(?:继|在|自)[^。;!?]*?(?:之后|以后|以来|后),")
# 该集团, 这家医生集团: a demonstrative points back to the group named last.
_DEMONSTRATIVES = ("该", "这家", "这支", "这个", "此")
_RELATIVE = re.compile(rf"^[^,。;!?\ue000-\uf8ff]{{0,15}}?的(?P<ent>{ENTITY})")


# A department (or none), then a post held at an organisation, as in 某医院骨科副主任医师.
_POST = re.compile(r"[^,。;!?\ue000-\uf8ff的]{0,8}?(?:主任医师|主治医师|主任|教授|院长|书记|院士|研究员|科长|首席专家)")


# Organisations counted in an earlier clause (与17家医院合作建立…,签约医生62人): partners,
# not the subject of the clause that follows.
_COUNTED_ORGS = re.compile(r"[0-9一二三四五六七八九十百千两几多余数]+家[\u4e00-\u9fff]{0,6}$")


def _names_a_subject(between: str) -> bool:
    """Whether another organisation named between a subject and its figure may be the figure's
    subject: anywhere in the figure's own clause, but in an earlier clause only when more of
    that clause follows it (该市医院的骨科只有…,), not as the object that ends it (合作覆盖12家医院,)."""
    last_clause = max(between.rfind(mark) for mark in ",;:")
    return any((found.start() > last_clause or between[found.end():found.end() + 1] not in (",", ";", ":"))
               and not _affiliation(between, found.end())
               and not (found.start() < last_clause and _COUNTED_ORGS.search(between, 0, found.start()))
               for found in OTHER_ORG.finditer(between))


def _affiliation(text: str, end: int) -> bool:
    """Whether the organisation ending at `end` only says where a person works: a department
    and a post follow it, then the person's name (由原某医院骨科副主任医师韩东领衔创办)."""
    post = _POST.match(text, end)
    return bool(post) and name_after(text[post.end():]) is not None


def _kind_wanted(anaphor: str) -> str | None:
    """The entity kind an anaphor stands for (None: any kind)."""
    if anaphor.endswith("联盟"):
        return "alliance"
    if "集团" in anaphor or anaphor.endswith(("团队", "队伍")):
        return "doctor_group"
    return None


def _topic(sentences: list[MaskedSentence]) -> str | None:
    """The entity named more often than any other, if one is; a group the article compares
    its subject with (与X等同行相比) does not count, however often it is named."""
    counts: Counter[str] = Counter()
    for masked in sentences:
        if not masked.mentions:
            continue
        compared = {char for span in _COMPARED.finditer(masked.text) for char in span.group()}
        counts.update(mention.entity for char, mention in masked.mentions.items() if char not in compared)
    ranked = counts.most_common(2)
    if not ranked or len(ranked) == 2 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


@dataclass
class Discourse:
    """The article's sentences, masked, with speakers and person → group links."""

    index: EntityIndex
    sentences: list[MaskedSentence]
    person_group: dict[str, str] = field(default_factory=dict)
    speakers: list[str | None] = field(default_factory=list)
    topic: str | None = None  # the entity the article is about: named more often than any other

    @classmethod
    def build(cls, index: EntityIndex, sentences: list[MaskedSentence]) -> "Discourse":
        discourse = cls(index, sentences)
        discourse._learn_people()
        discourse._track_speakers()
        discourse.topic = _topic(sentences)
        return discourse

    def _learn_people(self) -> None:
        for canonical in self.index.entities:
            for suffix in GROUP_SUFFIXES:
                if canonical.endswith(suffix) and 2 <= len(canonical) - len(suffix) <= 3:
                    self.person_group.setdefault(canonical[: -len(suffix)], canonical)
        for masked in self.sentences:
            for match in _ROLE_NAME.finditer(masked.text):
                person = name_after(match["tail"])
                mention = masked.mentions[match["ent"]]
                if person:
                    self.person_group[person] = mention.entity
            speaker = _SPEAKER.match(masked.text)
            if speaker and speaker["ent"] and name_after(speaker["name"]) == speaker["name"]:
                self.person_group[speaker["name"]] = masked.mentions[speaker["ent"]].entity

    def _track_speakers(self) -> None:
        current: str | None = None
        paragraph = -1
        for masked in self.sentences:
            if masked.sentence.paragraph != paragraph:
                paragraph = masked.sentence.paragraph
                if _QUESTION.search(masked.text):
                    current = None
                speaker = _SPEAKER.match(masked.text)
                if speaker and name_after(speaker["name"]) == speaker["name"]:
                    if speaker["ent"]:
                        current = masked.mentions[speaker["ent"]].entity
                    else:
                        current = self.person_group.get(speaker["name"])
            self.speakers.append(current)

    # --- resolution -------------------------------------------------------------

    def _entities_before(self, number: int, position: int, kind: str | None) -> list[str]:
        masked = self.sentences[number]
        found: list[str] = []
        for char in masked.text[:position]:
            if is_placeholder(char):
                entity = masked.mentions[char].entity
                if (kind is None or self.index.kind(entity) == kind) and entity not in found:
                    found.append(entity)
        return found

    def _unique_earlier(self, number: int, kind: str | None) -> str | None:
        """The entity of the nearest earlier sentence that names any; past the lookback, the
        article's topic (an article's 集团 is its own group, however long since its name)."""
        for back in range(1, _LOOKBACK + 1):
            if number - back < 0:
                return None
            previous = self.sentences[number - back]
            named = self._entities_before(number - back, len(previous.text), None)
            if named:
                return self._one_of([e for e in named if kind is None or self.index.kind(e) == kind])
        if kind is not None and self.topic is not None and self.index.kind(self.topic) == kind:
            return self.topic
        return None

    def _one_of(self, candidates: list[str]) -> str | None:
        """The only candidate, or the article's topic among several (与A、B等同行相比,集团…:
        an article's 集团 is its own group); None when that is no candidate."""
        if len(candidates) == 1:
            return candidates[0]
        return self.topic if self.topic in candidates else None

    def _other_org_since_entity(self, number: int, position: int) -> bool:
        """Whether another organisation is named after the sentence's last entity before `position`.

        Then 其 / 我们 (which do not say "group") may well be that organisation.
        """
        text = self.sentences[number].text[:position]
        last = max((i for i, char in enumerate(text) if is_placeholder(char)), default=-1)
        return OTHER_ORG.search(text[last + 1:]) is not None

    def resolve_anaphor(self, number: int, anaphor: str, position: int) -> str | None:
        """The entity an anaphor at `position` of sentence `number` stands for."""
        kind = _kind_wanted(anaphor)
        if anaphor.startswith(("我们", "咱们")) and self.speakers[number] and kind != "alliance":
            return self.speakers[number]
        if kind is None and self._other_org_since_entity(number, position):
            return None
        if anaphor.startswith(_DEMONSTRATIVES):
            nearest = self._nearest_before(number, position, kind)
            if nearest:
                return nearest
        here = self._entities_before(number, position, kind)
        if here:
            return self._one_of(here)
        return self._unique_earlier(number, kind)

    def _nearest_before(self, number: int, position: int, kind: str | None) -> str | None:
        """The entity of the right kind named last before `position` in the sentence, outside a comparison."""
        masked = self.sentences[number]
        compared = {i for span in _COMPARED.finditer(masked.text) for i in range(span.start(), span.end())}
        for i in range(position - 1, -1, -1):
            char = masked.text[i]
            if is_placeholder(char) and i not in compared:
                entity = masked.mentions[char].entity
                if kind is None or self.index.kind(entity) == kind:
                    return entity
        return None

    def subject_before(self, number: int, position: int, clause_only: bool) -> tuple[str | None, bool]:
        """The subject cue nearest before `position`: (entity or None, whether a cue exists).

        Another organisation between the cue and `position` voids it; with
        `clause_only` only the clause right before `position` is checked for one.
        """
        masked = self.sentences[number]
        cues = [m for m in _CUE.finditer(masked.text) if m.end() <= position]
        if not cues:
            return None, False
        cue = cues[-1]
        between = masked.text[cue.end():position]
        if clause_only:
            between = re.split(r"[,;:]", between)[-1]
        if _names_a_subject(between):
            return None, True
        if is_placeholder(cue.group()[0]) and len(cue.group()) == 1:
            return masked.mentions[cue.group()].entity, True
        return self.resolve_anaphor(number, cue.group(), cue.start()), True

    def subject_after(self, number: int, start: int, end: int) -> str | None:
        """A subject named after a figure: 继…之后,X医生集团 … / …的X医生集团."""
        masked = self.sentences[number]
        lead = _AFTER_CLAUSE.match(masked.text)
        if lead and lead.end() > start and not any(is_placeholder(c) for c in masked.text[:lead.end()]):
            rest = masked.text[lead.end():]
            first = next((i for i, c in enumerate(rest) if is_placeholder(c)), None)
            if first is not None and not OTHER_ORG.search(rest[:first]):
                return masked.mentions[rest[first]].entity
        relative = _RELATIVE.match(masked.text[end:])
        if relative and not OTHER_ORG.search(masked.text[end:end + relative.start("ent")]):
            return masked.mentions[relative["ent"]].entity
        return None

    def carried_topic(self, number: int) -> str | None:
        """For a sentence naming nobody: the only entity of the previous sentence."""
        masked = self.sentences[number]
        if any(is_placeholder(c) for c in masked.text) or number == 0:
            return None
        previous = self.sentences[number - 1]
        named = self._entities_before(number - 1, len(previous.text), None)
        return named[0] if len(named) == 1 else None
