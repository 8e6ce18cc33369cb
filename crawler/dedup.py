"""Near-duplicate detection: MinHash over character shingles of the normalised body.

Reprints and traditional copies differ from the original only in chrome and script,
which normalisation already removed. Synonym-spun copies swap words for near-synonyms
(医师 for 医生, 病院 for 医院, 搬动 for 移动 …); folding each known swap back to one
form on both sides before shingling lets MinHash see the shared story.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

import numpy as np

from storage.neardup import NUM_PERM, band_keys
from storage.records import Analysed

SHINGLE = 3
FINGERPRINT_SCHEME = "codepoint-trigrams/affine32"
"""How fingerprints are made, stored beside them: a crawl that finds the archive made
another way makes its fingerprints again (storage.neardup.refingerprint), since only
fingerprints made alike can be compared."""
# A shingle is hashed as its characters' code points side by side (below 2**21 each,
# so three fit in 64 bits without loss), spread to 32 bits by Knuth's multiplicative
# hash: numpy does a whole body at once, where SHA-1 per shingle (datasketch's default
# hash function) cost more than the rest of the fingerprint together.
_CODE_POINT_BITS = 21
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
# datasketch's "affine32" MinHash, as datasketch 2.0 computes it for its default seed:
# each 32-bit hash pre-mixed by MurmurHash3's finalizer, then NUM_PERM permutations
# h -> a*h + b mod 2**32 (odd a), and the least value under each kept. Computed here
# rather than by datasketch.MinHash, because importing datasketch imports scipy for its
# LSH tuning, which this scheme does not use (storage.neardup has frozen the banding):
# 42 MB and 0.3 s in the crawl process. tests/test_text.py checks the signatures are
# datasketch's own.
_SEED = 1
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))

# Spinner substitutions seen in the wild, as (spun form, plain form). Both texts are
# folded to the plain form, so a pair in the wrong direction costs nothing.
SPIN_SYNONYMS: tuple[tuple[str, str], ...] = (
    ("医师", "医生"), ("病院", "医院"), ("互联网", "互联"), ("搬动", "移动"),
    ("下昼", "下午"), ("体例", "体制"), ("获取", "获得"), ("快要", "将近"),
    ("功夫", "时间"), ("改日", "未来"), ("何如", "如何"), ("怎么", "如何"),
    ("蜕化", "变化"), ("计谋", "策略"), ("研讨", "研究"), ("表科", "外科"),
    ("强壮", "健康"), ("正正在", "在"), ("正在", "在"), ("商酌", "讨论"), ("了解", "清晰"),
    ("兴办", "建立"), ("帮帮", "帮助"), ("进步", "提高"), ("功效", "效率"),
    ("呈现", "出现"), ("造成", "形成"), ("公然", "公开"), ("具有", "拥有"),
    ("筹修", "筹建"), ("束缚", "管理"), ("中央", "中心"), ("国度", "国家"),
    ("同盟", "联盟"), ("接踵", "相继"), ("创始", "创立"), ("秘密", "机密"),
)
_SPIN = re.compile("|".join(re.escape(spun) for spun, _ in SPIN_SYNONYMS))
_PLAIN = dict(SPIN_SYNONYMS)
# Punctuation, spaces and digits vary between copies without changing the story.
_NOISE = re.compile(r"[\s\d\W_]+")


def canonical_text(normalised: str) -> str:
    """The text as shingled: spin synonyms folded, punctuation, digits and spaces removed."""
    return _NOISE.sub("", _SPIN.sub(lambda m: _PLAIN[m.group(0)], normalised))


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The multipliers and offsets of the NUM_PERM permutations, drawn as datasketch draws them."""
    generator = np.random.RandomState(_SEED)
    multipliers = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    offsets = generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return multipliers, offsets


def _premixed(hashes: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, element by element (multiplication wraps, as meant)."""
    shift1, multiplier1, shift2, multiplier2, shift3 = _FMIX32
    hashes = hashes ^ (hashes >> shift1)
    hashes = hashes * multiplier1
    hashes = hashes ^ (hashes >> shift2)
    hashes = hashes * multiplier2
    return hashes ^ (hashes >> shift3)


def shingle_hashes(text: str) -> np.ndarray:
    """A 32-bit hash of each distinct run of SHINGLE characters of `text` (of the whole text, if shorter)."""
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    points = np.pad(points, (0, max(0, SHINGLE - points.size)))
    count = points.size - SHINGLE + 1
    keys = np.zeros(count, dtype=np.uint64)
    for offset in range(SHINGLE):
        keys = (keys << np.uint64(_CODE_POINT_BITS)) | points[offset:offset + count]
    # Distinct by sorting and dropping repeats: np.unique's hashing path for integers took
    # five times as long on a body's thousand-odd shingles.
    keys.sort()
    distinct = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    return ((distinct * _MULTIPLIER) >> np.uint64(32)).astype(np.uint32)


def fingerprint(normalised: str) -> bytes:
    """The MinHash signature of a normalised body, as bytes for the `fingerprint` column."""
    multipliers, offsets = _permutations()
    hashes = _premixed(shingle_hashes(canonical_text(normalised)))
    # One row a permutation, filled in place and reduced along its row: a quarter faster
    # than broadcasting the other way round into fresh arrays.
    permuted = np.multiply.outer(multipliers, hashes)
    permuted += offsets[:, None]
    return permuted.min(axis=1).astype(np.uint64).tobytes()


def with_fingerprint(analysed: Analysed) -> Analysed:
    """`analysed` with its normalised body's fingerprint and near-duplicate band keys."""
    signature = fingerprint(analysed.page.normalised)
    return replace(analysed, fingerprint=signature, bands=band_keys(signature))
