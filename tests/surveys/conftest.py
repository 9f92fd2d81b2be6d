from tests.surveys.fixtures import fit, midpoint, pairs, recommend  # noqa: F401
from tests.workspace.fixtures import (  # noqa: F401
    dora,
    other_relationship,
    outsiders,
    program,
    relationship,
)
