"""jieba's part-of-speech Viterbi (`jieba.posseg.viterbi`), with each step done by numpy.

jieba runs it over every run of characters its dictionary does not know (a coined brand,
a person's name), comparing each of its ~250 states with each other in pure Python: a
quarter of an analysing worker's time. This adds the same numbers in the same order and
breaks ties the same way (jieba keeps the greatest (score, state) pair, so among equal
scores the greatest state; here states are indexed greatest first and numpy's argmax keeps
the first), so its routes are jieba's own: `tests/test_facts_viterbi.py` compares them.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

# jieba's constants (jieba/posseg/viterbi.py): an unseen emission, a missing transition.
MIN_FLOAT = -3.14e100
MIN_INF = float("-inf")
# Characters whose state masks and emission rows are kept (~2 kB each).
_CACHED_CHARS = 4096

State = tuple[str, str]


class PosModel:
    """jieba's HMM tables as arrays over its states, ordered greatest first."""

    def __init__(self, char_state_tab: dict, start_p: dict, trans_p: dict, emit_p: dict):
        self.states: tuple[State, ...] = tuple(sorted(trans_p, reverse=True))
        self._index = {state: i for i, state in enumerate(self.states)}
        size = len(self.states)
        self.trans = np.full((size, size), MIN_INF)
        self.follows = np.zeros((size, size), dtype=bool)
        for state, nexts in trans_p.items():
            for following, probability in nexts.items():
                self.trans[self._index[state], self._index[following]] = probability
                self.follows[self._index[state], self._index[following]] = True
        self.has_next = self.follows.any(axis=1)
        self.start = np.array([start_p.get(state, MIN_INF) for state in self.states])
        self._char_states = char_state_tab
        self._emit = emit_p
        self.allowed = lru_cache(maxsize=_CACHED_CHARS)(self._allowed)
        self.emission = lru_cache(maxsize=_CACHED_CHARS)(self._emission)

    def _allowed(self, char: str) -> np.ndarray:
        """Indices of the states jieba tries for `char` (all, for a character it has no entry for)."""
        listed = self._char_states.get(char)
        if listed is None:
            return np.arange(len(self.states))
        return np.array(sorted(self._index[state] for state in listed))

    def _emission(self, char: str) -> np.ndarray:
        """Each state's emission log-probability for `char`, MIN_FLOAT where jieba has none."""
        return np.array([self._emit[state].get(char, MIN_FLOAT) for state in self.states])


def viterbi(obs: str, model: PosModel) -> tuple[float, list[State]]:
    """The best route of states through `obs`, as `jieba.posseg.viterbi.viterbi` returns it."""
    active = model.allowed(obs[0])
    scores = model.start[active] + model.emission(obs[0])[active]
    back: list[np.ndarray] = []
    for char in obs[1:]:
        kept = model.has_next[active]
        previous = active[kept]
        expected = model.follows[previous].any(axis=0)
        current = np.intersect1d(model.allowed(char), np.flatnonzero(expected), assume_unique=True)
        if not current.size:
            current = np.flatnonzero(expected) if expected.any() else np.arange(len(model.states))
        totals = scores[kept][:, None] + model.trans[np.ix_(previous, current)] + model.emission(char)[current]
        best = totals.argmax(axis=0)
        came_from = np.empty(len(model.states), dtype=np.intp)
        came_from[current] = previous[best]
        back.append(came_from)
        scores = totals[best, np.arange(current.size)]
        active = current
    end = int(scores.argmax())
    state = int(active[end])
    route = [state]
    for came_from in reversed(back):
        state = int(came_from[state])
        route.append(state)
    route.reverse()
    return float(scores[end]), [model.states[i] for i in route]
