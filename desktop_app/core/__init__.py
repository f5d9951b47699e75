"""Hearth's core: pure Python services. Nothing below this package may import Qt."""
