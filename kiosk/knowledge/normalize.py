"""Plain text for matching: what a citizen typed or said, in one canonical written form.

Full-width letters and digits become half-width (NFKC), common traditional characters become
simplified, markup is stripped (a query is text, never HTML: `<b>社保</b>` asks about 社保),
Chinese numbers become digits (七十 → 70, 第三代 → 第3代) and the words people use for the same
thing become one word (驾照 → 驾驶证; applied to their sound, in `phonetic`, so that a misheard
驾找 is still one). Questions and knowledge entries go through the same functions, so both sides
of a match agree.
"""

from __future__ import annotations

import html
import re
import unicodedata

MAX_QUERY_CHARS = 120  # a question is a sentence or two; the rest of a pasted essay is noise

# Traditional → simplified for characters a kiosk question plausibly holds (government
# services, family, time, money). Pinyin matching covers the rest: a traditional character
# reads like its simplified form, so an unlisted one still matches by sound.
_TRADITIONAL = (
    "證險護駕駛換號醫辦劃積戶繳費電補領預約詢養個稅開結記錄單們這麼裡裏嗎對應還沒問題請讓時間點"
    "學從來過為經業務動產樓場區際機關門車違罰貸進簽註殘貼齡師創氣掛療診遞評價態廁衛導資認驗紀"
    "錢賬帳額餘級孫兒媽爺歲兩萬億東書據處見長壽優離職勞傷訴辭緊發貨郵遷鄉農舊壞張復複製樣難窮"
    "員協幫聽說話讀寫頭續斷準備婦懷嬰親屬於與並後廳號碼線網購買賣屋縣鎮國華盤遠態權調標準條規"
    "費種興辦專臨時鐘錯誤換檢測體檢設計統歷團歡讚熱塊範圍織貧補給殘礙聾啞視覺聯絡報稱屆齊齒"
)
_SIMPLIFIED = (
    "证险护驾驶换号医办划积户缴费电补领预约询养个税开结记录单们这么里里吗对应还没问题请让时间点"
    "学从来过为经业务动产楼场区际机关门车违罚贷进签注残贴龄师创气挂疗诊递评价态厕卫导资认验纪"
    "钱账账额余级孙儿妈爷岁两万亿东书据处见长寿优离职劳伤诉辞紧发货邮迁乡农旧坏张复复制样难穷"
    "员协帮听说话读写头续断准备妇怀婴亲属于与并后厅号码线网购买卖屋县镇国华盘远态权调标准条规"
    "费种兴办专临时钟错误换检测体检设计统历团欢赞热块范围织贫补给残碍聋哑视觉联络报称届齐齿"
)
assert len(_TRADITIONAL) == len(_SIMPLIFIED)
_TO_SIMPLIFIED = str.maketrans(_TRADITIONAL, _SIMPLIFIED)

_MARKUP = re.compile(r"<[^<>]{0,200}>")
_SPACES = re.compile(r"\s+")

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
# a single numeral is a number only before one of these (三代, 两套, 八岁); elsewhere 一 is
# part of a word (一下, 统一) and must stay a character
_MEASURES = set("岁年月日号天次个套张代楼层胎周块元寸份本位人户点级档")
# 一 before these is "a", not a count: 一个人, 一张证明, 一份材料, 一本护照
_ARTICLE_AFTER = set("个张份本位点些")
_NUMERAL_RUN = re.compile(f"[{''.join(_DIGITS)}{''.join(_UNITS)}]+")


def normalize(text: str, *, limit: int | None = MAX_QUERY_CHARS) -> str:
    """The canonical written form of `text` (see the module docstring)."""
    return canonical(clean(text, limit=limit))


def clean(text: str, *, limit: int | None = MAX_QUERY_CHARS) -> str:
    """The question as the citizen meant it, fit to show: markup stripped, half-width,
    simplified, one space between words, at most `limit` characters."""
    # entities first, so an escaped tag (&lt;b&gt;) is stripped like a tag
    text = _MARKUP.sub(" ", html.unescape(text[: limit * 4] if limit else text))
    text = unicodedata.normalize("NFKC", text).translate(_TO_SIMPLIFIED)
    text = _SPACES.sub(" ", text).strip()
    return text[:limit] if limit else text


def canonical(text: str) -> str:
    """`clean` text in the form it is matched in: lower case, numbers in digits."""
    return _NUMERAL_RUN.sub(_numeral_to_digits, text.lower())


def chinese_number(numerals: str) -> int | None:
    """七十 → 70, 一百零五 → 105, 二零二五 → 2025; None when it is not a number."""
    if all(c in _DIGITS for c in numerals):  # read digit by digit: 二零二五
        return int("".join(str(_DIGITS[c]) for c in numerals))
    total, section, digit = 0, 0, None
    for c in numerals:
        if c in "零〇":
            continue  # 一百零五: the zero only holds a place
        if c in _DIGITS:
            if digit is not None:
                return None  # 三五十: not a number
            digit = _DIGITS[c]
        elif c == "万":
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
        else:
            section += (1 if digit is None else digit) * _UNITS[c]
            digit = None
    return total + section + (digit or 0)


def _numeral_to_digits(match: re.Match[str]) -> str:
    run = match.group(0)
    after = match.string[match.end(): match.end() + 1]
    if len(run) == 1 and (after not in _MEASURES or (run == "一" and after in _ARTICLE_AFTER)) \
            and run not in _UNITS:
        return run
    if len(run) == 1 and run in _UNITS and after not in _MEASURES:
        return run  # 十分, 万一: words, not numbers
    value = chinese_number(run)
    return run if value is None else str(value)
