"""A discrete-event simulation of a call-center queue, for training, demos and load."""
