"""Append-only, hash-chained audit log and the notification outbox."""
