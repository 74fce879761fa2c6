"""Exporters of the partner formats: FollowTheMoney JSON lines, STIX 2.1 bundles, MISP events."""
