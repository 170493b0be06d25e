"""Shared mechanisms: encrypted fields, blind indexes, permissions, jobs, registries.

Engineers: read docs/engineering.md (working rules for parallel work, and the data-protection
contract every area builds on) before changing anything.
"""
