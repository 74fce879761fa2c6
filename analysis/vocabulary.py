"""Names the analysis layer offers (charts, patterns, default zone), kept apart from the
modules that compute them so that the command line can list them without importing
matplotlib or igraph."""

CHARTS = ("network", "keyplayers", "ranks", "heatmap", "timeline", "hotspots", "forecast")
PATTERNS = ("phone-switch", "colocation", "cotravel", "money", "hotspots")
DEFAULT_TZ = "Asia/Makassar"   # WITA: East Kalimantan's time
