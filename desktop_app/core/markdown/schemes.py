"""The view's own link schemes, apart from the renderer so the window can name them
without loading markdown-it and Pygments."""

COPY_SCHEME = "hearth-copy"
"""``hearth-copy:N`` copies the message's code block N."""
THOUGHTS_SCHEME = "hearth-thoughts"
"""``hearth-thoughts:toggle`` opens or closes the "Thoughts" section."""
SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")
"""Links the view may hand to the system browser (on click only)."""
