"""Test support: a live server and headless Chromium (used by tests and benchmarks)."""
