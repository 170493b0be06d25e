"""Shared mechanisms: encrypted fields, blind indexes, permissions, jobs, registries."""
