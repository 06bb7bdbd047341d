"""Measuring models beside Bach: `composer evaluate`, the quality bar and the model cards."""
