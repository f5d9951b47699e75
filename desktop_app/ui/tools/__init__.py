"""The window's side of tools and structured output: the Tools settings page, the
approval prompt, tool-call steps and the card for structured (JSON) answers."""
