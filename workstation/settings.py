"""The analyst's settings: a typed object saved as JSON under the config directory.

(Window geometry and dock layout stay in QSettings, in the UI layer.)
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from .paths import config_dir

log = logging.getLogger(__name__)

LANGUAGES = ("en", "id")
MAX_RECENT = 10


@dataclass
class Settings:
    language: str = "en"
    theme: str = "light"
    recent_cases: list[str] = field(default_factory=list)
    analyst: str = ""
    default_country: str = "ID"

    @staticmethod
    def file() -> Path:
        return config_dir() / "settings.json"

    @classmethod
    def load(cls) -> Settings:
        f = cls.file()
        if not f.exists():
            return cls()
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            log.warning("settings file %s unreadable (%s); using defaults", f, e)
            return cls()
        known = {x.name for x in fields(cls)}
        s = cls(**{k: v for k, v in data.items() if k in known})
        if s.language not in LANGUAGES:
            s.language = "en"
        return s

    def save(self) -> None:
        f = self.file()
        tmp = f.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False), encoding="utf-8")
        tmp.replace(f)

    def add_recent(self, path: str | Path) -> None:
        p = str(Path(path).resolve())
        self.recent_cases = [p] + [r for r in self.recent_cases if r != p]
        del self.recent_cases[MAX_RECENT:]
