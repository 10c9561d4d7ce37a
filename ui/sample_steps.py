"""Every issue-6 screen with realistic, already masked sample data: for the screenshots and
the screen tests. Personal data here is made up and masked as the flows mask it."""

from __future__ import annotations

from central.contract import ACCEPTANCE_NUMBER_DIGITS
from common.i18n import tr
from flows.progress import NUMBER_HINT, digits_problem
from flows.steps import (
    ApplicationView,
    BusyStep,
    Choice,
    ConsentItem,
    ConsentStep,
    EvaluationStep,
    FieldView,
    FormStep,
    IdentityStep,
    KeypadStep,
    LiveFaceStep,
    MessageStep,
    Progress,
    ProgressStep,
    ReceiptStep,
    ReviewRow,
    ReviewStep,
    ScanStep,
    SignatureStep,
    SituationStep,
    Step,
    TimelineEntry,
)

SERVICE = "居住证申领"
NAME = "张*三"
NUMBER = "SL20261123000042"
LEVELS = ((5, tr("非常满意")), (4, tr("满意")), (3, tr("基本满意")), (2, tr("不满意")),
          (1, tr("非常不满意")))
REASONS = (tr("等待时间长"), tr("操作复杂"), tr("设备故障"), tr("信息看不清"),
           tr("材料要求不清楚"))


def _jpeg_page(seed: int) -> bytes:
    import cv2

    from devices.camera.scenes import make_document_scene

    image = make_document_scene(seed, kind="page").image
    ok, data = cv2.imencode(".jpg", cv2.resize(image, (320, 240)))
    return data.tobytes() if ok else b""


def sample_steps() -> list[tuple[str, Step]]:
    """(file name, step) for every screen of identity → declaration → receipt → evaluation
    and progress lookup."""
    pages = (_jpeg_page(24), _jpeg_page(25))
    fields = (
        FieldView("name", "姓名", "text", True, True, value=NAME),
        FieldView("id_no", "公民身份号码", "keypad", True, True, value="110***********123X"),
        FieldView("mobile", "手机号码", "keypad", True, False, value="1381234567",
                  error=tr("请输入11位手机号码")),
        FieldView("address", "居住地址", "text", True, False, value="北京市朝阳区建国路88号"),
        FieldView("basis", "申领条件", "radio", True, False, ("就业", "住所", "就读"), "就业"),
        FieldView("delivery", "取件方式", "radio", True, False,
                  ("窗口领取", "邮寄到家", "自助收件柜")),
        FieldView("since", "来本市居住日期", "date", False, False, value="2025-03-01"),
        FieldView("period", "租赁期限", "date_range", False, False,
                  value=("2025-03-01", "2026-02-28")),
        FieldView("notify", "通知方式", "checkbox", False, False, ("短信", "电话"), ("短信",)),
    )
    application = ApplicationView(
        NUMBER, SERVICE, NAME, "在办",
        (TimelineEntry("已受理", "2026-11-23 10:42", "自助终端提交"),
         TimelineEntry("在办", "2026-11-24 09:15", "朝阳分局户政科审核中")),
    )
    done = ApplicationView(
        "SL20261020000007", "灵活就业人员参保登记", NAME, "办结",
        (TimelineEntry("已受理", "2026-10-20 14:02"), TimelineEntry("在办", "2026-10-21 08:30"),
         TimelineEntry("办结", "2026-10-23 16:10", "已完成参保登记")),
        (Choice("DOC-1", "参保登记证明", primary=True),),
    )
    return [
        ("identity", IdentityStep(SERVICE, ("id_card", "ss_card", "qr_code"),
                                  tr("未能读取证件，请将身份证平放在读卡区，不要移动"),
                                  Progress(1, 7))),
        ("face", LiveFaceStep(NAME, elderly=False, problem=tr("光线太暗，请正对摄像头"),
                              progress=Progress(2, 7))),
        ("face-60plus", LiveFaceStep("李*华", elderly=True, progress=Progress(2, 7))),
        ("situation", SituationStep(SERVICE, "您以哪种条件申领居住证？",
                                    ("合法稳定就业", "合法稳定住所", "连续就读"),
                                    Progress(3, 7))),
        ("consent", ConsentStep(SERVICE, (
            ConsentItem("shared_data", tr("共享您的身份证信息和居住登记信息"),
                        tr("用于预填申请表并核验申领条件，仅提交给公安局户政部门")),
            ConsentItem("face", tr("采集您的现场人脸照片"),
                        tr("用于与身份证照片比对，确认是您本人办理；比对后不在本机保存")),
            ConsentItem("materials", tr("拍摄并提交您的证明材料"),
                        tr("劳动合同、租赁合同或在读证明，作为审批依据")),
        ), Progress(4, 7))),
        ("form", FormStep(SERVICE, fields, Progress(5, 7))),
        ("scan", ScanStep("合法稳定就业/合法稳定住所/连续就读证明（三选一）", pages, True,
                          progress=Progress(6, 7))),
        ("signature", SignatureStep(SERVICE, progress=Progress(7, 7))),
        ("review", ReviewStep(SERVICE, (
            ReviewRow("姓名", NAME), ReviewRow("公民身份号码", "110***********123X"),
            ReviewRow("手机号码", "138****5678"), ReviewRow("居住地址", "北京市朝阳区***"),
            ReviewRow("申领条件", "就业"), ReviewRow("取件方式", "窗口领取")),
            (("合法稳定就业/合法稳定住所/连续就读证明（三选一）", 2),), None, offline=False)),
        ("receipt", ReceiptStep(SERVICE, NAME, NUMBER, False, "2026-11-23 10:42",
                                "法定15日内核发；制证完成后短信通知您到窗口领取。",
                                f"ZWRC:{NUMBER}:K7Q2M9X4A1B3C5D6", printed=True)),
        ("receipt-pending", ReceiptStep(SERVICE, NAME, "L-0007", True, "2026-11-23 10:42",
                                        tr("网络恢复后本机自动提交，受理后可凭这个编号查询办理进度。"),
                                        None, printed=False,
                                        print_problem=tr("{what}，凭条没有打印好。",
                                                         what=tr("打印机没纸了")))),
        ("receipt-not-printed", ReceiptStep(SERVICE, NAME, NUMBER, False, "2026-11-23 10:42",
                                            "法定15日内核发；制证完成后短信通知您到窗口领取。",
                                            f"ZWRC:{NUMBER}:K7Q2M9X4A1B3C5D6", printed=False,
                                            print_problem=tr("{what}，凭条没有打印好。",
                                                             what=tr("打印机没纸了")))),
        ("evaluation", EvaluationStep(SERVICE, LEVELS, REASONS)),
        ("keypad", KeypadStep(tr("输入受理编号"), NUMBER_HINT, "2026112300",
                              digits_problem("2026112300"), ACCEPTANCE_NUMBER_DIGITS)),
        ("progress", ProgressStep((application, done))),
        ("message-error", MessageStep(tr("人脸比对未通过"),
                                      (tr("现场人脸与证件照片不一致。"),
                                       tr("您可以重新拍照、换一种方式，或请工作人员帮您办理。")),
                                      (Choice("retry", tr("重新拍照"), primary=True),
                                       Choice("other", tr("换一种方式")),
                                       Choice("staff", tr("呼叫工作人员"))), "error")),
        ("message-success", MessageStep(tr("办理完成"),
                                        (tr("请取走您的身份证和回执。"),),
                                        (Choice("home", tr("返回首页"), primary=True),),
                                        "success")),
        ("busy", BusyStep(tr("正在核验身份，请稍候…"), Progress(2, 7))),
    ]
