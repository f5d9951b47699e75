"""The Help menu: About Hearth."""
