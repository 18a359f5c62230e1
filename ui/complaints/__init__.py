"""Complaints on the desktop: lists, a complaint's window, new ones, the card, notifications."""
