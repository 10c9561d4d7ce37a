"""The Qt style sheet, generated from the design tokens (nothing styled anywhere else)."""

from __future__ import annotations

from ui.tokens import Tokens


def style_sheet(t: Tokens) -> str:
    return f"""
    QWidget {{ background: {t.background}; color: {t.text}; font-size: {t.font_body}px; }}
    QLabel {{ background: transparent; }}
    #TopBar, #BottomBar {{ background: {t.primary}; }}
    #TopBar {{ min-height: {t.target_min + 8}px; }}
    #TopBar QLabel {{ color: {t.on_primary}; font-size: {t.font_bar}px; }}
    #Banner {{ background: {t.warning_bg}; color: {t.warning_text}; padding: 8px 16px;
               font-size: {t.font_bar}px; }}
    #TopBar #Notice {{ background: {t.warning_bg}; color: {t.warning_text};
                       border-radius: {t.radius}px; padding: 4px 16px; font-weight: bold; }}
    #LeaveReason {{ background: {t.warning_bg}; color: {t.warning_text}; padding: 6px 24px;
                    font-size: {t.font_bar}px; font-weight: bold; }}
    #Banner[hidden="true"] {{ max-height: 0; padding: 0; }}
    #Title {{ font-size: {t.font_title}px; font-weight: bold; }}
    #Subtitle, #Muted {{ color: {t.text_muted}; }}
    #Card {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: {t.radius}px; }}
    #SectionTitle {{ font-size: {round(t.font_body * 1.15)}px; font-weight: bold;
                     color: {t.primary}; }}
    QPushButton {{
        background: {t.surface}; color: {t.text}; border: 2px solid {t.control_border};
        border-radius: {t.radius}px; min-height: {t.target_min}px; min-width: {t.target_min}px;
        padding: 4px 18px; font-size: {t.font_body}px;
    }}
    QPushButton:pressed {{ background: {t.border}; }}
    QPushButton:disabled {{ background: {t.disabled_bg}; color: {t.disabled_text};
                            border-style: dashed; }}
    #BottomBar QPushButton, #Primary {{
        background: {t.primary}; color: {t.on_primary}; border: 2px solid {t.on_primary};
        font-size: {t.font_bar}px; font-weight: bold;
    }}
    #BottomBar QPushButton:disabled {{
        background: {t.primary}; color: {t.disabled_on_primary};
        border: 2px dashed {t.disabled_on_primary}; }}
    #Primary:disabled {{ background: {t.disabled_bg}; color: {t.disabled_text};
                         border: 2px dashed {t.control_border}; }}
    #BottomBar QPushButton:checked {{ background: {t.on_primary}; color: {t.primary}; }}
    #Tile {{
        background: {t.surface}; border: 2px solid {t.control_border}; border-radius: {t.radius}px;
        font-size: {t.font_tile}px; font-weight: bold; color: {t.primary};
        min-height: {t.target_min * 2}px;
    }}
    #ServiceRow {{ text-align: left; padding: 8px 24px; font-size: {t.font_tile}px; }}
    #Tile QLabel {{ font-size: {t.font_tile}px; font-weight: bold; color: {t.primary}; }}
    #Overlay {{ background: rgba(0, 0, 0, 150); }}
    #Dialog {{ background: {t.surface}; border: 3px solid {t.primary};
               border-radius: {t.radius}px; }}
    #Countdown {{ font-size: {t.font_title * 2}px; font-weight: bold; color: {t.primary}; }}
    QScrollArea {{ border: none; }}
    QLineEdit, #KeypadField {{
        background: {t.surface}; border: 2px solid {t.control_border}; border-radius: {t.radius}px;
        padding: 4px 14px; font-size: {t.font_tile}px; min-height: {t.target_min}px;
    }}
    #KeypadField[active="true"] {{ border: 4px solid {t.primary}; }}
    #Key {{ font-size: {t.font_title}px; font-weight: bold;
            min-height: {t.target_min}px; min-width: {round(t.target_min * 1.4)}px; }}
    #StepCount {{ color: {t.primary}; font-weight: bold; }}
    #Error {{ color: {t.error}; font-weight: bold; }}
    #Problem {{ background: {t.warning_bg}; color: {t.error}; font-weight: bold;
                border-radius: {t.radius}px; padding: 10px 18px; }}
    #Locked {{ color: {t.text_muted}; background: {t.background}; border: 2px dashed {t.border};
               border-radius: {t.radius}px; padding: 6px 14px; font-size: {t.font_tile}px; }}
    #Option {{ font-size: {t.font_tile}px; }}
    #Option:checked {{ background: {t.primary}; color: {t.on_primary}; border-color: {t.primary};
                       font-weight: bold; }}
    #Stepper {{ font-size: {t.font_title}px; font-weight: bold; }}
    #DateValue {{ font-size: {t.font_title}px; font-weight: bold; color: {t.primary}; }}
    #SignaturePad {{ background: #FFFFFF; border: 3px solid {t.primary};
                     border-radius: {t.radius}px; }}
    #Card[tone="error"] {{ border: 4px solid {t.error}; }}
    #Card[tone="warning"] {{ border: 4px solid {t.warning_text}; }}
    #Card[tone="success"] {{ border: 4px solid {t.success}; }}
    #Card[tone="info"] {{ border: 4px solid {t.primary}; }}
    #ToneTitle {{ font-size: {t.font_title}px; font-weight: bold; }}
    #ToneTitle[tone="error"] {{ color: {t.error}; }}
    #ToneTitle[tone="warning"] {{ color: {t.warning_text}; }}
    #ToneTitle[tone="success"] {{ color: {t.success}; }}
    #ToneTitle[tone="info"] {{ color: {t.primary}; }}
    #Number {{ font-size: {round(t.font_title * 1.3)}px; font-weight: bold; color: {t.primary}; }}
    #BigNumber {{ font-size: {round(t.font_title * 1.6)}px; font-weight: bold; color: {t.text}; }}
    #Pending {{ background: {t.warning_bg}; color: {t.warning_text}; font-weight: bold;
                font-size: {t.font_title}px; border-radius: {t.radius}px; padding: 10px 18px; }}
    #Level {{ font-size: {t.font_tile}px; font-weight: bold;
              min-height: {t.target_min * 3 + t.font_tile * 2}px; }}
    #Level QLabel {{ font-size: {t.font_tile}px; font-weight: bold; }}
    #Level:checked {{ background: {t.primary}; color: {t.on_primary}; border-color: {t.primary}; }}
    #Status {{ font-size: {t.font_tile}px; font-weight: bold; color: {t.primary}; }}
    #Thumb {{ border: 2px solid {t.border}; background: {t.surface}; }}
    """
