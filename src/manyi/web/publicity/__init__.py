"""公示, objections, publication of results and certificates with public verification."""
