"""Daily reminders and alerts, queued by `flask reminders run`."""
