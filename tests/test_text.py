"""Decoding, normalisation and near-duplicate detection: the pure text stages."""
from __future__ import annotations

import numpy as np
import pytest
import sqlite_utils

from crawler.dedup import FINGERPRINT_SCHEME, canonical_text, fingerprint, shingle_hashes
from crawler.encoding import EncodingError, decode_html
from crawler.normalise import normalise
from storage.db import open_db
from storage.neardup import (BAND_RANGES, NUM_PERM, THRESHOLD, band_keys, find_near_duplicate, fingerprint_scheme,
                             refingerprint, similarities)
from storage.schema import MIGRATIONS, _band_keys_v3
from stored import store_article

ARTICLE = (
    "星海医生集团成立于2015年,创始人为心血管专家周明远。目前集团拥有医生120余名,合作医院达到10家。"
    "周明远介绍,集团采用专家团队加合作医院的模式,由集团医生到合作医院开展手术和门诊,医院提供场地和护理团队。"
    "业内人士认为,医生集团与公立医院的合作正在从单点手术走向学科共建,未来十年医生的独立品牌会逐步形成。"
)


@pytest.mark.parametrize(
    ("text", "codec", "content_type", "expected_encoding"),
    [
        ("<p>医生集团与医院合作</p>", "utf-8", "text/html; charset=utf-8", "utf-8"),
        ("<p>医生集团与医院合作</p>", "utf-8", None, "utf-8"),
        # declares gb2312 but uses 喆, which only GBK/GB18030 have
        ('<meta charset="gb2312"><p>王喆创办的医生集团</p>', "gbk", None, "gb18030"),
        ("<p>王喆创办的医生集团与医院合作</p>", "gbk", "text/html; charset=gb2312", "gb18030"),
        ("<p>王喆创办的医生集团,与医院合作的发展</p>", "gbk", None, "gb18030"),
        ("<p>醫生集團與醫院合作的發展</p>", "big5", "text/html; charset=big5", "big5hkscs"),
        ("<p>遼寧首家醫生集團是如何誕生的,與醫院合作的發展</p>", "big5", None, "big5hkscs"),
        # a stale header that says GBK over a UTF-8 body
        ("<p>医生集团与医院合作</p>", "utf-8", "text/html; charset=gbk", "utf-8"),
    ],
)
def test_decode_html_finds_the_right_charset(text, codec, content_type, expected_encoding):
    decoded, used = decode_html(text.encode(codec), content_type)
    assert decoded == text
    assert used == expected_encoding


def test_config_encoding_overrides_a_wrong_header():
    body = "<p>医生集团</p>".encode("gbk")
    assert decode_html(body, "text/html; charset=utf-8", override="gbk")[0] == "<p>医生集团</p>"


def test_an_override_that_cannot_decode_names_the_encoding():
    with pytest.raises(EncodingError, match="not valid utf-8"):
        decode_html("<p>医生集团</p>".encode("gbk"), None, override="utf-8")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("醫(yī)生集團(tuán)", "医生集团"),
        ("遼寧首家醫（yī）生集團", "辽宁首家医生集团"),
        ("看医界(ID:vistamed)", "看医界(ID:vistamed)"),  # toneless Latin in brackets is not a gloss
        ("２０２１年５月，ＣＥＯ王某", "2021年5月,CEO王某"),
        ("医生\u3000集团", "医生 集团"),
        ("華康心血管醫生集團創始人", "华康心血管医生集团创始人"),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


def _spin(text: str) -> str:
    for plain, spun in (("医生", "医师"), ("医院", "病院"), ("形成", "造成"), ("未来", "改日"), ("正在", "正正在")):
        text = text.replace(plain, spun)
    return text


def test_spun_copy_reprint_and_traditional_copy_are_near_duplicates(tmp_path):
    original = fingerprint(normalise(ARTICLE))
    reprint = fingerprint(normalise("(本文转载自医界观察)" + ARTICLE + "责任编辑:小王"))
    traditional = fingerprint(normalise(
        "星海醫生集團成立於2015年,創始人為心血管專家周明遠。目前集團擁有醫生120餘名,合作醫院達到10家。"
        "周明遠介紹,集團採用專家團隊加合作醫院的模式,由集團醫生到合作醫院開展手術和門診,醫院提供場地和護理團隊。"
        "業內人士認為,醫生集團與公立醫院的合作正在從單點手術走向學科共建,未來十年醫生的獨立品牌會逐步形成。"))
    spun = fingerprint(normalise(_spin(ARTICLE)))
    db = open_db(tmp_path / "d.db")
    original_id = store_article(db, 1, fingerprint=original)
    for copy in (reprint, traditional, spun):
        match = find_near_duplicate(db, copy)
        assert match is not None and match.key == original_id, similarities(copy, [original])
        equal_slots = np.frombuffer(original, dtype=np.uint64) == np.frombuffer(copy, dtype=np.uint64)
        assert match.similarity == equal_slots.sum() / NUM_PERM


def test_a_fingerprint_is_of_the_set_of_shingles():
    assert fingerprint("甲乙丙甲乙丙") == fingerprint("甲乙丙甲乙丙甲乙丙") != fingerprint("甲乙丙甲乙丁")
    assert len(set(shingle_hashes("甲乙丙甲乙丙"))) == 3
    # Characters beyond the basic plane, and bodies shorter than a shingle, still fingerprint.
    assert fingerprint("𠀀𠀁𠀂𠀃") != fingerprint("𠀀𠀁𠀂𠀄")
    assert fingerprint("甲") != fingerprint("乙") and len(fingerprint("")) == NUM_PERM * 8


@pytest.mark.parametrize("text", [ARTICLE, "", "甲", "𠀀𠀁𠀂𠀃 and latin", "医生集团" * 50])
def test_the_signature_is_datasketchs_affine32_minhash_of_the_shingle_hashes(text):
    from datasketch import MinHash

    reference = MinHash(num_perm=NUM_PERM, scheme="affine32", hashfunc=int)
    reference.update_batch(shingle_hashes(canonical_text(text)).tolist())
    assert fingerprint(text) == reference.hashvalues.astype("uint64").tobytes()


def test_stored_fingerprints_of_another_scheme_are_made_again_once(tmp_path):
    db = open_db(tmp_path / "d.db")
    assert fingerprint_scheme(db) == "sha1-trigrams/affine32"  # as migration 10 finds the archive
    original = store_article(db, 1, fingerprint=b"\x01" * NUM_PERM * 8)
    db.execute("UPDATE articles SET normalised = ? WHERE id = ?", [normalise(ARTICLE), original])
    assert find_near_duplicate(db, fingerprint(normalise(_spin(ARTICLE)))) is None
    assert refingerprint(db, FINGERPRINT_SCHEME, fingerprint) == 1
    assert find_near_duplicate(db, fingerprint(normalise(_spin(ARTICLE)))).key == original
    assert fingerprint_scheme(db) == FINGERPRINT_SCHEME
    assert refingerprint(db, FINGERPRINT_SCHEME, lambda text: 1 / 0) == 0


def test_folding_makes_the_spun_copy_identical():
    assert canonical_text(_spin(ARTICLE)) == canonical_text(ARTICLE)


def test_different_stories_on_the_same_topic_are_not_duplicates(tmp_path):
    other = ("晨光医生集团宣布完成1亿元B轮融资,由健康产业基金领投。晨光医生集团由眼科专家王喆于2017年创办,"
             "目前拥有眼科医生90余名,合作医院18家。本轮融资将用于建设眼科日间手术中心和数字化随访平台。")
    db = open_db(tmp_path / "d.db")
    store_article(db, 1, fingerprint=fingerprint(normalise(ARTICLE)))
    assert find_near_duplicate(db, fingerprint(normalise(other))) is None


def test_the_index_survives_reopening_and_prefers_the_most_similar(tmp_path):
    first, second = fingerprint(normalise(ARTICLE)), fingerprint(normalise(ARTICLE + "周明远表示,集团明年将继续扩张。"))
    store_article(open_db(tmp_path / "d.db"), 1, fingerprint=second)
    store_article(open_db(tmp_path / "d.db"), 2, fingerprint=first)
    store_article(open_db(tmp_path / "d.db"), 3, fingerprint=first)
    match = find_near_duplicate(open_db(tmp_path / "d.db"), first)
    assert (match.key, match.similarity) == (2, 1.0)  # of two equally similar, the first stored


def test_migration_indexes_articles_stored_before_the_index_existed(tmp_path):
    db = open_db(tmp_path / "d.db")
    article_id = store_article(db, 1, fingerprint=fingerprint(normalise(ARTICLE)))
    version_2 = sqlite_utils.Database(memory=True)
    for step in MIGRATIONS[:2]:
        step(version_2)
    with db.conn:  # back to a version-2 database: no table or column a later migration adds
        for trigger in {t.name for t in db.triggers} - {t.name for t in version_2.triggers}:
            db.execute(f"DROP TRIGGER {trigger}")
        for table in set(db.table_names()) - set(version_2.table_names()):
            db.execute(f"DROP TABLE IF EXISTS {table}")  # an FTS table takes its shadow tables with it
        db["sources"].transform(drop={"walked_at"})
        db.execute("PRAGMA user_version = 2")
    db.close()
    match = find_near_duplicate(open_db(tmp_path / "d.db"), fingerprint(normalise(_spin(ARTICLE))))
    assert match is not None and match.key == article_id


def test_the_frozen_banding_is_datasketchs_choice_for_the_threshold():
    from datasketch import MinHashLSH

    assert list(BAND_RANGES) == MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM).hashranges


def test_migration_3_files_fingerprints_under_the_keys_lookups_use():
    blob = fingerprint(normalise(ARTICLE))
    assert _band_keys_v3(blob) == band_keys(blob)
