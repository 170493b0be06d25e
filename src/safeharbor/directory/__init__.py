"""Public resources as Open Referral HSDS 3.0, the public site and events."""
