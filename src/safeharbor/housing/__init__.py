"""Housing programs, units, placements, rental assistance and outcomes."""
