"""The scenarios of features/voorbeeld run against the voorbeeld pack: its pack, fixtures and steps."""

from herstelpad.pack import bind

bind("voorbeeld", globals())
