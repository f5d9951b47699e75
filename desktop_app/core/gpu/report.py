"""What a finished load says about where the model runs."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.core.gpu.plan import OffloadPlan


@dataclass(frozen=True)
class OffloadReport:
    plan: OffloadPlan
    """The plan of the attempt that loaded (after any fallback)."""
    notice: str = ""
    """One line when the planned GPU load failed and a fallback took its place."""
    llama_line: str = ""
    """llama.cpp's own account ("offloaded 27/27 layers to GPU"), when it logged one."""

    def describe(self) -> str:
        """One line for ``hearth chat -v``, the status bar and the logs."""
        parts = [self.plan.describe()]
        if self.llama_line:
            parts.append(f"llama.cpp: {self.llama_line}")
        if self.notice:
            parts.append(self.notice)
        return "; ".join(parts)
