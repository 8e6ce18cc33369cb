"""jieba's word frequencies and part-of-speech tags, with the specialty terms added, loaded as one table.

jieba reads its 350,000 words twice, once into its frequency table (from its own cache)
and once into the part-of-speech tokenizer's tag table (parsing its dictionary text
again); the tag table is then re-keyed by the frequency table's own strings, to hold
each word once (~27 MB less in every process that extracts facts). That took ~0.9 s of
each analysing worker's start, which the crawl waits for. Both tables, sharing their
words, are kept in one marshal file beside jieba's own cache: marshal writes a string
used twice once, so they load shared, in ~0.2 s.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path

# Bumped when what the file holds changes.
_FORMAT = 1


def load(added_terms: tuple[str, ...]):
    """jieba.posseg, with jieba's default tokenizer and `jieba.posseg.dt` filled with the
    dictionary plus `added_terms` (nouns): from the cache file when there is one for this
    very dictionary, else built (and the file written, where the directory can be written)."""
    import jieba

    path = _cache_path(jieba, added_terms)
    try:
        # Read whole: marshal.load reading the file piece by piece took three times as long.
        frequencies, total, tags = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        import jieba.posseg

        _build(jieba, jieba.posseg, added_terms)
        _save(path, (jieba.dt.FREQ, jieba.dt.total, jieba.posseg.dt.word_tag_tab))
        return jieba.posseg
    jieba.dt.FREQ, jieba.dt.total, jieba.dt.initialized = frequencies, total, True
    # Importing jieba.posseg reads the dictionary's tags (0.18 s) into the table the
    # cached one replaces: it reads an empty file instead (jieba 0.42.1, pinned, its last
    # release, opens `dt.dictionary` when it is set). Nothing when it was imported before.
    dictionary, jieba.dt.dictionary = jieba.dt.dictionary, os.devnull
    try:
        import jieba.posseg
    finally:
        jieba.dt.dictionary = dictionary
    jieba.posseg.dt.word_tag_tab = tags
    return jieba.posseg


def _build(jieba, posseg, added_terms: tuple[str, ...]) -> None:
    for term in added_terms:
        jieba.add_word(term, tag="n")  # also loads the frequency table
    posseg.dt.makesure_userdict_loaded()
    share_words(posseg.dt.word_tag_tab, jieba.dt.FREQ)


def share_words(tags: dict[str, str], frequencies: dict[str, int]) -> None:
    """Key `tags` by the very string objects that key `frequencies`, and intern its tags."""
    shared = {word: sys.intern(tags[word]) for word in frequencies if word in tags}
    shared.update((word, sys.intern(tag)) for word, tag in tags.items() if word not in shared)
    tags.clear()
    tags.update(shared)


def _cache_path(jieba, added_terms: tuple[str, ...]) -> Path:
    """A file name that changes with jieba, its dictionary file and the added terms."""
    dictionary = Path(jieba.dt.dictionary) if jieba.dt.dictionary else Path(jieba.__file__).with_name(
        jieba.DEFAULT_DICT_NAME)
    stat = dictionary.stat()
    key = repr((_FORMAT, jieba.__version__, str(dictionary), stat.st_size, stat.st_mtime_ns, sorted(added_terms)))
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return Path(jieba.dt.tmp_dir or tempfile.gettempdir()) / f"dgwatch-jieba-{digest}.cache"


def _save(path: Path, tables: tuple) -> None:
    """Write the file whole or not at all: another process may be reading or writing it too."""
    try:
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name)
    except OSError:
        return  # an unwritable directory only costs the next process the same build
    try:
        with os.fdopen(descriptor, "wb") as out:
            marshal.dump(tables, out)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
