"""The scenarios of features/portaal run against the reference portal: its pack's fixtures and steps."""

from fixtures.portaal.actors import *  # noqa: F403 - the pack's fixtures, target_pack first
from fixtures.portaal.aanvallen import *  # noqa: F403 - what the generic 'tegelijk' steps fire and count
from fixtures.portaal.flows import *  # noqa: F403
from steps.portaal.beveiliging import *  # noqa: F403 - the pack's step definitions
from steps.portaal.herstel import *  # noqa: F403
from steps.portaal.inloggen import *  # noqa: F403
from steps.portaal.instellingen import *  # noqa: F403
from steps.portaal.personen import *  # noqa: F403
from steps.portaal.pocket import *  # noqa: F403
from steps.portaal.storingen import *  # noqa: F403
