"""The client progress report: figures, chart, PDF, pages and the engagement-page link."""
