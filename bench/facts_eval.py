"""Score the fact extractor against the development gold set in ../shared/dev.

For each seed page: normalise the dump (spec section 3), cut the body between the
gold `body_first` and `body_last`, run `extract_facts` on it with the gold publication
date, and compare
- entities: canonical names, a predicted name counting for the gold entity whose
  canonical name or `aliases` it matches;
- facts: (entity, attribute, value), entity names matched the same way.
Prints a per-seed table with precision / recall / F1 and, as the last line, one JSON
object with the totals (micro-averaged). Goals (issue 3): entity F1 >= 0.95, fact
precision >= 0.95, fact recall >= 0.85.

    python -m bench.facts_eval [--shared PATH] [--verbose]
"""
from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path

from bench.output import report
from crawler.facts import extract_facts
from crawler.normalise import normalise

DEFAULT_SHARED = Path(__file__).resolve().parents[2] / "shared"


@dataclass
class Score:
    """True positives, predictions and gold items; precision, recall and F1 from them."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0
    misses: list = field(default_factory=list)
    extras: list = field(default_factory=list)

    def add(self, predicted: set, gold: set) -> None:
        self.tp += len(predicted & gold)
        self.predicted += len(predicted)
        self.gold += len(gold)
        self.misses.extend(sorted(map(str, gold - predicted)))
        self.extras.extend(sorted(map(str, predicted - gold)))

    def merge(self, other: "Score") -> None:
        self.tp += other.tp
        self.predicted += other.predicted
        self.gold += other.gold

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
    facts.add(predicted, {(f["entity"], f["attribute"], f["value"]) for f in gold["facts"]})
    return entities, facts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--verbose", action="store_true", help="list missed and extra items")
    args = parser.parse_args(argv)
    gold_file = args.shared / "dev" / "seed-gold.jsonl"
    if not gold_file.is_file():
        print(f"skipped: {gold_file} not present (the shared folder belongs beside the clone)")
        return 0
    golds = [json.loads(line) for line in gold_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    total_entities, total_facts = Score(), Score()
    rows = []
    for gold in golds:
        entities, facts = score_seed(gold, args.shared / "seeds")
        total_entities.merge(entities)
        total_facts.merge(facts)
        rows.append(_row(gold["seed"], entities, facts))
        if args.verbose:
            for label, items in (("entity missed", entities.misses), ("entity extra", entities.extras),
                                 ("fact missed", facts.misses), ("fact extra", facts.extras)):
                for item in items:
                    print(f"{gold['seed']}: {label}: {item}")
    rows.append(_row("total", total_entities, total_facts))
    report("Fact extraction against the dev gold set",
           ["seed", "entity P", "entity R", "entity F1", "fact P", "fact R", "fact F1"], rows, {
               "seeds": len(golds),
               "entity_precision": round(total_entities.precision, 4),
               "entity_recall": round(total_entities.recall, 4),
               "entity_f1": round(total_entities.f1, 4),
               "fact_precision": round(total_facts.precision, 4),
               "fact_recall": round(total_facts.recall, 4),
               "fact_f1": round(total_facts.f1, 4),
           })
    return 0


def _row(label: str, entities: Score, facts: Score) -> list:
    return [label, entities.precision, entities.recall, entities.f1, facts.precision, facts.recall, facts.f1]


if __name__ == "__main__":
    raise SystemExit(main())
