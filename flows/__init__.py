"""Business flows as plain async Python: no Qt, tested with a scripted UI."""
