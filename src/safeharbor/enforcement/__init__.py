"""The police unit: operations, contacts, investigations, arrests and charges."""
