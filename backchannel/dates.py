"""Transitional: the export-date parser now lives in :mod:`backchannel.times`."""

from .times import parse_export_date

__all__ = ["parse_export_date"]
