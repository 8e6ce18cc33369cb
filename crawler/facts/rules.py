"""Attribute patterns as data: one row per way Chinese business news states a fact.

Patterns run on masked sentences (masking.py), where every mention of an entity is one
placeholder character. Macros, expanded when the table is compiled:

- `{ENT}` the subject entity (group `ent`); `{E}` any other entity placeholder;
- `{ANA}` an anaphor standing for the subject (group `ana`: 该集团, 集团, 其, 我们 …);
- `{FIG}` a figure (group `fig`), `{NUM}` one not captured, `{MONEY}` a figure with its currency (`fig`, `cur`),
  `{DATE}` a date (group `date`);
- `{GAP}` up to 12 characters inside one clause without digits or entities;
  `{GAP30}` the same, longer; `{LISTGAP}` up to 24 across a list (、); `{WIDE}` up to 30 characters crossing commas (no entity);
- `{END}` what may follow an intransitive 成立 (punctuation, 以来, 开始 …);
- `{TAIL}` / `{HEAD}` the text after / before a role word where a person (or a list of
  them, 张明、李华等人) is named;
- `{FACILITY}` a hospital or centre's name (group `name`).

A pattern without `ent` or `ana` leaves the subject to the extractor: the nearest
entity or anaphor before the match in the sentence, unless another organisation
stands between them; a figure stated before the name (继…之后, …的X); or, for counts,
the only entity of the previous sentence.

Value kinds: count, money, date, person_clause (the name at the start of `tail`, or
right after its titles), person_subject (the name at the start of `tail` only),
person_before (name at the end of `head`), facility (`name`),
renamed (`new` is the new name's placeholder),
respective (`ents` … 分别 … `names`, paired in order).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from crawler.facts.dates import DATE_PATTERN
from crawler.facts.lexicon import RENAMED, rename_bridge
from crawler.facts.masking import ENTITY
from crawler.facts.numbers import FIGURE_PATTERN

ANAPHOR = (
    r"我们(?:的)?(?:[\u4e00-\u9fff]{0,4}?(?:医生集团|医师集团)|集团|联盟)?|咱们|"
    r"该医生集团|该医师集团|该集团|本集团|该联盟|这家医生集团|这家集团|此集团|该公司|这家公司|"
    r"这支队伍|这支团队|这个团队|该团队|"
    r"(?:(?<![\u4e00-\u9fffA-Za-z0-9\ue000-\uf8ff])|(?<=[年月日])|"
    r"(?<=目前|眼下|如今|现在|当前|此外|同时|其中|随后|今年|去年|近年)|(?<=现阶段))(?:集团|联盟|公司|团队)|"
    r"(?<![尤极与])其(?![他它中实余次])|(?<![其])它(?=的)"
)
"""Regex source for words that stand for an entity named before (discourse.py resolves them)."""

_GAP_CHARS = r"[^,。;!?、:\ue000-\uf8ff0-9]"
MACROS = {
    "ENT": rf"(?P<ent>{ENTITY})(?:\([^()]{{0,20}}\))?",
    "E": ENTITY,
    "ANA": rf"(?P<ana>{ANAPHOR})",
    "FIG": rf"(?P<fig>{FIGURE_PATTERN})",
    "NUM": FIGURE_PATTERN,
    "MONEY": rf"(?P<fig>{FIGURE_PATTERN})(?P<cur>元人民币|元|人民币|美元|港元|港币|欧元|日元)",
    # 2016年底, 2016年初: the year's end or start is still that year.
    "DATE": rf"(?P<date>{DATE_PATTERN})(?:(?<=年)[底初末])?",
    "GAP": rf"{_GAP_CHARS}{{0,12}}?",
    "GAP30": rf"{_GAP_CHARS}{{0,30}}?",
    "LISTGAP": r"[^,。;!?:\ue000-\uf8ff0-9]{0,24}?",
    "WIDE": r"[^。;!?\ue000-\uf8ff]{0,30}?",
    "END": r"(?=[,。;!?]|$|了[,。;!?]|以来|至今|开始|之初|时|后)",
    "TAIL": r"(?P<tail>[^,。;!?\ue000-\uf8ff]{0,30})",
    "HEAD": r"(?P<head>(?:[^,。;!?、“”\"():\ue000-\uf8ff]{2,24}?、){0,4}[^,。;!?、“”\"():\ue000-\uf8ff]{2,24}?)",
    "FACILITY": r"[“\"]?(?P<name>(?!的|了|一家|首家|第一家|这家|该|其|自己|我们|旗下|新|[0-9一二三四五六七八九十两几多数]+家)[\u4e00-\u9fffA-Za-z0-9()\ue000-\uf8ff]{2,30}?"
                r"(?:医院|病院|诊疗中心|中心|诊所|门诊部|研究院)(?:\([\u4e00-\u9fff]{2,8}\))?)"
                r"(?![\u4e00-\u9fff]{0,4}(?:医院|中心)[^\u4e00-\u9fff])",
}
_FOUNDED_VERB = r"(?:正式)?(?:宣告|宣布)?(?:正式)?(?:(?:挂牌)?(?:成立|创立|创建|组建|创办|注册成立|诞生)|(?<=正式)挂牌)"
_ROLE_FOUNDER = r"(?:联合)?(?:创始人|创办人|创建人|创立者|创始者|创办者|发起人)(?:之一)?"
_ROLE_CEO = r"(?:CEO|首席执行官|执行总裁|总裁)"
# A founder or chairman who is also the CEO: 创始人兼CEO, 联合创始人、总裁, 董事长兼CEO.
_FOUNDER_AND = r"(?:(?:(?:联合)?创始人|创办人|董事长)(?:兼|、))?"
_HAVE = (r"(?<![没未])(?:拥有|现有|共有|已有|有|汇聚了?|汇集了?|聚集了?|集结了?|签约了?|吸引了?|揽入了?|吸纳了?|招募了?|"
         r"引进了?|整合了?|囊括了?|聚拢了?|组建了?)")
# Doctors counted as the group's own: not 医生集团, not attendees or trainees.
_NOT_OWN = r"(?!集团|工作室集团|次|参加|参与|报名|出席|接受|到场|参会|受益|受训)"
_DOCTOR = r"(?:医生|医师|专家|名医)" + _NOT_OWN
# A verb that gives a total; 超过/逾/近 … belong to the figure (numbers.py) for its approx.
_REACH = (r"(?:数量|总数|人数|规模)?(?:已|已经|累计|目前|现)?"
          r"(?:(?:达到|达|增至|增加到|发展到|扩展到|共有|有|共|为)了?|(?=超过|逾|突破|近|约|将近|接近))")
_HOSPITALS = r"(?:医院|医疗机构|机构|单位)"
# Where something happened, between its date and its verb: 于2019年在成都(注册成立).
_WHERE = r"(?:在[^,。;!?、:\ue000-\uf8ff0-9]{1,10}?)?"
# Verbs a rule's every match holds, named once for its pattern and its `requires` cue.
_GROWN_TO = r"(?:增长|增加|发展|扩大|扩充)(?:到|至)"
_GATHERED = r"(?:聚拢|汇聚|聚集|集中|加盟|加入|入驻|签约)"
_RUN_BY = r"(?:建立|创办|开设|开办|打造|兴建|建设|筹建|设立|举办|运营|投建)的"
_OPENED = r"(?:建立|创办|开设|开办|建成|落成|设立|成立|筹建|兴建|建设|投建)"
# A group that helps another build something did not open it (帮助西城县建设了胸痛中心).
_NOT_HELPING = r"(?![^,。;!?\ue000-\uf8ff]{0,12}?(?:参与|协助|帮助|支持|援助|帮扶|指导|配合))"
# Who founded a group leads, proposes or starts it: 由X领衔创办, 由X牵头组建.
_LEAD = r"(?:倡议|发起|牵头|领衔|带头|带领)"


@dataclass(frozen=True)
class Rule:
    """One way of stating one attribute.

    `kinds`: entity kinds the subject may have. `weak`: dropped when the same article
    states the attribute by a non-weak rule (a founding membership vs the current
    one). `clean`: the match may not contain another organisation's name. `carry`:
    with no subject in the sentence, the only entity of the previous sentence may be
    the subject. `future`: a plan (将, 计划, 预计 …) in the clause voids the fact.
    `cue`: a regex the sentence must match for the rule to be tried at all (None: always tried).
    `requires`: a second such regex, for a rule whose every match holds a word rarer than
    its attribute's cue (旗下, 合作医院): most sentences name a hospital or a doctor, and
    trying every rule on each of them was most of the rules' cost.
    """

    attribute: str
    pattern: str
    value: str
    notes: str
    kinds: tuple[str, ...] = ("doctor_group", "alliance")
    weak: bool = False
    clean: bool = False
    carry: bool = False
    future: bool = True
    cue: str | None = None
    requires: str | None = None
    regex: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        source = self.pattern
        for name, expansion in MACROS.items():
            source = source.replace("{" + name + "}", expansion)
        object.__setattr__(self, "regex", re.compile(source))


GROUPS = ("doctor_group",)
ALLIANCES = ("alliance",)

# Words every built-in rule of an attribute needs in its sentence: a sentence without
# them skips those rules, which would all fail, only more slowly (trying every rule on
# every sentence was 60 % of extraction). tests/test_facts_rules.py checks each rule
# names its cue; a row added from outside carries none and is always tried.
CUES = {
    "founded": "成立|创立|创建|组建|创办|诞生|挂牌",
    "founder": "创|组建|成立|发起",
    "ceo": "CEO|首席执行官|总裁",
    "doctors": "医生|医师|专家|名医",
    "partner_hospitals": "医院|机构|单位",
    "patients_managed": "患者|病人|病患",
    "members": "成员|会员|集团",
    "renamed_to": "改名|更名|新名|新品牌名",
    "funding": "融资|投资",
    "facility": "医院|病院|中心|诊所|门诊部|研究院",
}

_TABLE: tuple[Rule, ...] = (
    # founded
    Rule("founded", r"{ENT}" + _FOUNDED_VERB + r"于{DATE}", "date", "X医生集团成立于2014年7月1日"),
    Rule("founded", r"{ENT}(?:是|则是|最早)?由{GAP}(?:创办|创立|创建|组建|成立)于{DATE}", "date",
         "X医生集团由眼科专家周凯创办于2014年"),
    Rule("founded", r"{ENT}(?:是|则是|最早)?由{GAP}于{DATE}(?:倡议|发起|牵头)?(?:创办|创立|创建|组建|成立)", "date",
         "X医生集团由眼科专家王喆于2017年创办"),
    Rule("founded", r"{ENT}(?:已|已经|终于|最终)?(?:于|在|从)?{DATE}份?" + _WHERE + r"(?:正式)?" + _FOUNDED_VERB + "{END}",
         "date", "X医生集团于2015年正式成立 / 于2019年在成都注册成立 (intransitive: 成立 takes no object)"),
    Rule("founded", r"{DATE}[,]?{WIDE}" + _FOUNDED_VERB + r"了?{GAP}[“\"《]?{ENT}", "date",
         "2014年张强宣布成立全国首个医生集团——张强医生集团 / 2月27日…宣布组建“X联盟” (X is the object)",
         clean=True),
    Rule("founded", r"{DATE}[,]?{WIDE}[“\"]?{ENT}[”\"]?(?:在[\u4e00-\u9fff]{1,8}?)?" + _FOUNDED_VERB + "{END}",
         "date", "2018年,辽宁省首家医生集团X医生集团(在杭州)宣告成立", clean=True),
    Rule("founded", r"{DATE}" + _FOUNDED_VERB + r"的{ENT}", "date", "2015年成立的X医生集团"),
    Rule("founded", r"(?:^|(?<=[,:]))(?:自|从){DATE}(?:正式)?" + _FOUNDED_VERB + r"(?:以来|至今|后),?[“\"]?{ENT}", "date",
         "自2016年成立以来,X医生集团已… (the subject follows)"),
    Rule("founded", _FOUNDED_VERB + r"于{DATE}的{ENT}", "date", "成立于2017年的X医生集团"),
    Rule("founded", r"{ENT}(?:是|于)?{DATE}" + _FOUNDED_VERB + r"的", "date", "X医生集团是2019年成立的"),
    Rule("founded", r"{ENT}\({DATE}" + _FOUNDED_VERB + r"\)", "date", "X医生集团(2015年成立)"),
    Rule("founded", r"{ANA}" + _FOUNDED_VERB + r"于{DATE}", "date", "集团成立于2012年"),
    Rule("founded", r"{ANA}(?:是|于)?{DATE}" + _FOUNDED_VERB + r"的", "date", "我们集团是2019年成立的"),
    Rule("founded", r"{DATE}{ANA}" + _FOUNDED_VERB + "{END}", "date", "2013年集团成立时只有8名医生"),
    Rule("founded", r"{ANA}(?:已|已经)?(?:于|在|从)?{DATE}份?" + _WHERE + _FOUNDED_VERB + "{END}", "date",
         "我们脑科医生集团从9月份成立开始 / 集团于2016年成立"),
    # founder
    Rule("founder", r"{ENT}(?:的)?" + _ROLE_FOUNDER + r"(?:是|为)?(?:、{E})?{TAIL}", "person_clause",
         "X医生集团创始人张强医生 / 创始人、董事长刘兴鹏 / 创始人 宋冬雷 / 创始人、Y联盟候任主席李明"),
    Rule("founder", r"(?P<head>[^,。;!?、“”\"():\ue000-\uf8ff]{2,24})(?:是|为)[“\"]?{ENT}[”\"]?(?:的)?" + _ROLE_FOUNDER,
         "person_before", "李明是X医生集团创始人、董事长", cue="创始人|创办人|创建人|创立者|创始者|创办者|发起人"),
    Rule("founder", r"(?:^|(?<=[。;!?:]))(?P<head>[\u4e00-\u9fff]{2,4}),[“\"]?{ENT}[”\"]?(?:的)?" + _ROLE_FOUNDER
         + r"(?=[,。;、]|$)", "person_before", "罗晓峰,X医生集团创始人,原某医院心内科主任 (in apposition)",
         cue="创始人|创办人|创建人|创立者|创始者|创办者|发起人"),
    Rule("founder", r"作为[“\"]?{ENT}[”\"]?(?:的)?" + _ROLE_FOUNDER + r",{TAIL}", "person_subject",
         "作为X医生集团的联合创始人,李明负责集团运营 (the next clause's subject)"),
    Rule("founder", r"(?:^|(?<=[,:]))(?:{DATE},?)?{TAIL},(?:并|又|随后|后来|此后|之后|于|在)*(?:" + DATE_PATTERN
         + r")?(?:正式)?(?:宣布)?(?:成立|创办|创立|创建)了?[“\"]?{ENT}", "person_subject",
         "2014年7月张明医生首先提出这一模式,并成立X医生集团 / 李明曾在医院工作20年,2016年创办了X (the subject of "
         "the clause before)"),
    Rule("founder", r"{ANA}(?:的)?" + _ROLE_FOUNDER + r"(?:是|为)?{TAIL}", "person_clause",
         "我们联合创始人康慨教授 / 其创始人李秀琴"),
    Rule("founder", r"(?<![\u4e00-\u9fffA-Za-z0-9\ue000-\uf8ff])" + _ROLE_FOUNDER + r"(?:是|为)?{TAIL}",
         "person_clause", "…,创始人刘兴鹏介绍 (subject: the entity named before in the sentence)"),
    Rule("founder", r"{HEAD}(?:(?:于|在){DATE})?" + _LEAD + r"?(?:联合)?(?:创始)?(?:创办|创立|创建)了?的?[“\"]?{ENT}",
         "person_before", "北医三院主任万峰创始创办的X医疗集团 / 张强于2014年创办了X医生集团", clean=True,
         cue="创办|创立|创建"),
    Rule("founder", r"(?:{ENT}|{ANA})(?:是|则是|最早)?由{HEAD}(?:于{DATE})?" + _LEAD
         + r"?(?:联合)?(?:创始)?(?:创办|创立|创建|组建|发起成立)",
         "person_before", "X医生集团由眼科专家周凯创办于2014年 / 公司由某医院原主任陶立群创办"),
    Rule("founder", r"(?<=[,:])由{HEAD}(?:于{DATE})?(?:" + _LEAD + r"?(?:联合)?(?:创始)?(?:创办|创立|创建|发起成立)|发起|牵头)"
         r"(?=[,。;!?]|$)", "person_before", "X医生集团成立于2015年,由积水潭医院原骨科主任孟涛发起创办"),
    Rule("founder", r"由{HEAD}(?:倡议|发起|牵头)[^。;!?\ue000-\uf8ff]{0,40}?{ENT}[^,。;!?\ue000-\uf8ff]{0,8}?"
         r"(?:宣告|宣布|正式)?(?:成立|组建)", "person_before",
         "由张强医生倡议,联合七家医生集团的X联盟便宣告成立"),
    # ceo
    Rule("ceo", r"{ENT}(?:的)?" + _FOUNDER_AND + _ROLE_CEO + r"(?:是|为|由)?{TAIL}", "person_clause",
         "X CEO、北京医院心血管内科副主任医师施海峰表示 (副总裁 is not the CEO)"),
    Rule("ceo", r"(?:{ENT}|{ANA})(?:已|正式|日前|近日)*任命(?P<head>[^,。;!?、\ue000-\uf8ff]{2,16}?)为(?:集团)?(?:新任|新一任)?"
         + _ROLE_CEO, "person_before", "X医生集团任命王芳为CEO"),
    Rule("ceo", r"{HEAD}(?:正式)?(?:出任|担任|接任|就任)[“\"]?{ENT}[”\"]?(?:的)?(?:新任|新一任)?" + _ROLE_CEO
         + r"(?![\u4e00-\u9fff])", "person_before", "某公司原高管李强出任X医生集团CEO (副总裁 is not the CEO)"),
    Rule("ceo", r"{ANA}(?:的)?" + _FOUNDER_AND + _ROLE_CEO + r"(?:是|为|由)?{TAIL}", "person_clause",
         "其CEO王五 / 该集团创始人兼CEO王五"),
    # doctors
    Rule("doctors", _HAVE + r"(?:全国|国内|全球)?{LISTGAP}{FIG}(?:(?:位|名|人)(?!次){GAP30}" + _DOCTOR
         + r"|(?:医生|医师|专家)" + _NOT_OWN + ")", "count",
         "拥有170多位…心脏专科医生 / 汇聚了普外、肝胆等专业的180余位医生 / 签约医生200名 not here", carry=True),
    Rule("doctors", r"(?:发展到|增加到|增长到|增至|扩大到|扩充到|达到)了?{FIG}(?:位|名|人)(?!次){GAP30}" + _DOCTOR, "count",
         "如今已发展到60名医生 (成立之初的5名 is the beginnings')", carry=True),
    Rule("doctors", r"(?:医生|医师|专家)(?:团队)?(?:规模|人数)?(?:已|已经)?从[^,。;!?\ue000-\uf8ff]{0,12}?"
         + _GROWN_TO + r"了?(?:如今的|现在的|目前的)?{FIG}(?:位|名|人)(?!次)", "count",
         "医生团队从最初的几个人增长到现在的100多人", carry=True, requires=_GROWN_TO),
    Rule("doctors", r"{FIG}(?:位|名){GAP30}(?:医生|医师|专家)" + _GATHERED, "count",
         "把近90多位…妇产科医生聚拢在一个平台上", carry=True, requires=_GATHERED),
    Rule("doctors", r"(?:医生|医师|专家)(?:团队)?" + _REACH + r"{FIG}(?:位|名|人)(?!次)", "count",
         "签约医生已达200名 / 专家团队超过300人 (儿科专家35名 without a verb is a breakdown)", carry=True),
    Rule("doctors", _HAVE + r"{GAP}(?:医生|医师|专家)(?:团队)?(?:共计|总计|合计|共)?{FIG}(?:位|名|人)(?!次)", "count",
         "拥有医生150名 / 现有眼科医生90余名 / 现有专家团队200人 / 聚集了国内外知名的医疗专家300余人", carry=True),
    # partner_hospitals
    Rule("partner_hospitals", r"{FIG}家[^,。;!?:\ue000-\uf8ff0-9]{0,20}?合作" + _HOSPITALS, "count",
         "全国各地33家合作医院 / 33家散布在全国各地、不同层级的合作医院", kinds=GROUPS, carry=True,
         requires="合作" + _HOSPITALS),
    Rule("partner_hospitals", r"合作伙伴" + _REACH + r"(?:扩展到|扩大到|增加到|增至|发展到)?{FIG}家" + _HOSPITALS, "count",
         "合作伙伴已扩展到30家医院", kinds=GROUPS, carry=True),
    Rule("partner_hospitals", r"与[“\"]?{ENT}[”\"]?(?:建立|达成|开展|签约)?(?:了)?合作(?:关系)?的" + _HOSPITALS
         + r"(?:" + _REACH + r")?{FIG}家", "count", "与X医生集团合作的医院已有30家", kinds=GROUPS),
    Rule("partner_hospitals", r"合作" + _HOSPITALS + r"(?:已|已经)?(?:覆盖|遍及|遍布)(?:全国|国内|全省|全市)?{FIG}家", "count",
         "合作医院覆盖全国28家", kinds=GROUPS, carry=True),
    Rule("partner_hospitals", r"合作" + _HOSPITALS + r"{WIDE}(?:共计|总计|合计|共|总数达到?)了?{FIG}家", "count",
         "合作医院遍布全省11个地市,共计46家", kinds=GROUPS, carry=True),
    Rule("partner_hospitals", r"合作的?" + _HOSPITALS + r"(?:" + _REACH + r")?{FIG}家", "count",
         "合作医院已达40家 / 拥有合作医院12家",
         kinds=GROUPS, carry=True),
    Rule("partner_hospitals", r"合作" + _HOSPITALS + r"(?:数量)?(?:已|已经)?从[^,。;!?]{0,12}?{NUM}家(?:增长|增加|发展|扩大|扩展)"
         r"(?:到|至)(?:如今的|现在的|目前的)?{FIG}家", "count", "合作医院从10家增加到40家", kinds=GROUPS, carry=True),
    Rule("partner_hospitals", r"合作(?:了|覆盖了?)?{FIG}家{GAP}(?:医院|医疗机构)", "count",
         "目前其合作5家医院 / 合作覆盖12家医院",
         kinds=GROUPS, carry=True),
    Rule("partner_hospitals", r"(?:与|和|跟)[^,。;!?、:\ue000-\uf8ff家]{0,20}?{FIG}家{GAP}(?:医院|医疗机构)"
         r"(?:(?:建立|达成|开展|签署|签订|签约)?了?{GAP}合作|(?:正式)?签约)", "count",
         "与全国30家医院建立合作 / 与全国20多个省市的100余家医院建立合作 / 已与12家医院签约", kinds=GROUPS, carry=True,
         requires="合作|签约"),
    Rule("partner_hospitals", r"{FIG}家{GAP}(?:医院|医疗机构)(?:与|和)[“\"]?{ENT}[”\"]?{GAP}(?:建立|达成|开展|签约|签署)?了?"
         r"{GAP}合作", "count", "已有50家医院与X医生集团建立合作", kinds=GROUPS, requires="合作"),
    Rule("partner_hospitals", r"签约了?的?(?:合作)?" + _HOSPITALS + r"(?:" + _REACH + r")?{FIG}家", "count",
         "已经签约的机构有三家 / 已签约医院20家", kinds=GROUPS, carry=True),
    Rule("partner_hospitals", r"签约了?{FIG}家{GAP}(?:医院|医疗机构)", "count", "已签约20家医院",
         kinds=GROUPS, carry=True),
    # patients_managed
    Rule("patients_managed", r"(?:管理|服务|随访)(?:了|过)?{FIG}(?:名|位|例|人(?!次))?{GAP}(?:患者|病人|病患)(?!次)",
         "count", "管理3万余名各类心脏病患者 (人次 are visits, not patients)", kinds=GROUPS, carry=True),
    Rule("patients_managed", r"为{FIG}(?:名|位|例)?{GAP}(?:患者|病人|病患)提供了?{GAP}(?:管理|随访)", "count",
         "累计为2万多名患者提供了随访管理服务", kinds=GROUPS, carry=True),
    Rule("patients_managed", r"{FIG}(?:名|位|例)?{GAP}(?:患者|病人|病患)的(?:随访|健康|管理|电子健康)档案", "count",
         "建立了1.2万名患者的随访档案", kinds=GROUPS, carry=True),
    Rule("patients_managed", r"(?:管理|服务|随访|在管)(?:的)?{GAP}(?:患者|病人)(?:" + _REACH + r")?{FIG}(?:名|位|例|人)?(?!人?次)",
         "count", "管理的患者已超过5万名 / 累计管理心血管病患者8万余名", kinds=GROUPS, carry=True),
    # members
    Rule("members", r"成员(?:单位)?(?:已|已经)?(?:覆盖|涵盖|包括)(?:全国|国内|全省)?{FIG}家(?:医生集团|医师集团|单位|机构)?",
         "count", "联盟的成员覆盖全国80余家医生集团", kinds=ALLIANCES, carry=True),
    Rule("members", r"成员(?:单位)?(?:" + _REACH + r")?{FIG}家", "count", "X联盟成员已达100多家 / 已有成员单位56家",
         kinds=ALLIANCES, carry=True),
    Rule("members", r"成员(?:单位)?(?:数量)?(?:已|已经)?从[^,。;!?]{0,12}?{NUM}家(?:增长|增加|发展|扩大|扩展)(?:到|至)"
         r"(?:如今的|现在的|目前的)?{FIG}家", "count", "联盟成员单位已从成立之初的7家增长到如今的130多家",
         kinds=ALLIANCES, carry=True),
    Rule("members", r"(?:拥有|汇聚了?|吸引了?|聚集了?|吸纳了?|吸收了?|囊括了?|包括|共有|已有){FIG}家(?:成员单位|成员|会员单位|会员|医生集团)", "count",
         "联盟拥有120家成员单位", kinds=ALLIANCES, carry=True, requires="家(?:成员|会员|医生集团)"),
    Rule("members", r"{FIG}家{GAP}(?:医生集团|医师集团){GAP30}(?:宣布|宣告|共同|联合|正式)*(?:组建|发起成立|成立|发起)了?"
         r"[“\"]?{ENT}", "count", "7家医生集团在北京宣布组建“X联盟” (founding membership)",
         kinds=ALLIANCES, weak=True, requires="组建|成立|发起"),
    Rule("members", r"联合{GAP}{FIG}家{GAP}(?:医生集团|医师集团)的{ENT}", "count",
         "联合国内七家知名医生集团的X联盟 (founding membership)", kinds=ALLIANCES, weak=True),
    Rule("members", r"由{GAP}{FIG}家{GAP}(?:医生集团|医师集团)(?:共同|联合)?(?:发起|组建|成立|创立)(?:成立)?的[“\"]?{ENT}",
         "count", "由8家医生集团共同发起的X联盟 (founding membership)", kinds=ALLIANCES, weak=True),
    # renamed_to
    Rule("renamed_to", r"{ENT}(?:{GAP}|" + rename_bridge("\ue000-\uf8ff")
         + r")(?:" + RENAMED + r")[“\"《]?(?P<new>{E})", "renamed",
         "X医生集团正式官宣改名为Y心脏医疗集团 / X昨日召开品牌发布会,会上宣布正式更名为Y (the announcing clause "
         "follows the group's)"),
    # funding
    Rule("funding", r"(?:获得|完成|获|拿到|斩获)了?[^,。;!?、:\ue000-\uf8ff0-9]{0,20}?{MONEY}{GAP}融资", "money",
         "获得亿元融资 / 完成数千万元A轮融资 / 获得红杉领投的5000万元B轮融资", kinds=GROUPS),
    Rule("funding", r"(?:获得|获|拿到|斩获|引入)了?{GAP}(?<![0-9.]){MONEY}(?:的)?{GAP}投资", "money",
         "获得5000万元投资 (完成…投资 may be money the group spent)", kinds=GROUPS),
    Rule("funding", r"累计(?:获得|完成)?(?:的)?融资(?:金额|总额|额)?(?:已|已经)?(?:为|达|达到|共)?{MONEY}", "money",
         "累计融资超过3亿元", kinds=GROUPS),
    Rule("funding", r"(?:获得|完成|获)了?{GAP}融资[,]?(?:金额|总额|规模)?(?:为|达|达到|超过|共)?{MONEY}", "money",
         "完成A轮融资,金额达5000万元", kinds=GROUPS),
    # facility
    Rule("facility", r"(?P<name>{ENT}\((?![^)]*(?:简称|原|以下))[^()]{1,12}\)[\u4e00-\u9fffA-Za-z0-9]{1,24}?"
         r"(?:医院|病院|中心|诊所|门诊部))", "facility",
         "张强医生集团(非洲)静脉病中心: a facility named after the group", kinds=GROUPS, requires=r"\("),
    Rule("facility", r"{ENT}{GAP}(?:投资|独立|自主)?" + _RUN_BY + r"{FACILITY}", "facility",
         "X医生集团建立的上海冬雷脑科医院", kinds=GROUPS, requires=_RUN_BY),
    Rule("facility", r"{ENT}{GAP}(?:和|与|联合)[^,。;!?\ue000-\uf8ff]{1,15}?(?:共建|合建|共同建设|共同打造|联合打造|"
         r"共同成立|合作共建|携手打造)的{FACILITY}", "facility",
         "X和德州市人民政府共建的哈特瑞姆(德州)心脏病旗舰医院", kinds=GROUPS),
    Rule("facility", r"{ENT}{GAP}(?:和|与|联合)[^。;!?\ue000-\uf8ff]{1,25}?[,]?(?:共建|合建|共同建设|联合共建)了?"
         r"{FACILITY}", "facility", "X医疗集团还与江宁区人民政府签约,共建宁康(江宁)心血管病医院",
         kinds=GROUPS),
    Rule("facility", r"{ENT}旗下(?:的|[^,。;!?\ue000-\uf8ff]{0,10}?(?:——|:))?{FACILITY}", "facility",
         "X医生集团旗下首家骨科专科医院——嘉禾骨科医院 / 旗下的嘉禾眼科医院", kinds=GROUPS, requires="旗下"),
    Rule("facility", r"{ANA}旗下(?:的|[^,。;!?\ue000-\uf8ff]{0,10}?(?:——|:))?{FACILITY}", "facility",
         "集团旗下首家骨科专科医院——嘉禾骨科医院", kinds=GROUPS, requires="旗下"),
    Rule("facility", r"(?:{ENT}|{ANA})" + _NOT_HELPING + r"{GAP}(?:在[^,。;!?\ue000-\uf8ff]{1,10})?"
         + _OPENED + r"(?![者人])了?"
         r"(?:(?:首家|第一家|一家)(?:[^,。;!?\ue000-\uf8ff]{0,10}?(?:——|:))?)?{FACILITY}", "facility",
         "X医生集团在上海开设了张强静脉曲张诊所 / 开设了首家自有医院——X心脏医院",
         kinds=GROUPS, requires=_OPENED),
    Rule("facility", r"与(?P<ents>{E}(?:[、和及]{E})+)[^。;!?\ue000-\uf8ff]{0,20}?分别(?:共建|合建|建立|成立|开设|打造|设立)"
         r"(?P<names>(?:[“\"][^”\"]+[”\"][、和及]?){2,})", "respective",
         "先后与A、B、C达成合作,分别共建“F1”、“F2”“F3” (paired in order)", kinds=GROUPS,
         cue="分别"),
)

RULES: tuple[Rule, ...] = tuple(replace(rule, cue=rule.cue or CUES[rule.attribute]) for rule in _TABLE)

FUTURE = re.compile(r"将(?!近)|计划|预计|拟|有望|力争|争取|目标|希望|未来|即将|准备|打算|会有|要在")
