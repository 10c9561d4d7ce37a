// The on-screen keyboard inside the kiosk window (Qt Virtual Keyboard, pinyin first).
// Loaded by ui/virtual_keyboard.py into a QQuickWidget; drawn by the kiosk style
// (QtQuick/VirtualKeyboard/Styles/kiosk/style.qml), as wide as `kioskKeyboard.panelWidth`,
// centred at the bottom.
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

Rectangle {
    id: root
    color: "transparent"

    InputPanel {
        id: panel
        objectName: "inputPanel"
        width: Math.min(root.width, kioskKeyboard.panelWidth)
        anchors.horizontalCenter: root.horizontalCenter
        anchors.bottom: root.bottom
    }

    // the pinyin engine learns words as people type: keep that in a private folder and
    // forget it when the person leaves (resetUserData), so no one sees another's words
    function configure(userDataPath, styleName) {
        VirtualKeyboardSettings.styleName = styleName
        VirtualKeyboardSettings.userDataPath = userDataPath
        VirtualKeyboardSettings.activeLocales = ["zh_CN", "en_US"]
        VirtualKeyboardSettings.locale = "zh_CN"
    }

    function resetUserData() {
        VirtualKeyboardSettings.userDataReset()
    }
}
