"""The supervisor console: live wallboard, performance charts, figure tables and staffing."""
