"""Mentora's matching engine: a pure package (numpy, scipy, OR-Tools; never Django).

Entry points: `load_instance`/`parse_instance` to read the JSON instance format, `solve` to match
it, `Shortlister` for per-mentee shortlists, and `python -m mentora.matching --help` for the CLI.
See docs/matching.md and docs/instance-format.md.
"""

from mentora.matching.instance import Instance, InstanceError, Person, Program, load_instance, parse_instance

__all__ = ["Instance", "InstanceError", "Person", "Program", "load_instance", "parse_instance"]
