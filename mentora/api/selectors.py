from django.db.models import QuerySet

from mentora.api.models import ApiToken


def api_token_list(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
