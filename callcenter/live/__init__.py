"""The change feed: a callback whenever data the wallboard shows may have changed."""
