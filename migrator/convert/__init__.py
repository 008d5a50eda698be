"""`migrate convert`: render a FastAPI package from a scanned Flask code base."""
