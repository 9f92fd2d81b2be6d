"""The REST API root: the NinjaAPI and every app's router (see docs/api.md). It sits on the roof,
above every app it composes; no app imports it."""

from mentora.accounts.api import router as accounts_router
from mentora.accounts.audit_api import router as audit_router
from mentora.accounts.handover_api import router as activation_links_router
from mentora.accounts.tokens_api import router as tokens_router
from mentora.advocacy.api import router as advocacy_router
from mentora.agreements.api import router as agreements_router
from mentora.api.errors import install_error_handlers
from mentora.api.parser import NulRefusingParser
from mentora.checkins.api import router as checkins_router
from mentora.evidence.api import router as evidence_router
from mentora.goals.api import router as goals_router
from mentora.home.api import router as home_router
from mentora.hrsync.api import router as hrsync_router
from mentora.identity.api import router as identity_router
from mentora.meetings.api import calendar_router
from mentora.meetings.api import router as meetings_router
from mentora.notes.api import router as notes_router
from mentora.notifications.api import router as notifications_router
from mentora.outcomes.api import router as outcomes_router
from mentora.pairing.api import router as pairing_router
from mentora.pairing.choose_api import router as choose_router
from mentora.people.api import router as people_router
from mentora.people.export_api import router as people_export_router
from mentora.people.history_api import router as people_history_router
from mentora.people.import_api import router as people_import_router
from mentora.people.lookups_api import departments_router, skills_router
from mentora.privacy.api import router as privacy_router
from mentora.programs.api import router as programs_router
from mentora.relationships.api import programs_router as relationships_programs_router
from mentora.relationships.api import router as relationships_router
from mentora.reports.api import programs_router as reports_programs_router
from mentora.reports.api import router as exports_router
from mentora.scheduler.api import router as scheduler_router
from mentora.scim.api import router as scim_router
from mentora.serviceaccounts.api import router as service_accounts_router
from mentora.serviceaccounts.auth import OrganisationTokenAuth
from mentora.serviceaccounts.openapi import ScopedAPI
from mentora.surveys.api import router as surveys_router

api = ScopedAPI(
    title="Mentora API",
    version="1",
    description="REST API for Mentora. Authenticate with `Authorization: Bearer <token>`.",
    auth=OrganisationTokenAuth(),
    parser=NulRefusingParser(),
    urls_namespace="api",
    docs_url="/docs",
)
install_error_handlers(api)

api.add_router("/people", people_router)
api.add_router("/people", people_import_router)
api.add_router("/people", people_export_router)
api.add_router("/people", people_history_router)
api.add_router("/people", activation_links_router)
api.add_router("/skills", skills_router)
api.add_router("/departments", departments_router)
api.add_router("/hr-sync", hrsync_router)
api.add_router("/programs", programs_router)
api.add_router("/programs", relationships_programs_router)
api.add_router("/programs", reports_programs_router)
api.add_router("/relationships", relationships_router)
api.add_router("/exports", exports_router)
api.add_router("/matching", pairing_router)
api.add_router("/choose", choose_router)
api.add_router("/agreements", agreements_router)
api.add_router("/checkins", checkins_router)
api.add_router("/surveys", surveys_router)
api.add_router("/advocacy", advocacy_router)
api.add_router("/evidence", evidence_router)
api.add_router("/notifications", notifications_router)
api.add_router("/outcomes", outcomes_router)
api.add_router("/pairs", goals_router)
api.add_router("/pairs", meetings_router)
api.add_router("/pairs", notes_router)
api.add_router("/calendar", calendar_router)
api.add_router("/accounts", accounts_router)
api.add_router("/auth", tokens_router)
api.add_router("/service-accounts", service_accounts_router)
api.add_router("/audit", audit_router)
api.add_router("/scim", scim_router)
api.add_router("/me", home_router)
api.add_router("/sso", identity_router)
api.add_router("/privacy", privacy_router)
api.add_router("/scheduler", scheduler_router)
