"""`migrate verify`: run request cases against the Flask app and the generated FastAPI app, in
process, from the same starting state, and compare the answers (docs/verify.md)."""
