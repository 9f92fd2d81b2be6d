"""Background tasks for reminders: thin, they take ids and call a service. Each service claims
its email in the SentNotification ledger first, so running a task twice sends nothing twice.
The reminders sweep hands each reminder task a batch (services.REMINDER_BATCH), not one reminder."""

from django_tasks import task

from mentora.notifications import services


@task()
def send_meeting_reminders(meeting_ids: list[int]) -> int:
    return sum(services.meeting_reminder_send(meeting_id=meeting_id) for meeting_id in meeting_ids)


@task()
def send_silent_pair_nudges(nudges: list[list]) -> int:
    """`nudges`: [relationship id, weeks, period] each."""
    return sum(
        services.silent_pair_nudge_send(relationship_id=relationship_id, weeks=weeks, period=period)
        for relationship_id, weeks, period in nudges
    )


@task()
def send_checkin_reminders(reminders: list[list]) -> int:
    """`reminders`: [check-in id, overdue] each."""
    return sum(
        services.checkin_reminder_send(checkin_id=checkin_id, overdue=overdue)
        for checkin_id, overdue in reminders
    )


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
