"""The reference target portal (the system under test)."""
