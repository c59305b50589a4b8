"""Appointments at citizen service centres (KEP) and confidential psychological support."""
