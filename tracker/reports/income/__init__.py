"""The income report: figures, estimate bands, chart, pages and tables."""
