"""The local API server: its page and the window feature that adds it to the Settings menu."""
