"""The seed file is checked strictly before it is served; known data quirks become warnings."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from central.contract import FormField, Service
from central.seed import SEED_FILE, SeedError, catalog_version, find_quirks, load_seed
from kiosk.settings import PROJECT_ROOT

# shared/ lies beside the checkout (here and in CI, which clones elsewhere)
SHARED_SEED = PROJECT_ROOT.parent / "shared" / "data" / "services.json"

EXPECTED_THEMES = [
    # themes_seed000 order, all of which have services...
    "公积金", "社保", "护照通行证", "行驶驾驶", "税务", "户政（治安）", "生活缴费", "不动产登记",
    "公共服务", "人才与就业", "法律服务", "社会救助", "婚姻", "新生儿", "助残", "流动人口",
    # ...then themes found only on services, by first appearance (SS-007, SS-029, SS-090)
    "医保", "尊老爱老", "通用",
]


def service(data: dict[str, Any], service_id: str) -> dict[str, Any]:
    return next(s for s in data["services"] if s["id"] == service_id)


def seed_error(path: Path) -> str:
    with pytest.raises(SeedError) as raised:
        load_seed(path)
    return str(raised.value)


@pytest.mark.skipif(not SHARED_SEED.exists(), reason=f"{SHARED_SEED} not present")
def test_packaged_seed_is_the_shared_data_unchanged() -> None:
    assert SEED_FILE.read_bytes() == SHARED_SEED.read_bytes()


def test_seed_has_forty_services_in_file_order() -> None:
    seed = load_seed()
    ids = [s.id for s in seed.services]
    assert len(ids) == 40
    assert ids[:3] == ["SS-001", "SS-002", "SS-003"]
    assert ids[-1] == "SS-099"
    assert len(set(ids)) == 40


def test_themes_follow_seed_order_then_first_appearance() -> None:
    assert load_seed().themes == EXPECTED_THEMES


def test_known_quirk_of_the_data_is_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="central.seed"):
        seed = load_seed()
    assert [(q.service_id, q.rule) for q in seed.quirks] == [
        ("SS-004", "payment_mode_without_kiosk_payment"),
    ]
    assert "SS-004" in caplog.text


def test_choices_supplied_at_run_time_are_allowed() -> None:
    seed = load_seed()
    runtime_choices = sorted(
        (s.id, f.key) for s in seed.services for f in s.form_fields
        if f.type in ("select", "radio", "checkbox") and f.options is None
    )
    assert runtime_choices == [("SS-002", "year"), ("SS-007", "year"),
                               ("SS-034", "dept"), ("SS-034", "hospital")]
    assert not [q for q in seed.quirks if q.service_id in ("SS-002", "SS-007", "SS-034")]


def test_unknown_key_on_a_service_is_refused(write_seed) -> None:
    path = write_seed(lambda d: service(d, "SS-003").update(colour="red"))
    message = seed_error(path)
    assert "SS-003" in message
    assert "unknown key 'colour'" in message


def test_unknown_nested_keys_are_refused_with_their_place(write_seed) -> None:
    def change(data: dict[str, Any]) -> None:
        service(data, "SS-010")["fee"]["currency"] = "CNY"
        service(data, "SS-011")["form_fields"][1]["placeholder"] = "…"

    message = seed_error(write_seed(change))
    assert "SS-010: unknown key 'fee.currency'" in message
    assert "SS-011: unknown key 'form_fields[1].placeholder'" in message


def test_unknown_key_in_the_file_envelope_is_refused(write_seed) -> None:
    message = seed_error(write_seed(lambda d: d.update(services_v2=[])))
    assert "unknown key 'services_v2'" in message


def test_bad_id_is_refused(write_seed) -> None:
    path = write_seed(lambda d: d["services"][4].update(id="SS-5"))
    message = seed_error(path)
    assert "services[4] (id 'SS-5')" in message
    assert "id:" in message


def test_duplicate_id_is_refused(write_seed) -> None:
    path = write_seed(lambda d: d["services"][5].update(id="SS-002"))
    assert "SS-002: id used by more than one service" in seed_error(path)


def test_duplicate_form_field_key_is_refused(write_seed) -> None:
    def change(data: dict[str, Any]) -> None:
        fields = service(data, "SS-001")["form_fields"]
        fields.append(dict(fields[0]))

    assert "SS-001: form field key(s) used twice: name" in seed_error(write_seed(change))


def test_wrong_type_is_refused_without_coercion(write_seed) -> None:
    path = write_seed(lambda d: service(d, "SS-001")["materials"][0].update(copies="1"))
    assert "SS-001: materials[0].copies:" in seed_error(path)


def test_every_problem_is_listed_at_once(write_seed) -> None:
    def change(data: dict[str, Any]) -> None:
        service(data, "SS-001")["shoe_size"] = 42
        service(data, "SS-002")["kiosk_modes"] = ["跳舞"]

    message = seed_error(write_seed(change))
    assert "SS-001" in message
    assert "SS-002: kiosk_modes[0]" in message


def test_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "services.json"
    path.write_text('{"services": [', encoding="utf-8")
    assert "not JSON" in seed_error(path)


def test_unsupported_schema_version_is_refused(write_seed) -> None:
    path = write_seed(lambda d: d.update(schema_version="9.9"))
    assert "schema_version '9.9'" in seed_error(path)


def a_service(**changes: Any) -> Service:
    return load_seed().services[0].model_copy(update=changes)


def test_quirk_rules_on_made_up_services() -> None:
    unmasked = FormField(key="partner_id_no", label="对方公民身份号码", type="text")
    empty_choice = FormField(key="kind", label="类型", type="radio", options=[])
    broken = a_service(form_fields=[unmasked, empty_choice])
    pays = a_service(id="SS-900", fee=broken.fee.model_copy(update={"payable_at_kiosk": True}))

    rules = {(q.service_id, q.rule) for q in find_quirks([broken, pays])}
    assert rules == {
        ("SS-001", "id_number_unmasked"),
        ("SS-001", "choice_without_options"),
        ("SS-900", "kiosk_payment_without_payment_mode"),
    }


def test_version_follows_content() -> None:
    seed = load_seed()
    assert catalog_version(seed.themes, seed.services) == seed.version
    assert len(seed.version) == 16
    renamed = [seed.services[0].model_copy(update={"name": "新名称"}), *seed.services[1:]]
    assert catalog_version(seed.themes, renamed) != seed.version
    assert catalog_version(list(reversed(seed.themes)), seed.services) != seed.version


def test_theme_without_services_gets_no_tile(write_seed) -> None:
    path = write_seed(lambda d: d["services"].remove(service(d, "SS-023")))  # the only 税务
    themes = load_seed(path).themes
    assert "税务" not in themes
    assert themes == [t for t in EXPECTED_THEMES if t != "税务"]
