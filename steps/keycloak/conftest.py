"""The scenarios of features/keycloak run against the keycloak pack: its pack, fixtures and steps (docs/packs.md, the glue)."""

from herstelpad.pack import bind

bind("keycloak", globals())
