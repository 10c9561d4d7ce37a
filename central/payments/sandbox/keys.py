"""The sandbox's test keys and the merchant-side credentials that go with them.

Generated at start (RSA 2048), never stored. Each provider has two key pairs: the merchant's
(the merchant signs requests with its private key; the gateway verifies with the public one)
and the provider's (the gateway signs answers and notifications; the merchant verifies with the
public one). WeChat Pay adds the APIv3 key, the AES-256-GCM key of notifications.

What the SDKs take, read from their source (wechatpayv3 2.0.4 `wechatpayv3/utils.py`
`load_private_key` / `load_public_key`: PKCS#8 and SubjectPublicKeyInfo PEM; python-alipay-sdk
3.4 `alipay/__init__.py` `_load_key`: PyCryptodome's `RSA.importKey`, which reads the same).
"""

from __future__ import annotations

import base64
import secrets
import string
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa


@dataclass(frozen=True)
class KeyPair:
    private: rsa.RSAPrivateKey

    @property
    def public(self) -> rsa.RSAPublicKey:
        return self.private.public_key()

    @property
    def private_pem(self) -> str:
        return self.private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()).decode("ascii")

    @property
    def public_pem(self) -> str:
        return self.public.public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")

    def sign(self, message: str) -> str:
        """SHA256withRSA (PKCS#1 v1.5) over the UTF-8 message, base64: both providers' RSA2."""
        signature = self.private.sign(message.encode("utf-8"), padding.PKCS1v15(),
                                      hashes.SHA256())
        return base64.b64encode(signature).decode("ascii")

    def verifies(self, message: str, signature: str) -> bool:
        try:
            raw = base64.b64decode(signature, validate=True)
            self.public.verify(raw, message.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
        except (ValueError, InvalidSignature):
            return False
        return True


def new_key_pair() -> KeyPair:
    return KeyPair(rsa.generate_private_key(public_exponent=65537, key_size=2048))


def _digits(count: int, first: str = "") -> str:
    return first + "".join(secrets.choice(string.digits) for _ in range(count - len(first)))


@dataclass(frozen=True)
class WeChatCredentials:
    """What the platform's WeChat Pay adapter is configured with (`wechatpayv3.WeChatPay`'s
    arguments in its 微信支付公钥 mode: `public_key` + `public_key_id`)."""

    mchid: str
    appid: str
    merchant_private_key_pem: str
    cert_serial_no: str  # the merchant API certificate's serial number
    apiv3_key: str
    platform_public_key_pem: str  # 微信支付公钥
    platform_public_key_id: str  # PUB_KEY_ID_...


@dataclass(frozen=True)
class AlipayCredentials:
    """What the platform's Alipay adapter is configured with (`alipay.AliPay`'s arguments)."""

    app_id: str
    app_private_key_pem: str
    alipay_public_key_pem: str
    seller_id: str  # the merchant's 2088 partner id, as trades and bills show it


class WeChatKeys:
    def __init__(self) -> None:
        self.merchant = new_key_pair()
        self.platform = new_key_pair()
        self.mchid = _digits(10, "16")
        self.appid = "wx" + secrets.token_hex(8)
        self.cert_serial_no = secrets.token_hex(20).upper()
        self.apiv3_key = "".join(secrets.choice(string.ascii_letters + string.digits)
                                 for _ in range(32))
        self.platform_public_key_id = "PUB_KEY_ID_" + _digits(32, "01")

    def credentials(self) -> WeChatCredentials:
        return WeChatCredentials(
            mchid=self.mchid, appid=self.appid,
            merchant_private_key_pem=self.merchant.private_pem,
            cert_serial_no=self.cert_serial_no, apiv3_key=self.apiv3_key,
            platform_public_key_pem=self.platform.public_pem,
            platform_public_key_id=self.platform_public_key_id)


class AlipayKeys:
    def __init__(self) -> None:
        self.app = new_key_pair()
        self.alipay = new_key_pair()
        self.app_id = _digits(16, "2021")
        self.seller_id = _digits(16, "2088")

    def credentials(self) -> AlipayCredentials:
        return AlipayCredentials(app_id=self.app_id, app_private_key_pem=self.app.private_pem,
                                 alipay_public_key_pem=self.alipay.public_pem,
                                 seller_id=self.seller_id)
