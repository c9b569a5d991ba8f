"""Demo content for `manage.py seed_demo`: the words are in data/, these modules build with them."""

import tomllib
from pathlib import Path

DATA = Path(__file__).parent / "data"


def load(name: str) -> dict:
    """A data file (TOML) of this package."""
    with (DATA / name).open("rb") as file:
        return tomllib.load(file)
