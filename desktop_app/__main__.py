"""Allow ``python -m desktop_app``."""

import multiprocessing
import sys

from desktop_app.cli import main

# A frozen bundle starts chat-template sandboxes (core/engine/template_sandbox) by running
# itself again; this turns such a run into the sandbox process instead of the app.
multiprocessing.freeze_support()
sys.exit(main())
