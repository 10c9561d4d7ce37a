"""Device families of the terminal: a port, a real driver, a simulator, and shared health."""
