"""Documents: extraction, chunking, the index (BM25 + vectors), retrieval and sources."""
