"""Small query-building helpers shared by the apps' selectors."""

from django.db.models import F, Func, QuerySet, Subquery


def aggregate_subquery(queryset: QuerySet, function: str, field: str = "pk") -> Subquery:
    """A scalar subquery: `function` (COUNT, MAX) over the rows, with no GROUP BY, so a selector
    can annotate many counts in one query without joins multiplying rows."""
    return Subquery(
        queryset.order_by().annotate(aggregated=Func(F(field), function=function)).values("aggregated")
    )
