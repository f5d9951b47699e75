"""The chat page: message list model and view, composer, message actions, presets,
per-chat settings."""
