"""情形: the questions whose answers decide which materials a person brings.

The platform may send them with a service (`Service.situations`). The seed catalog sends none,
but some of its materials are a choice in themselves: SS-015's "合法稳定就业/合法稳定住所/
连续就读证明（三选一）" means "bring one of these three". Such a material becomes one question
here, with one answer per alternative; where the form has a radio or select field whose options
name the same alternatives (SS-015's 申领条件: 就业/住所/就读), the answer fills that field too,
so the person is not asked the same thing twice. Nothing else is guessed: a service whose
materials offer no choice asks no question.
"""

from __future__ import annotations

import re

from central.contract import Service, Situation, SituationOption

_ONE_OF = re.compile(r"^(?P<alternatives>.+/.+)（(?P<count>[二两三四五六])选一）$")
_COUNTS = {"二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}


def situations_of(service: Service) -> list[Situation]:
    if service.situations:
        return list(service.situations)
    return [s for m in service.materials if not m.shared
            if (s := _from_material(service, m.name)) is not None]


def _from_material(service: Service, name: str) -> Situation | None:
    match = _ONE_OF.match(name)
    if match is None:
        return None
    parts = match["alternatives"].split("/")
    if len(parts) != _COUNTS[match["count"]]:
        return None
    # "就业/住所/就读证明": the last part's ending belongs to every part
    ending = next((e for e in ("证明", "材料", "证") if parts[-1].endswith(e)), "")
    answers = [p if p.endswith(ending) else p + ending for p in parts]
    return Situation(
        key=_field_for(service, parts) or f"material:{name}",
        question="请选择符合您情况的一项",
        options=[SituationOption(answer=a, materials=[name]) for a in answers],
        field=_field_for(service, parts),
    )


def _field_for(service: Service, parts: list[str]) -> str | None:
    """A choice field whose options are the same alternatives, one each."""
    for field in service.form_fields:
        options = field.options or []
        if field.type in ("radio", "select") and len(options) == len(parts) and all(
                option in part for option, part in zip(options, parts, strict=True)):
            return field.key
    return None


def field_value(situation: Situation, answer: str, service: Service) -> str | None:
    """The value the answer gives the situation's form field (SS-015: 就业 for 合法稳定就业证明)."""
    if situation.field is None:
        return None
    field = next((f for f in service.form_fields if f.key == situation.field), None)
    if field is None:
        return None
    options = field.options or []
    index = [o.answer for o in situation.options].index(answer)
    if len(options) == len(situation.options):
        return options[index]
    return answer if answer in options else None
