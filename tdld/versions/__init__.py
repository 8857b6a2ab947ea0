"""Releases: numbered, immutable snapshots of the knowledge base, their history and their differences."""
