"""The conversation list: sidebar, Ctrl+K search popup, and the controller that ties
them to the store."""
