"""Answering: hybrid retrieval, responsibility extraction and cited answers."""
