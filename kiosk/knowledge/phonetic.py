"""How a question sounds: words (jieba), their pinyin, and the features matched on.

Matching on pinyin rather than characters is what makes 社宝 find 社保 and 公基金 find 公积金:
speech recognisers and pinyin keyboards err towards characters that sound the same, and those
give the same features. Stop words (我想, 怎么, 在哪) are dropped by sound too, so a misheard
stop word is still one.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kiosk.knowledge.normalize import canonical

# how much each kind of feature counts; measured with bench/ask.py (see kiosk.knowledge)
BIGRAM, WORD, UNIGRAM = 1.0, 0.6, 0.25
HMM = False
STOP_BY_SOUND = 2
# the longest catalog text taught to jieba as one word: 残疾人证 and 就业创业证 stay whole,
# but a phrase (讨薪找谁, 公积金怎么取出来) is left to jieba to split into its words, or a
# question saying 讨薪 shares no word with it and its stop words (怎么) count as content
MAX_WORD = 5

_STOP_TEXT = """
我 我们 你 你们 他 她 它 咱 俺 的 了 吗 呢 吧 啊 呀 哦 嘛 么 哈 呗 嗯 哎 喂
要 想 想要 需要 能 能不能 不能 可以 可不可以 会 怎么 怎么办 怎么样 怎样 如何 咋 咋办 为什么
哪 哪里 哪儿 哪个 在哪 在哪里 在哪儿 去哪 去哪里 到哪 什么 啥 啥时候 什么时候
这 那 这个 那个 这里 那里 这儿 那儿 这边 那边 这次 这样 那样 一下 一个 个 些 一些
帮 帮我 帮忙 给 给我 请 请问 问 问一下 问问 麻烦 你好 您好 您 谢谢
是 有 没 没有 有没有 就 都 还 也 和 跟 与 及 把 被 让 叫 在 到 去 来 用 能够
办 办理 办个 弄 弄个 搞 做 打 得 地 着 过 下 上 里 多 多少 几 现在 今天 已经 应该 一 自己
本 本人 东西 事 事情 那种 那样 就是 还是 或者 然后 所以 因为 但是 可是 如果 的话
今天 明天 后天 昨天 上午 下午 中午 晚上 早上 今年 明年 去年 下周 这周 下个月 这个月
马上 赶紧 尽快 快 刚才 刚刚 一直 到底 究竟 之类 等等 咨询 了解 知道 告诉 一样 时候
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
# colloquial or ASR-prone variants → the word the catalog uses; longest first when applied
SYNONYMS: dict[str, str] = {
    "驾照": "驾驶证", "驾驶本": "驾驶证", "车本": "驾驶证", "驾驶执照": "驾驶证",
    "退休金": "养老金", "退休工资": "养老金", "养老钱": "养老金",
    "医疗保险": "医保", "社会保险": "社保", "社会保障卡": "社保卡", "医保卡": "社保卡",
    "住房公积金": "公积金",
    "户口": "户籍", "暂住证": "居住证",
    "违章": "违法", "罚单": "罚款", "电子眼": "违法", "闯红灯": "违法",
    "丢了": "丢失", "遗失": "丢失", "不见了": "丢失", "弄丢": "丢失", "被偷": "丢失",
    "被人偷了": "丢失", "偷了": "丢失", "偷走": "丢失", "被盗": "丢失", "找不着": "丢失",
    "掉了": "丢失", "落在": "丢失", "落下了": "丢失", "弄没了": "丢失",
    "坏掉了": "坏了", "损坏": "坏了",
    "还剩多少": "余额", "剩多少": "余额", "还有多少钱": "余额", "存了多少": "余额",
    "第一次办": "申领", "头一次办": "申领", "新办": "申领", "初次": "申领",
    "补办": "补领", "重办": "补领", "停用": "挂失", "冻结": "挂失", "锁卡": "挂失",
    "过期": "到期", "期满": "到期",
    "残疾证": "残疾人证",
    "最低生活保障": "低保",
    "小孩": "孩子", "小孩子": "孩子", "宝宝": "孩子",
    "签证": "签注",
    "煤气": "燃气", "天然气": "燃气",
    "厕所": "卫生间", "洗手间": "卫生间",
    "人工": "工作人员", "客服": "工作人员",
    "房子": "房", "房屋": "房",
    "工钱": "工资", "薪水": "工资", "欠薪": "讨薪", "拖欠工资": "讨薪", "欠工资": "讨薪",
    "不发工资": "讨薪", "不给工资": "讨薪",
    "怎么交": "缴费", "交钱": "缴费", "付钱": "缴费",
    # looking at something is querying it (看看 my pension, not 看病)
    "查一下": "查询", "查查": "查询", "查看": "查询", "帮我查": "查询",
    "看看": "查询", "看一下": "查询",
    "星期": "周", "礼拜": "周",
    # how much has been paid is asked of the records, not of paying (交 sounds like 缴)
    "交了多少": "缴费记录", "交了几年": "缴费记录", "交了多久": "缴费记录",
    "交了几个月": "缴费记录", "交到哪": "缴费记录", "交到几月": "缴费记录",
    "扣了多少": "缴费记录", "明细": "记录", "流水": "记录",
    # money in an account is its balance; money asked for a service is its fee
    "有多少钱": "余额", "多少钱": "费用", "收费吗": "费用", "要钱吗": "费用",
    "好了没有": "进度", "好了没": "进度", "好了吗": "进度", "好没好": "进度",
    "怎么样了": "进度", "没消息": "进度", "有消息了吗": "进度",
    "做好没有": "进度", "做好了没": "进度", "做好了吗": "进度", "办好没有": "进度",
    "到哪一步": "进度", "哪一步": "进度", "批下来没有": "进度", "批了没有": "进度",
}

_ASCII_RUN = re.compile(r"[a-z0-9]+")
_HAN = re.compile(r"[\u3400-\u9fff]")

_tokenizer: Any = None  # jieba's, made at first use: jieba stays off the way to the first screen
_tokenizer_lock = threading.Lock()  # jieba's dictionary is built lazily; add_word is not atomic


def _segmenter() -> Any:
    global _tokenizer
    with _tokenizer_lock:
        if _tokenizer is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)  # its start-up chatter is not ours to log
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            _tokenizer = tokenizer
        return _tokenizer


def add_words(words: Iterable[str]) -> None:
    """Teach the segmenter the catalog's own words (short names and aliases), so they stay
    whole."""
    tokenizer = _segmenter()
    with _tokenizer_lock:
        for word in words:
            if 2 <= len(word) <= MAX_WORD and _HAN.search(word):
                tokenizer.add_word(word, freq=20000)


def segment(text: str) -> list[str]:
    # without HMM: no made-up words from unknown runs (开良敏证), only dictionary words
    return [w for w in _segmenter().lcut(text, HMM=HMM) if w.strip()]


@functools.lru_cache(maxsize=65536)
def _sounds(word: str) -> tuple[str, ...]:
    # pypinyin loads its dictionaries (0.2 s) here, at the first question or catalog, not on
    # the way to the first screen (bench/cold_start.py)
    from pypinyin import lazy_pinyin

    out: list[str] = []
    for part in lazy_pinyin(word, errors="default"):  # "default": no pinyin, kept as it is
        if part.isascii() and part.isalpha():  # a syllable, or a run of letters as typed
            out.append(part.lower())
        else:  # what pypinyin passed through: punctuation, digits, spaces, other scripts
            out += _ASCII_RUN.findall(part.lower())
    return tuple(out)


def syllables(text: str) -> list[str]:
    """One toneless syllable per Chinese character; letters and digits as whole runs."""
    return list(_sounds(text))


def initials(text: str) -> str:
    """社保证明 → sbzm; numbers stay whole (80岁补贴 → 80sbt)."""
    return "".join(s if s.isdigit() else s[0] for s in _sounds(text))


_STOP_CHARS = frozenset(w for w in STOP_WORDS if len(w) == 1)


@functools.cache
def _stop_sounds() -> frozenset[tuple[str, ...]]:
    return frozenset(_sounds(w) for w in STOP_WORDS)


@functools.cache
def _synonym_sounds() -> dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]:
    """Synonyms by sound: first syllable -> (the variant's syllables, the catalog word's),
    longest first, so a homophone of a variant is replaced like the variant itself. A variant
    is read in the canonical form questions are matched in (第一次办 is heard as 第1次办)."""
    table: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = defaultdict(list)
    for variant, word in sorted(SYNONYMS.items(), key=lambda kv: -len(kv[0])):
        key = _sounds(canonical(variant))
        table[key[0]].append((key, _sounds(word)))
    return dict(table)


@dataclass(frozen=True)
class Word:
    text: str
    sounds: tuple[str, ...]
    stop: bool  # carries no meaning for matching (我想, 怎么, 在哪)


def words(text: str) -> list[Word]:
    """The words of canonical `text` with their sounds; punctuation dropped."""
    found = []
    for word in segment(text):
        sounds = _sounds(word)
        if sounds:
            # by sound only when two syllables or more: one syllable has too many homophones
            # that matter (交 sounds like 叫)
            stop = (word in STOP_WORDS
                    or (len(sounds) >= STOP_BY_SOUND and sounds in _stop_sounds())
                    or all(c in _STOP_CHARS for c in word))  # 我要, 啊啊啊
            found.append(Word(word, sounds, stop))
    return found


# what people say when they cannot name what they want; matched by sound, so a misheard
# 那个冻西 is still one
HEDGES = ("那个什么", "那个东西", "什么东西", "叫什么来着", "不知道叫什么", "不知道怎么说",
          "说不清", "说不上来")


@functools.cache
def _hedge_sounds() -> tuple[str, ...]:
    return tuple(" ".join(_sounds(h)) for h in HEDGES)


def hedges(found: list[Word]) -> bool:
    """Whether the question gropes for a name it does not know."""
    said = " ".join(s for word in found for s in word.sounds)
    return any(hedge in said for hedge in _hedge_sounds())


def features(text: str, *, unigrams: bool = True) -> dict[str, float]:
    """Weighted features of canonical text: syllable bigrams across the content words, each
    content word whole, and single syllables (weak; for one-character words)."""
    return features_of(words(text), unigrams=unigrams)


def features_of(found: list[Word], *, unigrams: bool = True) -> dict[str, float]:
    marked = [(sound, word.stop) for word in found for sound in word.sounds]
    boundaries = _word_starts(found)
    sequence, word_sounds = _with_synonyms(marked, boundaries)
    out: dict[str, float] = {}  # feature -> weight

    def add(feature: str, weight: float) -> None:
        out[feature] = out.get(feature, 0.0) + weight

    for sounds in word_sounds:
        if len(sounds) >= 2:
            add("w:" + "".join(sounds), WORD)

    # across words too: 社保|证明 is one thing said in two words (weighing these less was
    # measured and lost more noisy questions than it saved)
    for a, b in itertools.pairwise(sequence):
        add(f"b:{a} {b}", BIGRAM)
    if unigrams:
        for sound in sequence:
            add("u:" + sound, UNIGRAM)
    return out


def word_features(sounds: tuple[str, ...]) -> set[str]:
    """The features one word brings by itself (to tell whether it matched, to highlight it)."""
    sequence, _ = _with_synonyms([(s, False) for s in sounds], {0})
    found = {"u:" + s for s in sequence} if len(sequence) == 1 else set()
    found |= {f"b:{a} {b}" for a, b in itertools.pairwise(sequence)}
    if len(sequence) >= 2:
        found.add("w:" + "".join(sequence))
    return found


def _word_starts(found: list[Word]) -> set[int]:
    starts, n = set(), 0
    for word in found:
        starts.add(n)
        n += len(word.sounds)
    return starts


def _with_synonyms(marked: list[tuple[str, bool]],
                   starts: set[int]) -> tuple[list[str], list[tuple[str, ...]]]:
    """The content syllables with synonyms replaced, and the content words' syllables."""
    sequence: list[str] = []
    word_sounds: list[tuple[str, ...]] = []
    current: list[str] = []
    i = 0
    while i < len(marked):
        if i in starts and current:
            word_sounds.append(tuple(current))
            current = []
        for key, replacement in _synonym_sounds().get(marked[i][0], ()):
            if tuple(s for s, _stop in marked[i: i + len(key)]) == key:
                sequence += replacement
                word_sounds.append(replacement)
                i += len(key)
                break
        else:
            sound, stop = marked[i]
            if not stop:
                sequence.append(sound)
                current.append(sound)
            i += 1
    if current:
        word_sounds.append(tuple(current))
    return sequence, word_sounds
