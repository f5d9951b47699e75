"""The Settings dialog and its pages (setting editors shared with the chat settings)."""
