"""SAP self-assessment: the versioned framework, rounds, group scores, summaries and charts."""
