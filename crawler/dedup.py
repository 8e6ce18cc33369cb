"""Near-duplicate detection: MinHash over character shingles of the normalised body.

Reprints and traditional copies differ from the original only in chrome and script,
which normalisation already removed. Synonym-spun copies swap words for near-synonyms
(医师 for 医生, 病院 for 医院, 搬动 for 移动 …); folding each known swap back to one
form on both sides before shingling lets MinHash see the shared story.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from storage.neardup import NUM_PERM

SHINGLE = 3
# Stored fingerprints must be read back with the scheme that made them.
SCHEME = "affine32"

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
def _datasketch():
    """datasketch's MinHash class and the permutations every signature shares.

    Loaded on first use: datasketch brings scipy (50 MB), which the crawl process,
    comparing signatures only, does without. Generating the permutations once, not per
    signature, saves a tenth of a fingerprint's cost.
    """
    from datasketch import MinHash

    return MinHash, MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations


def fingerprint(normalised: str) -> bytes:
    """The MinHash signature of a normalised body, as bytes for the `fingerprint` column."""
    minhash_class, permutations = _datasketch()
    text = canonical_text(normalised)
    shingles = {text[i:i + SHINGLE] for i in range(max(1, len(text) - SHINGLE + 1))}
    minhash = minhash_class(num_perm=NUM_PERM, scheme=SCHEME, permutations=permutations)
    minhash.update_batch([s.encode("utf-8") for s in shingles])
    return minhash.hashvalues.astype(np.uint64).tobytes()

