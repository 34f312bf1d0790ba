"""Action plans: goals and milestones, and support days tied to goals.

Importing the package (tracker.models does, inside create_app) registers the
support-day hooks that check and audit ``goal_id``.
"""

from tracker.plans import hooks

hooks.register()
