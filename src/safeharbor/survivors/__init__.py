"""Person records, identifications, screenings, cases, services, consent, missing episodes."""
