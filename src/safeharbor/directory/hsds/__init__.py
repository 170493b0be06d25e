"""The Open Referral HSDS 3.0 API: read-only, public, rate-limited per client."""
