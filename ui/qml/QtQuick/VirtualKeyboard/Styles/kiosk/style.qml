// The kiosk's style for Qt Virtual Keyboard: every size and colour comes from the design tokens
// through `kioskKeyboard` (ui/virtual_keyboard.py's KeyboardLook, a context property), so the
// elder mode gets its own larger keys and letters without a second keyboard.
// Written for this kiosk against the KeyboardStyle interface documented by Qt
// (https://doc.qt.io/qt-6/qml-qtquick-virtualkeyboard-styles-keyboardstyle.html):
//  - every key says what it does in words (删除, 空格, 确定, 收起, 英文/中文), never an icon alone;
//  - a key that cannot be used now (pinyin's syllable mark before any pinyin is typed) keeps its
//    label, dimmed, instead of going blank;
//  - letter sizes follow the tokens, not the key height, so elder letters are >= 6 mm tall.
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Styles

KeyboardStyle {
    id: kioskStyle

    readonly property var look: kioskKeyboard
    readonly property bool chinese: InputContext.locale.indexOf("zh") === 0

    // the whole keyboard is 4 rows of look.rowHeight at look.panelWidth (see KeyboardLook)
    keyboardDesignWidth: look.panelWidth
    keyboardDesignHeight: 4 * look.rowHeight
    keyboardDesignMaximumHeight: 4 * look.rowHeight
    keyboardRelativeLeftMargin: 0
    keyboardRelativeRightMargin: 0
    keyboardRelativeTopMargin: 0
    keyboardRelativeBottomMargin: 0

    keyboardBackground: Rectangle { color: look.boardColor }

    component Face: Rectangle {
        id: face
        property Item control
        property string label
        property bool function_: false
        property real pixels: look.labelPixels
        anchors.fill: parent
        anchors.margins: look.keyMargin
        radius: look.radius
        color: control && control.pressed ? look.pressedColor
             : (function_ || (control && control.highlighted)) ? look.functionColor : look.keyColor
        border.color: look.borderColor
        border.width: 2
        Text {
            objectName: "keyLabel"
            anchors.fill: parent
            anchors.margins: look.keyMargin
            text: face.label
            color: look.textColor
            // a key that cannot be used now is dimmed, never blank
            opacity: face.control && !face.control.enabled ? 0.45 : 1.0
            horizontalAlignment: Text.AlignHCenter
            verticalAlignment: Text.AlignVCenter
            // letters keep their size (they always fit); a long word may shrink to its key
            fontSizeMode: face.function_ ? Text.HorizontalFit : Text.FixedSize
            minimumPixelSize: Math.round(face.pixels * 0.6)
            font.family: look.fontFamily
            font.pixelSize: face.pixels
            font.bold: face.function_
            font.capitalization: face.control && face.control.uppercased ? Font.AllUppercase
                                                                         : Font.MixedCase
        }
    }

    keyPanel: KeyPanel {
        Face {
            control: parent.control
            label: parent.control.displayText
            Text {
                anchors.right: parent.right
                anchors.top: parent.top
                anchors.margins: look.keyMargin * 2
                visible: parent.control.smallTextVisible && parent.control.smallText !== "\u2699"
                text: parent.control.smallText
                color: look.textColor
                font.family: look.fontFamily
                font.pixelSize: look.smallPixels
            }
        }
    }
    backspaceKeyPanel: KeyPanel {
        Face { control: parent.control; label: look.backspaceText; function_: true; pixels: look.wordPixels }
    }
    languageKeyPanel: KeyPanel {
        // names the language it switches to, as the kiosk's own language button does
        Face {
            control: parent.control; function_: true; pixels: look.wordPixels
            label: kioskStyle.chinese ? look.toEnglishText : look.toChineseText
        }
    }
    enterKeyPanel: KeyPanel {
        Face { control: parent.control; label: look.enterText; function_: true; pixels: look.wordPixels }
    }
    hideKeyPanel: KeyPanel {
        Face { control: parent.control; label: look.hideText; function_: true; pixels: look.wordPixels }
    }
    shiftKeyPanel: KeyPanel {
        Face {
            control: parent.control; function_: true; pixels: look.wordPixels
            label: InputContext.capsLockActive ? look.capsLockText : look.shiftText
            border.color: InputContext.shiftActive ? look.accentColor : look.borderColor
            border.width: InputContext.shiftActive ? 6 : 2
        }
    }
    spaceKeyPanel: KeyPanel {
        Face { control: parent.control; label: look.spaceText; function_: true; pixels: look.wordPixels }
    }
    symbolKeyPanel: KeyPanel {
        Face {
            control: parent.control; function_: true; pixels: look.wordPixels
            label: parent.control.displayText === "&123" ? look.symbolsText : parent.control.displayText
        }
    }
    modeKeyPanel: KeyPanel {
        Face { control: parent.control; label: parent.control.displayText; function_: true; pixels: look.wordPixels }
    }
    handwritingKeyPanel: KeyPanel {
        Face { control: parent.control; label: look.handwritingText; function_: true; pixels: look.wordPixels }
    }

    characterPreviewMargin: 0
    characterPreviewDelegate: Item {
        property string text
        Rectangle {
            anchors.fill: parent
            color: look.accentColor
            radius: look.radius
            Text {
                anchors.centerIn: parent
                text: parent.parent.text
                color: look.accentTextColor
                font.family: look.fontFamily
                font.pixelSize: Math.round(look.labelPixels * 1.4)
            }
        }
    }

    alternateKeysListItemWidth: look.rowHeight
    alternateKeysListItemHeight: look.rowHeight
    alternateKeysListDelegate: Item {
        width: look.rowHeight
        height: look.rowHeight
        Text {
            anchors.centerIn: parent
            text: model.text
            color: look.accentTextColor
            font.family: look.fontFamily
            font.pixelSize: look.labelPixels
        }
    }
    alternateKeysListHighlight: Rectangle { color: look.pressedColor; radius: look.radius }
    alternateKeysListBackground: Rectangle {
        color: look.accentColor
        radius: look.radius
    }

    // the pinyin candidates: as large as a touch target, the words at reading size
    selectionListHeight: look.candidateHeight
    selectionListDelegate: SelectionListItem {
        id: candidate
        width: Math.max(look.candidateHeight, candidateText.implicitWidth + 2 * look.candidatePadding)
        Text {
            id: candidateText
            anchors.centerIn: parent
            text: display
            color: look.textColor
            font.family: look.fontFamily
            font.pixelSize: look.candidatePixels
        }
        Rectangle {
            width: 2
            height: parent.height * 0.6
            anchors.verticalCenter: parent.verticalCenter
            anchors.right: parent.left
            color: look.borderColor
        }
    }
    selectionListHighlight: Rectangle { color: look.functionColor }
    selectionListBackground: Rectangle { color: look.keyColor; border.color: look.borderColor }
    selectionListAdd: Transition {}
    selectionListRemove: Transition {}

    navigationHighlight: Rectangle {
        color: "transparent"
        border.color: look.accentColor
        border.width: 4
    }
}
