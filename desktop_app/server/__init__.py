"""Hearth's local OpenAI-compatible API server (Starlette on uvicorn).

``engine_thread`` owns the one llama.cpp engine and runs every job on its own thread;
``protocol`` checks requests and shapes OpenAI-style answers and errors; ``app`` is the
ASGI application; ``models`` maps model ids to files; ``keys`` handles the API key.
"""
