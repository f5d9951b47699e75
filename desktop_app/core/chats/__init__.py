"""Conversations: dataclasses, the SQLite store and export."""
