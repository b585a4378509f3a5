"""Use cases: the only write path. A service receives a session and never commits; the
request or command around it owns the transaction."""
