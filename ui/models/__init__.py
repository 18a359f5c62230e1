"""Qt item models over data the services return."""
