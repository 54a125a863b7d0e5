"""Protections every request passes through: proxy headers, body size, CSP, rate limits,
private file storage and checked downloads, the superuser-only admin site."""
