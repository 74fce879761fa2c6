"""Names the exports layer offers, apart from the modules that build them (the command line
lists them without importing reportlab or matplotlib)."""

SECTIONS = ("summary", "subjects", "network", "timeline", "patterns", "map", "sources", "evidence",
            "withheld")
