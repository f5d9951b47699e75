"""Keep llama-cpp-python from compiling a model's chat template while the model loads.

``Llama.__init__`` builds a ``Jinja2ChatFormatter`` for every template in the GGUF
metadata, whatever ``chat_format`` says, and the formatter compiles its template on
the spot: a template with a syntax error makes the load itself fail with Jinja's
exception, and a huge one compiles in the loading thread with no limit. Hearth never
uses those formatters (it renders prompts itself, in ``template_sandbox``), so the
library's class is swapped for one that compiles on first use, which only code that
calls ``create_chat_completion`` (a benchmark) ever reaches.
"""

from __future__ import annotations

from typing import Any


def defer_library_templates(llama_cpp: Any) -> None:
    """Make llama-cpp-python's chat formatters compile lazily (idempotent)."""
    module = llama_cpp.llama_chat_format
    original = module.Jinja2ChatFormatter
    if getattr(original, "hearth_deferred", False):
        return

    class DeferredJinja2ChatFormatter(original):  # type: ignore[misc, valid-type]
        hearth_deferred = True

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self._deferred: tuple[tuple[Any, ...], dict[str, Any]] | None = (args, kwargs)

        def _compiled(self) -> None:
            if self._deferred is not None:
                args, kwargs = self._deferred
                self._deferred = None
                original.__init__(self, *args, **kwargs)

        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            self._compiled()
            return original.__call__(self, *args, **kwargs)

    module.Jinja2ChatFormatter = DeferredJinja2ChatFormatter
