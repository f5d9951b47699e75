"""Hearth's Qt layer: widgets and the engine thread bridge. Imports core, never the reverse."""
