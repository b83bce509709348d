"""The project's root: herstelpad comes in as a pytest plugin; each pack's scenarios bind it in steps/<name>/conftest.py."""
