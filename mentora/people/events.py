"""What happened to a person, for the apps above `people` that must react without being imported.

`person_deactivated` is sent inside the deactivating transaction (a leaver, by a manager or by the
organisation's identity provider), after their access ended; a receiver that fails rolls it back.
`mentora.agreements` ends the leaver's live relationships from it.
"""

from django.dispatch import Signal

# Sent with person (the Person just deactivated), sender=Person.
person_deactivated = Signal()
