"""Partner formats (FollowTheMoney, STIX 2.1, MISP): importers and exporters."""
