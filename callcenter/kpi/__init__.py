"""Contact-center figures per KPIS.md: queue and agent figures from the database; staffing."""
