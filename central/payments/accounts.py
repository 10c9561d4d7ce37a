"""The platform's merchant accounts read from a TOML file, for the commands that talk to the
providers outside the running platform (`main.py central reconcile --payments FILE`).

    [wechat]                                   # WeChat Pay APIv3, 直连商户, 微信支付公钥 mode
    mchid = "1900000001"
    appid = "wx0123456789abcdef"
    cert_serial_no = "5157F09EFDC096DE15EBE81A47057A72********"
    merchant_private_key_file = "/etc/central/wechat/apiclient_key.pem"
    apiv3_key_file = "/etc/central/wechat/apiv3_key"
    platform_public_key_file = "/etc/central/wechat/pub_key.pem"
    platform_public_key_id = "PUB_KEY_ID_0114232134912410000000000000"
    # gateway = "https://api.mch.weixin.qq.com"

    [alipay]                                   # Alipay open platform, RSA2
    app_id = "2021000000000000"
    app_private_key_file = "/etc/central/alipay/app_private_key.pem"
    alipay_public_key_file = "/etc/central/alipay/alipay_public_key.pem"
    # gateway = "https://openapi.alipay.com/gateway.do"

Keys are never written in the file itself, only where to read them (a file readable by the
platform's user alone); relative paths are from the TOML file's folder. Either section may be
left out. A wrong file is an `AccountsError` naming the key.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from central.contract.payments import PaymentChannel
from central.payments.alipay import AlipayAccount, AlipayProvider
from central.payments.provider import PaymentProvider
from central.payments.wechat import WeChatAccount, WeChatPayProvider

_WECHAT = {"mchid", "appid", "cert_serial_no", "merchant_private_key_file", "apiv3_key_file",
           "platform_public_key_file", "platform_public_key_id", "gateway"}
_ALIPAY = {"app_id", "app_private_key_file", "alipay_public_key_file", "gateway"}


class AccountsError(ValueError):
    """The accounts file is not as described (the message names the file and the key)."""


def _section(path: Path, data: dict[str, Any], name: str,
             known: set[str]) -> dict[str, str] | None:
    section = data.get(name)
    if section is None:
        return None
    if not isinstance(section, dict):
        raise AccountsError(f"{path}: [{name}] is a table")
    for key, value in section.items():
        if key not in known:
            raise AccountsError(f"{path}: {name}.{key} is not a setting")
        if not isinstance(value, str) or not value.strip():
            raise AccountsError(f"{path}: {name}.{key} is a non-empty string")
    missing = sorted(known - {"gateway"} - section.keys())
    if missing:
        raise AccountsError(f"{path}: {name}.{missing[0]} is missing")
    return {key: value.strip() for key, value in section.items()}


def _read(path: Path, section: str, key: str, value: str) -> str:
    where = Path(value) if Path(value).is_absolute() else path.parent / value
    try:
        return where.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise AccountsError(f"{path}: {section}.{key}: cannot read {where}: "
                            f"{getattr(exc, 'strerror', None) or exc}") from None


def load_providers(path: Path, timeout_s: tuple[float, float] = (5.0, 10.0)
                   ) -> dict[PaymentChannel, PaymentProvider]:
    """The providers of the accounts in `path`."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AccountsError(f"{path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AccountsError(f"{path}: not TOML: {exc}") from None
    unknown = sorted(data.keys() - {"wechat", "alipay"})
    if unknown:
        raise AccountsError(f"{path}: [{unknown[0]}] is not a provider (wechat, alipay)")
    providers: dict[PaymentChannel, PaymentProvider] = {}
    wechat = _section(path, data, "wechat", _WECHAT)
    if wechat is not None:
        account = WeChatAccount(
            mchid=wechat["mchid"], appid=wechat["appid"],
            merchant_private_key_pem=_read(path, "wechat", "merchant_private_key_file",
                                           wechat["merchant_private_key_file"]),
            cert_serial_no=wechat["cert_serial_no"],
            apiv3_key=_read(path, "wechat", "apiv3_key_file", wechat["apiv3_key_file"]),
            platform_public_key_pem=_read(path, "wechat", "platform_public_key_file",
                                          wechat["platform_public_key_file"]),
            platform_public_key_id=wechat["platform_public_key_id"],
            **({"gateway": wechat["gateway"]} if "gateway" in wechat else {}))
        providers["wechat"] = WeChatPayProvider(account, timeout_s)
    alipay = _section(path, data, "alipay", _ALIPAY)
    if alipay is not None:
        account_a = AlipayAccount(
            app_id=alipay["app_id"],
            app_private_key_pem=_read(path, "alipay", "app_private_key_file",
                                      alipay["app_private_key_file"]),
            alipay_public_key_pem=_read(path, "alipay", "alipay_public_key_file",
                                        alipay["alipay_public_key_file"]),
            **({"gateway": alipay["gateway"]} if "gateway" in alipay else {}))
        providers["alipay"] = AlipayProvider(account_a, max(1, round(sum(timeout_s))))
    if not providers:
        raise AccountsError(f"{path}: neither [wechat] nor [alipay]")
    return providers
