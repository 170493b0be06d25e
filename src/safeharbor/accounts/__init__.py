"""Agencies, programs, users, memberships and roles, MFA, sessions, notifications."""
