"""JSON API v1 (see docs/api.md). Each module holds one resource's views; feature.py wires them in."""
