"""Structured output: JSON schemas turned into llama.cpp grammars, and sampling under one."""
