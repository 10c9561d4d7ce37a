"""Names a hall manager reads in the console (Chinese only for now).

The platform shares nothing with the kiosk but the API contract, so the device families and
fault codes the terminals report are named here again; an unknown one shows as sent.
"""

from __future__ import annotations

FAMILIES = {
    "idcard": "身份证阅读器",
    "sscard": "社保卡读卡器",
    "document_camera": "高拍仪",
    "face_camera": "人脸摄像头",
    "qr_scanner": "扫码器",
    "receipt_printer": "凭条打印机",
    "a4_printer": "A4打印机",
    "speech": "语音设备",
    "clock": "系统时钟",  # not a device: the terminal's clock against the platform's
    "queue": "离线取号",  # not a device: numbers given offline that the platform refused
}

CODES = {
    "OK": "正常",
    "NO_DEVICE": "设备未连接",
    "NO_AUDIO_DEVICE": "音频设备未连接",
    "CARD_READ_FAILED": "读卡失败",
    "PAPER_LOW": "纸将尽",
    "PAPER_OUT": "缺纸",
    "COVER_OPEN": "纸仓盖未关",
    "TONER_LOW": "墨粉不足",
    "QUEUE_PAUSED": "打印队列已暂停",
    "CLOCK_SKEWED": "时钟偏差",
    "QUEUE_TICKETS_REFUSED": "离线号未进入叫号队列，请在服务台为持号人重新取号",
}

DEVICE_STATES = {"ok": "正常", "degraded": "需关注", "error": "故障", "offline": "离线"}

TERMINAL_STATUSES = {"online": "在线", "degraded": "降级", "offline": "离线", "never": "未上线"}

SERVICE_STATES = {"serving": "正常服务", "pausing": "待当前群众办完后暂停", "paused": "暂停服务",
                  "closed": "闭厅（非服务时间）"}

HOURS_OVERRIDES = {"open": "始终开放", "closed": "立即闭厅"}

ALERT_KINDS = {
    "terminal_offline": "终端离线",
    "device_error": "设备故障",
    "outbox_backlog": "待上传数据积压",
    "payment_long": "收费长款",
    "payment_short": "收费短款",
    "payment_amount": "收费金额不符",
    "payment_unresolved": "收费未决",
}

COMMANDS = {
    "maintenance_on": "暂停服务（维护）",
    "maintenance_off": "恢复服务",
    "notice": "发布公告",
    "refresh_catalog": "刷新事项目录",
    "restart": "重启应用",
    "send_readiness": "请求自检报告",
    "hours_open": "始终开放（忽略服务时间）",
    "hours_closed": "立即闭厅",
    "hours_scheduled": "按服务时间开放",
}

EVENT_KINDS = {
    "registered": "登记",
    "online": "上线",
    "offline": "离线",
    "restarted": "应用重启",
    "device": "设备状态",
    "command": "下发指令",
    "command_done": "指令已执行",
    "alert_ack": "告警确认",
    "payment": "收费对账",
    "staff_pin_wrong": "维护密码错误",
    "staff_pin_locked": "维护密码锁定",
    "staff_exit": "进入维护菜单",
}

# -- 收费 (payments) and 对账 (reconciliation) --------------------------------------------------

CHANNELS = {"wechat": "微信支付", "alipay": "支付宝"}

# why an attempt was not paid (the contract's PaymentFailure), as staff read it
PAYMENT_FAILURES = {
    "NOT_ENOUGH": "余额不足",
    "CODE_INVALID": "付款码无效或已过期",
    "DECLINED": "支付被拒绝或已取消",
    "TIMED_OUT": "超时未完成",
    "PROVIDER_ERROR": "支付机构暂不可用",
}

# why an attempt was reversed or its QR code closed (PaymentAttemptRecord.ending)
PAYMENT_ENDINGS = {
    "timeout": "超时撤销",
    "cancel": "群众放弃支付",
    "expired": "二维码过期",
    "replaced": "更换支付方式",
}

ATTEMPT_STATES = {
    "paying": "支付中", "reversing": "撤销中", "confirming": "确认撤销中",
    "creating": "生成二维码中", "open": "待扫码", "closing": "关闭中", "paid": "已支付",
    "failed": "失败", "closed": "已关闭", "refunding": "退款中", "refunded": "已退款",
    "unresolved": "未决",
}

FINDING_KINDS = {"long": "长款", "short": "短款", "amount": "金额不符", "unresolved": "未决"}

FINDING_RESOLUTIONS = {"refund": "已原路退款", "settled": "已标记处理"}

REFUND_STATES = {"pending": "退款处理中", "done": "退款成功", "unresolved": "退款未完成"}

RUN_OUTCOMES = {"done": "已对账", "unavailable": "未取得对账单", "unreadable": "对账单无法识别"}

ROLES = {"administrator": "系统管理员", "hall-manager": "大厅管理员"}


def family(name: str | None) -> str:
    return FAMILIES.get(name or "", name or "")


def code(name: str | None) -> str:
    return CODES.get(name or "", name or "")


def yuan(fen: int | None) -> str:
    """Fen as money on the console: ¥12.00 (— for none)."""
    if fen is None:
        return "—"
    sign = "-" if fen < 0 else ""
    return f"{sign}¥{abs(fen) // 100:,}.{abs(fen) % 100:02d}"
