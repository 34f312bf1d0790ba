"""Action plans: goals and milestones, and support days tied to goals."""
