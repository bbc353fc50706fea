"""The user's own settings for the terminal UI (the theme, for now), kept between launches in a
small JSON file in the platform's config folder (``$XDG_CONFIG_HOME/claim-ledger`` on Linux).

A missing, unreadable or malformed file is the same as no settings: the UI never fails to start
because of it, and a setting that cannot be written is simply not remembered.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

APP_NAME = "claim-ledger"


def settings_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "settings.json"


def load_settings() -> dict[str, Any]:
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_setting(name: str, value: Any) -> bool:
    """Remember one setting; False when the file could not be written."""
    settings = load_settings()
    if settings.get(name) == value:
        return True
    settings[name] = value
    path = settings_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(settings, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        return False
    return True
