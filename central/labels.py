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
}

DEVICE_STATES = {"ok": "正常", "degraded": "需关注", "error": "故障", "offline": "离线"}

TERMINAL_STATUSES = {"online": "在线", "degraded": "降级", "offline": "离线", "never": "未上线"}

SERVICE_STATES = {"serving": "正常服务", "pausing": "待当前群众办完后暂停", "paused": "暂停服务"}

ALERT_KINDS = {
    "terminal_offline": "终端离线",
    "device_error": "设备故障",
    "outbox_backlog": "待上传数据积压",
}

COMMANDS = {
    "maintenance_on": "暂停服务（维护）",
    "maintenance_off": "恢复服务",
    "notice": "发布公告",
    "refresh_catalog": "刷新事项目录",
    "restart": "重启应用",
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
}

ROLES = {"administrator": "系统管理员", "hall-manager": "大厅管理员"}


def family(name: str | None) -> str:
    return FAMILIES.get(name or "", name or "")


def code(name: str | None) -> str:
    return CODES.get(name or "", name or "")
