"""Settings modules: ``dev`` (the default, embedded SQLite demo), ``test`` and ``production``."""
