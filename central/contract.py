"""The API contract between terminals and the central platform (/api/v1).

This module is the only part of `central/` that the kiosk side imports: plain pydantic models,
no FastAPI and no database. The platform serialises with them, the kiosk validates what it
receives with them, so both ends agree by construction.

The service catalog follows GB/T 40756-2021 §9.4.5 (事项要素). Models ignore unknown keys so a
fleet of terminals keeps working when the platform adds a field; the platform checks its own
seed data strictly (see `central.seed`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

API_PREFIX = "/api/v1"

KioskMode = Literal[
    "查询", "打印", "办理", "自助申报", "预约", "缴费", "进度查询", "评价", "取号", "指引", "帮办"
]
OfflineBehavior = Literal[
    "offline_guide_only",  # only the cached guide is shown
    "offline_queue_submit",  # encrypted and queued, receipt says 待受理
    "online_required",  # unavailable offline, citizen sent to a counter
    "offline_cached_stale",  # cached data shown with its date
    "offline_full",  # works fully offline
]
MaskRule = Literal["none", "id_card", "name", "mobile", "address", "plate", "bank"]
FieldType = Literal[
    "text", "tel", "number", "date", "datetime", "date_range",
    "radio", "select", "checkbox", "image",
]


class ContractModel(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Auth(ContractModel):
    """How a citizen must prove who they are for this service."""

    level: Literal["实人实证", "无需登录"]
    methods: list[str] = []
    proxy_allowed: bool = False
    # GB/T 40756 §9.8.5.2: aged 60+ may pass with face captured but not compared
    elderly_relaxed: bool = False

    @property
    def identity_level(self) -> int:
        """GB/T 39047-2020 §5.2.3.2 level: 4 = document + live face; 0 = anonymous."""
        return 4 if self.level == "实人实证" else 0


class TimeLimit(ContractModel):
    promised: int | None = None
    legal: int | None = None
    unit: Literal["工作日", "日"] = "工作日"
    note: str | None = None


class Fee(ContractModel):
    amount_cny: float = 0
    variable: bool = False
    payable_at_kiosk: bool = False
    basis: str | None = None
    note: str | None = None


class Material(ContractModel):
    name: str
    source: Literal["政府部门核发", "申请人自备", "其他制发机构"]
    shared: bool  # obtained by data sharing, the citizen brings nothing
    type: Literal["原件", "复印件", "自制"]
    form: Literal["电子", "纸质", "实体证件"]
    copies: int = Field(ge=0)
    required: bool = True
    tolerance_missing: bool = False  # 容缺受理
    share_dept: str | None = None
    note: str | None = None


class FormField(ContractModel):
    key: str
    label: str
    type: FieldType
    editable: bool = True
    mask: MaskRule = "none"
    required: bool = False
    shared_from: str | None = None
    options: list[str] | None = None  # None for choices the platform supplies at run time


class Output(ContractModel):
    type: Literal["凭条80mm", "A4"]
    name: str
    e_seal: bool = False
    verify_qr: bool = False


class Service(ContractModel):
    """One government service item (事项) as a kiosk offers it."""

    id: str = Field(pattern=r"^SS-\d{3}$")
    name: str = Field(min_length=1)
    official_name: str
    theme: str
    domain_004: str | None = None
    department: str
    item_type: str
    handling_type: Literal["即办件", "承诺件"]
    kiosk_modes: list[KioskMode]
    auth: Auth
    time_limit: TimeLimit
    fee: Fee
    materials: list[Material] = []
    form_fields: list[FormField] = []
    outputs: list[Output] = []
    aliases: list[str] = []
    offline_behavior: OfflineBehavior
    qr_codes: list[str] = []
    legal_basis: list[str] = []
    # an editor's remark for the platform team, never shown to citizens
    note: str | None = None


class Catalog(ContractModel):
    """GET /api/v1/catalog: every service a terminal offers, as one versioned snapshot."""

    version: str = Field(min_length=1)  # content hash; the ETag is this value quoted
    published_at: datetime
    themes: list[str]  # display order of the home tiles
    services: list[Service]

    def service(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)

    def services_in(self, theme: str) -> list[Service]:
        return [s for s in self.services if s.theme == theme]


class ErrorBody(ContractModel):
    """Every non-2xx answer of the platform carries this body."""

    code: str  # machine-readable, e.g. NOT_FOUND, INTERNAL
    message: str  # for logs and staff, never personal data


class Health(ContractModel):
    """GET /api/v1/health: the platform is up and serves this catalog version."""

    status: Literal["ok"]
    catalog_version: str | None  # None only before the first catalog is published
