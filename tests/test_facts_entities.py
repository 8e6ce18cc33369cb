"""Doctor groups and alliances: names, left boundaries, generic phrases, aliases, renames."""
from __future__ import annotations

import sys

import pytest

from crawler.facts import extract_facts
from crawler.facts.dictionary import share_words
from crawler.facts.entities import find_entities, same_brand
from crawler.facts.names import canonical_form, entity_kind, is_specific, stem_of


def names(text: str, known: dict[str, str] | None = None) -> list[str]:
    """The entities the extractor reports for `text`, as named."""
    return [entity.name for entity in extract_facts(text, known=known).entities]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # left boundary after verbs, prepositions, places and descriptions
        ("近日,由华西医院多位专家组成的蓉城骨科医生集团宣布完成融资。", ["蓉城骨科医生集团"]),
        ("国内知名的医生集团——大树医生集团今天发布年报。", ["大树医生集团"]),
        ("全国首个心脏专科医生集团青松心脏医生集团获得融资。", ["青松心脏医生集团"]),
        ("作为国内较早成立的医生集团之一,博恩医生集团一直专注脊柱微创。", ["博恩医生集团"]),
        ("在博恩医生集团的帮助下,县医院开展了新技术。", ["博恩医生集团"]),
        ("邓医生加入白塔医生集团已经三年。", ["白塔医生集团"]),
        ("博恩医生集团和启明医生集团共同发起了一项公益活动。", ["博恩医生集团", "启明医生集团"]),
        ("县医院先后与章健创微医生集团、南方胆石病医生集团、丁峰医生集团达成合作。",
         ["章健创微医生集团", "南方胆石病医生集团", "丁峰医生集团"]),
        ("携手大树医生集团、联手博恩医生集团、对接启明医生集团的医院越来越多。",
         ["大树医生集团", "博恩医生集团", "启明医生集团"]),
        ("据了解,北京嘉和医生集团以心血管为特色。", ["北京嘉和医生集团"]),
        ("2018年,辽东省首家医生集团辽东明心妇儿医生集团宣告成立。", ["辽东明心妇儿医生集团"]),
        ("距离云杉医生集团成立已有两年。", ["云杉医生集团"]),
        ("春晓儿科医生集团创始人 叶春晓:", ["春晓儿科医生集团"]),
        # other endings of spec section 1
        ("沃康妇产科名医集团今天成立。", ["沃康妇产科名医集团"]),
        ("深圳私人医生工作室集团的医生来自公立医院。", ["深圳私人医生工作室集团"]),
        ("华东医生集团联盟在上海召开年会。", ["华东医生集团联盟"]),
        # a brand character the tokeniser tags as a numeral (月), and a party word before the name
        ("朗月医生集团创始人夏冰表示。", ["朗月医生集团"]),
        ("另一发起方朗月医生集团则表示欢迎。", ["朗月医生集团"]),
        ("5月星海医生集团在杭州成立。", ["星海医生集团"]),
        # a coined brand whose second half jieba reads as an adverb (禾 | 正)
        ("杭州的禾正医生集团与宁波的明远医生集团是两家机构。", ["禾正医生集团", "明远医生集团"]),
        # quotes and book-title marks bound a name
        ("“云杉医生集团”近日获得天使轮融资。", ["云杉医生集团"]),
        ("《白塔中医医生集团发展报告》显示,行业发展迅速。", ["白塔中医医生集团"]),
        ("7家医生集团在北京宣布组建“华夏医生集团联盟”。", ["华夏医生集团联盟"]),
        ("“星海”医生集团近日获得1亿元A轮融资。", ["星海医生集团"]),
        # a time span before the name is not part of it
        ("未来3年内明泰医生集团将在杭州开设医院。", ["明泰医生集团"]),
        ("计划在2年内君泰骨科医生集团签约医院30家。", ["君泰骨科医生集团"]),
        ("近5年来启明医生集团发展迅速。", ["启明医生集团"]),
        # ... even when the tokeniser reads across it (年 | 内景 | 仁)
        ("按照规划,未来5年内景仁血管外科医生集团将开设三家医院。", ["景仁血管外科医生集团"]),
        # a particle glued to an unknown name of two characters (的济 | 诚, 及济 | 航)
        ("由多位运动医学专家发起的济诚医生集团在兰州成立。", ["济诚医生集团"]),
        ("市卫健委领导及济航脑科医生集团专家出席了仪式。", ["济航脑科医生集团"]),
        # a common first character stays when the rest of the brand is one character
        ("2017年成立的远曦整形名医集团已有医生71名。", ["远曦整形名医集团"]),
        ("在太原,与志曦妇产科医生集团合作的医院有5家。", ["志曦妇产科医生集团"]),
        # specialties that are also common verbs (消化, 呼吸)
        ("日前,卓诚消化医生集团与市中医院签约。", ["卓诚消化医生集团"]),
        ("由9位呼吸科专家发起的远睦呼吸医生集团在宁波成立。", ["远睦呼吸医生集团"]),
        # unknown names the tokeniser tags as verbs (怀信) or cuts into common characters (启 | 禾)
        ("近日,南京儿童医院与怀信医生集团签约。", ["怀信医生集团"]),
        ("本周,启禾口腔医生集团在石家庄召开年会。", ["启禾口腔医生集团"]),
        # 和 starts a name after a particle or an opening quote, and joins two names elsewhere
        ("本报记者专访了和承医生集团创始人袁明。", ["和承医生集团"]),
        ("院方获授“和承肝胆医生集团”合作医院称号。", ["和承肝胆医生集团"]),
        ("他和启明医生集团签约。", ["启明医生集团"]),
        ("县医院也和启明医生集团开展合作。", ["启明医生集团"]),
        ("和启明医生集团相比,它规模更小。", ["启明医生集团"]),
        # ... and a name always written after 和, once opening a clause, starts with it
        ("本周,和诚心血管医生集团对外公布最新数据。据悉,和诚心血管医生集团签约医生已达150位。", ["和诚心血管医生集团"]),
        ("县医院和启明医生集团签约。市医院也和启明医生集团签约了。", ["启明医生集团"]),
        # 和 opening a clause, before a stem that names no one without it (远儿科, 承)
        ("据悉,和远儿科医生集团已与12家医院合作。", ["和远儿科医生集团"]),
        ("和承医生集团成立于2014年。", ["和承医生集团"]),
        # ... and before a name of its own when nothing after it in the clause takes a 和-phrase
        # (合作, 签约, 相比, 一起 …): a preposition 和 needs one
        ("本周,和康乳腺甲状腺医生集团宣布完成亿元融资。", ["和康乳腺甲状腺医生集团"]),
        ("近日,和诚心血管医生集团对外公布最新数据:集团签约医生已达260位。", ["和诚心血管医生集团"]),
        ("和启明医生集团合作的医院已有12家。", ["启明医生集团"]),
        ("目前,和启明医生集团一样,多数机构仍在亏损。", ["启明医生集团"]),
        ("2015年,心血管专家罗晴振创办和诚心血管医生集团。", ["和诚心血管医生集团"]),
        ("医院签约和启明医生集团合作。", ["启明医生集团"]),
        ("下午,和康乳腺甲状腺医生集团与南阳人民医院签署合作协议。", ["和康乳腺甲状腺医生集团"]),
        ("与和诚心血管医生集团、华恒儿科医生集团等同行相比,它更小。", ["和诚心血管医生集团", "华恒儿科医生集团"]),
        ("与鸿源肝胆医师集团、和诚心血管医生集团等同行相比,它更小。", ["鸿源肝胆医生集团", "和诚心血管医生集团"]),
        ("启明医生集团和承医生集团签约。", ["启明医生集团"]),
        ("和专科医生集团合作的医院越来越多。", []),
        # a particle or 是 inside an unknown word (到了睿禾, 桂是睿) ends the name there
        ("韩先生的家人通过病友群联系到了睿禾肝胆医生集团。", ["睿禾肝胆医生集团"]),
        ("据介绍,郑国桂是睿佑名医集团的创始人。", ["睿佑名医集团"]),
        ("丁娟超是宏远医生集团最早的成员之一。", ["宏远医生集团"]),
        # ... and a dictionary word holding 是 (黄平 | 国是 | 星德), or 与 inside an unknown word (院与星)
        ("据了解,黄平国是星德医生集团的第一批成员。", ["星德医生集团"]),
        ("上午,南阳妇幼保健院与星承肝胆医师集团签约。", ["星承肝胆医生集团"]),
        # a rare dictionary verb right before every mention of a phrase, twice or more, is its brand
        ("远航疼痛医生集团成立于2016年。目前,远航疼痛医生集团有医生90名。", ["远航疼痛医生集团"]),
        ("守护医生集团在杭州成立。守护医生集团的医生来自多家医院。", ["守护医生集团"]),
        ("远航医生集团创办于2014年,试水“互联网+医生集团”。远航医生集团在珠海。", ["远航医生集团"]),
        # a brand character read as a describing word (启 | 诚心血管), before every mention
        ("会上,启诚心血管名医集团公布了数据。目前启诚心血管名医集团有医生230位。", ["启诚心血管名医集团"]),
        ("会上,专家参观启明医生集团。此前,专家也参观过启明医生集团。", ["启明医生集团"]),
        # ... not a common verb, a verb written once, one the phrase is also written without, or
        # one that never opens a clause (医院希望借助…)
        ("医院希望借助医生集团的力量。专家说,医院借助医生集团补齐了短板。", []),
        ("医生选择加入医生集团。加入医生集团之前,他是主任。", []),
        ("医院希望借助医生集团的力量。借助医生集团,医院开展了手术。这家医生集团在杭州。", []),
        ("得益于医生集团的支持,手术很顺利。", []),
        # a rare dictionary name glued to 由 (由德华), a common verb in a coined brand (远 | 达)
        ("本周,由德华疼痛医生集团投资的医院开业。", ["德华疼痛医生集团"]),
        ("上午,厦门骨科医院与远达眼科医生集团签约。", ["远达眼科医生集团"]),
        ("成立之初,立达疼痛医生集团只有12名医生。", ["立达疼痛医生集团"]),
        # unknown names the tokeniser tags as adverbs (永心, 立远)
        ("本周,永心医生集团在杭州成立。", ["永心医生集团"]),
        ("眼下立远消化医生集团拥有医生90名。", ["立远消化医生集团"]),
        ("与康源医生集团、和美脑科医生集团等同行相比,惠诚医生集团更专注。",
         ["康源医生集团", "和美脑科医生集团", "惠诚医生集团"]),
        # a preposition glued to an unknown name of two characters (从晨 | 信)
        ("9月30日,记者从晨信医生集团获悉,其合作医院增至12家。", ["晨信医生集团"]),
        # a time word, a conjunction or a year before the name is not part of it
        ("正值云川心脏医生集团五周年之际,医生们写下了感受。", ["云川心脏医生集团"]),
        ("时值松岩骨科医生集团成立两周年,集团举办了论坛。", ["松岩骨科医生集团"]),
        ("年会暨青禾眼科医生集团成立三周年庆典在杭州举行。", ["青禾眼科医生集团"]),
        ("这要从近三年中国医生集团的发展说起。", []),
        ("2019中国医生集团峰会在广州举行。", []),
        # a describing word (单体) names no one
        ("单体医生集团的规模普遍较小。", []),
        # specialties the tokeniser would split at a verb
        ("明川运动医学医生集团成立于2016年。", ["明川运动医学医生集团"]),
        ("江宁生殖医学医生集团获得融资。", ["江宁生殖医学医生集团"]),
    ],
)
def test_named_groups(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize(
    "context",
    ["以{}为代表的", "像{}这样的", "日前{}宣布", "记者从{}获悉", "据{}介绍", "对于{}而言", "国内首家{}",
     "会上,{}宣布", "当天{}与医院签约", "随着{}的发展", "作为{}的创始人", "通过{}平台", "目前已有{}等多家机构",
     "由{}主办的论坛", "红杉资本投资了{}", "包括{}在内", "此次{}", "近年来{}", "上述{}", "他的{}",
     "北京大学第三医院{}", "携手{}", "{}、博远医生集团等"],
)
def test_left_boundary_in_many_contexts(context):
    """The tokeniser splits 朗润 into 朗 + 润 (a verb) and glues 由/从/了 to it: still one name."""
    assert names(context.format("朗润医生集团"))[0] == "朗润医生集团"


@pytest.mark.parametrize(
    "text",
    [
        "朗润和博远两家医生集团都在扩张。",
        "医生集团是一种新的执业方式。",
        "该医生集团目前发展良好。",
        "一家医生集团需要好的运营团队。",
        "专科医生集团越来越多。",
        "这是全国首个医生集团。",
        "多家医生集团参加了论坛。",
        "知名医生集团纷纷布局互联网。",
        "我们脑科医生集团从去年开始运营。",
        "成立一个整形医生集团并不容易。",
        "来北京成立了中国首家医生集团联盟。",
        "医生集团联盟的成立意义重大。",
        "上海医生集团数量快速增长。",
        "体制内医生集团和体制外医生集团各有优势。",
        "目前全国的医生集团数量已超过1700家。",
        "所以我全力支持医生集团的发展。",
        "只要条件医生集团联盟都欢迎。",
        "越来越多的“医生集团”浮出水面。",
        "运动医学医生集团越来越多。",
        "与嘉木不同,另一家医生集团走的是轻资产路线。",
        "能否成功,还要看医生集团自身的实力。",
        "不少专家正正在筹修医师集团。",
        "“携手·共赢”医生集团发展论坛在京召开。",
        "市里举办了“创新发展”医生集团论坛。",
    ],
)
def test_generic_phrases_are_not_entities(text):
    assert names(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("北大医疗集团旗下有八家医院。", []),
        ("长江医疗集团是一家医生集团,拥有医生80名。", ["长江医疗集团"]),
        ("出席论坛的医生集团有:神舟海德医疗集团、大树医生集团。", ["神舟海德医疗集团", "大树医生集团"]),
        ("国内首个心脏专科医生集团华瑞心脏医疗集团成立。", ["华瑞心脏医疗集团"]),
        ("作为国际医疗集团,百利医院重视服务。", []),
    ],
)
def test_medical_groups_count_only_when_said_to_be_doctor_groups(text, expected):
    assert names(text) == expected


def test_facility_in_parentheses_is_not_an_entity():
    index = find_entities("张伟医生集团(成都)疼痛中心开业,张伟医生集团派出十名专家。")
    assert list(index.entities) == ["张伟医生集团"]
    assert [m.surface for m in index.mentions] == ["张伟医生集团", "张伟医生集团"]


def test_physician_spelling_folds_to_canonical_name():
    index = find_entities("长风医师集团今年发展很快,长风医生集团的医生也在增加。")
    assert list(index.entities) == ["长风医生集团"]
    assert index.entities["长风医生集团"].aliases == ["长风医师集团"]
    assert canonical_form("长风医师集团联盟") == "长风医生集团联盟"


def test_short_name_introduced_by_yixia_jiancheng():
    text = "浙江明湖妇科医生集团(以下简称“明湖”)成立于2016年。明湖目前拥有合作医院12家。"
    index = find_entities(text)
    assert list(index.entities) == ["浙江明湖妇科医生集团"]
    assert index.entities["浙江明湖妇科医生集团"].aliases == ["明湖"]
    assert [m.surface for m in index.mentions] == ["浙江明湖妇科医生集团", "明湖", "明湖"]
    assert {m.entity for m in index.mentions} == {"浙江明湖妇科医生集团"}


def test_short_alias_inside_a_facility_name_is_not_a_mention():
    index = find_entities("明湖妇科医生集团(简称明湖)发展很快。明湖妇产医院今天开业。")
    assert [m.surface for m in index.mentions] == ["明湖妇科医生集团", "明湖"]


def test_rename_links_new_name_and_keeps_old_key():
    text = "日前,青松骨科医生集团正式更名为青松骨科医疗集团(以下简称青松)。青松骨科医疗集团表示将继续扩张。"
    index = find_entities(text)
    assert list(index.entities) == ["青松骨科医生集团"]
    assert index.entities["青松骨科医生集团"].aliases == ["青松骨科医疗集团", "青松"]


def test_former_name_in_parentheses_is_an_alias():
    index = find_entities("青松骨科医疗集团(原青松骨科医生集团)今天发布年报。", known={})
    assert len(index.entities) == 1
    entity = next(iter(index.entities.values()))
    assert {entity.name, *entity.aliases} == {"青松骨科医疗集团", "青松骨科医生集团"}


def test_variants_of_one_group_in_an_article_are_one_entity():
    text = ("七家医生集团分别为:旭日颌面外科医生集团、大树医生集团。"
            "旭日口腔颌面外科医生集团创始人卢明介绍了情况。旭日口腔颌外科医生集团成立于2015年。")
    index = find_entities(text)
    assert list(index.entities) == ["旭日颌面外科医生集团", "大树医生集团"]
    assert set(index.entities["旭日颌面外科医生集团"].aliases) == {"旭日口腔颌面外科医生集团", "旭日口腔颌外科医生集团"}


def test_place_prefixed_full_name_is_canonical():
    text = "2018年,辽东明心妇儿医生集团宣告成立。明心妇儿医生集团创始人李琴是妇科专家。明心医生集团发展很快。"
    index = find_entities(text)
    assert list(index.entities) == ["辽东明心妇儿医生集团"]
    assert set(index.entities["辽东明心妇儿医生集团"].aliases) == {"明心妇儿医生集团", "明心医生集团"}


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("旭日颌面外科医生集团", "旭日口腔颌面外科医生集团", True),
        ("私人医生工作室集团", "广州私人医生工作室集团", True),
        ("长风医师集团", "长风医生集团", True),
        ("北京嘉和医生集团", "北京博恩医生集团", False),
        ("大树医生集团", "大树医生集团联盟", False),
        ("青松骨科医生集团", "白塔骨科医生集团", False),
    ],
)
def test_same_brand(a, b, same):
    assert same_brand(a, b) is same


def test_known_aliases_resolve_to_the_stored_entity():
    known = {"青松医疗集团": "青松骨科医生集团", "青松": "青松骨科医生集团"}
    index = find_entities("青松医疗集团今年新开3家诊所,青松还获得了融资。", known)
    assert list(index.entities) == ["青松骨科医生集团"]
    assert [m.entity for m in index.mentions] == ["青松骨科医生集团", "青松骨科医生集团"]


def test_known_canonical_name_wins_over_the_articles_first_form():
    known = {"长风医师集团": "长风医生集团"}
    index = find_entities("江南长风医生集团成立。长风医师集团的医生来自上海。", known)
    assert list(index.entities) == ["长风医生集团"]


@pytest.mark.parametrize(("run", "stem"), [("与章健创微", "章健创微"), ("而由辉光妇儿", "辉光妇儿"),
                                           ("主任万山创始创办的神舟海德", "神舟海德"), ("我们这次", "")])
def test_stem_of(run, stem):
    assert stem_of(run) == stem


def test_kinds_and_specific_stems():
    assert entity_kind("华东医生集团联盟") == "alliance"
    assert entity_kind("大树医生集团") == "doctor_group"
    assert is_specific("中国", "alliance")
    assert not is_specific("中国", "doctor_group")
    assert not is_specific("体制内", "doctor_group")


def test_jiebas_word_tables_share_their_keys_and_keep_their_contents():
    frequencies = {"".join(["明", "川"]): 5, "运动": 900, "前缀": 0}
    tags = {"".join(["明", "川"]): "".join(["n", "r"]), "运动": "vn", "只在词性表": "n"}
    before = dict(tags)
    share_words(tags, frequencies)
    assert tags == before
    keys = {id(key) for key in tags}
    assert all(id(word) in keys for word in frequencies if word in before)
    assert tags["明川"] is sys.intern("nr")


def test_registered_company_name_is_the_group_without_its_place():
    text = "广州青禾眼科医生集团医疗有限公司于5月获得执照。广州青禾眼科医生集团医疗有限公司有医生50名。"
    index = find_entities(text)
    assert list(index.entities) == ["青禾眼科医生集团"]
    assert [m.surface for m in index.mentions] == ["广州青禾眼科医生集团医疗有限公司"] * 2


def test_place_stays_in_a_name_that_is_no_company():
    assert names("广州青禾眼科医生集团今天成立。") == ["广州青禾眼科医生集团"]
    assert names("广州青禾眼科医生集团与松岩医疗投资有限公司签约。") == ["广州青禾眼科医生集团"]


def test_quotes_mark_a_name_of_common_words_even_around_its_ending():
    text = "该公司从“家庭医生工作室”集团发展而来。此后,家庭医生工作室集团吸引了200名专家。"
    assert names(text) == ["家庭医生工作室集团"]
    assert names("市里举办了“创新发展”医生集团论坛。") == []


def test_the_brand_alone_is_a_short_name_of_the_group():
    text = "云川心脏医生集团成立于2016年。目前云川的合作医院已有12家。"
    index = find_entities(text)
    assert list(index.entities) == ["云川心脏医生集团"]
    assert [m.surface for m in index.mentions] == ["云川心脏医生集团", "云川"]


def test_a_brand_inside_a_persons_name_or_a_hospitals_is_no_mention():
    text = "冬林脑科医生集团由贾冬林教授创办。冬林脑科医院今年开业,冬林的医生来自上海。"
    index = find_entities(text)
    assert [m.surface for m in index.mentions] == ["冬林脑科医生集团", "冬林"]


def test_group_named_after_a_person_has_no_short_name():
    index = find_entities("沈立荣医生集团成立于2015年,创始人沈立荣是心脏专家。")
    assert [m.surface for m in index.mentions] == ["沈立荣医生集团"]


def test_a_short_name_declared_a_doctor_group_is_one():
    text = "李明是青岚创始人。青岚是国内首个拿下执照的医生集团,青岚已有医生80名。"
    index = find_entities(text)
    assert list(index.entities) == ["青岚医生集团"]
    assert [m.surface for m in index.mentions] == ["青岚", "青岚", "青岚"]
    assert names("张伟是一名医生,他说这是最好的医生集团。") == []


def test_names_listed_side_by_side_are_different_groups():
    text = "与星桥脑科医生集团、星桥医生集团等同行相比,志承名医集团更侧重单一专科。"
    assert names(text) == ["星桥脑科医生集团", "星桥医生集团", "志承名医集团"]
    assert names("星桥脑科医生集团今天成立。星桥医生集团表示,集团有医生50名。") == ["星桥脑科医生集团"]


def test_known_names_find_the_pairs_naming_a_form_in_a_text_as_looking_for_each_would():
    import pickle
    import random

    from crawler.facts.entities import KnownNames

    chance = random.Random(7)
    alphabet = "星海哈特瑞姆医生集团心脏冬雷脑科张强甲乙"
    names = {}
    for _ in range(300):
        alias = "".join(chance.choice(alphabet) for _ in range(chance.randint(1, 6)))
        names[alias] = "".join(chance.choice(alphabet) for _ in range(chance.randint(2, 8)))
    known = KnownNames(names)
    for _ in range(200):
        text = "".join(chance.choice(alphabet + ",。") for _ in range(chance.randint(0, 60)))
        assert known.pairs_in(text) == [(a, c) for a, c in names.items() if a in text or c in text]
        canonicals = set(chance.sample(sorted(set(names.values())), 5))
        assert known.pairs_of(canonicals) == [(a, c) for a, c in names.items() if c in canonicals]
    copy = pickle.loads(pickle.dumps(known))
    assert isinstance(copy, KnownNames) and copy == names and copy.pairs_in("星海医生集团") == known.pairs_in("星海医生集团")
    assert KnownNames().pairs_in("星海医生集团") == [] and KnownNames({"星": "星海医生集团"}).pairs_in("星海") == [("星", "星海医生集团")]


def test_an_article_is_read_alike_with_known_names_as_a_dict_or_indexed():
    from crawler.facts.entities import KnownNames

    names = {"哈特瑞姆": "哈特瑞姆医生集团", "哈特瑞姆心脏医疗集团": "哈特瑞姆医生集团", "星海": "星海医生集团"}
    text = "哈特瑞姆心脏医疗集团宣布,合作医院增至40家。哈特瑞姆的创始人表示,星海也在扩张。"
    assert extract_facts(text, known=KnownNames(names)) == extract_facts(text, known=names)
