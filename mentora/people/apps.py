from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "mentora.people"
    verbose_name = "People"
