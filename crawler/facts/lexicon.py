"""Word lists the recognisers share: data, not logic, so they can grow with new articles."""
from __future__ import annotations

import re

from crawler.dedup import SPIN_SYNONYMS

# The name endings of spec section 1 are storage.records.GROUP_SUFFIXES.

# A 医疗集团 is a doctor group only when the article says so (entities.py decides).
MEDICAL_GROUP_SUFFIX = "医疗集团"

# Titles written before or after a person's name; the name is what is left.
TITLES = (
    "副主任医师", "主任医师", "主治医师", "副主任", "主任", "副教授", "教授", "副院长", "院长", "执行院长",
    "医生", "医师", "大夫", "专家", "博士", "硕士", "先生", "女士", "老师", "董事长", "副董事长", "总裁",
    "执行总裁", "总经理", "首席执行官", "CEO", "创始人", "联合创始人", "合伙人", "理事长", "会长", "秘书长",
    "书记", "院士", "研究员", "学科带头人", "候任主席", "副主席", "主席",
)

# Words that end a name when scanning left from its suffix: verbs that govern a
# name, function words, determiners, pronouns, time words. A token equal to one of
# these is never part of a name.
NAME_STOP_WORDS = frozenset(
    """
    距离 离 的 地 得 是 为 与 和 及 以及 同 跟 由 在 于 了 将 把 被 对 向 从 给 其 该 这 那 此 本 每 各 某 即 如 像
    等 也 还 都 又 并 而 但 或 就 则 及其 包括 例如 比如 含 之 乃 仅 只 已 已经 正在 曾 曾经 刚刚 即将
    成立 创立 创办 创建 组建 组成 建立 设立 筹建 发起 加入 加盟 联合 携手 合作 签约 牵手 宣布 宣告 正式
    成为 作为 属于 来自 旗下 代表 推出 打造 入股 收购 投资 注册 更名 改名 命名 叫做 名为 称为 简称 原名
    前身 依托 通过 参加 出席 邀请 担任 任 率领 带领 介绍 表示 认为 指出 称 说 讲 谈 有 拥有 没有 举办
    签下 获评 评为 支持 帮助 助力 联手 授牌 揭牌 挂牌 落户 入驻 进驻 引进 引入 布局 孵化 培育 扶持 承办 主办 协办
    一个 一家 首家 首个 首批 多家 几家 两家 这家 那家 该家 每家 各家 第一 第一家 第一个 第一支 一支 一批
    我们 你们 他们 她们 它们 咱们 我 你 他 她 您 我国 今天 目前 近日 日前 今年 去年 明年 当时 如今 现在
    当前 此前 之前 以前 以后 之后 此后 同时 近年 近年来 近期 最近 早期 后来 未来 过去 年初 年底 年末 上午
    年内 月内 周内 天内 日内 年来 年间 年后 年前 月底 月初 正值 时值 适逢 恰逢 正逢 值此 暨
    发起方 合作方 投资方 主办方 承办方 协办方 参与方 资方 甲方 乙方 双方 各方 对方 一方 另一方 联合方 运营方
    下午 晚上 昨天 明天 今日 昨日 当天 当日 随后 届时 此时 一直 正 刚 将近 近 另 另一家 另一个 同一家
    所在 所属 知名 著名 有名 闻名 领先 头部 优秀 这些 那些 其他 其它 不同 更多 很多 许多 大量 部分 所有
    一些 一种 这种 那种 这类 此类 相关 同类 类似 所谓 真正 各个 每个 单个 整个 个别 少数 多数 众多 诸多
    """.split()
) | frozenset(TITLES)
# A spun copy writes such a verb as its spinner synonym (筹修 for 筹建): the same stop.
NAME_STOP_WORDS |= frozenset(spun for spun, plain in SPIN_SYNONYMS if plain in NAME_STOP_WORDS)

# Parts of speech (jieba) that never belong to a name: prepositions, conjunctions,
# particles, pronouns, numerals, measure words, adverbs. (Time words may: 春晓.)
NAME_STOP_POS = frozenset("p c u uj ul uz ug uv ud r m mq q d".split())

# Descriptors and specialties: a stem made only of these names no one in particular
# (专科医生集团, 妇产科医生集团, 国际化医生集团 …).
GENERIC_WORDS = frozenset(
    """
    专科 全科 综合 妇产科 妇产 妇科 产科 儿科 妇儿 脑科 神经 神经外科 神经内科 外科 内科 心内 心外 心脏 心脏病
    心血管 血管 血管外科 口腔 颌面 口腔颌面 颌面外科 口腔颌面外科 整形 美容 医美 男士 女性 男性 眼科 骨科
    肿瘤 泌尿 泌尿外科 皮肤 皮肤科 麻醉 超声 疼痛 康复 中医 西医 影像 病理 急诊 重症 护理 胸外科 普外科 肝胆
    乳腺 甲状腺 耳鼻喉 消化 呼吸 内分泌 肾内 风湿 精神 心理 健康 互联网 互联 线上 线下 民营 公立 私立
    大型 中型 小型 新型 新兴 独立 优质 顶级 一流 国际化 国际 国内 全国 本土 地方 区域 区域性 基层 单一
    多学科 跨学科 单体 多体 实体 实体化 虚拟 平台型 松散型 紧密型 合伙制 股份制 体制内 体制外 自由执业 多点执业
    专家 名医 医生 医师 主治 青年 年轻 科 学科 专业 全职 兼职 新 老 大 小 省级 市级 国家级 行业
    """.split()
)

# Specialties the tokeniser would split at a verb (运动/医学, 辅助/生殖), which would cut
# a name in two (明川运动医学医生集团); they are added to its dictionary as nouns.
SPECIALTY_TERMS = ("运动医学", "运动康复", "睡眠医学", "生殖医学", "辅助生殖", "急诊医学")
GENERIC_WORDS |= frozenset(SPECIALTY_TERMS)

# What a facility does rather than who runs it: 专科诊疗中心 and 远程会诊中心 name no one.
FACILITY_TERMS = frozenset(
    """
    诊疗 医疗 治疗 会诊 临床 医学 研究 培训 示范 教学 专病 特色 联合 协作 合作 转诊 远程 日间 手术 微创
    诊断 检查 体检 技术 服务 管理 质控 创新 孵化 疑难 分 工作站 基地 示范点 专家 名医 共建
    """.split()
)

# Place names that alone do not make a doctor group's name (上海医生集团 is generic);
# an alliance may be named by its place (中国医生集团联盟).
PLACES = frozenset(
    """
    中国 全国 国内 国际 海外 全球 亚洲 华东 华南 华北 华中 西南 东北 西北 境外 世界
    北京 上海 天津 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南
    四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门
    广州 深圳 杭州 南京 武汉 成都 西安 沈阳 长沙 郑州 济南 青岛 苏州 厦门 大连 宁波 合肥 福州 昆明 南宁
    哈尔滨 长春 石家庄 太原 南昌 贵阳 兰州 海口 乌鲁木齐 呼和浩特 银川 西宁 拉萨 无锡 佛山 东莞
    """.split()
)
PLACE_SUFFIXES = ("省", "市", "区", "县", "自治区")

# Nouns that introduce another organisation: a figure after one of them, before the
# fact's own wording, is that organisation's, not the group's. Hospitals the group
# works with or draws on (合作医院, 三甲医院, 基层医院) are not subjects.
OTHER_ORG = re.compile(
    r"(?<!合作)(?<!合作的)(?<!签约)(?<!三甲)(?<!基层)(?<!级)(?:医院|病院|保健院|卫生院)|"
    r"公司|企业|基金|协会|学会|委员会|政府|大学|学院|研究院|研究所|卫健委|卫计委|银行|资本|"
    r"《[^》]*》|该院|他们|她们"
)

# Words that take a 和-phrase (和X合作, 和X相比, 和X一样): a 和 opening a clause is a
# preposition only when one of them follows in the clause; otherwise it starts a name.
HE_PHRASE_VERBS = re.compile(
    "合作|签约|签署|签订|相比|相较|比较|比起|一起|一道|一样|相同|不同|类似|相似|联手|携手|牵手|共建|共同|联合|"
    "结盟|对接|交流|沟通|接触|联系|谈判|竞争|见面|会面|会谈|商讨|探讨|讨论|商量|打交道|有关|相关|无关|关系|"
    "达成|配合|互动|对话|较量|分享|共享|相当|持平"
)

# Single surnames common enough to anchor a person name, and compound surnames.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦"
    "戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
    "苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练"
    "廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿"
    "鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 令狐 慕容 尉迟 长孙 宇文 司徒 夏侯 公孙 轩辕 端木 西门 南宫 独孤 钟离".split()
)

# What may follow a person's name: a title, a speech or action verb, punctuation.
AFTER_NAME = (
    "表示", "介绍", "认为", "指出", "透露", "坦言", "谈谈", "谈到", "提到", "强调", "告诉", "说", "称", "讲",
    "担任", "出任", "兼任", "带领", "率领", "接受", "提出", "倡议", "发起", "创办", "创立", "创建", "创始",
    "牵头", "联合", "作为", "也", "曾", "还", "在", "是", "于", "和", "与", "及", "等", "的", "则", "就",
    "近日", "日前", "近期", "今天", "今日", "昨天", "昨日", "今年", "去年", "此前", "目前", "已", "将", "对",
    "向", "从", "把", "被", "为", "所", "带", "领", "加入", "加盟", "早年", "毕业", "出身",
) + TITLES


# What says a group takes a new name: 更名为, 改名成, (启用)新名称为, 新品牌名为.
RENAMED = r"(?:改名|更名)(?:为|成)?|(?:启用)?新(?:名称|名字|品牌名称?)(?:为|是)?"


def rename_bridge(outside: str = "") -> str:
    """Regex source for what may stand between a group's name and 改名/更名 across a comma:
    the rest of the group's clause, then a short clause that announces the rename
    ("召开品牌发布会,会上宣布正式更名为…") or nothing ("…,更名为…"). `outside` adds
    characters neither may hold (the placeholders of other entities, in the rules)."""
    other = f"[^,。;!?{outside}]"
    return (rf"{other}{{0,30}}?,(?:{other}{{0,6}}?(?:并|随后)?(?:宣布|宣告|官宣|正式|已)+)?(?={RENAMED})")
