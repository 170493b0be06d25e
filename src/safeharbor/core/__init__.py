"""Shared mechanisms: encrypted fields, blind indexes, permissions, jobs, registries.

Engineers: read docs/engineering.md (working rules for parallel work, and the data-protection
contract: CONTRACT_PLACEHOLDER / COMMON_PLACEHOLDER) before changing anything.
"""
