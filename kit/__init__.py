"""Crosstalk kit."""
