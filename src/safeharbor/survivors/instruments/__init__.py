"""Screening instruments shipped with SafeHarbor."""
