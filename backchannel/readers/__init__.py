"""Readers: guarded text and CSV access, the export's files, messages, the interviews file.

Readers turn files into typed rows (``backchannel.domain``). They never touch the workspace.
"""
