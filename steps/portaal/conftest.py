"""The scenarios of features/portaal run against the portaal pack: its pack, fixtures and steps (docs/packs.md, the glue)."""

from herstelpad.pack import bind

bind("portaal", globals())
