"""Data layer: schemas, reading, validation and the Atlas."""
