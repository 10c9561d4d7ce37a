<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name></name>
    <message>
        <source>需要您提交的材料</source>
        <translation>Materials you need to provide</translation>
    </message>
    <message>
        <source>无需提交任何材料</source>
        <translation>Nothing to provide</translation>
    </message>
    <message>
        <source>无需提交（部门共享获取）</source>
        <translation>Not needed (obtained from other departments)</translation>
    </message>
    <message>
        <source>设定依据</source>
        <translation>Legal basis</translation>
    </message>
    <message>
        <source>您好，请选择要办理的事项</source>
        <translation>Hello, please choose a service</translation>
    </message>
    <message>
        <source>语音提问
说出您要办的事</source>
        <translation>Ask by voice
Say what you need</translation>
    </message>
    <message>
        <source>更多事项</source>
        <translation>More services</translation>
    </message>
    <message>
        <source>搜索：输入要办的事或拼音，也可点下方“语音提问”直接说</source>
        <translation>Search: type what you need or its pinyin, or tap &quot;Ask by voice&quot; below and just say it</translation>
    </message>
    <message>
        <source>办件进度查询</source>
        <translation>Check application progress</translation>
    </message>
    <message>
        <source>{theme}
{count} 项</source>
        <translation>{theme}
services: {count}</translation>
    </message>
    <message>
        <source>请选择事项，查看办事指南</source>
        <translation>Choose a service to read its guide</translation>
    </message>
    <message>
        <source>正在连接…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <source>● 网络正常</source>
        <translation>● Online</translation>
    </message>
    <message>
        <source>○ 网络中断</source>
        <translation>○ Offline</translation>
    </message>
    <message>
        <source>离线服务 · 数据更新于 {time}</source>
        <translation>Offline service · data updated at {time}</translation>
    </message>
    <message>
        <source>离线服务 · 暂无可用数据</source>
        <translation>Offline service · no data available</translation>
    </message>
    <message>
        <source>知道了</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>非常满意</source>
        <translation>Very satisfied</translation>
    </message>
    <message>
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <source>基本满意</source>
        <translation>Fairly satisfied</translation>
    </message>
    <message>
        <source>不满意</source>
        <translation>Dissatisfied</translation>
    </message>
    <message>
        <source>非常不满意</source>
        <translation>Very dissatisfied</translation>
    </message>
    <message>
        <source>等待时间长</source>
        <translation>Long wait</translation>
    </message>
    <message>
        <source>操作复杂</source>
        <translation>Hard to use</translation>
    </message>
    <message>
        <source>设备故障</source>
        <translation>Device fault</translation>
    </message>
    <message>
        <source>信息看不清</source>
        <translation>Hard to read</translation>
    </message>
    <message>
        <source>材料要求不清楚</source>
        <translation>Unclear document requirements</translation>
    </message>
    <message>
        <source>请输入11位手机号码</source>
        <translation>Please enter an 11-digit mobile number</translation>
    </message>
    <message>
        <source>未能读取证件，请将身份证平放在读卡区，不要移动</source>
        <translation>Could not read the card. Place your ID card flat on the reader and keep it still</translation>
    </message>
    <message>
        <source>光线太暗，请正对摄像头</source>
        <translation>Too dark; please face the camera</translation>
    </message>
    <message>
        <source>共享您的身份证信息和居住登记信息</source>
        <translation>Share your ID card and residence registration information</translation>
    </message>
    <message>
        <source>用于预填申请表并核验申领条件，仅提交给公安局户政部门</source>
        <translation>Used to pre-fill the application form and check that you qualify; given only to the police household registration office</translation>
    </message>
    <message>
        <source>采集您的现场人脸照片</source>
        <translation>Take a live photo of your face</translation>
    </message>
    <message>
        <source>用于与身份证照片比对，确认是您本人办理；比对后不在本机保存</source>
        <translation>Compared with your ID card photo to confirm it is really you; not kept on this kiosk after the check</translation>
    </message>
    <message>
        <source>拍摄并提交您的证明材料</source>
        <translation>Photograph and submit your supporting documents</translation>
    </message>
    <message>
        <source>劳动合同、租赁合同或在读证明，作为审批依据</source>
        <translation>Employment contract, rental contract or proof of study, used for approval</translation>
    </message>
    <message>
        <source>网络恢复后本机自动提交，受理后可凭这个编号查询办理进度。</source>
        <translation>This kiosk submits it by itself when the network is back; once accepted, you can check its progress with this number.</translation>
    </message>
    <message>
        <source>{what}，凭条没有打印好。</source>
        <translation>{what}, so the slip was not printed properly.</translation>
    </message>
    <message>
        <source>{name}
{area} · 等候 {waiting} 人</source>
        <translation>{name}
{area} · {waiting} waiting</translation>
    </message>
    <message>
        <source>不需要，普通取号</source>
        <translation>No, a regular number</translation>
    </message>
    <message>
        <source>70 岁以上
请刷身份证</source>
        <translation>Aged 70 or over
Place your ID card</translation>
    </message>
    <message>
        <source>孕期
需窗口核验</source>
        <translation>Pregnant
Checked at the window</translation>
    </message>
    <message>
        <source>残疾人
需窗口核验</source>
        <translation>Disability
Checked at the window</translation>
    </message>
    <message>
        <source>预约</source>
        <translation>Appointment</translation>
    </message>
    <message>
        <source>请选择您要办理的预约业务。</source>
        <translation>Please choose what you would like to do.</translation>
    </message>
    <message>
        <source>预约新时段</source>
        <translation>Book a slot</translation>
    </message>
    <message>
        <source>我的预约
查询、取消</source>
        <translation>My appointments
View or cancel</translation>
    </message>
    <message>
        <source>到场签到
扫预约码或刷身份证</source>
        <translation>Check in
Scan code or ID card</translation>
    </message>
    <message>
        <source>请选择预约日期</source>
        <translation>Please choose a day</translation>
    </message>
    <message>
        <source>{service} · {area}</source>
        <translation>{service} · {area}</translation>
    </message>
    <message>
        <source>{day}
可约 {free} 人</source>
        <translation>{day}
{free} places</translation>
    </message>
    <message>
        <source>已约满的时段不再显示。</source>
        <translation>Full slots are not shown.</translation>
    </message>
    <message>
        <source>请选择预约时段</source>
        <translation>Please choose a time</translation>
    </message>
    <message>
        <source>{start}-{end}
余 {free} 个名额</source>
        <translation>{start}-{end}
{free} places left</translation>
    </message>
    <message>
        <source>请确认预约信息</source>
        <translation>Please confirm the appointment</translation>
    </message>
    <message>
        <source>事项：{name}</source>
        <translation>Service: {name}</translation>
    </message>
    <message>
        <source>时间：{when}</source>
        <translation>Time: {when}</translation>
    </message>
    <message>
        <source>地点：{area}</source>
        <translation>Location: {area}</translation>
    </message>
    <message>
        <source>预约人：{name}</source>
        <translation>Name: {name}</translation>
    </message>
    <message>
        <source>证件号码：{number}</source>
        <translation>ID number: {number}</translation>
    </message>
    <message>
        <source>确认预约</source>
        <translation>Confirm booking</translation>
    </message>
    <message>
        <source>{what}，预约凭条没有打印好。</source>
        <translation>{what}; the appointment slip was not printed.</translation>
    </message>
    <message>
        <source>已预约</source>
        <translation>Booked</translation>
    </message>
    <message>
        <source>已签到</source>
        <translation>Checked in</translation>
    </message>
    <message>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>预约签到</source>
        <translation>Appointment check-in</translation>
    </message>
    <message>
        <source>请将预约凭条上的二维码对准扫码窗口，或将身份证放在读卡区。</source>
        <translation>Hold the QR code on your appointment slip to the scanner window, or place your ID card on the reader.</translation>
    </message>
    <message>
        <source>没有预约，直接取号</source>
        <translation>No appointment: take a number</translation>
    </message>
    <message>
        <source>取号</source>
        <translation>Take a queue number</translation>
    </message>
    <message>
        <source>请选择您要办理的业务。</source>
        <translation>Please choose the business you came for.</translation>
    </message>
    <message>
        <source>预约签到
已预约的请点这里</source>
        <translation>Check in
Booked? Tap here</translation>
    </message>
    <message>
        <source>是否需要优先办理？</source>
        <translation>Do you need priority service?</translation>
    </message>
    <message>
        <source>70 岁以上老人、孕妇、残疾人可优先办理。</source>
        <translation>People aged 70 or over, pregnant women and people with disabilities are served first.</translation>
    </message>
    <message>
        <source>孕妇、残疾人请在窗口出示相关证件。</source>
        <translation>Pregnant women and people with disabilities: please show the relevant certificate at the window.</translation>
    </message>
    <message>
        <source>打印机没纸了</source>
        <translation>The printer is out of paper</translation>
    </message>
    <message>
        <source>{what}，排队小票没有打印好。</source>
        <translation>{what}; the queue ticket was not printed.</translation>
    </message>
    <message>
        <source>输入受理编号</source>
        <translation>Enter acceptance number</translation>
    </message>
    <message>
        <source>人脸比对未通过</source>
        <translation>Face check failed</translation>
    </message>
    <message>
        <source>现场人脸与证件照片不一致。</source>
        <translation>Your face does not match the photo on your ID.</translation>
    </message>
    <message>
        <source>您可以重新拍照、换一种方式，或请工作人员帮您办理。</source>
        <translation>You can retake the photo, choose another way, or ask staff to help you.</translation>
    </message>
    <message>
        <source>重新拍照</source>
        <translation>Retake photo</translation>
    </message>
    <message>
        <source>换一种方式</source>
        <translation>Another way</translation>
    </message>
    <message>
        <source>呼叫工作人员</source>
        <translation>Call staff</translation>
    </message>
    <message>
        <source>办理完成</source>
        <translation>All done</translation>
    </message>
    <message>
        <source>请取走您的身份证和回执。</source>
        <translation>Please take your ID card and receipt.</translation>
    </message>
    <message>
        <source>返回首页</source>
        <translation>Back to home</translation>
    </message>
    <message>
        <source>正在核验身份，请稍候…</source>
        <translation>Checking your identity, please wait…</translation>
    </message>
    <message>
        <source>继续办理</source>
        <translation>Continue</translation>
    </message>
    <message>
        <source>继续办理？</source>
        <translation>Still there?</translation>
    </message>
    <message>
        <source>正在打印，打印完成后才能返回或回到首页</source>
        <translation>Printing; you can go back or home when it has finished</translation>
    </message>
    <message>
        <source>正在确认付款，确认完成后才能返回或回到首页</source>
        <translation>Confirming the payment; you can go back or home when it is confirmed</translation>
    </message>
    <message>
        <source>正在办理，完成后才能返回或回到首页</source>
        <translation>Working on it; you can go back or home when it is done</translation>
    </message>
    <message>
        <source>倒计时结束后将返回首页，并清除您本次的信息。</source>
        <translation>When the countdown ends, the kiosk returns home and clears your information.</translation>
    </message>
    <message>
        <source>设备模拟面板</source>
        <translation>Device simulator panel</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>网络</source>
        <translation>Network</translation>
    </message>
    <message>
        <source>断网</source>
        <translation>Cut network</translation>
    </message>
    <message>
        <source>恢复网络</source>
        <translation>Restore network</translation>
    </message>
    <message>
        <source>最近打印的凭条</source>
        <translation>Last receipt printed</translation>
    </message>
    <message>
        <source>手机支付</source>
        <translation>Phone payment</translation>
    </message>
    <message>
        <source>出示付款码</source>
        <translation>Show pay code</translation>
    </message>
    <message>
        <source>手机支付页</source>
        <translation>Phone payment page</translation>
    </message>
    <message>
        <source>屏幕上显示收款码时，这里是手机扫码后的支付页</source>
        <translation>While a QR code is on screen, the page a phone opens when it scans it</translation>
    </message>
    <message>
        <source>在浏览器中打开</source>
        <translation>Open in browser</translation>
    </message>
    <message>
        <source>{wallet}付款码（{behaviour}）</source>
        <translation>{wallet} pay code ({behaviour})</translation>
    </message>
    <message>
        <source>正在向收费沙箱要付款码…</source>
        <translation>Asking the payment sandbox for a pay code…</translation>
    </message>
    <message>
        <source>收费沙箱没有给出付款码：{why}</source>
        <translation>The payment sandbox gave no pay code: {why}</translation>
    </message>
    <message>
        <source>已出示{what}：{code}</source>
        <translation>Showed {what}: {code}</translation>
    </message>
    <message>
        <source>已断开</source>
        <translation>Disconnected</translation>
    </message>
    <message>
        <source>说一句话…</source>
        <translation>Say something…</translation>
    </message>
    <message>
        <source>说</source>
        <translation>Say</translation>
    </message>
    <message>
        <source>请核对证明</source>
        <translation>Check the certificate</translation>
    </message>
    <message>
        <source>正在生成预览…</source>
        <translation>Making the preview…</translation>
    </message>
    <message>
        <source>上一页</source>
        <translation>Previous</translation>
    </message>
    <message>
        <source>下一页</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>放大查看</source>
        <translation>Enlarge</translation>
    </message>
    <message>
        <source>证明名称</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <source>持证人</source>
        <translation>Holder</translation>
    </message>
    <message>
        <source>验证码</source>
        <translation>Verification code</translation>
    </message>
    <message>
        <source>请核对证明内容，无误后点击“打印证明”。单位或银行可扫描证明上的二维码或凭验证码核验真伪。</source>
        <translation>Please check the certificate. If it is correct, tap &quot;Print certificate&quot;. Employers or banks can scan the QR code on it or use the verification code to check it is genuine.</translation>
    </message>
    <message>
        <source>打印证明</source>
        <translation>Print certificate</translation>
    </message>
    <message>
        <source>返回修改</source>
        <translation>Go back and edit</translation>
    </message>
    <message>
        <source>预览暂不可用，打印不受影响。</source>
        <translation>Preview not available; printing still works.</translation>
    </message>
    <message>
        <source>第 {page} 页，共 {pages} 页</source>
        <translation>Page {page} of {pages}</translation>
    </message>
    <message>
        <source>政务服务自助终端</source>
        <translation>Government self-service kiosk</translation>
    </message>
    <message>
        <source>请触摸屏幕开始</source>
        <translation>Touch the screen to start</translation>
    </message>
    <message>
        <source>常用事项：{name}</source>
        <translation>Popular services: {name}</translation>
    </message>
    <message>
        <source>返回</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>首页</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>读给我听</source>
        <translation>Read to me</translation>
    </message>
    <message>
        <source>没有听清</source>
        <translation>Didn&apos;t catch that</translation>
    </message>
    <message>
        <source>请靠近一些，按住“语音提问”再说一次。</source>
        <translation>Please come closer, hold &quot;Ask by voice&quot; and say it again.</translation>
    </message>
    <message>
        <source>语音提问</source>
        <translation>Ask by voice</translation>
    </message>
    <message>
        <source>正在听，请说…</source>
        <translation>Listening, please speak…</translation>
    </message>
    <message>
        <source>正在听您说…</source>
        <translation>Listening…</translation>
    </message>
    <message>
        <source>正在识别…</source>
        <translation>Recognising…</translation>
    </message>
    <message>
        <source>正在打开麦克风…</source>
        <translation>Turning on the microphone…</translation>
    </message>
    <message>
        <source>请说出您要办理的事项</source>
        <translation>Say what you want to do</translation>
    </message>
    <message>
        <source>例如：“我要打社保证明”“公积金怎么提取”</source>
        <translation>For example: &quot;I need a social insurance certificate&quot;, &quot;How do I withdraw my housing fund?&quot;</translation>
    </message>
    <message>
        <source>说完了</source>
        <translation>I&apos;m done</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>智能问答暂不可用，请按主题查找或呼叫工作人员。</source>
        <translation>Smart Q&amp;A is not available now. Please browse by theme or call staff.</translation>
    </message>
    <message>
        <source>请点屏幕下方的“{staff}”，工作人员会帮您。</source>
        <translation>Please tap &quot;{staff}&quot; at the bottom of the screen and staff will help you.</translation>
    </message>
    <message>
        <source>如需办理该事项，请先完成或退出当前办理，再到首页搜索。</source>
        <translation>To do this service, first finish or leave the current one, then search from the home screen.</translation>
    </message>
    <message>
        <source>继续当前办理</source>
        <translation>Continue current service</translation>
    </message>
    <message>
        <source>长辈模式</source>
        <translation>Elder mode</translation>
    </message>
    <message>
        <source>M月d日 HH:mm</source>
        <translation>d MMM HH:mm</translation>
    </message>
    <message>
        <source>yyyy年M月d日 HH:mm</source>
        <translation>d MMM yyyy HH:mm</translation>
    </message>
    <message>
        <source>开始办理</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>去哪里办理</source>
        <translation>Where to go</translation>
    </message>
    <message>
        <source>暂时无法获取服务事项，请稍后再试或联系工作人员。</source>
        <translation>Services are unavailable right now. Please try again later or ask the staff.</translation>
    </message>
    <message>
        <source>实施部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>办件类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>办理时限</source>
        <translation>Time limit</translation>
    </message>
    <message>
        <source>收费</source>
        <translation>Fee</translation>
    </message>
    <message>
        <source>身份核验</source>
        <translation>Identity check</translation>
    </message>
    <message>
        <source>本机可办</source>
        <translation>At this kiosk</translation>
    </message>
    <message>
        <source>仅查看办事指南</source>
        <translation>Service guide only</translation>
    </message>
    <message>
        <source>即办件：材料齐全当场办结</source>
        <translation>Immediate: done on the spot when the materials are complete</translation>
    </message>
    <message>
        <source>承诺件：受理后在承诺时限内办结</source>
        <translation>Promised: done within the promised time after acceptance</translation>
    </message>
    <message>
        <source>当场办结</source>
        <translation>Done on the spot</translation>
    </message>
    <message>
        <source>承诺 {days} 个工作日</source>
        <translation>{days} working days (promised)</translation>
    </message>
    <message>
        <source>承诺 {days} 日</source>
        <translation>{days} days (promised)</translation>
    </message>
    <message>
        <source>法定 {days} 个工作日</source>
        <translation>{days} working days (statutory)</translation>
    </message>
    <message>
        <source>法定 {days} 日</source>
        <translation>{days} days (statutory)</translation>
    </message>
    <message>
        <source>以窗口告知为准</source>
        <translation>As told at the counter</translation>
    </message>
    <message>
        <source>网络中断，暂不能在本机缴纳，请到窗口缴纳</source>
        <translation>the network is down, so it cannot be paid at this kiosk now; please pay at a counter</translation>
    </message>
    <message>
        <source>可在本机缴纳（微信、支付宝），也可到窗口缴纳</source>
        <translation>payable at this kiosk (WeChat Pay, Alipay) or at a counter</translation>
    </message>
    <message>
        <source>证件已取走，本次办理已结束，您填写的信息已清除。</source>
        <translation>Your card has been taken. This session has ended and the information you entered has been cleared.</translation>
    </message>
    <message>
        <source>请取走您的证件。</source>
        <translation>Please take your card.</translation>
    </message>
    <message>
        <source>预约系统暂时无法连接，请稍后再试或到服务台办理。</source>
        <translation>The appointment system cannot be reached right now. Please try again later or go to the service desk.</translation>
    </message>
    <message>
        <source>这个时段刚刚约满了，请另选一个时段。</source>
        <translation>This slot has just filled up. Please choose another one.</translation>
    </message>
    <message>
        <source>这个时段已不能预约，请另选一个时段。</source>
        <translation>This slot can no longer be booked. Please choose another one.</translation>
    </message>
    <message>
        <source>这个时段已经开始，请另选一个时段。</source>
        <translation>This slot has already started. Please choose another one.</translation>
    </message>
    <message>
        <source>您已有该事项的预约，未到时间前不能重复预约。可在“我的预约”中查看或取消。</source>
        <translation>You already have an appointment for this service and cannot book another until it is over. You can view or cancel it in &quot;My appointments&quot;.</translation>
    </message>
    <message>
        <source>本大厅暂不提供该事项的预约，请到服务台咨询。</source>
        <translation>This hall does not take appointments for this service. Please ask at the service desk.</translation>
    </message>
    <message>
        <source>暂时无法预约</source>
        <translation>Cannot book right now</translation>
    </message>
    <message>
        <source>正在查询可预约时间…</source>
        <translation>Looking up available times…</translation>
    </message>
    <message>
        <source>近期的预约时段已约满或暂未开放，请稍后再来查看。</source>
        <translation>The coming slots are full or not open yet. Please check again later.</translation>
    </message>
    <message>
        <source>暂无可预约时段</source>
        <translation>No slots available</translation>
    </message>
    <message>
        <source>需要联网核验身份后才能预约。</source>
        <translation>Your identity must be checked online before you can book.</translation>
    </message>
    <message>
        <source>未能预约</source>
        <translation>Not booked</translation>
    </message>
    <message>
        <source>正在预约…</source>
        <translation>Booking…</translation>
    </message>
    <message>
        <source>预约结果未能确认</source>
        <translation>Booking not confirmed</translation>
    </message>
    <message>
        <source>重试不会重复预约。</source>
        <translation>Trying again will not book twice.</translation>
    </message>
    <message>
        <source>正在打印预约凭条…</source>
        <translation>Printing the appointment slip…</translation>
    </message>
    <message>
        <source>{service}的预约日期、时段、办理地点和预约凭证链接</source>
        <translation>Your {service} appointment: date, time slot, place and a link to its confirmation</translation>
    </message>
    <message>
        <source>需要联网核验身份后才能查询本人预约。</source>
        <translation>Your identity must be checked online before you can see your appointments.</translation>
    </message>
    <message>
        <source>正在查询您的预约…</source>
        <translation>Looking up your appointments…</translation>
    </message>
    <message>
        <source>正在取消预约…</source>
        <translation>Cancelling the appointment…</translation>
    </message>
    <message>
        <source>确定取消这个预约吗？</source>
        <translation>Cancel this appointment?</translation>
    </message>
    <message>
        <source>不取消</source>
        <translation>Keep it</translation>
    </message>
    <message>
        <source>确定取消</source>
        <translation>Yes, cancel</translation>
    </message>
    <message>
        <source>预约已取消</source>
        <translation>Appointment cancelled</translation>
    </message>
    <message>
        <source>该时段已释放，如需办理请重新预约。</source>
        <translation>The slot is free again. To be served, please book again.</translation>
    </message>
    <message>
        <source>无法取消</source>
        <translation>Cannot cancel</translation>
    </message>
    <message>
        <source>预约时段已经开始，不能再取消。</source>
        <translation>The slot has started and can no longer be cancelled.</translation>
    </message>
    <message>
        <source>该预约已签到，请到窗口办理或咨询工作人员。</source>
        <translation>This appointment is already checked in. Please go to the window or ask staff.</translation>
    </message>
    <message>
        <source>没有找到这个预约，请刷新后再试。</source>
        <translation>This appointment was not found. Please refresh and try again.</translation>
    </message>
    <message>
        <source>暂时无法连接预约系统</source>
        <translation>Cannot reach the appointment system</translation>
    </message>
    <message>
        <source>网络中断，暂不能办理</source>
        <translation>Network down, cannot proceed now</translation>
    </message>
    <message>
        <source>“{name}”需要联网办理，本机网络暂时中断。</source>
        <translation>&quot;{name}&quot; needs the network, and this kiosk is offline at the moment.</translation>
    </message>
    <message>
        <source>由{depts}共享您的信息：{what}</source>
        <translation>{depts} will share your information: {what}</translation>
    </message>
    <message>
        <source>基本信息</source>
        <translation>Basic information</translation>
    </message>
    <message>
        <source>用于审核本事项，您无需再提交这些材料</source>
        <translation>Used to review this application; you do not need to provide these documents</translation>
    </message>
    <message>
        <source>现场采集的人脸照片</source>
        <translation>Live face photo</translation>
    </message>
    <message>
        <source>与申请一并保存，用于核实是您本人申请</source>
        <translation>Kept with your application to confirm it was you who applied</translation>
    </message>
    <message>
        <source>您拍摄的材料：{what}</source>
        <translation>Documents you photograph: {what}</translation>
    </message>
    <message>
        <source>提交给{dept}审核本事项</source>
        <translation>Sent to {dept} to review this application</translation>
    </message>
    <message>
        <source>无法在本机继续办理</source>
        <translation>Cannot continue at this kiosk</translation>
    </message>
    <message>
        <source>本事项需要保存现场人脸照片以核实是您本人申请。您可以到人工窗口办理。</source>
        <translation>This service needs to keep a live photo of your face to confirm it is you. You can apply at a staffed counter.</translation>
    </message>
    <message>
        <source>本事项需要提交您拍摄的材料。您可以带上原件到人工窗口办理。</source>
        <translation>This service needs the documents you photograph. You can take the originals to a staffed counter.</translation>
    </message>
    <message>
        <source>不共享信息时，需要您提交纸质证明材料。请到人工窗口办理。</source>
        <translation>If you do not share your information, you must provide paper documents. Please go to a staffed counter.</translation>
    </message>
    <message>
        <source>高拍仪暂时无法使用</source>
        <translation>The document camera is not available</translation>
    </message>
    <message>
        <source>请至少拍摄一页</source>
        <translation>Please photograph at least one page</translation>
    </message>
    <message>
        <source>请在签名区内签名</source>
        <translation>Please sign inside the signature box</translation>
    </message>
    <message>
        <source>按所选标准收费</source>
        <translation>Depends on the option chosen</translation>
    </message>
    <message>
        <source>本机没有凭条打印机。</source>
        <translation>This kiosk has no receipt printer.</translation>
    </message>
    <message>
        <source>扫付款码</source>
        <translation>Scan my payment code</translation>
    </message>
    <message>
        <source>微信扫码支付</source>
        <translation>Pay with WeChat (scan QR)</translation>
    </message>
    <message>
        <source>支付宝扫码支付</source>
        <translation>Pay with Alipay (scan QR)</translation>
    </message>
    <message>
        <source>暂不缴费</source>
        <translation>Pay later</translation>
    </message>
    <message>
        <source>支付结果待确认</source>
        <translation>Payment result not confirmed yet</translation>
    </message>
    <message>
        <source>继续</source>
        <translation>Continue</translation>
    </message>
    <message>
        <source>已缴费 {amount} 元（{channel}，交易号 {transaction}）</source>
        <translation>Paid CNY {amount} ({channel}, transaction {transaction})</translation>
    </message>
    <message>
        <source>微信支付</source>
        <translation>WeChat Pay</translation>
    </message>
    <message>
        <source>缴款码缴纳</source>
        <translation>Paid by notice code</translation>
    </message>
    <message>
        <source>未缴费 {amount}：请凭缴款码 {code} 到收费窗口或政务服务网缴纳。</source>
        <translation>Not paid ({amount}): please pay at a cashier counter or on the government service website with payment notice code {code}.</translation>
    </message>
    <message>
        <source>{amount} 元</source>
        <translation>CNY {amount}</translation>
    </message>
    <message>
        <source>{amount}：提交后请到收费窗口缴纳</source>
        <translation>{amount}: please pay at the payment counter after submitting</translation>
    </message>
    <message>
        <source>正在提交申请，请稍候…</source>
        <translation>Submitting your application, please wait…</translation>
    </message>
    <message>
        <source>{amount}：提交后可在本机缴纳（微信、支付宝），也可以稍后缴纳</source>
        <translation>{amount}: after submitting you can pay at this kiosk (WeChat Pay, Alipay), or pay later</translation>
    </message>
    <message>
        <source>{amount}：网络中断，本机暂不能缴费，提交后请到收费窗口缴纳</source>
        <translation>{amount}: the network is down, so this kiosk cannot take payment now; after submitting, please pay at a cashier counter</translation>
    </message>
    <message>
        <source>网络恢复后本机自动提交，受理后可凭本凭条查询办理进度。</source>
        <translation>This kiosk will submit it automatically when the network is back. Once accepted, you can check progress with this receipt.</translation>
    </message>
    <message>
        <source>不收费</source>
        <translation>Free</translation>
    </message>
    <message>
        <source>请到窗口缴纳</source>
        <translation>pay at a counter</translation>
    </message>
    <message>
        <source>{fee}，{where}</source>
        <translation>{fee}, {where}</translation>
    </message>
    <message>
        <source>无需身份核验</source>
        <translation>No identity check needed</translation>
    </message>
    <message>
        <source>证件 + 现场人脸核验（实人实证，身份等级 {level} 级）</source>
        <translation>ID document + live face check (identity level {level})</translation>
    </message>
    <message>
        <source>{text}；可用：{methods}</source>
        <translation>{text}; accepted: {methods}</translation>
    </message>
    <message>
        <source>{text}；60 岁以上人脸仅采集不比对</source>
        <translation>{text}; aged 60+: face captured, not compared</translation>
    </message>
    <message>
        <source>{text}；可由他人代办</source>
        <translation>{text}; may be done on someone&apos;s behalf</translation>
    </message>
    <message>
        <source>无需提交，由{dept}共享获取</source>
        <translation>Not needed: obtained from {dept}</translation>
    </message>
    <message>
        <source>有关部门</source>
        <translation>the department concerned</translation>
    </message>
    <message>
        <source>{type}（{form}）{copies} 份</source>
        <translation>{type} ({form}), {copies} copies</translation>
    </message>
    <message>
        <source>{type}（{form}）</source>
        <translation>{type} ({form})</translation>
    </message>
    <message>
        <source>{detail}；非必需</source>
        <translation>{detail}; optional</translation>
    </message>
    <message>
        <source>{detail}；可容缺受理</source>
        <translation>{detail}; may be supplied later</translation>
    </message>
    <message>
        <source>网络中断，本事项暂不能在本机办理，请到人工窗口办理。</source>
        <translation>The network is down: this service cannot be done at this kiosk now. Please go to a staffed counter.</translation>
    </message>
    <message>
        <source>网络中断，本机暂时只能查看本事项的办事指南。</source>
        <translation>The network is down: only this service&apos;s guide is available now.</translation>
    </message>
    <message>
        <source>网络中断：可以先在本机申报，网络恢复后自动提交，回执标注“待受理”。</source>
        <translation>The network is down: you can apply now; it is submitted automatically when the network is back, and the receipt says &quot;awaiting acceptance&quot;.</translation>
    </message>
    <message>
        <source>网络中断：显示的是本机缓存的数据，可能不是最新。</source>
        <translation>The network is down: the data shown is cached and may not be current.</translation>
    </message>
    <message>
        <source>{text}（{note}）</source>
        <translation>{text} ({note})</translation>
    </message>
    <message>
        <source>本机网络已断开，请稍后再试或联系工作人员。</source>
        <translation>This kiosk is offline. Please try again later or ask the staff.</translation>
    </message>
    <message>
        <source>暂时连不上政务服务平台，请稍后再试或联系工作人员。</source>
        <translation>Cannot reach the government service platform. Please try again later or ask the staff.</translation>
    </message>
    <message>
        <source>政务服务平台响应太慢，请稍后再试或联系工作人员。</source>
        <translation>The government service platform is too slow to answer. Please try again later or ask the staff.</translation>
    </message>
    <message>
        <source>政务服务平台暂时出现故障，请稍后再试或联系工作人员。</source>
        <translation>The government service platform has a fault. Please try again later or ask the staff.</translation>
    </message>
    <message>
        <source>本机的请求未被政务服务平台接受，已通知工作人员。</source>
        <translation>The platform did not accept this kiosk&apos;s request. The staff have been told.</translation>
    </message>
    <message>
        <source>政务服务平台返回了无法识别的数据，已通知工作人员。</source>
        <translation>The platform answered with data that cannot be read. The staff have been told.</translation>
    </message>
    <message>
        <source>政务服务平台返回的数据与本机不匹配，已通知工作人员。</source>
        <translation>The platform&apos;s answer does not match what this kiosk expects. The staff have been told.</translation>
    </message>
    <message>
        <source>证明需要联网开具，请稍后再试或到窗口办理。</source>
        <translation>Certificates need the network. Please try again later or go to a counter.</translation>
    </message>
    <message>
        <source>设备未连接</source>
        <translation>Not connected</translation>
    </message>
    <message>
        <source>打印队列已暂停</source>
        <translation>Print queue paused</translation>
    </message>
    <message>
        <source>身份证阅读器</source>
        <translation>ID card reader</translation>
    </message>
    <message>
        <source>放身份证（张三）</source>
        <translation>Place ID card (Zhang San)</translation>
    </message>
    <message>
        <source>放身份证（60岁以上）</source>
        <translation>Place ID card (aged 60+)</translation>
    </message>
    <message>
        <source>放他人身份证（人脸比对不通过）</source>
        <translation>Place someone else&apos;s ID card (face check fails)</translation>
    </message>
    <message>
        <source>放港澳台居住证</source>
        <translation>Place HK/Macao/Taiwan residence permit</translation>
    </message>
    <message>
        <source>取走证件</source>
        <translation>Take the card away</translation>
    </message>
    <message>
        <source>读卡失败</source>
        <translation>Card read failed</translation>
    </message>
    <message>
        <source>插社保卡</source>
        <translation>Insert social security card</translation>
    </message>
    <message>
        <source>拔出社保卡</source>
        <translation>Remove social security card</translation>
    </message>
    <message>
        <source>放一页材料</source>
        <translation>Place a page</translation>
    </message>
    <message>
        <source>放身份证正面</source>
        <translation>Place ID card front</translation>
    </message>
    <message>
        <source>放身份证反面</source>
        <translation>Place ID card back</translation>
    </message>
    <message>
        <source>拿走</source>
        <translation>Take away</translation>
    </message>
    <message>
        <source>出现人脸</source>
        <translation>Show a face</translation>
    </message>
    <message>
        <source>眨眼</source>
        <translation>Blink</translation>
    </message>
    <message>
        <source>无人</source>
        <translation>Nobody</translation>
    </message>
    <message>
        <source>两个人</source>
        <translation>Two people</translation>
    </message>
    <message>
        <source>模糊</source>
        <translation>Blurred</translation>
    </message>
    <message>
        <source>太暗</source>
        <translation>Too dark</translation>
    </message>
    <message>
        <source>扫电子证照码（{who}）</source>
        <translation>Scan digital ID code ({who})</translation>
    </message>
    <message>
        <source>扫最近打印的回执</source>
        <translation>Scan the last printed receipt</translation>
    </message>
    <message>
        <source>拿开</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>说：{sentence}</source>
        <translation>Say: {sentence}</translation>
    </message>
    <message>
        <source>语音不可用</source>
        <translation>Speech off</translation>
    </message>
    <message>
        <source>语音可用</source>
        <translation>Speech on</translation>
    </message>
    <message>
        <source>打印 1 页后缺纸</source>
        <translation>Out of paper after 1 page</translation>
    </message>
    <message>
        <source>加纸</source>
        <translation>Add paper</translation>
    </message>
    <message>
        <source>需输入密码</source>
        <translation>Password needed</translation>
    </message>
    <message>
        <source>余额不足</source>
        <translation>Balance too low</translation>
    </message>
    <message>
        <source>无效码</source>
        <translation>Invalid code</translation>
    </message>
    <message>
        <source>扫条形码</source>
        <translation>Scan a barcode</translation>
    </message>
    <message>
        <source>社保卡读卡器</source>
        <translation>Social security card reader</translation>
    </message>
    <message>
        <source>高拍仪</source>
        <translation>Document camera</translation>
    </message>
    <message>
        <source>人脸摄像头</source>
        <translation>Face camera</translation>
    </message>
    <message>
        <source>扫码器</source>
        <translation>QR scanner</translation>
    </message>
    <message>
        <source>凭条打印机</source>
        <translation>Receipt printer</translation>
    </message>
    <message>
        <source>麦克风</source>
        <translation>Microphone</translation>
    </message>
    <message>
        <source>扬声器</source>
        <translation>Speaker</translation>
    </message>
    <message>
        <source>驱动</source>
        <translation>Driver</translation>
    </message>
    <message>
        <source>端口</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>连接方式</source>
        <translation>Connection</translation>
    </message>
    <message>
        <source>SAM编号</source>
        <translation>SAM number</translation>
    </message>
    <message>
        <source>PC/SC读卡器</source>
        <translation>PC/SC reader</translation>
    </message>
    <message>
        <source>ATR</source>
        <translation>ATR</translation>
    </message>
    <message>
        <source>型号配置</source>
        <translation>Model profile</translation>
    </message>
    <message>
        <source>型号</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>编码</source>
        <translation>Encoding</translation>
    </message>
    <message>
        <source>状态应答</source>
        <translation>Status answers</translation>
    </message>
    <message>
        <source>纸宽（毫米）</source>
        <translation>Paper width (mm)</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>CUPS队列</source>
        <translation>CUPS queue</translation>
    </message>
    <message>
        <source>队列状态</source>
        <translation>Queue state</translation>
    </message>
    <message>
        <source>状态原因</source>
        <translation>State reasons</translation>
    </message>
    <message>
        <source>接收任务</source>
        <translation>Accepting jobs</translation>
    </message>
    <message>
        <source>出错策略</source>
        <translation>Error policy</translation>
    </message>
    <message>
        <source>后端</source>
        <translation>Backend</translation>
    </message>
    <message>
        <source>输出文件夹</source>
        <translation>Output folder</translation>
    </message>
    <message>
        <source>图像来源</source>
        <translation>Image source</translation>
    </message>
    <message>
        <source>分辨率</source>
        <translation>Resolution</translation>
    </message>
    <message>
        <source>帧率</source>
        <translation>Frame rate</translation>
    </message>
    <message>
        <source>音频设备</source>
        <translation>Audio device</translation>
    </message>
    <message>
        <source>采样率</source>
        <translation>Sample rate</translation>
    </message>
    <message>
        <source>电平（dBFS）</source>
        <translation>Level (dBFS)</translation>
    </message>
    <message>
        <source>峰值（dBFS）</source>
        <translation>Peak (dBFS)</translation>
    </message>
    <message>
        <source>不做测试动作，只查状态</source>
        <translation>No test action, status only</translation>
    </message>
    <message>
        <source>读卡</source>
        <translation>Read a card</translation>
    </message>
    <message>
        <source>打印测试凭条</source>
        <translation>Print a test slip</translation>
    </message>
    <message>
        <source>打印测试页</source>
        <translation>Print a test page</translation>
    </message>
    <message>
        <source>连续取帧</source>
        <translation>Capture frames</translation>
    </message>
    <message>
        <source>取帧并识别二维码</source>
        <translation>Capture a frame and decode codes</translation>
    </message>
    <message>
        <source>打开端口</source>
        <translation>Open the port</translation>
    </message>
    <message>
        <source>录音2秒</source>
        <translation>Record 2 s</translation>
    </message>
    <message>
        <source>回放录音并播报测试语音</source>
        <translation>Play the recording back and speak a test sentence</translation>
    </message>
    <message>
        <source>设备未连接或打不开</source>
        <translation>Device not connected or cannot be opened</translation>
    </message>
    <message>
        <source>PC/SC 服务（pcscd）没有运行</source>
        <translation>The PC/SC service (pcscd) is not running</translation>
    </message>
    <message>
        <source>安全模块（SAM）没有应答：端口或波特率不对，或模块故障</source>
        <translation>The security module (SAM) does not answer: wrong port or baud rate, or a faulty module</translation>
    </message>
    <message>
        <source>安全模块（SAM）应答错乱：波特率不对或线缆不良</source>
        <translation>The security module (SAM) answers garbage: wrong baud rate or a bad cable</translation>
    </message>
    <message>
        <source>安全模块（SAM）报告故障</source>
        <translation>The security module (SAM) reports a fault</translation>
    </message>
    <message>
        <source>纸将尽</source>
        <translation>Paper low</translation>
    </message>
    <message>
        <source>打印队列已停止</source>
        <translation>Print queue stopped</translation>
    </message>
    <message>
        <source>打印队列已暂停，A4 打印不可用（详情里有暂停者和要执行的命令）</source>
        <translation>Print queue paused, A4 printing unavailable (the details say who paused it and the command to run)</translation>
    </message>
    <message>
        <source>打印机故障</source>
        <translation>Printer fault</translation>
    </message>
    <message>
        <source>打印超时</source>
        <translation>Printing timed out</translation>
    </message>
    <message>
        <source>摄像头打开了但取不到图像</source>
        <translation>The camera opened but gives no image</translation>
    </message>
    <message>
        <source>没有可用的扬声器</source>
        <translation>No speaker available</translation>
    </message>
    <message>
        <source>设备报告 {code}</source>
        <translation>The device reports {code}</translation>
    </message>
    <message>
        <source>设备正常</source>
        <translation>Device OK</translation>
    </message>
    <message>
        <source>可以使用，但需要处理：{reason}</source>
        <translation>Usable, but needs attention: {reason}</translation>
    </message>
    <message>
        <source>不可用：{reason}</source>
        <translation>Unavailable: {reason}</translation>
    </message>
    <message>
        <source>缺纸</source>
        <translation>Paper out</translation>
    </message>
    <message>
        <source>纸仓盖未关</source>
        <translation>Cover open</translation>
    </message>
    <message>
        <source>A4打印机</source>
        <translation>A4 printer</translation>
    </message>
    <message>
        <source>卡纸</source>
        <translation>Paper jam</translation>
    </message>
    <message>
        <source>墨粉用完</source>
        <translation>Out of toner</translation>
    </message>
    <message>
        <source>墨粉不足</source>
        <translation>Toner low</translation>
    </message>
    <message>
        <source>语音（扬声器与麦克风）</source>
        <translation>Speech (speaker and microphone)</translation>
    </message>
    <message>
        <source>正在连接政务服务平台，请稍候…</source>
        <translation>Connecting to the government service platform, please wait…</translation>
    </message>
    <message>
        <source>公告：{text}</source>
        <translation>Notice: {text}</translation>
    </message>
    <message>
        <source>暂停服务</source>
        <translation>Service paused</translation>
    </message>
    <message>
        <source>本机正在维护，暂停办理业务。</source>
        <translation>This terminal is under maintenance and cannot serve you now.</translation>
    </message>
    <message>
        <source>本机设备故障，暂停办理业务。</source>
        <translation>A device of this kiosk has failed; services are suspended.</translation>
    </message>
    <message>
        <source>请到其他自助终端或服务窗口办理，给您带来不便，敬请谅解。</source>
        <translation>Please use another self-service terminal or a service counter. We apologise for the inconvenience.</translation>
    </message>
    <message>
        <source>故障设备：{reason}</source>
        <translation>Failed device: {reason}</translation>
    </message>
    <message>
        <source>光线太强或逆光，请调整位置</source>
        <translation>Too bright or backlit; please move a little</translation>
    </message>
    <message>
        <source>光线太暗，请面向光源或请工作人员开灯</source>
        <translation>Too dark; please face the light or ask staff to turn on a light</translation>
    </message>
    <message>
        <source>已找到材料，请保持不动</source>
        <translation>Document found; please keep it still</translation>
    </message>
    <message>
        <source>看不清材料的边缘，请把材料放在深色垫板上再拍</source>
        <translation>The edge of the material cannot be seen. Please put it on a dark mat and try again.</translation>
    </message>
    <message>
        <source>摄像头暂时无法使用，请联系工作人员</source>
        <translation>The camera is not available; please ask staff for help</translation>
    </message>
    <message>
        <source>无法取得图像</source>
        <translation>No picture</translation>
    </message>
    <message>
        <source>未检测到人脸，请正对摄像头</source>
        <translation>No face found; please face the camera</translation>
    </message>
    <message>
        <source>未检测到眨眼，请重试或联系工作人员</source>
        <translation>No blink was seen; please try again or ask staff for help</translation>
    </message>
    <message>
        <source>未能完成人脸采集，请重试或联系工作人员</source>
        <translation>Face capture did not complete; please try again or ask staff for help</translation>
    </message>
    <message>
        <source>未能拍到材料，请重新放置后再试</source>
        <translation>No document was captured; please place it again and retry</translation>
    </message>
    <message>
        <source>画面中有多张人脸，请确保只有您一人</source>
        <translation>More than one face is in view; please make sure only you are in front of the camera</translation>
    </message>
    <message>
        <source>画面模糊，请保持不动</source>
        <translation>The picture is blurred; please hold still</translation>
    </message>
    <message>
        <source>请将材料平放在拍摄区内</source>
        <translation>Please lay the document flat in the capture area</translation>
    </message>
    <message>
        <source>请将面部移到画面中央</source>
        <translation>Please move your face to the centre of the picture</translation>
    </message>
    <message>
        <source>请正对摄像头，保持不动</source>
        <translation>Please face the camera and hold still</translation>
    </message>
    <message>
        <source>请眨眨眼</source>
        <translation>Please blink</translation>
    </message>
    <message>
        <source>请离摄像头稍远一些</source>
        <translation>Please move a little further from the camera</translation>
    </message>
    <message>
        <source>请靠近摄像头一些</source>
        <translation>Please come a little closer to the camera</translation>
    </message>
    <message>
        <source>采集完成</source>
        <translation>Capture complete</translation>
    </message>
    <message>
        <source>高拍仪暂时无法拍摄，请联系工作人员</source>
        <translation>The document camera is not available; please ask staff for help</translation>
    </message>
    <message>
        <source>读取身份证失败，请把身份证平放在感应区后重试。</source>
        <translation>Could not read the ID card. Place it flat on the reader and try again.</translation>
    </message>
    <message>
        <source>本机暂不能读取外国人永久居留身份证，请联系工作人员办理。</source>
        <translation>This kiosk cannot read the Foreign Permanent Resident ID Card yet. Please ask staff for help.</translation>
    </message>
    <message>
        <source>本机暂不能读取这种证件，请联系工作人员办理。</source>
        <translation>This kiosk cannot read this type of card. Please ask staff for help.</translation>
    </message>
    <message>
        <source>打印机缺纸，未能打印。请联系工作人员。</source>
        <translation>The printer is out of paper; nothing was printed. Please ask staff for help.</translation>
    </message>
    <message>
        <source>打印机纸仓盖未关好，未能打印。请联系工作人员。</source>
        <translation>The printer cover is open; nothing was printed. Please ask staff for help.</translation>
    </message>
    <message>
        <source>打印机卡纸，未能打印。请联系工作人员。</source>
        <translation>The printer has a paper jam; nothing was printed. Please ask staff for help.</translation>
    </message>
    <message>
        <source>打印机墨粉用完，未能打印。请联系工作人员。</source>
        <translation>The printer is out of toner; nothing was printed. Please ask staff for help.</translation>
    </message>
    <message>
        <source>打印机未连接，未能打印。请联系工作人员。</source>
        <translation>The printer is not connected; nothing was printed. Please ask staff for help.</translation>
    </message>
    <message>
        <source>打印机长时间没有完成打印，已取消。请联系工作人员。</source>
        <translation>The printer did not finish in time and the job was cancelled. Please ask staff for help.</translation>
    </message>
    <message>
        <source>打印机故障，未能打印。请联系工作人员。</source>
        <translation>The printer has a fault; nothing was printed. Please ask staff for help.</translation>
    </message>
    <message>
        <source>打印机缺纸，凭条没有打印完整。请联系工作人员补打。</source>
        <translation>The printer ran out of paper and the slip is incomplete. Please ask staff to reprint it.</translation>
    </message>
    <message>
        <source>您已取走证件，本次办理已结束。</source>
        <translation>You have taken your card. This session has ended.</translation>
    </message>
    <message>
        <source>正在开具证明，请稍候…</source>
        <translation>Issuing the certificate, please wait…</translation>
    </message>
    <message>
        <source>未能开具“{name}”。</source>
        <translation>Could not issue &quot;{name}&quot;.</translation>
    </message>
    <message>
        <source>修改后重新开具</source>
        <translation>Edit and issue again</translation>
    </message>
    <message>
        <source>未能开具证明</source>
        <translation>Could not issue the certificate</translation>
    </message>
    <message>
        <source>网络中断，暂不能开具证明</source>
        <translation>Network down, cannot issue certificates now</translation>
    </message>
    <message>
        <source>“{name}”需要联网开具，本机网络暂时中断。</source>
        <translation>&quot;{name}&quot; needs the network to be issued, and this kiosk is offline at the moment.</translation>
    </message>
    <message>
        <source>请稍后再试或到窗口办理。</source>
        <translation>Please try again later or go to a counter.</translation>
    </message>
    <message>
        <source>正在打印证明，请稍候…</source>
        <translation>Printing the certificate, please wait…</translation>
    </message>
    <message>
        <source>证明已打印，请在出纸口取走。</source>
        <translation>The certificate is printed. Please take it from the output tray.</translation>
    </message>
    <message>
        <source>验证码：{code}</source>
        <translation>Verification code: {code}</translation>
    </message>
    <message>
        <source>凭条已打印，请取走。</source>
        <translation>Your receipt is printed. Please take it.</translation>
    </message>
    <message>
        <source>凭条未能打印，请记下验证码；扫描证明上的二维码也可核验。</source>
        <translation>The receipt could not be printed. Please write down the verification code; the QR code on the certificate can also be scanned to check it.</translation>
    </message>
    <message>
        <source>正在打印凭条…</source>
        <translation>Printing the receipt…</translation>
    </message>
    <message>
        <source>文件已打印，请在出纸口取走。</source>
        <translation>Your document is printed. Please take it from the output tray.</translation>
    </message>
    <message>
        <source>社保卡读取失败，请取出后重新插入。</source>
        <translation>The social security card could not be read. Please take it out and insert it again.</translation>
    </message>
    <message>
        <source>此社保卡需验证后才能读取，请到人工窗口办理。</source>
        <translation>This social security card must be verified before it can be read. Please go to a service counter.</translation>
    </message>
    <message>
        <source>社保卡密码已锁定，请到人工窗口办理。</source>
        <translation>The social security card PIN is locked. Please go to a service counter.</translation>
    </message>
    <message>
        <source>社保卡密码错误。</source>
        <translation>Wrong social security card PIN.</translation>
    </message>
    <message>
        <source>此社保卡暂无法在本机读取，请到人工窗口办理。</source>
        <translation>This social security card cannot be read at this kiosk. Please go to a staffed counter.</translation>
    </message>
    <message>
        <source>无法识别此卡，请插入社会保障卡。</source>
        <translation>This card is not recognised. Please insert a social security card.</translation>
    </message>
    <message>
        <source>语音输入暂不可用，请用触摸屏操作。</source>
        <translation>Voice input is not available right now. Please use the touch screen.</translation>
    </message>
    <message>
        <source>没有找到麦克风，请用触摸屏操作。</source>
        <translation>No microphone was found. Please use the touch screen.</translation>
    </message>
    <message>
        <source>语音识别不可用</source>
        <translation>Speech recognition unavailable</translation>
    </message>
    <message>
        <source>不加注</source>
        <translation>No stamp</translation>
    </message>
    <message>
        <source>复印设置</source>
        <translation>Copy settings</translation>
    </message>
    <message>
        <source>正在打印，请稍候…</source>
        <translation>Printing, please wait…</translation>
    </message>
    <message>
        <source>打印暂停</source>
        <translation>Printing paused</translation>
    </message>
    <message>
        <source>{what}，已打印 {done} 页，还有 {left} 页没有打印。</source>
        <translation>{what}: {done} page(s) printed, {left} page(s) not printed yet.</translation>
    </message>
    <message>
        <source>可以继续打印了</source>
        <translation>Printing can continue</translation>
    </message>
    <message>
        <source>打印机已经好了。</source>
        <translation>The printer is working again.</translation>
    </message>
    <message>
        <source>请点“继续打印”。</source>
        <translation>Please tap &quot;Continue printing&quot;.</translation>
    </message>
    <message>
        <source>继续打印</source>
        <translation>Continue printing</translation>
    </message>
    <message>
        <source>不打印了</source>
        <translation>Stop printing</translation>
    </message>
    <message>
        <source>年</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>月</source>
        <translation>Month</translation>
    </message>
    <message>
        <source>日</source>
        <translation>Day</translation>
    </message>
    <message>
        <source>未选择：请点 + 或 − 选择日期</source>
        <translation>Not chosen: tap + or − to pick a date</translation>
    </message>
    <message>
        <source>清除</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>您可以选择：{choices}</source>
        <translation>You can choose: {choices}</translation>
    </message>
    <message>
        <source>个人信息使用告知</source>
        <translation>How your personal information is used</translation>
    </message>
    <message>
        <source>办理本事项需要使用以下信息。请逐项阅读，同意的请点选。</source>
        <translation>This service needs the information below. Please read each item and tap the ones you agree to.</translation>
    </message>
    <message>
        <source>☐ 同意</source>
        <translation>☐ Agree</translation>
    </message>
    <message>
        <source>☑ 已同意</source>
        <translation>☑ Agreed</translation>
    </message>
    <message>
        <source>不同意</source>
        <translation>Disagree</translation>
    </message>
    <message>
        <source>确认并继续</source>
        <translation>Confirm and continue</translation>
    </message>
    <message>
        <source>身份证复印</source>
        <translation>Copy ID card</translation>
    </message>
    <message>
        <source>请将身份证{side}朝上，平放在高拍仪下</source>
        <translation>Place your ID card {side} up, flat under the document camera</translation>
    </message>
    <message>
        <source>放平不动，会自动拍摄。先拍人像面，再拍国徽面。</source>
        <translation>Keep it flat and still; the photo is taken automatically. Photo side first, then emblem side.</translation>
    </message>
    <message>
        <source>请把身份证翻过来，国徽面朝上，放平不动，会自动拍摄。</source>
        <translation>Turn the ID card over, emblem side up. Keep it flat and still; the photo is taken automatically.</translation>
    </message>
    <message>
        <source>照片只保存在本机内存中，打印后即删除。</source>
        <translation>The photos are kept only in this kiosk&apos;s memory and deleted after printing.</translation>
    </message>
    <message>
        <source>请确认{side}</source>
        <translation>Check the {side}</translation>
    </message>
    <message>
        <source>复印件上的样子如下，看不清或有反光请重拍。</source>
        <translation>This is how the copy will look. Retake it if it is unclear or has glare.</translation>
    </message>
    <message>
        <source>重拍</source>
        <translation>Retake</translation>
    </message>
    <message>
        <source>确认</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <source>复印件用途</source>
        <translation>Purpose of the copy</translation>
    </message>
    <message>
        <source>复印件上会加印“仅供办理……使用”，防止被挪作他用。请选择用途：</source>
        <translation>The copy will be stamped &quot;Only for use in …&quot; so it cannot be misused. Please choose the purpose:</translation>
    </message>
    <message>
        <source>打印份数</source>
        <translation>Number of copies</translation>
    </message>
    <message>
        <source>减少一份</source>
        <translation>One fewer copy</translation>
    </message>
    <message>
        <source>增加一份</source>
        <translation>One more copy</translation>
    </message>
    <message>
        <source>打印颜色</source>
        <translation>Print colour</translation>
    </message>
    <message>
        <source>彩色</source>
        <translation>Colour</translation>
    </message>
    <message>
        <source>黑白（文字更清晰）</source>
        <translation>Black and white (clearer text)</translation>
    </message>
    <message>
        <source>开始打印</source>
        <translation>Start printing</translation>
    </message>
    <message>
        <source>{count} 份</source>
        <translation>Copies: {count}</translation>
    </message>
    <message>
        <source>共 {sheets} 张 A4 纸（最多 {most} 份）</source>
        <translation>A4 sheets: {sheets} (max. {most} copies)</translation>
    </message>
    <message>
        <source>共 {pages} 页，已打印 {done} 页</source>
        <translation>Printed {done} of {pages} pages</translation>
    </message>
    <message>
        <source>共 {pages} 页</source>
        <translation>Pages: {pages}</translation>
    </message>
    <message>
        <source>打印完成前请不要离开，复印件和原件都请带走。</source>
        <translation>Please stay until printing is done, and take both the copies and your originals.</translation>
    </message>
    <message>
        <source>请您评价本次服务</source>
        <translation>Please rate this service</translation>
    </message>
    <message>
        <source>点一下表情即可；选“不满意”或“非常不满意”时请再告诉我们原因</source>
        <translation>Just tap a face. If you choose &quot;Dissatisfied&quot; or &quot;Very dissatisfied&quot;, please tell us why</translation>
    </message>
    <message>
        <source>重新选择</source>
        <translation>Choose again</translation>
    </message>
    <message>
        <source>请告诉我们哪里不满意（可多选）</source>
        <translation>Please tell us what was wrong (choose any)</translation>
    </message>
    <message>
        <source>跳过</source>
        <translation>Skip</translation>
    </message>
    <message>
        <source>提交评价</source>
        <translation>Submit rating</translation>
    </message>
    <message>
        <source>您的评价：{level}</source>
        <translation>Your rating: {level}</translation>
    </message>
    <message>
        <source>人脸核验</source>
        <translation>Face check</translation>
    </message>
    <message>
        <source>请正对摄像头</source>
        <translation>Please face the camera</translation>
    </message>
    <message>
        <source>摘下帽子和口罩</source>
        <translation>Take off your hat and mask</translation>
    </message>
    <message>
        <source>保持不动，自然眨眼</source>
        <translation>Hold still and blink naturally</translation>
    </message>
    <message>
        <source>您已年满60周岁：拍照留存即可，比对不通过也可继续办理。</source>
        <translation>You are 60 or older: we only keep the photo, and you can continue even if the check does not match.</translation>
    </message>
    <message>
        <source>正在拍照，请稍候…</source>
        <translation>Taking the photo, please wait…</translation>
    </message>
    <message>
        <source>填写申请信息</source>
        <translation>Fill in the application</translation>
    </message>
    <message>
        <source>带 * 的为必填项；带锁的信息已从证件共享获取，无需填写</source>
        <translation>Fields marked * are required; locked fields come from your ID and need no input</translation>
    </message>
    <message>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>第 {page} 页，共 {pages} 页；后面还有 {count} 项</source>
        <translation>Page {page} of {pages}; {count} more item(s) after this</translation>
    </message>
    <message>
        <source>正在输入：{field}</source>
        <translation>Typing: {field}</translation>
    </message>
    <message>
        <source>已锁定</source>
        <translation>Locked</translation>
    </message>
    <message>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>开始</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>结束</source>
        <translation>End</translation>
    </message>
    <message>
        <source>此项请在“拍摄材料”步骤用高拍仪拍摄</source>
        <translation>Photograph this with the document camera in the &quot;Photograph documents&quot; step</translation>
    </message>
    <message>
        <source>点此输入</source>
        <translation>Tap here to type</translation>
    </message>
    <message>
        <source>居民身份证</source>
        <translation>Resident ID card</translation>
    </message>
    <message>
        <source>请将身份证平放在读卡区</source>
        <translation>Place your ID card flat on the reader</translation>
    </message>
    <message>
        <source>社会保障卡</source>
        <translation>Social security card</translation>
    </message>
    <message>
        <source>请将社保卡芯片朝前插入卡槽</source>
        <translation>Insert your social security card into the slot, chip first</translation>
    </message>
    <message>
        <source>电子证照二维码</source>
        <translation>Digital ID QR code</translation>
    </message>
    <message>
        <source>请出示居民身份电子凭证或电子社保卡二维码，对准扫码窗口</source>
        <translation>Show the QR code of your electronic resident ID or electronic social security card to the scanner window</translation>
    </message>
    <message>
        <source>核验身份</source>
        <translation>Verify identity</translation>
    </message>
    <message>
        <source>请任选一种方式证明您的身份。证件放好后请不要取走，办完再拿</source>
        <translation>Please choose any one way to prove who you are. Leave your card in place until you have finished</translation>
    </message>
    <message>
        <source>用这种方式</source>
        <translation>Use this way</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>共 {digits} 位数字，已输入完整</source>
        <translation>{digits} digits in all: complete</translation>
    </message>
    <message>
        <source>共 {digits} 位数字，已输入 {typed} 位</source>
        <translation>{digits} digits in all; {typed} entered</translation>
    </message>
    <message>
        <source>受理编号：{number}    申请人：{name}</source>
        <translation>Acceptance number: {number}    Applicant: {name}</translation>
    </message>
    <message>
        <source>打印：{name}</source>
        <translation>Print: {name}</translation>
    </message>
    <message>
        <source>办理进度</source>
        <translation>Application progress</translation>
    </message>
    <message>
        <source>暂无办件记录</source>
        <translation>No applications found</translation>
    </message>
    <message>
        <source>预约成功</source>
        <translation>Appointment booked</translation>
    </message>
    <message>
        <source>地点</source>
        <translation>Location</translation>
    </message>
    <message>
        <source>预约人</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>签到时请扫描此码</source>
        <translation>Scan this code to check in</translation>
    </message>
    <message>
        <source>预约凭条已打印，请在出纸口取走。</source>
        <translation>The appointment slip is printed. Please take it from the output tray.</translation>
    </message>
    <message>
        <source>请在预约时段开始前 30 分钟内到大厅自助终端扫码或刷身份证签到。</source>
        <translation>Please check in at a kiosk in the hall within the 30 minutes before your slot starts: scan the code or place your ID card.</translation>
    </message>
    <message>
        <source>预约凭条没有打印出来。</source>
        <translation>The appointment slip was not printed.</translation>
    </message>
    <message>
        <source>请用手机拍下上面的二维码，签到时出示。</source>
        <translation>Please take a photo of the QR code above with your phone and show it when you check in.</translation>
    </message>
    <message>
        <source>取消预约</source>
        <translation>Cancel appointment</translation>
    </message>
    <message>
        <source>我的预约</source>
        <translation>My appointments</translation>
    </message>
    <message>
        <source>暂无预约记录</source>
        <translation>No appointments found</translation>
    </message>
    <message>
        <source>查询完毕请点“首页”</source>
        <translation>When you are done, tap &quot;Home&quot;</translation>
    </message>
    <message>
        <source>已提交，待受理</source>
        <translation>Submitted, awaiting acceptance</translation>
    </message>
    <message>
        <source>待受理 · 网络恢复后自动提交</source>
        <translation>Awaiting acceptance · submitted automatically when the network is back</translation>
    </message>
    <message>
        <source>提交成功，已受理</source>
        <translation>Submitted and accepted</translation>
    </message>
    <message>
        <source>本机编号</source>
        <translation>Kiosk number</translation>
    </message>
    <message>
        <source>受理编号</source>
        <translation>Acceptance number</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>后续</source>
        <translation>Next steps</translation>
    </message>
    <message>
        <source>凭此码查询进度</source>
        <translation>Scan this code to check progress</translation>
    </message>
    <message>
        <source>排队系统暂时离线，此号由本机发放，联网后自动同步，以窗口叫号为准。</source>
        <translation>The queue system is offline right now. This number was issued by this kiosk and will be synced once it is back online. Please follow the calls at the windows.</translation>
    </message>
    <message>
        <source>取号成功</source>
        <translation>Your queue number</translation>
    </message>
    <message>
        <source>排队号</source>
        <translation>Queue number</translation>
    </message>
    <message>
        <source>业务</source>
        <translation>Business</translation>
    </message>
    <message>
        <source>窗口</source>
        <translation>Windows</translation>
    </message>
    <message>
        <source>前面等候</source>
        <translation>People ahead</translation>
    </message>
    <message>
        <source>{people} 人</source>
        <translation>{people}</translation>
    </message>
    <message>
        <source>预计等候</source>
        <translation>Estimated wait</translation>
    </message>
    <message>
        <source>约 {minutes} 分钟</source>
        <translation>About {minutes} min</translation>
    </message>
    <message>
        <source>取号时间</source>
        <translation>Taken at</translation>
    </message>
    <message>
        <source>优先</source>
        <translation>Priority</translation>
    </message>
    <message>
        <source>约 {people} 人（以窗口叫号为准）</source>
        <translation>About {people} (follow the calls at the windows)</translation>
    </message>
    <message>
        <source>您的排队号是 {number}，请到{area}等候，前面大约 {people} 人。</source>
        <translation>Your number is {number}. Please wait at {area}; about {people} ahead of you.</translation>
    </message>
    <message>
        <source>请用手机拍下此码</source>
        <translation>Take a photo of this code with your phone</translation>
    </message>
    <message>
        <source>扫码查看排队进度</source>
        <translation>Scan to follow your place in the queue</translation>
    </message>
    <message>
        <source>排队小票已打印，请在出纸口取走，留意叫号。</source>
        <translation>Your queue ticket has been printed. Please take it from the slot and listen for your number.</translation>
    </message>
    <message>
        <source>查看位置</source>
        <translation>Show on map</translation>
    </message>
    <message>
        <source>发送到手机</source>
        <translation>Send to phone</translation>
    </message>
    <message>
        <source>排队小票没有打印出来。</source>
        <translation>The queue ticket was not printed.</translation>
    </message>
    <message>
        <source>请用手机拍下上面的排队号。</source>
        <translation>Please take a photo of the queue number above with your phone.</translation>
    </message>
    <message>
        <source>请用手机拍下上面的排队号和二维码。</source>
        <translation>Please take a photo of the number and the QR code above with your phone.</translation>
    </message>
    <message>
        <source>您的排队号是 {number}，请到{area}等候，前面还有 {people} 人。</source>
        <translation>Your number is {number}. Please wait at {area}; {people} ahead of you.</translation>
    </message>
    <message>
        <source>回执已打印，请在出纸口取走并妥善保管。</source>
        <translation>Your receipt is printed. Please take it from the output tray and keep it safe.</translation>
    </message>
    <message>
        <source>凭条没有打印出来。</source>
        <translation>The slip did not print.</translation>
    </message>
    <message>
        <source>请用手机拍下上面的编号和二维码，凭它们查询办理进度。</source>
        <translation>Please take a photo of the number and the QR code above with your phone; use them to check the progress.</translation>
    </message>
    <message>
        <source>请用手机拍下或用笔记下上面的编号，凭它查询办理进度。</source>
        <translation>Please take a photo of the number above or write it down; use it to check the progress.</translation>
    </message>
    <message>
        <source>您的{name}是：{digits}。</source>
        <translation>Your {name} is: {digits}.</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>再查一次</source>
        <translation>Look up again</translation>
    </message>
    <message>
        <source>网络中断，显示的是本机保存的服务列表（{age}）。</source>
        <translation>The network is down: showing the list of services saved on this kiosk ({age}).</translation>
    </message>
    <message>
        <source>网络中断，显示的是本机保存的信息，可能不是最新的。</source>
        <translation>The network is down: showing information saved on this kiosk, which may not be the latest.</translation>
    </message>
    <message>
        <source>快递公司</source>
        <translation>Courier</translation>
    </message>
    <message>
        <source>快递单号</source>
        <translation>Tracking number</translation>
    </message>
    <message>
        <source>请输入 8 到 30 位的快递单号（字母或数字）。</source>
        <translation>Please enter the tracking number: 8 to 30 letters or digits.</translation>
    </message>
    <message>
        <source>核对并提交</source>
        <translation>Check and submit</translation>
    </message>
    <message>
        <source>网络暂时中断：提交后将保存在本机，网络恢复后自动提交，回执显示“待受理”。</source>
        <translation>The network is down: your application will be saved on this kiosk and submitted automatically when the network is back; the receipt will say &quot;awaiting acceptance&quot;.</translation>
    </message>
    <message>
        <source>申请信息</source>
        <translation>Application details</translation>
    </message>
    <message>
        <source>（未填）</source>
        <translation>(not filled in)</translation>
    </message>
    <message>
        <source>提交材料</source>
        <translation>Documents provided</translation>
    </message>
    <message>
        <source>{pages} 页</source>
        <translation>{pages} page(s)</translation>
    </message>
    <message>
        <source>暂缺（容缺受理，请在规定时间内补交）</source>
        <translation>Missing (accepted for now; please provide it within the set time)</translation>
    </message>
    <message>
        <source>无需提交材料</source>
        <translation>No documents needed</translation>
    </message>
    <message>
        <source>费用</source>
        <translation>Fee</translation>
    </message>
    <message>
        <source>免费</source>
        <translation>Free</translation>
    </message>
    <message>
        <source>如需修改，请点“返回”</source>
        <translation>To make changes, tap &quot;Back&quot;</translation>
    </message>
    <message>
        <source>确认提交</source>
        <translation>Confirm and submit</translation>
    </message>
    <message>
        <source>拍摄材料</source>
        <translation>Photograph documents</translation>
    </message>
    <message>
        <source>请将材料正面朝上放在高拍仪下，放平后会自动拍摄；多页请一页一页放。</source>
        <translation>Place the document face up under the document camera; it is photographed automatically once flat. For several pages, place them one at a time.</translation>
    </message>
    <message>
        <source>已拍摄 {count} 页</source>
        <translation>Pages taken: {count}</translation>
    </message>
    <message>
        <source>暂无此材料（容缺）</source>
        <translation>I don&apos;t have it now (provide later)</translation>
    </message>
    <message>
        <source>重拍上一页</source>
        <translation>Retake last page</translation>
    </message>
    <message>
        <source>完成，下一步</source>
        <translation>Done, next</translation>
    </message>
    <message>
        <source>请说出或输入您要办理的事项</source>
        <translation>Say or type what you want to do</translation>
    </message>
    <message>
        <source>事项名称、拼音或首字母，如“社保证明”“sbzm”</source>
        <translation>Service name, pinyin or initials, e.g. &quot;社保证明&quot; or &quot;sbzm&quot;</translation>
    </message>
    <message>
        <source>搜索</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>您是不是要找</source>
        <translation>Did you mean</translation>
    </message>
    <message>
        <source>热门搜索</source>
        <translation>Popular searches</translation>
    </message>
    <message>
        <source>本次搜索过</source>
        <translation>Your recent searches</translation>
    </message>
    <message>
        <source>请说出或输入您要办理的事项。点击下方“语音提问”可以直接说。</source>
        <translation>Say or type what you want to do. Tap &quot;Ask by voice&quot; below to just say it.</translation>
    </message>
    <message>
        <source>大家常办：{hot}。</source>
        <translation>Popular: {hot}.</translation>
    </message>
    <message>
        <source>您说的是：</source>
        <translation>You said:</translation>
    </message>
    <message>
        <source>您问的是：</source>
        <translation>You asked:</translation>
    </message>
    <message>
        <source>查看办事指南：{name}</source>
        <translation>See the guide: {name}</translation>
    </message>
    <message>
        <source>请点“{staff}”，工作人员会帮您。</source>
        <translation>Please tap &quot;{staff}&quot; and staff will help you.</translation>
    </message>
    <message>
        <source>重新搜索</source>
        <translation>Search again</translation>
    </message>
    <message>
        <source>签名确认</source>
        <translation>Sign to confirm</translation>
    </message>
    <message>
        <source>请用手指在下方框内写下您的姓名，表示以上信息真实有效。</source>
        <translation>Please write your name in the box below with your finger to confirm that the information above is true.</translation>
    </message>
    <message>
        <source>清除重写</source>
        <translation>Clear and rewrite</translation>
    </message>
    <message>
        <source>确认签名</source>
        <translation>Confirm signature</translation>
    </message>
    <message>
        <source>请先在框内签名，再点“确认签名”</source>
        <translation>Please sign in the box first, then tap &quot;Confirm signature&quot;</translation>
    </message>
    <message>
        <source>选择您的情形</source>
        <translation>Choose your situation</translation>
    </message>
    <message>
        <source>不同情形需要的材料不同，请选择与您相符的一项</source>
        <translation>Different situations need different documents. Please choose the one that fits you</translation>
    </message>
    <message>
        <source>第 {number} 步，共 {total} 步</source>
        <translation>Step {number} of {total}</translation>
    </message>
    <message>
        <source>英文</source>
        <translation>English</translation>
    </message>
    <message>
        <source>中文</source>
        <translation>Chinese</translation>
    </message>
    <message>
        <source>收起</source>
        <translation>Hide</translation>
    </message>
    <message>
        <source>大写</source>
        <translation>Shift</translation>
    </message>
    <message>
        <source>大写锁定</source>
        <translation>Caps lock</translation>
    </message>
    <message>
        <source>空格</source>
        <translation>Space</translation>
    </message>
    <message>
        <source>符号</source>
        <translation>Symbols</translation>
    </message>
    <message>
        <source>手写</source>
        <translation>Handwriting</translation>
    </message>
    <message>
        <source>拼音键盘暂不可用：可输入拼音首字母（如 sbzm 表示社保证明），或使用语音提问。</source>
        <translation>Pinyin keyboard not available: type pinyin initials (e.g. sbzm for 社保证明, social insurance certificate), or ask by voice.</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>{answer} 如需办理，请点击“{name}”。</source>
        <translation>{answer} To apply, tap &quot;{name}&quot;.</translation>
    </message>
    <message>
        <source>您想办理的是哪一项？{names}。</source>
        <translation>Which one do you want? {names}.</translation>
    </message>
    <message>
        <source>这个问题请工作人员为您解答。请点“{staff}”。</source>
        <translation>Staff will answer this question for you. Please tap &quot;{staff}&quot;.</translation>
    </message>
    <message>
        <source>请说出或输入您要办理的事项。</source>
        <translation>Say or type what you want to do.</translation>
    </message>
    <message>
        <source>为您找到以下事项</source>
        <translation>Here is what we found</translation>
    </message>
    <message>
        <source>您想办理的是哪一项？</source>
        <translation>Which one do you want?</translation>
    </message>
    <message>
        <source>这个问题需要工作人员为您解答</source>
        <translation>Staff need to answer this question for you</translation>
    </message>
    <message>
        <source>开具并打印</source>
        <translation>Issue and print</translation>
    </message>
    <message>
        <source>预约 / 签到</source>
        <translation>Book / check in</translation>
    </message>
    <message>
        <source>开始复印</source>
        <translation>Start copying</translation>
    </message>
    <message>
        <source>预约签到 / 取号</source>
        <translation>Check in / take a number</translation>
    </message>
    <message>
        <source>请选择复印内容</source>
        <translation>What do you want to copy?</translation>
    </message>
    <message>
        <source>复印件只在本次办理中保存在本机内存里，打印后即删除。</source>
        <translation>Copies are kept in this kiosk&apos;s memory only during this session and deleted after printing.</translation>
    </message>
    <message>
        <source>材料复印</source>
        <translation>Copy documents</translation>
    </message>
    <message>
        <source>办事流程繁琐</source>
        <translation>Too many steps</translation>
    </message>
    <message>
        <source>等待时间太长</source>
        <translation>Waited too long</translation>
    </message>
    <message>
        <source>操作不方便，看不明白</source>
        <translation>Hard to use or understand</translation>
    </message>
    <message>
        <source>设备出现故障</source>
        <translation>Device fault</translation>
    </message>
    <message>
        <source>信息不准确</source>
        <translation>Wrong information</translation>
    </message>
    <message>
        <source>工作人员帮助不够</source>
        <translation>Staff not helpful enough</translation>
    </message>
    <message>
        <source>请选择{label}</source>
        <translation>Please choose {label}</translation>
    </message>
    <message>
        <source>请填写{label}</source>
        <translation>Please fill in {label}</translation>
    </message>
    <message>
        <source>请从给出的选项中选择</source>
        <translation>Please choose one of the options given</translation>
    </message>
    <message>
        <source>{label}格式不正确</source>
        <translation>{label} is not in the right format</translation>
    </message>
    <message>
        <source>公民身份号码有误，请核对后重新输入</source>
        <translation>The ID number is wrong. Please check it and enter it again</translation>
    </message>
    <message>
        <source>请输入 11 位手机号码</source>
        <translation>Please enter an 11-digit mobile number.</translation>
    </message>
    <message>
        <source>请输入数字</source>
        <translation>Please enter numbers only</translation>
    </message>
    <message>
        <source>请按“年-月-日”输入日期，例如 2026-01-31</source>
        <translation>Enter the date as &quot;year-month-day&quot;, e.g. 2026-01-31</translation>
    </message>
    <message>
        <source>请按“年-月-日 时:分”输入，例如 2026-01-31 09:30</source>
        <translation>Enter as &quot;year-month-day hour:minute&quot;, e.g. 2026-01-31 09:30</translation>
    </message>
    <message>
        <source>请选择开始日期和结束日期</source>
        <translation>Please choose a start date and an end date</translation>
    </message>
    <message>
        <source>开始日期不能晚于结束日期</source>
        <translation>The start date cannot be later than the end date</translation>
    </message>
    <message>
        <source>社保业务</source>
        <translation>Social insurance</translation>
    </message>
    <message>
        <source>医保业务</source>
        <translation>Medical insurance</translation>
    </message>
    <message>
        <source>公积金业务</source>
        <translation>Housing fund</translation>
    </message>
    <message>
        <source>户籍业务</source>
        <translation>Household registration</translation>
    </message>
    <message>
        <source>不动产登记</source>
        <translation>Real estate registration</translation>
    </message>
    <message>
        <source>银行业务</source>
        <translation>Banking</translation>
    </message>
    <message>
        <source>人像面</source>
        <translation>photo side</translation>
    </message>
    <message>
        <source>国徽面</source>
        <translation>emblem side</translation>
    </message>
    <message>
        <source>本机暂时无法复印身份证。</source>
        <translation>This kiosk cannot copy ID cards right now.</translation>
    </message>
    <message>
        <source>复印份数</source>
        <translation>Number of copies</translation>
    </message>
    <message>
        <source>请取回放在高拍仪上的身份证。</source>
        <translation>Please take back your ID card from the document camera.</translation>
    </message>
    <message>
        <source>请重新放好身份证{side}，保持不动</source>
        <translation>Place the ID card {side} up again and keep it still</translation>
    </message>
    <message>
        <source>复印完成</source>
        <translation>Copying done</translation>
    </message>
    <message>
        <source>请在出纸口取走复印件。</source>
        <translation>Please take your copies from the output tray.</translation>
    </message>
    <message>
        <source>本机暂时无法读取证件。</source>
        <translation>This kiosk cannot read cards right now.</translation>
    </message>
    <message>
        <source>您选择了人工帮办。</source>
        <translation>You chose staff assistance.</translation>
    </message>
    <message>
        <source>这不是身份二维码。请出示居民身份电子凭证或电子社保卡的二维码。</source>
        <translation>This is not an identity QR code. Please show the QR code of your electronic resident ID or electronic social security card.</translation>
    </message>
    <message>
        <source>证件已过期，请使用有效证件，或改用其他方式。</source>
        <translation>This card has expired. Please use a valid card, or choose another way.</translation>
    </message>
    <message>
        <source>证件信息无法识别，请改用其他方式或联系工作人员。</source>
        <translation>The card information cannot be read. Please choose another way or ask staff for help.</translation>
    </message>
    <message>
        <source>本机人脸摄像头暂时无法使用。</source>
        <translation>The face camera on this kiosk is not available right now.</translation>
    </message>
    <message>
        <source>身份核验未通过。</source>
        <translation>Identity check failed.</translation>
    </message>
    <message>
        <source>人脸与证件不一致。请摘下帽子、眼镜，正对摄像头重试。</source>
        <translation>Your face does not match the card. Please take off your hat and glasses, face the camera and try again.</translation>
    </message>
    <message>
        <source>人脸照片不够清晰。请正对摄像头、保持不动后重试。</source>
        <translation>The face photo is not clear enough. Please face the camera, hold still and try again.</translation>
    </message>
    <message>
        <source>证件无法核验，请改用其他方式或联系工作人员。</source>
        <translation>The card cannot be verified. Please choose another way or ask staff for help.</translation>
    </message>
    <message>
        <source>二维码无效或已过期，请刷新二维码后重试，或改用其他方式。</source>
        <translation>The QR code is invalid or has expired. Please refresh it and try again, or choose another way.</translation>
    </message>
    <message>
        <source>网络中断，本事项需要联网核验身份，暂不能在本机办理。</source>
        <translation>The network is down: this service needs the network to check your identity, so it cannot be done at this kiosk now.</translation>
    </message>
    <message>
        <source>网络中断，二维码暂时无法核验。请改用身份证或社保卡。</source>
        <translation>The network is down, so QR codes cannot be checked now. Please use your ID card or social security card.</translation>
    </message>
    <message>
        <source>排队号 {number}、办理窗口和查看排队进度的链接</source>
        <translation>Queue number {number}, the service windows and a link to follow the queue</translation>
    </message>
    <message>
        <source>输入手机号码</source>
        <translation>Enter your mobile number</translation>
    </message>
    <message>
        <source>短信已发送</source>
        <translation>SMS sent</translation>
    </message>
    <message>
        <source>已发送到 {phone}，请注意查收。</source>
        <translation>Sent to {phone}. Please check your messages.</translation>
    </message>
    <message>
        <source>短信未能发送</source>
        <translation>SMS not sent</translation>
    </message>
    <message>
        <source>重试</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>身份核验未通过</source>
        <translation>Identity check failed</translation>
    </message>
    <message>
        <source>复印材料</source>
        <translation>Documents to copy</translation>
    </message>
    <message>
        <source>请取回放在高拍仪上的原件。</source>
        <translation>Please take back your originals from the document camera.</translation>
    </message>
    <message>
        <source>本机暂时无法复印材料。</source>
        <translation>This kiosk cannot copy documents right now.</translation>
    </message>
    <message>
        <source>已达 {count} 页上限，请点击完成</source>
        <translation>Limit of {count} pages reached. Please tap &quot;Done, next&quot;</translation>
    </message>
    <message>
        <source>请到服务台找工作人员帮您办理。</source>
        <translation>Please go to the service desk; staff will help you.</translation>
    </message>
    <message>
        <source>请取走您的身份证或社保卡，以及打印的凭条。</source>
        <translation>Please take your ID card or social security card, and the printed receipt.</translation>
    </message>
    <message>
        <source>请取走您的身份证或社保卡。</source>
        <translation>Please take your ID card or social security card.</translation>
    </message>
    <message>
        <source>请联系工作人员</source>
        <translation>Please ask staff for help</translation>
    </message>
    <message>
        <source>办理结束</source>
        <translation>Finished</translation>
    </message>
    <message>
        <source>本机暂时无法打印。</source>
        <translation>This kiosk cannot print right now.</translation>
    </message>
    <message>
        <source>打印机的盖子没有关好</source>
        <translation>The printer&apos;s cover is open</translation>
    </message>
    <message>
        <source>打印机卡纸了</source>
        <translation>The printer has a paper jam</translation>
    </message>
    <message>
        <source>打印机的墨粉用完了</source>
        <translation>The printer is out of toner</translation>
    </message>
    <message>
        <source>打印机没有连接</source>
        <translation>The printer is not connected</translation>
    </message>
    <message>
        <source>打印机很久没有打完</source>
        <translation>The printer has not finished for a long time</translation>
    </message>
    <message>
        <source>请到服务台找工作人员来处理，处理好后这里会出现“继续打印”。</source>
        <translation>Please ask staff at the service desk to fix it; &quot;Continue printing&quot; will appear here once it is fixed.</translation>
    </message>
    <message>
        <source>打印机出了故障</source>
        <translation>The printer has a fault</translation>
    </message>
    <message>
        <source>{what}，已打印 {done} 页。</source>
        <translation>{what}: {done} page(s) printed.</translation>
    </message>
    <message>
        <source>{what}，还没有打印。</source>
        <translation>{what}: nothing printed yet.</translation>
    </message>
    <message>
        <source>打印未完成。</source>
        <translation>Printing not finished.</translation>
    </message>
    <message>
        <source>打印未完成：已打印 {done} 页。</source>
        <translation>Printing not finished: {done} page(s) printed.</translation>
    </message>
    <message>
        <source>未能打印</source>
        <translation>Could not print</translation>
    </message>
    <message>
        <source>刷身份证查询本人办件</source>
        <translation>Use your ID card to find your applications</translation>
    </message>
    <message>
        <source>请将回执上的二维码对准扫码窗口，或选择下面的方式。</source>
        <translation>Hold the QR code on your receipt up to the scanner window, or choose a way below.</translation>
    </message>
    <message>
        <source>请选择查询方式。</source>
        <translation>Please choose how to look it up.</translation>
    </message>
    <message>
        <source>这不是办件回执上的二维码</source>
        <translation>This is not the QR code on an application receipt</translation>
    </message>
    <message>
        <source>请扫描受理回执（凭条）上的二维码，或输入受理编号。</source>
        <translation>Please scan the QR code on your acceptance receipt, or enter the acceptance number.</translation>
    </message>
    <message>
        <source>回执核验未通过</source>
        <translation>Receipt check failed</translation>
    </message>
    <message>
        <source>这张回执的二维码未能通过平台核验，请到服务台请工作人员核实。</source>
        <translation>The QR code on this receipt could not be verified by the platform. Please ask the staff at the service desk to check it.</translation>
    </message>
    <message>
        <source>请输入小票上“受理编号”的数字，共 {digits} 位，前面的字母不用输入。</source>
        <translation>Enter the digits of the &quot;acceptance number&quot; on your slip, {digits} in all; leave out the letters in front.</translation>
    </message>
    <message>
        <source>没有找到编号为 {digits} 的办件，请对照小票核对每一位数字。</source>
        <translation>No application numbered {digits} was found; please check each digit against your slip.</translation>
    </message>
    <message>
        <source>请输入受理编号的数字，共 {digits} 位。</source>
        <translation>Enter the digits of the acceptance number, {digits} in all.</translation>
    </message>
    <message>
        <source>受理编号只有数字，请只输入数字。</source>
        <translation>The acceptance number has digits only; please enter only digits.</translation>
    </message>
    <message>
        <source>受理编号共 {digits} 位数字，您输入了 {typed} 位，还少 {missing} 位。</source>
        <translation>The acceptance number has {digits} digits; you entered {typed}, {missing} missing.</translation>
    </message>
    <message>
        <source>受理编号共 {digits} 位数字，您输入了 {typed} 位，多了 {extra} 位。</source>
        <translation>The acceptance number has {digits} digits; you entered {typed}, {extra} too many.</translation>
    </message>
    <message>
        <source>暂时无法查询</source>
        <translation>Cannot look it up now</translation>
    </message>
    <message>
        <source>需要联网核验身份后才能查询本人办件。</source>
        <translation>Your identity must be checked online before you can see your applications.</translation>
    </message>
    <message>
        <source>正在查询，请稍候…</source>
        <translation>Looking it up, please wait…</translation>
    </message>
    <message>
        <source>没有查到您的办件。</source>
        <translation>No applications of yours were found.</translation>
    </message>
    <message>
        <source>无法打印</source>
        <translation>Cannot print</translation>
    </message>
    <message>
        <source>本机没有 A4 打印机，请到服务台打印。</source>
        <translation>This kiosk has no A4 printer. Please print at the service desk.</translation>
    </message>
    <message>
        <source>正在打印…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <source>查询需要联网，本机现在连不上政务服务平台，请稍后再试。</source>
        <translation>Lookups need the network, and this kiosk cannot reach the government service platform right now. Please try again later.</translation>
    </message>
    <message>
        <source>本机现在连不上政务服务平台。</source>
        <translation>This kiosk cannot reach the government service platform right now.</translation>
    </message>
    <message>
        <source>服务正常。</source>
        <translation>The service is working.</translation>
    </message>
    <message>
        <source>对方服务响应太慢，暂时查不到。</source>
        <translation>The provider is answering too slowly, so nothing can be looked up right now.</translation>
    </message>
    <message>
        <source>对方服务暂时无法使用。</source>
        <translation>The provider&apos;s service is unavailable right now.</translation>
    </message>
    <message>
        <source>对方服务返回的信息无法识别，暂时查不到。</source>
        <translation>The provider&apos;s answer cannot be read, so nothing can be looked up right now.</translation>
    </message>
    <message>
        <source>车牌号码</source>
        <translation>Plate number</translation>
    </message>
    <message>
        <source>车辆识别代号后 6 位</source>
        <translation>Last 6 characters of the VIN</translation>
    </message>
    <message>
        <source>企业名称或统一社会信用代码</source>
        <translation>Company name or unified social credit code</translation>
    </message>
    <message>
        <source>请输入完整的车牌号码，如 京A12345。</source>
        <translation>Please enter the full plate number, e.g. 京A12345.</translation>
    </message>
    <message>
        <source>请输入行驶证上车辆识别代号的最后 6 位（字母或数字）。</source>
        <translation>Please enter the last 6 characters (letters or digits) of the VIN on the vehicle licence.</translation>
    </message>
    <message>
        <source>请选择快递公司。</source>
        <translation>Please choose the courier.</translation>
    </message>
    <message>
        <source>请输入完整的企业名称，或 18 位统一社会信用代码（请核对最后一位）。</source>
        <translation>Please enter the full company name, or the 18-character unified social credit code (check its last character).</translation>
    </message>
    <message>
        <source>正在打开便民服务…</source>
        <translation>Opening convenience services…</translation>
    </message>
    <message>
        <source>便民服务暂时无法使用</source>
        <translation>Convenience services are unavailable right now</translation>
    </message>
    <message>
        <source>正在获取{title}…</source>
        <translation>Getting {title}…</translation>
    </message>
    <message>
        <source>暂时无法获取{title}</source>
        <translation>{title} is unavailable right now</translation>
    </message>
    <message>
        <source>信息暂时无法更新，显示的是最近一次获取的信息。{away}</source>
        <translation>The information cannot be updated right now; showing the last information received. {away}</translation>
    </message>
    <message>
        <source>正在查询…</source>
        <translation>Looking it up…</translation>
    </message>
    <message>
        <source>已查询到结果。</source>
        <translation>Results found.</translation>
    </message>
    <message>
        <source>未查询到结果。</source>
        <translation>Nothing was found.</translation>
    </message>
    <message>
        <source>打印{title}</source>
        <translation>Print {title}</translation>
    </message>
    <message>
        <source>《{document}》，A4 彩色打印。</source>
        <translation>&quot;{document}&quot;, printed in colour on A4.</translation>
    </message>
    <message>
        <source>打印免费，请在打印完成后取走。</source>
        <translation>Printing is free. Please take the pages when printing is done.</translation>
    </message>
    <message>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>正在准备资料…</source>
        <translation>Preparing the document…</translation>
    </message>
    <message>
        <source>暂时无法打印</source>
        <translation>Cannot print right now</translation>
    </message>
    <message>
        <source>正在彩色打印，请稍候…</source>
        <translation>Printing in colour, please wait…</translation>
    </message>
    <message>
        <source>打印完成</source>
        <translation>Printing done</translation>
    </message>
    <message>
        <source>请取走打印好的资料。</source>
        <translation>Please take your printed pages.</translation>
    </message>
    <message>
        <source>刚刚更新（{at}）</source>
        <translation>Updated just now ({at})</translation>
    </message>
    <message>
        <source>{minutes} 分钟前更新（{at}）</source>
        <translation>Updated {minutes} min ago ({at})</translation>
    </message>
    <message>
        <source>{hours} 小时前更新（{at}）</source>
        <translation>Updated {hours} h ago ({at})</translation>
    </message>
    <message>
        <source>{days} 天前更新（{at}）</source>
        <translation>Updated {days} day(s) ago ({at})</translation>
    </message>
    <message>
        <source>您要办的可能是“{name}”，点击进入。</source>
        <translation>You may be looking for &quot;{name}&quot;. Tap to open it.</translation>
    </message>
    <message>
        <source>微信</source>
        <translation>WeChat</translation>
    </message>
    <message>
        <source>支付宝</source>
        <translation>Alipay</translation>
    </message>
    <message>
        <source>缴费项目</source>
        <translation>Fee for</translation>
    </message>
    <message>
        <source>应缴金额</source>
        <translation>Amount due</translation>
    </message>
    <message>
        <source>缴纳费用</source>
        <translation>Pay the fee</translation>
    </message>
    <message>
        <source>申请已保存。缴费后申请与缴费一并提交；暂不缴费的，申请照常提交，可凭回执到收费窗口缴纳。</source>
        <translation>Your application is saved. If you pay now, it is submitted together with the payment; if you pay later, it is submitted as usual and you can pay at a cashier counter with your receipt.</translation>
    </message>
    <message>
        <source>打开微信或支付宝的“付款码”，对准扫码窗口</source>
        <translation>Open the &quot;Pay&quot; code in WeChat or Alipay and hold it to the scanner window</translation>
    </message>
    <message>
        <source>扫码支付</source>
        <translation>Scan a QR code</translation>
    </message>
    <message>
        <source>屏幕上显示二维码，用手机微信或支付宝扫一扫</source>
        <translation>A QR code is shown on screen; scan it with WeChat or Alipay on your phone</translation>
    </message>
    <message>
        <source>申请照常提交。回执上有缴款码，可到收费窗口或政务服务网缴纳。</source>
        <translation>Your application is submitted as usual. Your receipt carries a payment notice code for paying at a cashier counter or on the government service website.</translation>
    </message>
    <message>
        <source>需要缴纳{amount}，用于{item}。</source>
        <translation>The fee is {amount}, for {item}. </translation>
    </message>
    <message>
        <source>您可以选择：{choices}。</source>
        <translation>You can choose: {choices}.</translation>
    </message>
    <message>
        <source>打开手机微信或支付宝的“付款码”页面</source>
        <translation>Open the &quot;Pay&quot; code page in WeChat or Alipay on your phone</translation>
    </message>
    <message>
        <source>将付款码对准屏幕下方的扫码窗口，距离 5 至 10 厘米</source>
        <translation>Hold the code to the scanner window below the screen, 5 to 10 cm away</translation>
    </message>
    <message>
        <source>扫到后自动支付；需要时请在手机上输入密码</source>
        <translation>Payment starts once it is read; enter your password on the phone if asked</translation>
    </message>
    <message>
        <source>请打开手机微信或支付宝的付款码，对准屏幕下方的扫码窗口。</source>
        <translation>Please open the payment code in WeChat or Alipay on your phone and hold it to the scanner window below the screen.</translation>
    </message>
    <message>
        <source>{channel}扫码支付</source>
        <translation>Pay with {channel}</translation>
    </message>
    <message>
        <source>请用手机{channel}“扫一扫”扫描左侧二维码，并在手机上确认支付</source>
        <translation>Scan the QR code on the left with {channel} &quot;Scan&quot; on your phone, then confirm the payment on the phone</translation>
    </message>
    <message>
        <source>二维码 {time} 前有效</source>
        <translation>QR code valid until {time}</translation>
    </message>
    <message>
        <source>取消支付</source>
        <translation>Cancel payment</translation>
    </message>
    <message>
        <source>请用手机{channel}扫描屏幕上的二维码，支付{amount}。</source>
        <translation>Please scan the QR code on screen with {channel} on your phone to pay {amount}.</translation>
    </message>
    <message>
        <source>请在手机上输入密码</source>
        <translation>Please enter your password on your phone</translation>
    </message>
    <message>
        <source>正在确认支付结果，请稍候…</source>
        <translation>Confirming the payment, please wait…</translation>
    </message>
    <message>
        <source>{item}：{amount}</source>
        <translation>{item}: {amount}</translation>
    </message>
    <message>
        <source>支付完成前请不要离开，也不要重复付款。</source>
        <translation>Please do not leave before the payment is done, and do not pay twice.</translation>
    </message>
    <message>
        <source>请在手机上输入密码，确认支付{amount}。</source>
        <translation>Please enter your password on your phone to confirm paying {amount}.</translation>
    </message>
    <message>
        <source>正在确认支付结果，请稍候，不要重复付款。</source>
        <translation>Confirming the payment, please wait, and do not pay again.</translation>
    </message>
    <message>
        <source>余额不足，未扣款。可以换一张银行卡或换一种方式再付，也可以暂不缴费。</source>
        <translation>Insufficient balance; nothing was charged. You can pay with another card or another way, or pay later.</translation>
    </message>
    <message>
        <source>付款码无效或已过期，未扣款。请刷新手机上的付款码后再扫，或改用扫码支付。</source>
        <translation>The payment code is invalid or has expired; nothing was charged. Refresh the code on your phone and scan again, or scan a QR code instead.</translation>
    </message>
    <message>
        <source>支付未完成（已在手机上取消或密码错误），未扣款。可以再试一次，或暂不缴费。</source>
        <translation>The payment did not go through (cancelled on the phone or a wrong password); nothing was charged. You can try again, or pay later.</translation>
    </message>
    <message>
        <source>等待确认超时，已撤销，未扣款。可以再试一次，或暂不缴费。</source>
        <translation>The confirmation took too long and the payment was reversed; nothing was charged. You can try again, or pay later.</translation>
    </message>
    <message>
        <source>支付机构暂时无法收款，未扣款。请稍后再试，或改用另一种方式、暂不缴费。</source>
        <translation>The payment provider cannot take payments right now; nothing was charged. Try again shortly, use the other way, or pay later.</translation>
    </message>
    <message>
        <source>支付未完成，未扣款。可以再试一次，或暂不缴费。</source>
        <translation>The payment did not go through; nothing was charged. You can try again, or pay later.</translation>
    </message>
    <message>
        <source>已取消支付，未扣款。</source>
        <translation>Payment cancelled; nothing was charged.</translation>
    </message>
    <message>
        <source>收款码已失效，未扣款。可以重新生成收款码，或改用其他方式。</source>
        <translation>The QR code is no longer valid; nothing was charged. You can get a new QR code, or pay another way.</translation>
    </message>
    <message>
        <source>这不是付款码。请打开微信或支付宝的“付款码”页面，对准扫码窗口。</source>
        <translation>That is not a payment code. Please open the &quot;Pay&quot; code page in WeChat or Alipay and hold it to the scanner window.</translation>
    </message>
    <message>
        <source>暂时无法在本机缴费，未扣款。</source>
        <translation>Payment is not available at this kiosk right now; nothing was charged.</translation>
    </message>
    <message>
        <source>您的申请会照常提交。请凭回执到收费窗口缴纳费用。</source>
        <translation>Your application will be submitted as usual. Please pay the fee at a cashier counter with your receipt.</translation>
    </message>
    <message>
        <source>网络异常，暂时无法确认支付结果。请不要重复付款。</source>
        <translation>A network problem means the payment cannot be confirmed right now. Please do not pay again.</translation>
    </message>
    <message>
        <source>本机会自动确认：已扣款的，申请与这笔付款一并提交；未扣款的，申请照常提交，可凭回执到收费窗口缴纳。</source>
        <translation>This kiosk will confirm it automatically: if you were charged, your application is submitted with that payment; if not, it is submitted as usual and you can pay at a cashier counter with your receipt.</translation>
    </message>
    <message>
        <source>支付结果需要工作人员核实，请不要重复付款。</source>
        <translation>The payment result needs to be checked by staff. Please do not pay again.</translation>
    </message>
    <message>
        <source>{line}。缴费凭证未能打印：{why}</source>
        <translation>{line}. The payment slip could not be printed: {why}</translation>
    </message>
    <message>
        <source>缴费结果确认中，请不要重复付款。{later}</source>
        <translation>Payment being confirmed; please do not pay again. {later}</translation>
    </message>
    <message>
        <source>未缴费 {amount}：请凭缴款码到收费窗口或政务服务网缴纳。</source>
        <translation>Not paid ({amount}): please pay at a cashier counter or on the government service website with the payment notice code.</translation>
    </message>
    <message>
        <source>未缴费 {amount}：网络中断，本机暂不能缴费，请到收费窗口缴纳。</source>
        <translation>Not paid ({amount}): the network is down, so this kiosk cannot take payment now; please pay at a cashier counter.</translation>
    </message>
    <message>
        <source>未缴费 {amount}：请到收费窗口缴纳。</source>
        <translation>Not paid ({amount}): please pay at a cashier counter.</translation>
    </message>
    <message>
        <source>暂时无法缴费</source>
        <translation>Payment not available</translation>
    </message>
    <message>
        <source>正在生成缴费订单，请稍候…</source>
        <translation>Preparing the payment, please wait…</translation>
    </message>
    <message>
        <source>本机扫码器暂时无法使用，请改用扫码支付。</source>
        <translation>The code scanner of this kiosk is not working; please scan a QR code instead.</translation>
    </message>
    <message>
        <source>正在支付，请稍候…</source>
        <translation>Paying, please wait…</translation>
    </message>
    <message>
        <source>正在生成收款码，请稍候…</source>
        <translation>Preparing the QR code, please wait…</translation>
    </message>
    <message>
        <source>暂时无法生成收款码：{why}</source>
        <translation>Could not make a QR code just now: {why}</translation>
    </message>
    <message>
        <source>正在取消支付，请稍候…</source>
        <translation>Cancelling the payment, please wait…</translation>
    </message>
    <message>
        <source>正在撤销支付，请稍候…</source>
        <translation>Reversing the payment, please wait…</translation>
    </message>
    <message>
        <source>本机没有凭条打印机</source>
        <translation>this kiosk has no receipt printer</translation>
    </message>
    <message>
        <source>缴费成功，正在打印缴费凭证…</source>
        <translation>Paid. Printing your payment slip…</translation>
    </message>
    <message>
        <source>键盘式扫码器像键盘一样输入，只能在终端界面上扫码测试</source>
        <translation>A keyboard-wedge scanner types like a keyboard: test it by scanning on the kiosk screen</translation>
    </message>
    <message>
        <source>模拟扫码器没有读出它显示的测试二维码</source>
        <translation>The simulated scanner did not read the test QR code it was shown</translation>
    </message>
    <message>
        <source>读出了测试二维码</source>
        <translation>Read the test QR code</translation>
    </message>
    <message>
        <source>画面中读到 {count} 个码</source>
        <translation>{count} code(s) read in the picture</translation>
    </message>
    <message>
        <source>画面中没有码（可拿一张二维码对准扫码口再查）</source>
        <translation>No code in the picture (hold a QR code to the scanner window and check again)</translation>
    </message>
    <message>
        <source>{frames}；{seen}</source>
        <translation>{frames}; {seen}</translation>
    </message>
    <message>
        <source>取到 {count} 帧，{resolution}，每秒 {fps} 帧</source>
        <translation>{count} frames captured, {resolution}, {fps} frames per second</translation>
    </message>
    <message>
        <source>外国人永久居留身份证</source>
        <translation>Foreign permanent resident ID card</translation>
    </message>
    <message>
        <source>港澳台居民居住证</source>
        <translation>Residence permit for Hong Kong, Macao and Taiwan residents</translation>
    </message>
    <message>
        <source>请在 {seconds} 秒内把身份证放到阅读器感应区上……</source>
        <translation>Place an ID card on the reader within {seconds} seconds…</translation>
    </message>
    <message>
        <source>请在 {seconds} 秒内把社保卡插入读卡器……</source>
        <translation>Insert a social security card into the reader within {seconds} seconds…</translation>
    </message>
    <message>
        <source>读卡成功：{kind}</source>
        <translation>Card read: {kind}</translation>
    </message>
    <message>
        <source>读卡失败：{reason}</source>
        <translation>Card read failed: {reason}</translation>
    </message>
    <message>
        <source>读卡器正常；{seconds} 秒内没有放卡，未测试读卡</source>
        <translation>Reader OK; no card placed within {seconds} seconds, reading not tested</translation>
    </message>
    <message>
        <source>凭条打印测试</source>
        <translation>Receipt printer test</translation>
    </message>
    <message>
        <source>本凭条由设备检查打印，无需保留。</source>
        <translation>Printed by the device check; no need to keep it.</translation>
    </message>
    <message>
        <source>打印时间</source>
        <translation>Printed at</translation>
    </message>
    <message>
        <source>能扫出 DEVICE-CHECK 即二维码正常</source>
        <translation>The QR code is fine if it scans as DEVICE-CHECK</translation>
    </message>
    <message>
        <source>中文、数字 0123456789 与二维码应清晰完整</source>
        <translation>Chinese text, the digits 0123456789 and the QR code should be sharp and complete</translation>
    </message>
    <message>
        <source>A4打印测试页</source>
        <translation>A4 test page</translation>
    </message>
    <message>
        <source>本页由设备检查打印，无需保留。文字应清晰、居中，四边无裁切。</source>
        <translation>Printed by the device check; no need to keep it. The text should be sharp and centred, with nothing cut off at the edges.</translation>
    </message>
    <message>
        <source>设备检查</source>
        <translation>Device check</translation>
    </message>
    <message>
        <source>测试凭条已打印，请到出纸口查看</source>
        <translation>Test slip printed; check it at the paper outlet</translation>
    </message>
    <message>
        <source>测试页已打印，请到出纸口查看</source>
        <translation>Test page printed; check it at the paper outlet</translation>
    </message>
    <message>
        <source>{verdict}；但队列的出错策略需要调整（见详情）</source>
        <translation>{verdict}; but the queue&apos;s error policy needs changing (see the details)</translation>
    </message>
    <message>
        <source>{printed}（此连接读不到打印机状态，请看纸上是否打印出来）</source>
        <translation>{printed} (this connection cannot read the printer status: check the paper)</translation>
    </message>
    <message>
        <source>未能打印：{reason}</source>
        <translation>Not printed: {reason}</translation>
    </message>
    <message>
        <source>测试</source>
        <translation>Test</translation>
    </message>
    <message>
        <source>检查出错（详见日志）</source>
        <translation>The check failed (see the log)</translation>
    </message>
    <message>
        <source>密码键盘已锁定，请在 {minutes} 分 {seconds} 秒后再试</source>
        <translation>The PIN pad is locked: try again in {minutes} min {seconds} s</translation>
    </message>
    <message>
        <source>维护密码无法读取，请检查数据目录的权限</source>
        <translation>The maintenance PIN cannot be read: check the data directory&apos;s permissions</translation>
    </message>
    <message>
        <source>未设置维护密码（请用 main.py staff-pin set 设置）</source>
        <translation>No maintenance PIN set (set one with main.py staff-pin set)</translation>
    </message>
    <message>
        <source>维护密码</source>
        <translation>Maintenance PIN</translation>
    </message>
    <message>
        <source>请输入维护密码（6至12位数字）</source>
        <translation>Enter the maintenance PIN (6 to 12 digits)</translation>
    </message>
    <message>
        <source>密码错误，还可以再试 {tries} 次</source>
        <translation>Wrong PIN, {tries} more tries</translation>
    </message>
    <message>
        <source>平台连接：正在检查…</source>
        <translation>Platform connection: checking…</translation>
    </message>
    <message>
        <source>终端编号：{id}</source>
        <translation>Terminal ID: {id}</translation>
    </message>
    <message>
        <source>版本：{version}</source>
        <translation>Version: {version}</translation>
    </message>
    <message>
        <source>平台地址：{url}</source>
        <translation>Platform address: {url}</translation>
    </message>
    <message>
        <source>确定重启电脑吗？</source>
        <translation>Reboot the PC?</translation>
    </message>
    <message>
        <source>确定关机吗？</source>
        <translation>Power off?</translation>
    </message>
    <message>
        <source>确定退出到桌面吗？</source>
        <translation>Exit to the desktop?</translation>
    </message>
    <message>
        <source>重启程序</source>
        <translation>Restart the app</translation>
    </message>
    <message>
        <source>重启电脑</source>
        <translation>Reboot the PC</translation>
    </message>
    <message>
        <source>关机</source>
        <translation>Power off</translation>
    </message>
    <message>
        <source>退出到桌面</source>
        <translation>Exit to the desktop</translation>
    </message>
    <message>
        <source>返回服务</source>
        <translation>Back to service</translation>
    </message>
    <message>
        <source>维护菜单</source>
        <translation>Maintenance menu</translation>
    </message>
    <message>
        <source>平台连接：未配置</source>
        <translation>Platform connection: not configured</translation>
    </message>
    <message>
        <source>平台连接：正常&#x3000;时钟偏差：{offset}</source>
        <translation>Platform connection: OK   Clock offset: {offset}</translation>
    </message>
    <message>
        <source>未知</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>平台连接：无法连接（{code}）</source>
        <translation>Platform connection: unreachable ({code})</translation>
    </message>
    <message>
        <source>正在重启电脑…</source>
        <translation>Rebooting the PC…</translation>
    </message>
    <message>
        <source>正在关机…</source>
        <translation>Powering off…</translation>
    </message>
    <message>
        <source>命令失败：{command}（{code}）</source>
        <translation>Command failed: {command} ({code})</translation>
    </message>
    <message>
        <source>正在检查设备…</source>
        <translation>Checking the devices…</translation>
    </message>
    <message>
        <source>返回服务时程序将重启</source>
        <translation>The app will restart when you return to service</translation>
    </message>
    <message>
        <source>通过</source>
        <translation>PASS</translation>
    </message>
    <message>
        <source>不通过</source>
        <translation>FAIL</translation>
    </message>
    <message>
        <source>共 {total} 项：{passed} 项通过，{failed} 项不通过</source>
        <translation>{total} checks: {passed} passed, {failed} failed</translation>
    </message>
    <message>
        <source>扬声器测试。</source>
        <translation>Speaker test.</translation>
    </message>
    <message>
        <source>模拟设备，没有真实麦克风可录音</source>
        <translation>Simulated device: no real microphone to record</translation>
    </message>
    <message>
        <source>未录音：只查状态</source>
        <translation>Not recorded: status only</translation>
    </message>
    <message>
        <source>打不开麦克风</source>
        <translation>Cannot open the microphone</translation>
    </message>
    <message>
        <source>麦克风没有送来声音数据</source>
        <translation>The microphone sends no sound data</translation>
    </message>
    <message>
        <source>录到的全是静音：麦克风可能被静音或没有接好</source>
        <translation>Only silence was recorded: the microphone may be muted or not connected</translation>
    </message>
    <message>
        <source>录音 {seconds} 秒，平均电平 {level} dBFS，峰值 {peak} dBFS</source>
        <translation>Recorded {seconds} s, average level {level} dBFS, peak {peak} dBFS</translation>
    </message>
    <message>
        <source>{heard}；但语音识别不可用</source>
        <translation>{heard}; but speech recognition is unavailable</translation>
    </message>
    <message>
        <source>测试语音没有播完（{outcome}）</source>
        <translation>The test sentence did not finish playing ({outcome})</translation>
    </message>
    <message>
        <source>已回放录音并播报“{sentence}”，请确认听到了</source>
        <translation>Played the recording back and said “{sentence}”: confirm you heard it</translation>
    </message>
    <message>
        <source>已播报“{sentence}”，请确认听到了</source>
        <translation>Said “{sentence}”: confirm you heard it</translation>
    </message>
    <message>
        <source>普通话朗读</source>
        <translation>Read in Mandarin</translation>
    </message>
    <message>
        <source>粤语朗读</source>
        <translation>Read in Cantonese</translation>
    </message>
    <message>
        <source>粤语语音提问暂不可用</source>
        <translation>Cantonese voice questions are not available</translation>
    </message>
    <message>
        <source>读给我听已改用粤语。本机没有粤语语音识别，语音提问请讲普通话。</source>
        <translation>Reading aloud is now in Cantonese. This kiosk has no Cantonese speech recognition, so please ask voice questions in Mandarin.</translation>
    </message>
    <message>
        <source>好的，以后用粤语读给您听，语音提问也可以讲粤语。</source>
        <translation>OK, I will read to you in Cantonese, and you can ask voice questions in Cantonese too.</translation>
    </message>
    <message>
        <source>好的，以后用普通话读给您听。</source>
        <translation>OK, I will read to you in Mandarin.</translation>
    </message>
    <message>
        <source>说话输入</source>
        <translation>Speak to type</translation>
    </message>
    <message>
        <source>说话输入：说出要填写的内容</source>
        <translation>Speak to type: say what to fill in</translation>
    </message>
    <message>
        <source>说话输入暂不可用</source>
        <translation>Speak to type is not available</translation>
    </message>
    <message>
        <source>本机没有配置语音识别，说话输入暂不可用。请用下方键盘输入，或呼叫工作人员帮您填写。</source>
        <translation>This kiosk has no speech recognition set up, so speak to type is not available. Please use the keyboard below, or call staff to fill it in for you.</translation>
    </message>
    <message>
        <source>请靠近一些，再点“说话输入”说一次。</source>
        <translation>Please come closer, tap &quot;Speak to type&quot; and say it again.</translation>
    </message>
    <message>
        <source>已填入：{text}</source>
        <translation>Filled in: {text}</translation>
    </message>
    <message>
        <source>请说出要填写的内容</source>
        <translation>Say what to fill in</translation>
    </message>
    <message>
        <source>说完后点“说完了”，听到的字会填进去，可以再用键盘改。</source>
        <translation>When you finish, tap &quot;I&apos;m done&quot;: what was heard is filled in, and you can change it with the keyboard.</translation>
    </message>
    <message>
        <source>放大查看：上下滑动可看全部内容</source>
        <translation>Enlarged: swipe up and down to see all of it</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>已放大。看完请点右上角“关闭”。</source>
        <translation>Enlarged. When you have finished, tap &quot;Close&quot; at the top right.</translation>
    </message>
    <message>
        <source>点击图片可放大</source>
        <translation>Tap the picture to enlarge it</translation>
    </message>
    <message>
        <source>当前非服务时间，今日不开放，下次开放：{next}</source>
        <translation>Outside service hours; closed today; next opening: {next}</translation>
    </message>
    <message>
        <source>当前非服务时间，今日不开放</source>
        <translation>Outside service hours; closed today</translation>
    </message>
    <message>
        <source>当前非服务时间，服务时间：今日 {range}</source>
        <translation>Outside service hours; hours today: {range}</translation>
    </message>
    <message>
        <source>当前非服务时间，服务时间：今日 {range}，下次开放：{next}</source>
        <translation>Outside service hours; hours today: {range}; next opening: {next}</translation>
    </message>
    <message>
        <source>今天 {time}</source>
        <translation>today {time}</translation>
    </message>
    <message>
        <source>明天 {time}</source>
        <translation>tomorrow {time}</translation>
    </message>
    <message>
        <source>{month}月{day}日 {time}</source>
        <translation>{month}/{day} {time}</translation>
    </message>
    <message>
        <source>{device}：{reason}</source>
        <translation>{device}: {reason}</translation>
    </message>
    <message>
        <source>{first}；{rest}</source>
        <translation>{first}; {rest}</translation>
    </message>
    <message>
        <source>排队系统暂时无法连接，请到服务台取号。</source>
        <translation>The queue system cannot be reached right now. Please take a number at the service desk.</translation>
    </message>
    <message>
        <source>70 岁以上</source>
        <translation>Aged 70 or over</translation>
    </message>
    <message>
        <source>孕期（需窗口核验）</source>
        <translation>Pregnancy (checked at the window)</translation>
    </message>
    <message>
        <source>残疾人（需窗口核验）</source>
        <translation>Disability (checked at the window)</translation>
    </message>
    <message>
        <source>正在连接排队系统…</source>
        <translation>Connecting to the queue system…</translation>
    </message>
    <message>
        <source>正在取号…</source>
        <translation>Taking your number…</translation>
    </message>
    <message>
        <source>暂时无法取号</source>
        <translation>Cannot take a number right now</translation>
    </message>
    <message>
        <source>预约系统暂时无法连接，请到服务台签到或取号。</source>
        <translation>The appointment system cannot be reached right now. Please check in or take a number at the service desk.</translation>
    </message>
    <message>
        <source>这不是预约凭条上的二维码，请扫描预约凭条或手机上的预约二维码。</source>
        <translation>This is not an appointment QR code. Please scan the one on your appointment slip or on your phone.</translation>
    </message>
    <message>
        <source>暂时无法签到</source>
        <translation>Cannot check in right now</translation>
    </message>
    <message>
        <source>正在签到…</source>
        <translation>Checking in…</translation>
    </message>
    <message>
        <source>请使用居民身份证。</source>
        <translation>Please use a resident ID card.</translation>
    </message>
    <message>
        <source>还没到签到时间</source>
        <translation>Too early to check in</translation>
    </message>
    <message>
        <source>您预约的是 {when}，请在开始前 30 分钟内签到。</source>
        <translation>Your appointment is {when}. Please check in within the 30 minutes before it starts.</translation>
    </message>
    <message>
        <source>预约时段已过</source>
        <translation>Your slot has passed</translation>
    </message>
    <message>
        <source>您预约的 {when} 已经结束，请重新预约或到服务台咨询。</source>
        <translation>Your appointment ({when}) is over. Please book again or ask at the service desk.</translation>
    </message>
    <message>
        <source>该预约已取消</source>
        <translation>This appointment was cancelled</translation>
    </message>
    <message>
        <source>如需办理，请重新预约或直接取号。</source>
        <translation>To be served, please book again or take a number.</translation>
    </message>
    <message>
        <source>不是今天的预约</source>
        <translation>Not an appointment for today</translation>
    </message>
    <message>
        <source>您预约的是 {when}，请在当天签到。</source>
        <translation>Your appointment is {when}. Please check in on that day.</translation>
    </message>
    <message>
        <source>不是本大厅的预约</source>
        <translation>Not an appointment at this hall</translation>
    </message>
    <message>
        <source>请到您预约的大厅签到，或到服务台咨询。</source>
        <translation>Please check in at the hall you booked, or ask at the service desk.</translation>
    </message>
    <message>
        <source>没有查到预约</source>
        <translation>No appointment found</translation>
    </message>
    <message>
        <source>没有查到您今天在本大厅的预约。如需办理，可以直接取号。</source>
        <translation>No appointment of yours at this hall today was found. To be served, you can take a number.</translation>
    </message>
    <message>
        <source>未满 70 周岁</source>
        <translation>Under 70</translation>
    </message>
    <message>
        <source>按身份证上的出生日期，您未满 70 周岁，可以取普通号。</source>
        <translation>By the birth date on your ID card you are under 70; you can take a regular number.</translation>
    </message>
    <message>
        <source>取普通号</source>
        <translation>Take a regular number</translation>
    </message>
    <message>
        <source>正在打印排队小票…</source>
        <translation>Printing your queue ticket…</translation>
    </message>
    <message>
        <source>请到{area}办理。</source>
        <translation>Please go to {area}.</translation>
    </message>
    <message>
        <source>大厅导航</source>
        <translation>Hall map</translation>
    </message>
    <message>
        <source>网络中断，显示的是本机 {date} 保存的平面图。</source>
        <translation>The network is down: showing the map this kiosk saved on {date}.</translation>
    </message>
    <message>
        <source>便民服务</source>
        <translation>Convenience services</translation>
    </message>
    <message>
        <source>本大厅暂未提供便民服务。</source>
        <translation>This hall offers no convenience services yet.</translation>
    </message>
    <message>
        <source>示例数据，仅供演示，不是真实查询结果。</source>
        <translation>Sample data for demonstration only, not a real lookup result.</translation>
    </message>
    <message>
        <source>数据来源：{who}</source>
        <translation>Source: {who}</translation>
    </message>
    <message>
        <source>本机暂不能办理此项，请用手机扫描下方二维码，在官方移动端继续办理。</source>
        <translation>This cannot be done at this kiosk yet. Please scan the QR code below with your phone and continue in the official mobile service.</translation>
    </message>
    <message>
        <source>可使用微信、支付宝或浏览器扫码</source>
        <translation>Scan with WeChat, Alipay or a browser</translation>
    </message>
    <message>
        <source>办理地点</source>
        <translation>Where to go</translation>
    </message>
    <message>
        <source>将通过短信发送到您的手机：</source>
        <translation>This will be sent to your phone by SMS:</translation>
    </message>
    <message>
        <source>您输入的手机号码仅用于发送这一条短信，本机不保存。</source>
        <translation>The number you enter is used only to send this one message and is not kept on this kiosk.</translation>
    </message>
    <message>
        <source>是否同意发送？</source>
        <translation>Do you agree to send it?</translation>
    </message>
    <message>
        <source>不发送</source>
        <translation>Don&apos;t send</translation>
    </message>
    <message>
        <source>同意，输入手机号</source>
        <translation>Agree, enter my number</translation>
    </message>
    <message>
        <source>确认手机号码</source>
        <translation>Confirm your number</translation>
    </message>
    <message>
        <source>将发送到</source>
        <translation>Will be sent to</translation>
    </message>
    <message>
        <source>内容：{what}</source>
        <translation>Content: {what}</translation>
    </message>
    <message>
        <source>重新输入</source>
        <translation>Re-enter</translation>
    </message>
    <message>
        <source>发送</source>
        <translation>Send</translation>
    </message>
    <message>
        <source>星期一</source>
        <translation>Monday</translation>
    </message>
    <message>
        <source>星期二</source>
        <translation>Tuesday</translation>
    </message>
    <message>
        <source>星期三</source>
        <translation>Wednesday</translation>
    </message>
    <message>
        <source>星期四</source>
        <translation>Thursday</translation>
    </message>
    <message>
        <source>星期五</source>
        <translation>Friday</translation>
    </message>
    <message>
        <source>星期六</source>
        <translation>Saturday</translation>
    </message>
    <message>
        <source>星期日</source>
        <translation>Sunday</translation>
    </message>
    <message>
        <source>{month}月{day}日 {weekday}</source>
        <translation>{weekday} {month}/{day}</translation>
    </message>
    <message>
        <source>{year}年{day} {start}-{end}</source>
        <translation>{day}/{year}, {start}-{end}</translation>
    </message>
    <message>
        <source>请到综合受理窗口或咨询服务台。</source>
        <translation>Please go to the general service window or ask at the service desk.</translation>
    </message>
    <message>
        <source>请到{area}等候叫号。</source>
        <translation>Please wait at {area} until your number is called.</translation>
    </message>
    <message>
        <source>暂时无法显示大厅平面图。</source>
        <translation>The hall map cannot be shown right now.</translation>
    </message>
    <message>
        <source>正在打开大厅平面图…</source>
        <translation>Opening the hall map…</translation>
    </message>
    <message>
        <source>请输入 11 位手机号码。号码仅用于本次发送，本机不保存。</source>
        <translation>Please enter your 11-digit mobile number. It is used only for this message and is not kept on this kiosk.</translation>
    </message>
    <message>
        <source>请输入正确的 11 位手机号码。</source>
        <translation>Please enter a valid 11-digit mobile number.</translation>
    </message>
    <message>
        <source>暂时无法发送短信，请稍后再试，或用手机拍下屏幕上的信息。</source>
        <translation>The SMS cannot be sent right now. Please try again later, or take a photo of the screen with your phone.</translation>
    </message>
    <message>
        <source>该号码今天收到的短信已达上限，请用手机拍下屏幕上的信息。</source>
        <translation>This number has had the most messages allowed today. Please take a photo of the screen with your phone.</translation>
    </message>
    <message>
        <source>这条信息无法发送到手机，请用手机拍下屏幕上的信息。</source>
        <translation>This cannot be sent to a phone. Please take a photo of the screen with your phone.</translation>
    </message>
    <message>
        <source>正在发送短信…</source>
        <translation>Sending the SMS…</translation>
    </message>
</context>
</TS>
