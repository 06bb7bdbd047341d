"""Training loops, nanoGPT style: a config dataclass and one readable loop per model."""
