"""The documents feature in the window: attachments, collections, sources."""
