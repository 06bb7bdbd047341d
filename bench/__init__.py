"""Benchmarks: speed and memory targets, printed as tables (`python -m bench [NAME ...]`)."""
