"""Answering: hybrid retrieval, responsibility extraction and cited answers."""

import os

# Nothing is ever downloaded: the model hub is off for every entry point, before any library that reads
# these variables at import time (huggingface_hub, transformers) can be imported.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
