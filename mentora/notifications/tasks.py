"""Background tasks for reminders: thin, they take ids and call a service. Each service claims
its email in the SentNotification ledger first, so running a task twice sends nothing twice."""

from django_tasks import task

from mentora.notifications import services


@task()
def send_meeting_reminder(meeting_id: int) -> int:
    return services.meeting_reminder_send(meeting_id=meeting_id)


@task()
def send_silent_pair_nudge(relationship_id: int, weeks: int, period: str) -> int:
    return services.silent_pair_nudge_send(relationship_id=relationship_id, weeks=weeks, period=period)


@task()
def send_checkin_reminder(checkin_id: int, overdue: bool) -> int:
    return services.checkin_reminder_send(checkin_id=checkin_id, overdue=overdue)


@task()
def send_relationship_update(relationship_id: int, recipient_id: int, event: str, period: str) -> int:
    return services.relationship_update_send(
        relationship_id=relationship_id, recipient_id=recipient_id, event=event, period=period
    )


@task()
def send_pairing_news(relationship_ids: list[int], event: str) -> int:
    return sum(
        services.pairing_news_send(relationship_id=relationship_id, event=event)
        for relationship_id in relationship_ids
    )
