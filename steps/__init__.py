"""Step definitions, grouped by domain; each delegates to fixtures in one to three lines."""
