"""Issue 9 §3.14: the program page's relationships sort by a whitelisted column, with aria-sort."""

from django.urls import reverse

from mentora.organisations.models import Role
from mentora.programs.models import ProgramStatus
from tests.factories import PersonFactory
from tests.programs.factories import ProgramFactory
from tests.workspace.fixtures import active_relationship


def test_the_program_page_sorts_its_relationships(client, org, pam):
    program = ProgramFactory(organisation=org, managers=[pam], status=ProgramStatus.RUNNING)
    people = {
        name: PersonFactory(organisation=org, full_name=name, roles=[Role.PARTICIPANT])
        for name in ("Zed Mentor", "Amy Mentor", "Kim Mentee", "Lee Mentee")
    }
    active_relationship(program, people["Zed Mentor"], people["Kim Mentee"])
    active_relationship(program, people["Amy Mentor"], people["Lee Mentee"])
    client.force_login(pam.user)
    url = reverse("programs:manage", args=[program.pk])

    text = client.get(url).content.decode()  # newest first
    assert text.index("<td><bdi>Amy Mentor</bdi></td>") < text.index("<td><bdi>Zed Mentor</bdi></td>")
    assert "aria-sort" not in text.split('id="relationships-heading"')[1].split("</thead>")[0]
    text = client.get(url, {"sort": "mentee"}).content.decode()
    assert text.index("<td><bdi>Zed Mentor</bdi></td>") < text.index("<td><bdi>Amy Mentor</bdi></td>")
    assert '<th scope="col" aria-sort="ascending"><a href="?sort=-mentee">Mentee</a></th>' in text
    text = client.get(url, {"sort": "-mentor", "page": "1"}).content.decode()
    assert text.index("<td><bdi>Zed Mentor</bdi></td>") < text.index("<td><bdi>Amy Mentor</bdi></td>")
    assert '<th scope="col" aria-sort="descending"><a href="?sort=mentor">Mentor</a></th>' in text
    for bad in ("mentor__user__password", "-", "end_reason"):
        response = client.get(url, {"sort": bad})
        assert response.status_code == 200
        text = response.content.decode()
        assert text.index("<td><bdi>Amy Mentor</bdi></td>") < text.index("<td><bdi>Zed Mentor</bdi></td>")
