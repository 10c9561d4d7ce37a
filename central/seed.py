"""The seed catalog: load `seed_data/services.json` and check it before it reaches the database.

Terminals read services leniently (the contract ignores unknown keys); the platform is the one
place where a typo in the data can be caught, so here every service is validated strictly:
unknown keys anywhere, wrong types, bad or duplicated ids are hard errors (`SeedError`, naming
the service and the key). Breaks of consistency rules that the data is known to carry are
quirks: logged as warnings and listed by `find_quirks`, the service is still offered.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from central.contract import Service

log = logging.getLogger(__name__)

SEED_FILE = Path(__file__).resolve().parent / "seed_data" / "services.json"
SUPPORTED_SCHEMA_VERSIONS = ("0.1",)
SERVICE_ID = re.compile(r"^SS-\d{3}$")
CHOICE_TYPES = ("select", "radio", "checkbox")


class SeedError(ValueError):
    """The seed file cannot be served; the message lists every problem found."""

    def __init__(self, source: Path, problems: list[str]) -> None:
        self.problems = problems
        listing = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"seed catalog {source} is invalid ({len(problems)} problems):\n{listing}")


@dataclass(frozen=True)
class SeedQuirk:
    """A consistency rule the data breaks; the service is served anyway."""

    service_id: str
    rule: str  # short, stable name of the rule, for tests and dashboards
    detail: str

    def __str__(self) -> str:
        return f"{self.service_id}: {self.rule}: {self.detail}"


@dataclass(frozen=True)
class CatalogSeed:
    """A checked seed: services in file order and the display order of the themes."""

    services: list[Service]
    themes: list[str]
    quirks: list[SeedQuirk]

    @property
    def version(self) -> str:
        return catalog_version(self.themes, self.services)


class _SeedFile(BaseModel):
    """The envelope of services.json; services are checked one by one to name them in errors."""

    model_config = ConfigDict(extra="forbid", strict=True)

    schema_version: str
    disclaimer: str
    enums: dict[str, Any]
    themes_seed000: list[str]
    services: list[Any]


def load_seed(path: Path = SEED_FILE) -> CatalogSeed:
    """Read, check and order the seed file; raise `SeedError` on anything that is not data."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SeedError(path, [f"not JSON: {exc}"]) from exc
    try:
        envelope = _SeedFile.model_validate(raw)
    except ValidationError as exc:
        raise SeedError(path, [f"file: {_describe(e)}" for e in exc.errors()]) from exc
    if envelope.schema_version not in SUPPORTED_SCHEMA_VERSIONS:
        raise SeedError(path, [f"file: schema_version {envelope.schema_version!r} is not one of "
                               f"{', '.join(SUPPORTED_SCHEMA_VERSIONS)}"])

    services, problems = _check_services(envelope.services)
    if problems:
        raise SeedError(path, problems)

    quirks = find_quirks(services)
    for quirk in quirks:
        log.warning("seed quirk %s", quirk)
    return CatalogSeed(services, display_themes(envelope.themes_seed000, services), quirks)


def _check_services(raw_services: list[Any]) -> tuple[list[Service], list[str]]:
    services: list[Service] = []
    problems: list[str] = []
    for index, raw in enumerate(raw_services):
        name = _service_name(raw, index)
        if not isinstance(raw, dict):
            problems.append(f"{name}: not an object")
            continue
        try:
            # extra="forbid" overrides the contract's lenient "ignore" for this call only,
            # all the way down into fee, materials, form fields...
            service = Service.model_validate(raw, strict=True, extra="forbid")
        except ValidationError as exc:
            problems.extend(f"{name}: {_describe(e)}" for e in exc.errors())
            continue
        duplicated_keys = _duplicates(f.key for f in service.form_fields)
        if duplicated_keys:
            # answers are keyed by field key: a duplicate would silently drop one of them
            problems.append(f"{name}: form field key(s) used twice: {', '.join(duplicated_keys)}")
        services.append(service)
    for service_id in _duplicates(s.id for s in services):
        problems.append(f"{service_id}: id used by more than one service")
    return services, problems


def _service_name(raw: Any, index: int) -> str:
    service_id = raw.get("id") if isinstance(raw, dict) else None
    if isinstance(service_id, str) and SERVICE_ID.match(service_id):
        return service_id
    return f"services[{index}] (id {service_id!r})"


def _describe(error: Any) -> str:
    """One pydantic error as `where: what`, without echoing the offending value."""
    where = ""
    for part in error["loc"]:
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
    if error["type"] == "extra_forbidden":
        return f"unknown key {where!r}"
    return f"{where or 'value'}: {error['msg']}"


def _duplicates(values: Any) -> list[str]:
    return [value for value, count in Counter(values).items() if count > 1]


def display_themes(seed_order: list[str], services: list[Service]) -> list[str]:
    """Themes as home tiles: the seed's order for themes that have services, then the rest
    in order of first appearance among the services."""
    in_use = list(dict.fromkeys(s.theme for s in services))
    ordered = [t for t in dict.fromkeys(seed_order) if t in in_use]
    return ordered + [t for t in in_use if t not in ordered]


def catalog_version(themes: list[str], services: list[Service]) -> str:
    """A short hash of what terminals receive; themes count too, since they order the tiles."""
    canonical = json.dumps(
        {"themes": themes, "services": [s.model_dump(mode="json") for s in services]},
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def find_quirks(services: list[Service]) -> list[SeedQuirk]:
    """Every consistency rule broken by these services, in catalog order."""
    return [quirk for service in services for quirk in _service_quirks(service)]


def _service_quirks(service: Service) -> list[SeedQuirk]:
    def quirk(rule: str, detail: str) -> SeedQuirk:
        return SeedQuirk(service.id, rule, detail)

    found: list[SeedQuirk] = []
    offers_payment = "缴费" in service.kiosk_modes
    if offers_payment and not service.fee.payable_at_kiosk:
        found.append(quirk("payment_mode_without_kiosk_payment",
                           "kiosk_modes include 缴费 but fee.payable_at_kiosk is false"))
    if service.fee.payable_at_kiosk and not offers_payment:
        found.append(quirk("kiosk_payment_without_payment_mode",
                           "fee.payable_at_kiosk is true but kiosk_modes lack 缴费"))

    for field in service.form_fields:
        is_choice = field.type in CHOICE_TYPES
        # options None means "supplied at run time" (contract), which is allowed
        if is_choice and field.options == []:
            found.append(quirk("choice_without_options",
                               f"field {field.key!r} ({field.type}) has an empty option list"))
        if not is_choice and field.options is not None:
            found.append(quirk("options_on_free_field",
                               f"field {field.key!r} ({field.type}) has options"))
        holds_id_number = field.key.endswith("id_no") or "身份号码" in field.label
        if holds_id_number and field.mask != "id_card":
            found.append(quirk("id_number_unmasked",
                               f"field {field.key!r} holds an ID number but mask is {field.mask}"))
        if field.mask == "id_card" and field.type != "text":
            found.append(quirk("id_card_mask_on_non_text",
                               f"field {field.key!r} is masked as id_card but is {field.type}"))
        if field.mask == "id_card" and service.auth.level == "无需登录":
            found.append(quirk("id_number_without_identity_check",
                               f"field {field.key!r} asks for an ID number in a service "
                               "that needs no identity check"))

    for material in service.materials:
        if material.shared and material.copies > 0:
            found.append(quirk("shared_material_with_copies",
                               f"material {material.name!r} is shared but asks for copies"))
    return found
