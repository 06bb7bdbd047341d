"""A melody becomes a piece of about a minute: its form, then the pipeline of models."""
