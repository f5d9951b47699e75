"""Models: GGUF inspection (and later the catalog, Hub search, downloads, library)."""
