"""One stylesheet for the whole window: calm colours, a clear sidebar, readable sizes."""

from __future__ import annotations

SIDEBAR_BG = "#1f4d3a"  # the deep green of a rice field: Lumbung is a granary
SIDEBAR_SELECTED = "#2f7a5a"

STYLESHEET = f"""
QListWidget#sidebar {{
    background: {SIDEBAR_BG};
    color: #f2f5f3;
    border: none;
    font-size: 11pt;
    outline: 0;
    padding-top: 6px;
}}
QListWidget#sidebar::item {{
    padding: 9px 14px;
    border-left: 4px solid transparent;
}}
QListWidget#sidebar::item:selected {{
    background: {SIDEBAR_SELECTED};
    color: white;
    border-left: 4px solid #f2c14e;
}}
QListWidget#sidebar::item:hover:!selected {{
    background: #285f48;
}}
QLabel#brand {{
    background: {SIDEBAR_BG};
    color: #f2c14e;
    font-size: 15pt;
    font-weight: bold;
    padding: 14px 16px 4px 16px;
}}
QLabel#brandSub {{
    background: {SIDEBAR_BG};
    color: #cfe0d7;
    font-size: 9pt;
    padding: 0px 12px 10px 16px;
}}
"""
