"""analyses: questions asked of the corpus database (search, followup, compare, KPI series)."""
