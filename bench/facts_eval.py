"""Score the fact extractor against the gold sets in ../shared: the seeds and the facts corpus.

Seeds (../shared/dev/seed-gold.jsonl): normalise the dump (spec section 3), cut the
body between the gold `body_first` and `body_last`, run `extract_facts` on it with the
gold publication date, and compare
- entities: canonical names, a predicted name counting for the gold entity whose
  canonical name or `aliases` it matches;
- facts: (entity, attribute, value), entity names matched the same way.
Goals (issue 3): entity F1 >= 0.95, fact precision >= 0.95, fact recall >= 0.85.

Corpus (../shared/corpus/facts/gold.jsonl): each real article goes through the page
pipeline as a user's would (crawler.process.process_page: body, date, normalisation),
then `extract_facts`; names and (entity, attribute, value) must match the gold exactly.
Goals (issue 15): entity precision and recall >= 0.95, fact precision >= 0.92, fact
recall >= 0.75.

Prints, for each gold set present, a table by document and one by fact attribute with
precision / recall / F1; `--verbose` lists every miss and false positive. The last line
is one JSON object: the seeds' totals (micro-averaged) at the top level, the corpus's
under "corpus", and each set's per-attribute figures under "attributes".

    python -m bench.facts_eval [--shared PATH] [--verbose]
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from bench.output import absent, gold_arguments, report
from crawler.facts import extract_facts
from crawler.normalise import normalise
from crawler.process import process_page

_HEADERS = ["entity P", "entity R", "entity F1", "fact P", "fact R", "fact F1"]


@dataclass
class Score:
    """Hits, misses (gold not predicted) and extras (predicted, not gold); precision, recall and F1 from them."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0
    hits: list = field(default_factory=list)
    misses: list = field(default_factory=list)
    extras: list = field(default_factory=list)

    def add(self, predicted: set, gold: set) -> None:
        self.tp += len(predicted & gold)
        self.predicted += len(predicted)
        self.gold += len(gold)
        self.hits.extend(sorted(predicted & gold, key=str))
        self.misses.extend(sorted(gold - predicted, key=str))
        self.extras.extend(sorted(predicted - gold, key=str))

    def merge(self, other: "Score") -> None:
        self.tp += other.tp
        self.predicted += other.predicted
        self.gold += other.gold
        self.hits.extend(other.hits)
        self.misses.extend(other.misses)
        self.extras.extend(other.extras)

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class GoldSet:
    """One gold file scored: by document and in total."""

    name: str
    documents: list[tuple[str, Score, Score]] = field(default_factory=list)
    entities: Score = field(default_factory=Score)
    facts: Score = field(default_factory=Score)

    def add(self, document: str, entities: Score, facts: Score) -> None:
        self.documents.append((document, entities, facts))
        self.entities.merge(entities)
        self.facts.merge(facts)

    def by_attribute(self) -> dict[str, Score]:
        """Fact scores per attribute, from the (entity, attribute, value) items of the totals."""
        scores: dict[str, Score] = {}
        for items, counts in ((self.facts.hits, ("tp", "predicted", "gold")), (self.facts.misses, ("gold",)),
                              (self.facts.extras, ("predicted",))):
            for item in items:
                score = scores.setdefault(item[1], Score())
                for count in counts:
                    setattr(score, count, getattr(score, count) + 1)
        return dict(sorted(scores.items()))

    def summary(self) -> dict:
        """The totals, rounded, for the JSON line."""
        return {
            "entity_precision": round(self.entities.precision, 4),
            "entity_recall": round(self.entities.recall, 4),
            "entity_f1": round(self.entities.f1, 4),
            "fact_precision": round(self.facts.precision, 4),
            "fact_recall": round(self.facts.recall, 4),
            "fact_f1": round(self.facts.f1, 4),
        }


def body_of(text: str, first: str, last: str) -> str:
    """The body between the gold first and last sentences (all normalised).

    `first` may also occur in a summary line above the body: a line consisting of it
    alone is preferred, else its first occurrence. `last` is its last occurrence.
    """
    start = -1
    offset = 0
    for line in text.split("\n"):
        if line.strip() == first:
            start = offset + line.index(first)
            break
        offset += len(line) + 1
    if start < 0:
        start = text.find(first)
    if start < 0:
        raise ValueError(f"body_first not found: {first[:30]}…")
    end = text.rfind(last)
    if end < start:
        raise ValueError(f"body_last not found after body_first: {last[:30]}…")
    return text[start:end + len(last)]


def alias_map(gold: dict) -> dict[str, str]:
    """Every gold name form (normalised) → its gold canonical name."""
    forms = {name: name for name in gold["entities"]}
    for canonical, aliases in (gold.get("aliases") or {}).items():
        for alias in aliases:
            forms.setdefault(normalise(alias), canonical)
    return forms


def _gold_facts(gold: dict) -> set[tuple]:
    return {(f["entity"], f["attribute"], f["value"]) for f in gold["facts"]}


def score_seed(gold: dict, seeds: Path) -> tuple[Score, Score]:
    """Entity and fact scores of one seed."""
    text = normalise((seeds / gold["seed"]).read_text(encoding="utf-8"))
    body = body_of(text, normalise(gold["body_first"]), normalise(gold["body_last"]))
    extraction = extract_facts(body, published=gold["published"], url=gold["seed"])
    forms = alias_map(gold)

    def resolve(name: str) -> str:
        return forms.get(name, name)

    entities, facts = Score(), Score()
    entities.add({resolve(e.name) for e in extraction.entities}, set(gold["entities"]))
    predicted = {(resolve(fact.entity), fact.attribute, fact.value) for fact in extraction.facts}
    facts.add(predicted, _gold_facts(gold))
    return entities, facts


def score_article(gold: dict, folder: Path) -> tuple[Score, Score]:
    """Entity and fact scores of one corpus article, read through the page pipeline."""
    page = process_page((folder / gold["file"]).read_bytes(), gold.get("url") or gold["file"])
    extraction = extract_facts(page.normalised, published=page.published, url=gold["file"])
    entities, facts = Score(), Score()
    entities.add({entity.name for entity in extraction.entities}, set(gold["entities"]))
    facts.add({(fact.entity, fact.attribute, fact.value) for fact in extraction.facts}, _gold_facts(gold))
    return entities, facts


def _read_gold(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score_seeds(shared: Path) -> GoldSet:
    """The seeds' gold set scored (../shared/dev/seed-gold.jsonl)."""
    scored = GoldSet("seeds")
    for gold in _read_gold(shared / "dev" / "seed-gold.jsonl"):
        scored.add(gold["seed"], *score_seed(gold, shared / "seeds"))
    return scored


def score_corpus(shared: Path) -> GoldSet:
    """The facts corpus scored (../shared/corpus/facts/gold.jsonl)."""
    folder = shared / "corpus" / "facts"
    scored = GoldSet("corpus")
    for gold in _read_gold(folder / "gold.jsonl"):
        scored.add(gold["file"], *score_article(gold, folder))
    return scored


def main(argv: list[str] | None = None) -> int:
    args = gold_arguments(__doc__, "list every miss and false positive", argv)
    seed_gold = args.shared / "dev" / "seed-gold.jsonl"
    if absent(seed_gold):
        return 0
    sets = [score_seeds(args.shared)]
    if (args.shared / "corpus" / "facts" / "gold.jsonl").is_file():
        sets.append(score_corpus(args.shared))
    else:
        print(f"corpus skipped: {args.shared / 'corpus' / 'facts' / 'gold.jsonl'} not present")
    rows = []
    for scored in sets:
        for document, entities, facts in scored.documents:
            rows.append(_row(f"{scored.name} {document}", entities, facts))
            if args.verbose:
                _list_errors(f"{scored.name} {document}", entities, facts)
        rows.append(_row(f"{scored.name} total", scored.entities, scored.facts))
        for attribute, score in scored.by_attribute().items():
            rows.append([f"{scored.name} {attribute} ({score.tp}/{score.gold} of gold, {score.predicted} found)",
                         None, None, None, score.precision, score.recall, score.f1])
    figures = {"seeds": len(sets[0].documents), **sets[0].summary()}
    if len(sets) > 1:
        figures["corpus"] = {"documents": len(sets[1].documents), **sets[1].summary()}
    figures["attributes"] = {scored.name: {attribute: {"gold": score.gold, "found": score.predicted,
                                                       "right": score.tp}
                                           for attribute, score in scored.by_attribute().items()}
                             for scored in sets}
    report("Fact extraction against the gold sets, by document and by attribute", ["document", *_HEADERS],
           rows, figures)
    return 0


def _list_errors(document: str, entities: Score, facts: Score) -> None:
    for label, items in (("entity missed", entities.misses), ("entity extra", entities.extras),
                         ("fact missed", facts.misses), ("fact extra", facts.extras)):
        for item in items:
            print(f"{document}: {label}: {item}")


def _row(label: str, entities: Score, facts: Score) -> list:
    return [label, entities.precision, entities.recall, entities.f1, facts.precision, facts.recall, facts.f1]


if __name__ == "__main__":
    raise SystemExit(main())
