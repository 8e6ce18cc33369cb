"""Every attribute, sentence shape and trap of issue 3, on sentences written for these tests.

Each case lists *all* the facts the text states, so an extra (wrong) fact fails it:
precision is tested as much as recall.
"""
from __future__ import annotations

import re
from dataclasses import replace

import pytest

from crawler.facts import EXTRACTORS, FactExtractor, RuleExtractor, extract_facts, get_extractor
from crawler.facts.rules import MACROS, RULES, Rule
from crawler.errors import DgwatchError
from storage.records import ATTRIBUTES, Extraction, Fact


def facts_of(text: str, published: str | None = None, known: dict[str, str] | None = None) -> set[tuple]:
    extraction = extract_facts(text, published=published, url="http://news.example/1.html", known=known)
    return {(f.entity, f.attribute, f.value, f.approx) for f in extraction.facts}


def _case(text, *facts, published=None, known=None, id=None):
    return pytest.param(text, published, known, set(facts), id=id)


CASES = [
    # founded
    _case("仁心医生集团成立于2016年3月12日,总部位于杭州。",
          ("仁心医生集团", "founded", "2016-03-12", ""), id="founded-chengliyu"),
    _case("2017年,浙江首家妇科医生集团——明湖妇科医生集团在杭州宣告成立。",
          ("明湖妇科医生集团", "founded", "2017", ""), id="founded-date-first-intransitive"),
    _case("青松骨科医生集团于2019年5月正式成立,目前已签约12家医院。",
          ("青松骨科医生集团", "founded", "2019-05", ""), ("青松骨科医生集团", "partner_hospitals", 12, ""),
          id="founded-yu-date"),
    _case("2015年成立的远山眼科医生集团近日宣布完成数千万元A轮融资。",
          ("远山眼科医生集团", "founded", "2015", ""), ("远山眼科医生集团", "funding", 10000000, "more_than"),
          id="founded-relative-clause"),
    _case("今年4月,由多位心外科专家创办的鹤鸣心外科医生集团正式成立。",
          ("鹤鸣心外科医生集团", "founded", "2020-04", ""), published="2020-06-01", id="founded-this-year"),
    _case("去年9月成立的云杉医生集团已经签约了8家医院。",
          ("云杉医生集团", "founded", "2020-09", ""), ("云杉医生集团", "partner_hospitals", 8, ""),
          published="2021-03-01", id="founded-last-year"),
    _case("去年9月成立的云杉医生集团已经签约了8家医院。",
          ("云杉医生集团", "partner_hospitals", 8, ""), id="relative-date-without-page-date"),
    _case("自2013年宋明医生宣布成立全国首个同类医生集团——宋明医生集团开始,迄今已有十年。",
          ("宋明医生集团", "founded", "2013", ""), id="founded-object-of-chengli"),
    _case("博恩医生集团(2015年成立)专注脊柱外科。", ("博恩医生集团", "founded", "2015", ""), id="founded-in-brackets"),
    _case("晨星医生集团由眼科专家王哲于2017年创办,目前拥有眼科医生90余名。",
          ("晨星医生集团", "founded", "2017", ""), ("晨星医生集团", "founder", "王哲", ""),
          ("晨星医生集团", "doctors", 90, "more_than"), id="founded-founder-you"),
    _case("大树医生集团在北京举行五周年庆典。集团创始人李明在会上介绍,集团成立于2012年。",
          ("大树医生集团", "founder", "李明", ""), ("大树医生集团", "founded", "2012", ""), id="founded-anaphor"),
    _case("成立于2017年的青木眼科医生集团目前只与医院合作。", ("青木眼科医生集团", "founded", "2017", ""),
          id="founded-chengliyu-de"),
    _case("博睿医生集团于2016年3月正式挂牌成立。", ("博睿医生集团", "founded", "2016-03", ""), id="founded-guapai"),
    _case("宁安医生集团总部在南京。他说,2013年集团成立时只有8名医生,如今已有医生210名。",
          ("宁安医生集团", "founded", "2013", ""), ("宁安医生集团", "doctors", 210, ""), id="founded-date-anaphor"),
    _case("2018年,青松骨科医生集团发起成立了骨科专科联盟。", id="trap-founded-something-else"),
    _case("青松骨科医生集团成立三周年之际,集团举办了学术会议。", id="trap-anniversary-no-date"),
    _case("青松骨科医生集团表示,集团计划于2025年成立首家实体医院。", id="trap-future-founding"),
    # founder
    _case("明湖妇科医生集团创始人、董事长陈静怡表示,集团今年将继续扩张。",
          ("明湖妇科医生集团", "founder", "陈静怡", ""), id="founder-with-title"),
    _case("据介绍,远山眼科医生集团由眼科专家周凯创办于2014年。",
          ("远山眼科医生集团", "founder", "周凯", ""), ("远山眼科医生集团", "founded", "2014", ""),
          id="founder-you-chuangban-yu"),
    _case("仁心医生集团的创始人是心内科医生黄立新。", ("仁心医生集团", "founder", "黄立新", ""), id="founder-shi"),
    _case("云岭医生集团在昆明成立,创始人为康复专家吴雪。", ("云岭医生集团", "founder", "吴雪", ""),
          id="founder-specialty-starting-with-a-surname"),
    _case("松涛医生集团的创始人是皮肤科专家甘露。", ("松涛医生集团", "founder", "甘露", ""),
          id="founder-specialty-starting-with-a-surname-3"),
    _case("由著名骨科专家刘振华教授牵头创办的青松骨科医生集团近日迎来新成员。",
          ("青松骨科医生集团", "founder", "刘振华", ""), id="founder-before-name"),
    _case("6月1日,由骨科专家赵立群发起的仁心医生集团在成都宣告成立。",
          ("仁心医生集团", "founded", "2022-06-01", ""), ("仁心医生集团", "founder", "赵立群", ""),
          published="2022-06-02", id="founder-faqi-de"),
    _case("由宋明医生倡议,联合国内五家医生集团的华夏医生集团联盟便宣告成立。",
          ("华夏医生集团联盟", "founder", "宋明", ""), ("华夏医生集团联盟", "members", 5, ""),
          id="founder-changyi-alliance"),
    _case("北医三院心内科主任万山创始创办的海德医生集团也来到了现场。",
          ("海德医生集团", "founder", "万山", ""), id="founder-title-chain-before"),
    _case("大树医生集团创始人兼CEO李明表示,集团发展很快。",
          ("大树医生集团", "founder", "李明", ""), ("大树医生集团", "ceo", "李明", ""), id="founder-and-ceo"),
    _case("朗润医生集团创始人兼董事长王涛博士在会上致辞。", ("朗润医生集团", "founder", "王涛", ""), id="founder-jian"),
    _case("星海医生集团创始人周明远近日接受采访。", ("星海医生集团", "founder", "周明远", ""), id="founder-time-word-after"),
    _case("据了解,嘉木骨科医生集团成立于2015年10月,由某某医院原骨科主任孟涛发起创办。",
          ("嘉木骨科医生集团", "founded", "2015-10", ""), ("嘉木骨科医生集团", "founder", "孟涛", ""),
          id="founder-you-clause"),
    _case("博睿医生集团是由某某医院的周正教授创立的。", ("博睿医生集团", "founder", "周正", ""), id="founder-shi-you-de"),
    _case("博睿医生集团由张三、李四等人联合创办。", ("博睿医生集团", "founder", "张三", ""),
          ("博睿医生集团", "founder", "李四", ""), id="co-founders-listed"),
    _case("星海医生集团由骨科专家张明和李华共同创办。", ("星海医生集团", "founder", "张明", ""),
          ("星海医生集团", "founder", "李华", ""), id="co-founders-and"),
    _case("星海医生集团的创始人为张明、李华。", ("星海医生集团", "founder", "张明", ""),
          ("星海医生集团", "founder", "李华", ""), id="co-founders-after-role"),
    _case("星海医生集团的联合创始人张明教授和李华医生出席了会议。", ("星海医生集团", "founder", "张明", ""),
          ("星海医生集团", "founder", "李华", ""), id="co-founders-with-titles"),
    _case("星海医生集团创始人张明与县医院签约。", ("星海医生集团", "founder", "张明", ""),
          id="founder-and-a-hospital-is-one-founder"),
    _case("星海医生集团CEO张明、CTO李华出席。", ("星海医生集团", "ceo", "张明", ""), id="ceo-is-one-person"),
    _case("张明、李华共同创办了星海医生集团。", ("星海医生集团", "founder", "张明", ""),
          ("星海医生集团", "founder", "李华", ""), id="co-founders-before-the-verb"),
    _case("由刘飞等9位呼吸专家发起的远山医生集团在宁波正式成立。", ("远山医生集团", "founder", "刘飞", ""),
          id="founder-and-n-experts"),
    _case("由张明、李华等5位专家发起的星海医生集团在杭州成立。", ("星海医生集团", "founder", "张明", ""),
          ("星海医生集团", "founder", "李华", ""), id="co-founders-and-n-experts"),
    _case("由心外科专家张明发起的“星海”医生集团成立于2016年。", ("星海医生集团", "founder", "张明", ""),
          ("星海医生集团", "founded", "2016", ""), id="brand-quoted-before-its-ending"),
    _case("今年1月,星海医生集团与市眼科医院签署协议,双方将在眼科领域共建专科诊疗中心。",
          id="facility-named-by-what-it-does-only"),
    _case("星海医生集团与县医院共建的远程会诊中心已投入使用。", id="facility-described-not-named"),
    _case("星海医生集团与县医院共建的星海眼科诊疗中心已投入使用。",
          ("星海医生集团", "facility", "星海眼科诊疗中心", ""), id="facility-with-a-brand"),
    _case("星海医生集团与县医院共建的杭州眼科中心已投入使用。",
          ("星海医生集团", "facility", "杭州眼科中心", ""), id="facility-with-a-place"),
    _case("健康时报创始人吴海说,云杉医生集团发展很快。", id="trap-founder-of-a-newspaper"),
    _case("云杉医生集团与本报合作多年。《健康周刊》总编辑、创始人吴海认为,行业正在变化。",
          id="trap-founder-after-other-org"),
    _case("我刚才听了我们两位联合创始人的体会。", id="trap-founder-without-name"),
    # ceo
    _case("青松骨科医生集团CEO林海峰在接受采访时说,集团将扩张。", ("青松骨科医生集团", "ceo", "林海峰", ""), id="ceo"),
    _case("仁心医生集团首席执行官为王晓东。", ("仁心医生集团", "ceo", "王晓东", ""), id="ceo-shouxi"),
    _case("哈瑞医生集团CEO、北京某医院心内科副主任医师施峰表示,模式可以复制。",
          ("哈瑞医生集团", "ceo", "施峰", ""), id="ceo-title-chain-after"),
    _case("仁心医生集团副总裁赵磊表示,集团发展顺利。", id="trap-vice-president"),
    # doctors
    _case("目前,明湖妇科医生集团拥有200余名妇产科医生。",
          ("明湖妇科医生集团", "doctors", 200, "more_than"), id="doctors-yongyou"),
    _case("云杉医生集团在北京召开年会。该集团已汇聚全国1200多位知名专家。",
          ("云杉医生集团", "doctors", 1200, "more_than"), id="doctors-anaphor-gaijituan"),
    _case("远山眼科医生集团签约医生已达85名。", ("远山眼科医生集团", "doctors", 85, ""), id="doctors-noun-first"),
    _case("启明医生集团的医生团队已经超过300人。", ("启明医生集团", "doctors", 300, "more_than"), id="doctors-team"),
    _case("我们的医生集团把近80多位来自全国各地的知名儿科医生聚拢在一个平台上。",
          id="doctors-women-without-speaker"),
    _case("华康心血管医生集团创始人为心内科专家何志远,首批加盟医生近50名。",
          ("华康心血管医生集团", "founder", "何志远", ""), ("华康心血管医生集团", "doctors", 50, "about"),
          id="doctors-about"),
    _case("博睿医生集团医生团队规模达到300人。", ("博睿医生集团", "doctors", 300, ""), id="doctors-scale"),
    _case("目前,仁心医生集团签约心内科专家40名、心外科专家25名、麻醉科专家10名。", id="trap-doctors-breakdown"),
    _case("博睿医生集团现有全职医生50名、兼职医生200名。", id="trap-doctors-breakdown-fulltime"),
    _case("青松骨科医生集团去年为基层培训了500名医生。", id="trap-doctors-trained"),
    _case("青松骨科医生集团主办的论坛共有300名医生参加。", id="trap-doctors-attending"),
    _case("明湖妇科医生集团与市第一人民医院合作,该院拥有800名医生。", id="trap-doctors-of-hospital"),
    _case("明湖妇科医生集团计划明年拥有300名医生。", id="trap-doctors-future"),
    _case("明湖妇科医生集团目前还没有100名医生。", id="trap-doctors-negated"),
    # partner_hospitals
    _case("截至目前,青松骨科医生集团已与全国46家医院建立合作关系。",
          ("青松骨科医生集团", "partner_hospitals", 46, ""), id="partners-yu-hospitals-hezuo"),
    _case("仁心医生集团的合作医院超过30家。", ("仁心医生集团", "partner_hospitals", 30, "more_than"),
          id="partners-more-than"),
    _case("远山眼科医生集团目前合作医院达25家,覆盖华东六省。",
          ("远山眼科医生集团", "partner_hospitals", 25, ""), id="partners-da"),
    _case("目前已有超过50家医院与博恩医生集团建立合作。",
          ("博恩医生集团", "partner_hospitals", 50, "more_than"), id="partners-hospitals-first"),
    _case("我们目前已经签约的机构有三家,还有一些医院在洽谈。", id="partners-women-without-speaker"),
    _case("与此同时,启明医生集团还与12家医院签约合作。", ("启明医生集团", "partner_hospitals", 12, ""),
          id="partners-qianyue-hezuo"),
    _case("青木眼科医生集团目前有眼科医生60多位,合作医院30家左右。",
          ("青木眼科医生集团", "doctors", 60, "more_than"), ("青木眼科医生集团", "partner_hospitals", 30, "about"),
          id="partners-zuoyou-after-unit"),
    _case("博睿医生集团已与全国20多个省市的100余家医院建立了合作。",
          ("博睿医生集团", "partner_hospitals", 100, "more_than"), id="partners-after-other-figure"),
    _case("过去三年,博睿医生集团的合作医院从10家增加到40家。", ("博睿医生集团", "partner_hospitals", 40, ""),
          id="partners-growth"),
    _case("青松骨科医生集团的合作医院共有床位3000张。", id="trap-partners-beds"),
    _case("仁心医生集团调研了120家基层医院。", id="trap-partners-survey"),
    _case("与明湖妇科医生集团合作的5家医院共有医生600人。", id="trap-partners-doctors-of-hospitals"),
    _case("长风医师集团今年新签约5家医院。", id="trap-partners-increase"),
    # patients_managed
    _case("明湖妇科医生集团累计服务患者超过10万名。",
          ("明湖妇科医生集团", "patients_managed", 100000, "more_than"), id="patients-noun-first"),
    _case("青松骨科医生集团已管理5000余名慢病患者。",
          ("青松骨科医生集团", "patients_managed", 5000, "more_than"), id="patients-guanli"),
    _case("目前,华瑞医生集团累计管理了3万余名各类心脏病患者。",
          ("华瑞医生集团", "patients_managed", 30000, "more_than"), id="patients-wan"),
    _case("目前,宁安医生集团累计管理心血管病患者8万余名。",
          ("宁安医生集团", "patients_managed", 80000, "more_than"), id="patients-qualified"),
    _case("仁心医生集团去年服务患者20万人次。", id="trap-patients-visits"),
    _case("华瑞医生集团的合作科室一年收治了140余名新生儿。", id="trap-patients-of-a-department"),
    # members
    _case("华东医生集团联盟目前已有成员单位56家。", ("华东医生集团联盟", "members", 56, ""), id="members"),
    _case("华东医生集团联盟在上海召开年会。该联盟拥有120家成员单位。",
          ("华东医生集团联盟", "members", 120, ""), id="members-anaphor"),
    _case("2月27日,9家医生集团在北京宣布组建“华夏医生集团联盟”。",
          ("华夏医生集团联盟", "founded", "2016-02-27", ""), ("华夏医生集团联盟", "members", 9, ""),
          published="2016-02-29", id="members-at-founding"),
    _case("由宋明倡议,联合国内七家知名医生集团的华夏医生集团联盟宣告成立。如今,华夏医生集团联盟成员已达100多家。",
          ("华夏医生集团联盟", "founder", "宋明", ""), ("华夏医生集团联盟", "members", 100, "more_than"),
          id="members-current-beats-founding"),
    _case("星海医生集团在杭州召开年会。会上专家们讨论了分级诊疗。有人认为基层是关键。也有人谈到了医保支付。"
          "目前集团拥有190多名医生。", ("星海医生集团", "doctors", 190, "more_than"), id="anaphor-far-from-the-name"),
    _case("星海医生集团在杭州召开年会。与大树医生集团、博恩医生集团等同行相比,星海医生集团更专注骨科。"
          "现阶段集团拥有110位医生。", ("星海医生集团", "doctors", 110, ""), id="anaphor-among-several-is-the-topic"),
    _case("星海医生集团与大树医生集团签约。会上专家们讨论了分级诊疗。有人认为基层是关键。也有人谈到了医保支付。"
          "集团拥有100名医生。", id="trap-anaphor-without-a-topic"),
    _case("值得一提的是,与大树医生集团等同行相比,这家机构更专注儿科。记者了解到,门诊量不断增加。患者说服务很好。"
          "专家表示要加强合作。今年的重点是培养人才。目前集团拥有超过130位医生。", id="trap-topic-only-compared-with"),
    _case("成立之初,星海医生集团只有11名医生,主要在县级医院坐诊。", id="trap-figure-from-the-beginnings"),
    _case("星海医生集团成立时仅有5名医生,如今签约医生已达200名。", ("星海医生集团", "doctors", 200, ""),
          id="figure-now-after-the-beginnings"),
    _case("星海医生集团对每一家合作医院都派驻了质控护士。", id="trap-every-partner-hospital"),
    _case("星海医生集团发展迅速。此前,县人民医院的骨科只有3名医生,很多手术无法开展。",
          id="trap-another-organisations-doctors"),
    _case("星海医生集团发展迅速。张伟团队研发的术式已在3家合作医院推广。", id="trap-a-teams-hospitals"),
    _case("华夏医生集团联盟秘书长王岩透露,联盟成员单位已从成立之初的7家增长到如今的130多家。",
          ("华夏医生集团联盟", "members", 130, "more_than"), id="members-growth"),
    _case("华南医生集团联盟目前已吸纳100余家医生集团。", ("华南医生集团联盟", "members", 100, "more_than"),
          id="members-xina"),
    _case("青松骨科医生集团加入了拥有100多家成员的华夏医生集团联盟。", id="trap-members-of-alliance-joined"),
    _case("青松骨科医生集团成员已达30家。", id="trap-members-of-a-group"),
    # renamed_to
    _case("日前,青松骨科医生集团更名为青松医疗集团。",
          ("青松骨科医生集团", "renamed_to", "青松医疗集团", ""), id="renamed"),
    _case("2020年,明湖医师集团正式更名为“明湖妇产医疗集团”。",
          ("明湖医生集团", "renamed_to", "明湖妇产医疗集团", ""), id="renamed-physician-spelling"),
    _case("就在今年5月,华瑞医生集团正式官宣改名为华瑞心脏医疗集团(以下简称华瑞)。华瑞目前拥有合作医院40家。",
          ("华瑞医生集团", "renamed_to", "华瑞心脏医疗集团", ""), ("华瑞医生集团", "partner_hospitals", 40, ""),
          id="renamed-then-short-name"),
    _case("青松骨科医生集团拟更名为青松医疗集团。", id="trap-rename-planned"),
    # funding
    _case("远山眼科医生集团宣布完成1.2亿元B轮融资,由某某资本领投。",
          ("远山眼科医生集团", "funding", 120000000, ""), id="funding"),
    _case("青松骨科医生集团获得亿元融资。", ("青松骨科医生集团", "funding", 100000000, ""), id="funding-yi"),
    _case("仁心医生集团完成A轮融资,金额达8000万元。", ("仁心医生集团", "funding", 80000000, ""), id="funding-amount-after"),
    _case("明湖妇科医生集团获得近亿元融资。", ("明湖妇科医生集团", "funding", 100000000, "about"), id="funding-about"),
    _case("启明医生集团2019年获得了5000万元投资,投资方为某某创投。",
          ("启明医生集团", "funding", 50000000, ""), id="funding-touzi"),
    _case("博睿医生集团宣布获得由某某资本中国基金领投的5000万元A轮融资。",
          ("博睿医生集团", "funding", 50000000, ""), id="funding-led-by"),
    _case("青松骨科医生集团获得2000万美元融资。", id="trap-funding-dollars"),
    _case("据预测,医生集团市场规模将达千亿元。", id="trap-market-size"),
    _case("远山眼科医生集团投资3亿元建设眼科医院。", id="trap-money-spent"),
    # facility
    _case("青松骨科医生集团在成都开设了青松骨科医院。",
          ("青松骨科医生集团", "facility", "青松骨科医院", ""), id="facility-kaishe"),
    _case("由仁心医生集团投资建设的仁心心血管病医院将于明年开业。",
          ("仁心医生集团", "facility", "仁心心血管病医院", ""), id="facility-being-built"),
    _case("远山眼科医生集团(上海)眼科中心正式揭牌。",
          ("远山眼科医生集团", "facility", "远山眼科医生集团(上海)眼科中心", ""), id="facility-parentheses"),
    _case("冬青脑科医生集团建立的上海冬青脑科医院是首批试点机构。",
          ("冬青脑科医生集团", "facility", "上海冬青脑科医院", ""), id="facility-jianli-de"),
    _case("华瑞心脏医生集团和德州市人民政府共建的华瑞(德州)心脏病医院正在建设中。",
          ("华瑞心脏医生集团", "facility", "华瑞(德州)心脏病医院", ""), id="facility-gongjian"),
    _case("百利医院先后与甲光医生集团、乙光医生集团达成合作,分别共建“百利医院眼科中心”、“百利医院骨科中心”。",
          ("甲光医生集团", "facility", "百利医院眼科中心", ""), ("乙光医生集团", "facility", "百利医院骨科中心", ""),
          id="facility-respectively"),
    _case("嘉木骨科医生集团CEO唐宁表示,集团旗下首家骨科专科医院——嘉木骨科医院(杭州)已于今年6月开业。",
          ("嘉木骨科医生集团", "ceo", "唐宁", ""), ("嘉木骨科医生集团", "facility", "嘉木骨科医院(杭州)", ""),
          id="facility-qixia-dash"),
    _case("会上,宁安医生集团还与江宁区人民政府签约,共建宁安(江宁)心血管病医院,设置床位400张。",
          ("宁安医生集团", "facility", "宁安(江宁)心血管病医院", ""), id="facility-gongjian-object"),
    _case("明湖妇科医生集团创始人陈静怡担任院长的安康妇产医院开业。",
          ("明湖妇科医生集团", "founder", "陈静怡", ""), id="trap-facility-run-by-founder"),
    _case("青松骨科医生集团计划明年建立一家医院。", id="trap-facility-unnamed"),
    # subject carried over, figure before the name, enumerations, aliases
    _case("明湖妇科医生集团总部位于杭州。该集团目前拥有医生150名。",
          ("明湖妇科医生集团", "doctors", 150, ""), id="carry-gaijituan"),
    _case("青松骨科医生集团成立于2018年。目前,其合作医院已达18家。",
          ("青松骨科医生集团", "founded", "2018", ""), ("青松骨科医生集团", "partner_hospitals", 18, ""), id="carry-qi"),
    _case("远山眼科医生集团在杭州举行发布会。目前已签约医院20家。",
          ("远山眼科医生集团", "partner_hospitals", 20, ""), id="carry-no-subject"),
    _case("明湖妇科医生集团与青松骨科医生集团签署合作协议。目前已签约医院20家。", id="trap-carry-two-groups"),
    _case("明湖妇科医生集团与南城医院签约。南城医院院长表示:“我们已经签约了20家医院。”", id="trap-women-of-a-hospital"),
    _case("明湖妇科医生集团与南城医院签约。南城医院表示,其合作医院已达20家。", id="trap-qi-of-a-hospital"),
    _case("继签约30家合作医院之后,仁心医生集团又在武汉落地了首家诊所。",
          ("仁心医生集团", "partner_hospitals", 30, ""), id="figure-before-name-ji"),
    _case("继揽入120多位三甲医院骨科医生、全国各地20家合作医院、管理500多张床位之后,白塔骨科医生集团又有新动作。",
          ("白塔骨科医生集团", "doctors", 120, "more_than"), ("白塔骨科医生集团", "partner_hospitals", 20, ""),
          id="figure-before-name-enumeration"),
    _case("拥有300多位专家的远山眼科医生集团今天发布了新战略。",
          ("远山眼科医生集团", "doctors", 300, "more_than"), id="figure-before-name-de"),
    _case("目前,青松骨科医生集团拥有120名医生、15家合作医院,累计管理患者8000余名。",
          ("青松骨科医生集团", "doctors", 120, ""), ("青松骨科医生集团", "partner_hospitals", 15, ""),
          ("青松骨科医生集团", "patients_managed", 8000, "more_than"), id="enumeration"),
    _case("浙江明湖妇科医生集团(以下简称“明湖”)成立于2016年。明湖目前拥有合作医院12家。",
          ("浙江明湖妇科医生集团", "founded", "2016", ""), ("浙江明湖妇科医生集团", "partner_hospitals", 12, ""),
          id="short-name"),
    _case("A医院拥有医生100名,B医生集团拥有医生200名,C医生集团拥有医生300名。",
          id="one-letter-names-are-too-short"),
    _case("甲木医生集团拥有医生100名,乙木医生集团拥有医生200名。",
          ("甲木医生集团", "doctors", 100, ""), ("乙木医生集团", "doctors", 200, ""), id="two-groups-one-sentence"),
    _case("青松医疗集团今年合作医院达到40家。", ("青松骨科医生集团", "partner_hospitals", 40, ""),
          known={"青松医疗集团": "青松骨科医生集团"}, id="known-new-name"),
    _case("青松今年获得1亿元融资。", ("青松骨科医生集团", "funding", 100000000, ""),
          known={"青松": "青松骨科医生集团"}, id="known-short-alias"),
    _case("北大医疗集团旗下有八家医院,拥有医生3000名。", id="trap-medical-group-not-doctor-group"),
    # issue 15: names bounded by what a name can be, wherever the cue is
    _case("2016年9月,心外科专家陶然创建了云川心脏医生集团。",
          ("云川心脏医生集团", "founded", "2016-09", ""), ("云川心脏医生集团", "founder", "陶然", ""),
          id="founder-after-a-describing-noun-jieba"),
    _case("2016年9月,实干家罗晓峰创建了云川心脏医生集团。",
          ("云川心脏医生集团", "founded", "2016-09", ""), ("云川心脏医生集团", "founder", "罗晓峰", ""),
          id="founder-after-a-describing-noun"),
    _case("罗晓峰此次创办的“云川心脏医生集团”定位于医生创业平台。", ("云川心脏医生集团", "founder", "罗晓峰", ""),
          id="founder-adverb-before-verb"),
    _case("云川心脏医生集团创始人、华夏医生集团联盟候任主席罗晓峰表示,集团会继续扩张。",
          ("云川心脏医生集团", "founder", "罗晓峰", ""), id="founder-role-chain-through-another-entity"),
    _case("罗晓峰是云川心脏医生集团创始人、董事长。", ("云川心脏医生集团", "founder", "罗晓峰", ""),
          id="founder-person-is-founder"),
    _case("他说,2016年9月罗晓峰医生最早提出这个想法,并成立云川心脏医生集团。",
          ("云川心脏医生集团", "founded", "2016-09", ""), ("云川心脏医生集团", "founder", "罗晓峰", ""),
          id="founder-subject-of-the-clause-before"),
    _case("陶然介绍,云川心脏医生集团成立于2016年,由内科医生罗晓峰、外科医生贾冬林和他本人联合创建。",
          ("云川心脏医生集团", "founded", "2016", ""), ("云川心脏医生集团", "founder", "罗晓峰", ""),
          ("云川心脏医生集团", "founder", "贾冬林", ""), ("云川心脏医生集团", "founder", "陶然", ""),
          id="founder-list-with-the-speaker"),
    _case("云川心脏医生集团由内科医生罗晓峰和我共同创建。", ("云川心脏医生集团", "founder", "罗晓峰", ""),
          id="founder-list-with-an-unknown-speaker"),
    _case("云川心脏医生集团聚集了国内和国际知名的心脏专家90余人。", ("云川心脏医生集团", "doctors", 90, "more_than"),
          id="doctors-long-gap"),
    _case("经过半年筹备,广州云川医生集团医疗有限公司终于在5月8日诞生。",
          ("云川医生集团", "founded", "2016-05-08", ""), published="2016-06-01", id="founded-company-born"),
    _case("云川心脏医生集团成立于2016年。目前云川的合作医院已有12家。",
          ("云川心脏医生集团", "founded", "2016", ""), ("云川心脏医生集团", "partner_hospitals", 12, ""),
          id="brand-alone-short-name"),
    _case("青禾医生集团由云川心脏医生集团发展而来,该集团成立于2015年4月,这家医生集团有医生50名。",
          ("云川心脏医生集团", "founded", "2015-04", ""), ("云川心脏医生集团", "doctors", 50, ""),
          id="demonstrative-points-to-the-group-named-last"),
    _case("云川心脏医生集团日前召开品牌发布会,宣布正式更名为云川心脏医疗集团。",
          ("云川心脏医生集团", "renamed_to", "云川心脏医疗集团", ""), id="renamed-in-the-second-clause"),
    _case("青岚眼科医生集团昨日在杭州召开品牌发布会,会上宣布正式更名为青岚眼科医疗集团。",
          ("青岚眼科医生集团", "renamed_to", "青岚眼科医疗集团", ""), id="renamed-in-a-clause-that-says-where"),
    _case("青岚眼科医生集团与白石医院合作,白石医院同时更名为白石眼科医院。", id="trap-a-hospital-renamed"),
    _case("松柏医生集团于2019年在成都注册成立,由原西华医院骨科副主任医师韩东领衔创办,目前签约医生逾百名。",
          ("松柏医生集团", "founded", "2019", ""), ("松柏医生集团", "founder", "韩东", ""),
          ("松柏医生集团", "doctors", 100, "more_than"), id="founding-clauses-and-a-founder-named-with-his-hospital"),
    _case("松柏医生集团与该市医院合作,该市医院的骨科只有3名医生。", id="trap-the-hospital-has-its-own-doctors"),
    _case("钱塘医生集团已汇聚了普外、肝胆、胃肠等专业的180余位医生,合作医院遍布全省11个地市,共计46家。",
          ("钱塘医生集团", "doctors", 180, "more_than"), ("钱塘医生集团", "partner_hospitals", 46, ""),
          id="a-list-before-the-figure-and-a-total-after-a-comma"),
    _case("晨曦儿科医生集团成立于2017年。该集团创始人兼CEO苏晓梅表示,晨曦现有全职和兼职医生共计210名。",
          ("晨曦儿科医生集团", "founded", "2017", ""), ("晨曦儿科医生集团", "founder", "苏晓梅", ""),
          ("晨曦儿科医生集团", "ceo", "苏晓梅", ""), ("晨曦儿科医生集团", "doctors", 210, ""),
          id="founder-and-ceo-through-an-anaphor-and-a-total-after-the-noun"),
    _case("蓝海医生集团董事长兼CEO王建平介绍,集团于2016年底成立,合作伙伴已扩展到30家医院。",
          ("蓝海医生集团", "ceo", "王建平", ""), ("蓝海医生集团", "founded", "2016", ""),
          ("蓝海医生集团", "partner_hospitals", 30, ""), id="chairman-and-ceo-year-end-and-partners"),
    _case("与蓝海医生集团合作的医院已有30家,集团累计为2万多名患者提供了随访管理服务。",
          ("蓝海医生集团", "partner_hospitals", 30, ""), ("蓝海医生集团", "patients_managed", 20000, "more_than"),
          id="hospitals-working-with-the-group-and-patients-served"),
    _case("蓝海医生集团计划明年为5万名患者提供随访管理。", id="trap-planned-patients"),
    _case("蓝海医生集团在上海开设了首家自有医院——蓝海心脏医院。",
          ("蓝海医生集团", "facility", "蓝海心脏医院", ""), id="facility-after-a-dash"),
    _case("由8家医生集团共同发起的京津冀医生集团联盟今天成立,联盟成员将在一年内扩展到20家。",
          ("京津冀医生集团联盟", "members", 8, ""), id="founding-members-of-an-alliance-not-its-plan"),
    _case("博远医生集团成立于2016年。公司由某医院脊柱外科原主任陶立群创办,合作医院覆盖全国28家。",
          ("博远医生集团", "founded", "2016", ""), ("博远医生集团", "founder", "陶立群", ""),
          ("博远医生集团", "partner_hospitals", 28, ""), id="founder-of-the-company-and-hospitals-covered"),
    _case("康途骨科医生集团在上海开设了3家骨科诊所,医生团队从最初的几个人增长到现在的40多人。",
          ("康途骨科医生集团", "doctors", 40, "more_than"), id="a-count-of-clinics-is-no-facility-and-a-team-grown"),
    _case("UME医生集团创始人、麻醉科医生肖平表示,集团在上海成立了UME麻醉诊所。",
          ("UME医生集团", "founder", "肖平", ""), ("UME医生集团", "facility", "UME麻醉诊所", ""),
          id="a-department-before-the-founder-is-no-name"),
    _case("云川心脏医生集团成立于2016年。团队目前有医生96人,合作医院12家。",
          ("云川心脏医生集团", "founded", "2016", ""), ("云川心脏医生集团", "doctors", 96, ""),
          ("云川心脏医生集团", "partner_hospitals", 12, ""), id="the-team-stands-for-the-group"),
    _case("云川心脏医生集团与华山医院合作。华山医院的团队目前有医生96人。", id="trap-another-organisations-team"),
    _case("截至2020年,云川医生集团的合作医院为20家;截至2022年,这一数字已超过35家。",
          ("云川医生集团", "partner_hospitals", 35, "more_than"), id="this-number-grew-to"),
    _case("云川医生集团拥有医生80名。预计明年这一数字将增至120名。",
          ("云川医生集团", "doctors", 80, ""), id="trap-this-number-will-grow"),
    _case("云川医生集团曾有医生30名,如今已有80名医生。", ("云川医生集团", "doctors", 80, ""),
          id="a-past-count-is-not-the-count-now"),
    _case("云川医生集团和明月医生集团分别拥有医生50名和80名。", id="trap-respective-counts-are-not-guessed"),
    _case("罗晓峰,云川医生集团创始人,原某医院心内科主任。", ("云川医生集团", "founder", "罗晓峰", ""),
          id="founder-in-apposition"),
    _case("提起云川医生集团,就不得不提它的创始人罗晓峰。", ("云川医生集团", "founder", "罗晓峰", ""),
          id="its-founder"),
    _case("罗晓峰在2016年创立了云川医生集团。", ("云川医生集团", "founder", "罗晓峰", ""),
          ("云川医生集团", "founded", "2016", ""), id="founder-with-zai-and-a-date"),
    _case("罗晓峰教授是云川医生集团的发起人。", ("云川医生集团", "founder", "罗晓峰", ""), id="the-initiator"),
    _case("云川医生集团成立了,它的创办者是某医院院长罗晓峰。", ("云川医生集团", "founder", "罗晓峰", ""),
          id="trap-chuangbanzhe-is-no-verb-of-a-facility"),
    _case("2016年9月9日,云川医生集团正式挂牌。自2017年成立以来,明月医生集团已签约医生200名。",
          ("云川医生集团", "founded", "2016-09-09", ""), ("明月医生集团", "founded", "2017", ""),
          ("明月医生集团", "doctors", 200, ""), id="a-plaque-hung-and-since-its-founding"),
    _case("云川医生集团工作站在西城县医院正式挂牌。", id="trap-a-workstation-plaque"),
    _case("云川医生集团从2016年成立至今,累计融资超过3亿元。", ("云川医生集团", "founded", "2016", ""),
          ("云川医生集团", "funding", 300000000, "more_than"), id="founded-from-and-funding-in-all"),
    _case("舒缓医生集团成立于2017年,由某医院疼痛科专家吴昊天发起。目前舒缓与17家医院合作建立疼痛中心,签约医生62人。",
          ("舒缓医生集团", "founded", "2017", ""), ("舒缓医生集团", "founder", "吴昊天", ""),
          ("舒缓医生集团", "partner_hospitals", 17, ""), ("舒缓医生集团", "doctors", 62, ""),
          id="initiated-by-and-hospitals-counted-in-the-clause-before"),
    _case("中国医生集团联盟的成员覆盖全国80余家医生集团。", ("中国医生集团联盟", "members", 80, "more_than"),
          id="members-covered"),
    _case("云川医生集团合作的医院有30多家,已累计随访患者3.5万人。",
          ("云川医生集团", "partner_hospitals", 30, "more_than"), ("云川医生集团", "patients_managed", 35000, ""),
          id="hospitals-it-works-with-and-patients-followed-up"),
    _case("舒缓医生集团今年还将在成都开设第一家自有诊所——舒缓疼痛诊所。", id="trap-a-facility-planned"),
    _case("舒缓医生集团正在筹建舒缓疼痛医院。", ("舒缓医生集团", "facility", "舒缓疼痛医院", ""),
          id="a-facility-being-built"),
    _case("舒缓医生集团帮助西城县建设了县医院胸痛中心。", id="trap-a-facility-the-group-helped-build"),
    _case("云川医生集团任命王芳为CEO。原某公司高管李强出任明月医生集团CEO。",
          ("云川医生集团", "ceo", "王芳", ""), ("明月医生集团", "ceo", "李强", ""), id="ceo-appointed-or-taking-office"),
    _case("李强出任云川医生集团副总裁。", id="trap-a-vice-president"),
    _case("原云川医生集团(现更名为云川医疗集团)今年成立五周年。",
          ("云川医生集团", "renamed_to", "云川医疗集团", ""), id="the-former-name-without-yuan"),
    _case("日前,云川医生集团宣布品牌升级,新名称为云川医疗集团。明月医生集团启用新名称“明月心脏医疗集团”。",
          ("云川医生集团", "renamed_to", "云川医疗集团", ""), ("明月医生集团", "renamed_to", "明月心脏医疗集团", ""),
          id="a-new-name"),
    _case("云川医生集团推出新品牌名为云川健康的互联网平台。", id="trap-a-new-brand-is-no-new-name"),
    _case("云川医生集团拥有专职医生45名,兼职医生超过100名。", id="trap-full-and-part-time-counts-are-parts"),
    _case("云川医生集团目前在管患者2.3万人。明月医生集团建立了1.2万名患者的随访档案。",
          ("云川医生集团", "patients_managed", 23000, ""), ("明月医生集团", "patients_managed", 12000, ""),
          id="patients-under-management-and-follow-up-records"),
    _case("云川心脏医生集团召开发布会,医院院长罗晓峰更名为罗小峰。", id="trap-rename-of-another-subject"),
    _case("云川心脏医生集团创始人罗晓峰用“三个坚持”概括集团的发展。", ("云川心脏医生集团", "founder", "罗晓峰", ""),
          id="founder-name-before-an-unlisted-verb"),
    _case("目前云川心脏医生集团合作覆盖12家医院。", ("云川心脏医生集团", "partner_hospitals", 12, ""),
          id="partners-hezuo-fugai"),
    _case("云川心脏医生集团首席执行官杜飞建加入集团前是外科主任。", ("云川心脏医生集团", "ceo", "杜飞建", ""),
          id="ceo-name-that-may-go-on-is-not-cut"),
    # issue 15: facilities keep a bracketed city, and one named after the group's brand is the group's
    _case("云川心脏医生集团在杭州开设了云川心脏医院(杭州)。",
          ("云川心脏医生集团", "facility", "云川心脏医院(杭州)", ""), id="facility-bracketed-city"),
    _case("云川心脏医生集团在杭州开设了云川心脏医院(一期)。",
          ("云川心脏医生集团", "facility", "云川心脏医院", ""), id="facility-bracket-not-a-place"),
    _case("云川心脏医生集团成立于2016年。去年7月,杭州云川心脏医院开始筹建。",
          ("云川心脏医生集团", "founded", "2016", ""), ("云川心脏医生集团", "facility", "杭州云川心脏医院", ""),
          published="2020-05-01", id="facility-named-after-the-brand"),
    _case("云川心脏医生集团成立于2016年。杭州云川心脏医院将于明年开业。",
          ("云川心脏医生集团", "founded", "2016", ""), id="trap-facility-named-after-the-brand-planned"),
    _case("云川心脏医生集团与青禾眼科医生集团签约。仁和眼科医院今天开业。", id="trap-facility-of-no-group"),
]


@pytest.mark.parametrize(("text", "published", "known", "expected"), CASES)
def test_facts(text, published, known, expected):
    assert facts_of(text, published, known) == expected


INTERVIEW = """远山眼科医生集团创始人 周凯:
我们集团目前签约了60位眼科医生,合作医院有12家。
主持人:请问未来的规划?
周凯:我们计划明年再开5家诊所。
华东医生集团联盟秘书长 钱进:
我们联盟的成员单位有30家。"""


def test_interview_speaker_owns_women():
    assert facts_of(INTERVIEW) == {
        ("远山眼科医生集团", "founder", "周凯", ""),
        ("远山眼科医生集团", "doctors", 60, ""),
        ("远山眼科医生集团", "partner_hospitals", 12, ""),
        ("华东医生集团联盟", "members", 30, ""),
    }


def test_interview_with_two_speakers_and_a_host():
    text = ("主持人:今天我们邀请到两位医生集团的创始人。\n春晓儿科医生集团创始人 叶春晓:\n"
            "我们集团是2019年成立的,现在有儿科医生52名,签约的医院有8家。\n"
            "青峰泌尿外科医生集团创始人 秦峰:\n我们目前合作医院有15家。去年我们获得了3000万元的天使轮融资。")
    assert facts_of(text, "2021-05-01") == {
        ("春晓儿科医生集团", "founder", "叶春晓", ""), ("春晓儿科医生集团", "founded", "2019", ""),
        ("春晓儿科医生集团", "doctors", 52, ""), ("春晓儿科医生集团", "partner_hospitals", 8, ""),
        ("青峰泌尿外科医生集团", "founder", "秦峰", ""), ("青峰泌尿外科医生集团", "partner_hospitals", 15, ""),
        ("青峰泌尿外科医生集团", "funding", 30000000, ""),
    }


def test_speaker_known_from_an_earlier_line():
    text = "明湖妇科医生集团创始人 陈静怡:\n我们发展很快。\n主持人:下面请张先生发言。\n陈静怡:我们目前已经签约的医院有九家。"
    assert ("明湖妇科医生集团", "partner_hospitals", 9, "") in facts_of(text)


def test_every_fact_carries_evidence_date_and_url():
    text = "会议在杭州召开。\n明湖妇科医生集团成立于2016年,目前拥有医生150名。\n该集团合作医院达到12家。"
    extraction = extract_facts(text, published="2021-05-20", url="http://news.example/12.html")
    assert len(extraction.facts) == 3
    for fact in extraction.facts:
        assert fact.evidence in text
        assert fact.published == "2021-05-20"
        assert fact.url == "http://news.example/12.html"
    by_attribute = {f.attribute: f.evidence for f in extraction.facts}
    assert by_attribute["partner_hospitals"] == "该集团合作医院达到12家。"


def test_one_value_per_attribute_the_larger_count_and_finer_date():
    text = ("明湖妇科医生集团2016年成立。明湖妇科医生集团于2016年3月正式成立。"
            "2019年明湖妇科医生集团的合作医院达到10家。如今,明湖妇科医生集团的合作医院已达25家。")
    assert facts_of(text) == {("明湖妇科医生集团", "founded", "2016-03", ""),
                              ("明湖妇科医生集团", "partner_hospitals", 25, "")}


def test_entities_of_the_extraction():
    extraction = extract_facts("华东医生集团联盟成员已达56家,明湖医师集团是其成员。")
    assert [(e.name, e.kind, e.aliases) for e in extraction.entities] == [
        ("华东医生集团联盟", "alliance", []), ("明湖医生集团", "doctor_group", ["明湖医师集团"])]


def test_empty_text():
    assert extract_facts("") == Extraction([], [])


def test_rules_table_covers_the_vocabulary():
    assert {rule.attribute for rule in RULES} == set(ATTRIBUTES)
    for rule in RULES:
        assert rule.notes, rule.pattern
        assert rule.value in {"count", "money", "date", "person_before", "person_clause", "facility",
                              "renamed", "respective", "person_subject"}
        assert not any("{" + name + "}" in rule.regex.pattern for name in MACROS), rule.notes


def test_every_built_in_rule_names_its_cue():
    for rule in RULES:
        assert rule.cue and any(word in rule.regex.pattern for word in rule.cue.split("|")), rule.notes


@pytest.mark.parametrize(("text", "published", "known", "expected"), CASES)
def test_cues_skip_only_rules_that_could_not_match(text, published, known, expected):
    """Every case of this file gives the same facts with every rule tried on every sentence."""
    ungated = RuleExtractor(tuple(replace(rule, cue=None) for rule in RULES))
    gated = RuleExtractor()
    options = {"published": published, "url": None, "known": known}
    assert gated.extract(text, **options) == ungated.extract(text, **options)


def test_a_new_rule_row_extends_the_extractor():
    extra = Rule("doctors", r"{ENT}(?:的)?医护人员{FIG}人", "count", "X医生集团的医护人员300人")
    extractor = RuleExtractor(RULES + (extra,))
    extraction = extractor.extract("青松医生集团的医护人员300人。", published=None, url=None, known=None)
    assert [(f.attribute, f.value) for f in extraction.facts] == [("doctors", 300)]
    assert RuleExtractor().extract("青松医生集团的医护人员300人。", published=None, url=None, known=None).facts == []


class _EchoExtractor:
    """A stand-in for another extractor (a served model, say): one fixed fact."""

    def extract(self, text, *, published, url, known):
        return Extraction([], [Fact("某医生集团", "doctors", len(text), "", text, published, url)])


def test_extractor_registry(monkeypatch):
    assert EXTRACTORS["rules"] is RuleExtractor
    extractor: FactExtractor = get_extractor("rules")
    assert isinstance(extractor, RuleExtractor)
    with pytest.raises(DgwatchError, match="unknown fact extractor 'model'"):
        get_extractor("model")
    monkeypatch.setitem(EXTRACTORS, "model", _EchoExtractor)
    plugged = get_extractor("model").extract("三个字", published="2020-01-01", url="u", known=None)
    assert plugged.facts == [Fact("某医生集团", "doctors", 3, "", "三个字", "2020-01-01", "u")]


@pytest.mark.parametrize("rule", [rule for rule in RULES if rule.requires], ids=lambda rule: rule.attribute)
def test_a_rules_second_cue_is_in_whatever_it_matches(rule):
    """`requires` only spares trying a rule where it could not match: every text the rule
    matches holds it (hypothesis writes texts the rule's regex matches)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(rule.regex))
    def holds(text):
        assert rule.regex.search(text)
        assert re.search(rule.requires, text)

    holds()
