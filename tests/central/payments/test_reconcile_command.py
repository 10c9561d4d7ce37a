"""`python main.py central reconcile --date D --payments FILE`: the merchant accounts read from a
TOML file (keys from files beside it), the day's statements fetched from the sandbox through
the SDKs, the findings printed, nothing found twice; exit 1 while a statement is not made yet,
2 for a wrong accounts file."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from sqlalchemy import select

from central.db import PaymentFindingRecord
from central.payments.accounts import AccountsError, load_providers
from central.payments.sandbox import PaymentGateway, SandboxServer
from main import main

from .conftest import Rig
from .test_reconciliation import DAY, ONE_TRY, late_success, morning_after


def accounts_file(folder: Path, gateway: PaymentGateway, server: SandboxServer) -> Path:
    wechat, alipay = gateway.credentials.wechat, gateway.credentials.alipay
    keys = folder / "keys"
    keys.mkdir()
    for name, text in (("apiclient_key.pem", wechat.merchant_private_key_pem),
                       ("apiv3_key", wechat.apiv3_key),
                       ("pub_key.pem", wechat.platform_public_key_pem),
                       ("app_private_key.pem", alipay.app_private_key_pem),
                       ("alipay_public_key.pem", alipay.alipay_public_key_pem)):
        (keys / name).write_text(text, encoding="ascii")
    path = folder / "payments.toml"
    path.write_text(f'''
[wechat]
mchid = "{wechat.mchid}"
appid = "{wechat.appid}"
cert_serial_no = "{wechat.cert_serial_no}"
merchant_private_key_file = "keys/apiclient_key.pem"
apiv3_key_file = "keys/apiv3_key"
platform_public_key_file = "{keys / 'pub_key.pem'}"
platform_public_key_id = "{wechat.platform_public_key_id}"
gateway = "{server.base_url}"

[alipay]
app_id = "{alipay.app_id}"
app_private_key_file = "keys/app_private_key.pem"
alipay_public_key_file = "keys/alipay_public_key.pem"
gateway = "{server.alipay_gateway}"
''', encoding="utf-8")
    return path


@pytest.mark.parametrize("rig_settings", ONE_TRY)
@pytest.mark.parametrize("channel", ["wechat", "alipay"])
def test_a_day_reconciled_from_the_command_line(rig: Rig, channel: str, database_url: str,
                                                tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str],
                                                server: SandboxServer) -> None:
    accounts = accounts_file(tmp_path, rig.gateway, server)
    late = late_success(rig, channel)
    command = ["central", "reconcile", "--database-url", database_url, "--date",
               DAY.isoformat(), "--payments", str(accounts), "--channel", channel]

    assert main(command) == 1  # 10:00 on the day itself: no statement yet
    assert "未取得对账单" in capsys.readouterr().out

    morning_after(rig, DAY, time(10, 15))
    assert main(command) == 0
    out = capsys.readouterr().out
    assert "已对账, 1 lines, 1 new findings" in out
    assert "长款 TEST-0001" in out and "statement ¥15.00" in out
    with rig.app.state.sessions() as session:
        (finding,) = session.scalars(select(PaymentFindingRecord)).all()
        assert (finding.kind, finding.order_id) == ("long", late)

    assert main(command) == 0  # again: found before, nothing new
    assert "0 new findings" in capsys.readouterr().out


def test_a_wrong_accounts_file_is_named(tmp_path: Path, database_url: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "payments.toml"
    path.write_text('[wechat]\nmchid = "1"\n', encoding="utf-8")
    assert main(["central", "reconcile", "--database-url", database_url, "--payments",
                 str(path)]) == 2
    assert "wechat.apiv3_key_file is missing" in capsys.readouterr().err
    for text, message in (("[paypal]\n", "[paypal] is not a provider"),
                          ("", "neither [wechat] nor [alipay]"),
                          ("[alipay]\napp_id = 1\n", "alipay.app_id is a non-empty string"),
                          ('[alipay]\napp_id = "2021"\napp_private_key_file = "none.pem"\n'
                           'alipay_public_key_file = "none.pem"\n', "cannot read")):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(AccountsError, match=message.replace("[", r"\[")):
            load_providers(path)
