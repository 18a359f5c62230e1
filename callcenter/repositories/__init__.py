"""The repository layer: the only code that knows tables. One repository per aggregate."""
