"""Recomputing the satisfaction index from the survey database (engine: manyi.measurement)."""
