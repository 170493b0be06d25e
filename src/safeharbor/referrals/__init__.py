"""Referrals between agencies and programs, gated by consent."""
