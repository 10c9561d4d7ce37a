"""The service guide (办事指南) a citizen reads before starting, built from a catalog entry.

GB/T 40756 §9.4.5 lists what a guide must say: materials, fee, time limit, where and how, and
the identity check needed. The shell only lays these rows out; what they say is decided here.
"""

from __future__ import annotations

from dataclasses import dataclass

from central.contract import Fee, Material, Service, TimeLimit
from common.i18n import Text, tr


@dataclass(frozen=True)
class GuideRow:
    label: Text
    value: Text | str  # a str is data from the catalog, shown as it is


@dataclass(frozen=True)
class MaterialLine:
    name: str
    detail: Text
    # shared materials come from another department's data: the citizen brings nothing
    shared: bool
    required: bool


@dataclass(frozen=True)
class Guide:
    service_id: str
    title: str
    official_name: str
    facts: tuple[GuideRow, ...]
    materials: tuple[MaterialLine, ...]
    legal_basis: tuple[str, ...]
    # what the network state means for this service right now; None when it can be done
    availability: Text | None


def guide_for(service: Service, *, offline: bool, pays_here: bool = False) -> Guide:
    """`pays_here`: this kiosk takes the service's fee (its flow does, `flows.payment`), when
    it is online; otherwise the guide sends the person to the counter for it, whatever the
    catalog allows."""
    modes = [m for m in service.kiosk_modes if m != "缴费" or pays_here]
    return Guide(
        service_id=service.id,
        title=service.name,
        official_name=service.official_name,
        facts=(
            GuideRow(tr("实施部门"), service.department),
            GuideRow(tr("办件类型"), _handling(service)),
            GuideRow(tr("办理时限"), _time_limit(service.time_limit)),
            GuideRow(tr("收费"), _fee(service.fee, here=pays_here, offline=offline)),
            GuideRow(tr("身份核验"), _identity(service)),
            GuideRow(tr("本机可办"), "、".join(modes) if modes else tr("仅查看办事指南")),
        ),
        materials=tuple(_material(m) for m in service.materials),
        legal_basis=tuple(service.legal_basis),
        availability=_availability(service, offline=offline),
    )


def _handling(service: Service) -> Text:
    if service.handling_type == "即办件":
        return tr("即办件：材料齐全当场办结")
    return tr("承诺件：受理后在承诺时限内办结")


def _time_limit(limit: TimeLimit) -> Text:
    if limit.promised == 0:
        text = tr("当场办结")
    elif limit.promised is not None and limit.unit == "工作日":
        text = tr("承诺 {days} 个工作日", days=limit.promised)
    elif limit.promised is not None:
        text = tr("承诺 {days} 日", days=limit.promised)
    elif limit.legal is not None and limit.unit == "工作日":
        text = tr("法定 {days} 个工作日", days=limit.legal)
    elif limit.legal is not None:
        text = tr("法定 {days} 日", days=limit.legal)
    else:
        text = tr("以窗口告知为准")
    return _with_note(text, limit.note)


def _fee(fee: Fee, *, here: bool, offline: bool) -> Text:
    if fee.variable:
        text = tr("按所选标准收费")
    elif fee.amount_cny > 0:
        text = tr("{amount} 元", amount=f"{fee.amount_cny:g}")
    else:
        text = tr("不收费")
    if fee.amount_cny > 0 or fee.variable:
        if here and offline:
            where = tr("网络中断，暂不能在本机缴纳，请到窗口缴纳")
        elif here:
            where = tr("可在本机缴纳（微信、支付宝），也可到窗口缴纳")
        else:
            where = tr("请到窗口缴纳")
        text = tr("{fee}，{where}", fee=text, where=where)
    return _with_note(text, fee.basis or fee.note)


def _identity(service: Service) -> Text:
    auth = service.auth
    if auth.identity_level == 0:
        return tr("无需身份核验")
    text = tr("证件 + 现场人脸核验（实人实证，身份等级 {level} 级）", level=auth.identity_level)
    if auth.methods:
        text = tr("{text}；可用：{methods}", text=text, methods="、".join(auth.methods))
    if auth.elderly_relaxed:
        text = tr("{text}；60 岁以上人脸仅采集不比对", text=text)
    if auth.proxy_allowed:
        text = tr("{text}；可由他人代办", text=text)
    return text


def _material(material: Material) -> MaterialLine:
    if material.shared:
        detail = tr("无需提交，由{dept}共享获取", dept=material.share_dept or tr("有关部门"))
    elif material.copies:
        detail = tr("{type}（{form}）{copies} 份", type=material.type, form=material.form,
                    copies=material.copies)
    else:
        detail = tr("{type}（{form}）", type=material.type, form=material.form)
    if not material.required:
        detail = tr("{detail}；非必需", detail=detail)
    if material.tolerance_missing:
        detail = tr("{detail}；可容缺受理", detail=detail)
    return MaterialLine(material.name, _with_note(detail, material.note), material.shared,
                        material.required)


def _availability(service: Service, *, offline: bool) -> Text | None:
    if not offline:
        return None
    return {
        "online_required": tr("网络中断，本事项暂不能在本机办理，请到人工窗口办理。"),
        "offline_guide_only": tr("网络中断，本机暂时只能查看本事项的办事指南。"),
        "offline_queue_submit": tr(
            "网络中断：可以先在本机申报，网络恢复后自动提交，回执标注“待受理”。"
        ),
        "offline_cached_stale": tr("网络中断：显示的是本机缓存的数据，可能不是最新。"),
        "offline_full": None,
    }[service.offline_behavior]


def _with_note(text: Text, note: str | None) -> Text:
    return tr("{text}（{note}）", text=text, note=note) if note else text
