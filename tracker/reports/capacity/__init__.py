"""The monthly capacity risk review: the report, its sign-off, pages and tables."""
