"""Building the index: loading documents, chunking, embedding and storing in Chroma."""
