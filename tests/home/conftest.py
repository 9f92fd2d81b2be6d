from tests.workspace.fixtures import (  # noqa: F401
    dora,
    other_relationship,
    outsiders,
    program,
    relationship,
)
