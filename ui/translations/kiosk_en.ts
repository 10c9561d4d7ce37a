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
        <source>搜索事项（即将开放，请先按主题查找）</source>
        <translation>Search (coming soon; please browse by theme)</translation>
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
        <source>呼叫工作人员</source>
        <translation>Call staff</translation>
    </message>
    <message>
        <source>请在原地稍候，或到服务台找工作人员帮您办理。</source>
        <translation>Please wait here, or ask the staff at the service desk for help.</translation>
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
        <source>最近打印的凭条</source>
        <translation>Last receipt printed</translation>
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
        <source>第 {page} 页，共 {pages} 页</source>
        <translation>Page {page} of {pages}</translation>
    </message>
    <message>
        <source>政务服务自助终端</source>
        <translation>Government self-service kiosk</translation>
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
        <source>语音提问</source>
        <translation>Ask by voice</translation>
    </message>
    <message>
        <source>长辈模式</source>
        <translation>Elder mode</translation>
    </message>
    <message>
        <source>yyyy年M月d日 HH:mm</source>
        <translation>d MMM yyyy HH:mm</translation>
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
        <source>按所选标准收费</source>
        <translation>Depends on the option chosen</translation>
    </message>
    <message>
        <source>{amount} 元</source>
        <translation>CNY {amount}</translation>
    </message>
    <message>
        <source>不收费</source>
        <translation>Free</translation>
    </message>
    <message>
        <source>可在本机缴纳</source>
        <translation>payable at this kiosk</translation>
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
        <translation>The network is down: you can apply now; it is submitted automatically when the network is back, and the receipt says &quot;pending&quot;.</translation>
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
        <source>设备未连接</source>
        <translation>Not connected</translation>
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
        <source>扫办件回执码</source>
        <translation>Scan a receipt code</translation>
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
        <source>纸将尽</source>
        <translation>Paper low</translation>
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
        <source>请到其他自助终端或服务窗口办理，给您带来不便，敬请谅解。</source>
        <translation>Please use another self-service terminal or a service counter. We apologise for the inconvenience.</translation>
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
        <source>凭条已打印，请取走。</source>
        <translation>Your receipt is printed. Please take it.</translation>
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
</context>
</TS>
