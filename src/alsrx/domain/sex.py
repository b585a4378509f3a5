"""Sex as reference equations use it (the sex the equations were derived for)."""

from enum import StrEnum


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"
