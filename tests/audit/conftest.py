# The pairing tests' program, skill and cohort (two mentors, three mentees), for the pairing events.
from tests.pairing.conftest import cohort, program, skill  # noqa: F401
