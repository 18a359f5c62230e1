"""The `callcenter` command for IT and admins."""
