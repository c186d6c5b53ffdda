"""Building the index: loading documents, chunking, embedding and storing in Chroma."""

import os

# Nothing is ever downloaded (see assistant/__init__.py): the model hub is off before any library reads it.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
