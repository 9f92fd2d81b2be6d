"""Activation links handed over to an organisation that sends its own e-mail (mounted under
/api/people: a service account needs `people:write`). Org admins only; every call is audited."""

from django.http import HttpResponse
from ninja import Field, Router, Schema

from mentora.accounts import services
from mentora.accounts.services import ACTIVATION_MAX_PEOPLE
from mentora.api.calls import api_viewer
from mentora.api.schemas import Id, PersonRefOut

router = Router(tags=["people"])


class ActivationLinksIn(Schema):
    person_ids: list[Id] = Field(min_length=1, max_length=ACTIVATION_MAX_PEOPLE)


class ActivationLinkOut(Schema):
    person: PersonRefOut
    email: str
    link: str = Field(
        description="Single use, expiring: it lets its holder choose the person's password. Send it to "
        "the person only."
    )


@router.post(
    "/activation-links",
    response=list[ActivationLinkOut],
    summary="Take activation links, to send them in the organisation's own e-mail",
)
def activation_links(request, payload: ActivationLinksIn, response: HttpResponse):
    response["Cache-Control"] = "no-store"  # the links set passwords: neither cached nor kept
    handed = services.activation_links_hand_over(actor=api_viewer(request), person_ids=payload.person_ids)
    return [{"person": person, "email": person.email, "link": link} for person, link in handed]
