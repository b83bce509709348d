"""The scenarios of features/keycloak run against Keycloak: its pack's fixtures and steps."""

from fixtures.keycloak.actors import *  # noqa: F403 - the pack's fixtures, target_pack first
from steps.keycloak.herstel import *  # noqa: F403 - the pack's step definitions
from steps.keycloak.herstelcodes import *  # noqa: F403
from steps.keycloak.inloggen import *  # noqa: F403
from steps.keycloak.personen import *  # noqa: F403
