"""A realistic synthetic organisation, for the demo, the tests and the benchmarks.

Two separate parts:
- `generate_demo_org` is pure: from a size and a seed it computes plain data (the people as
  rows of the import format, plus the extras the import does not carry). Same seed, same output.
- `demo_org_load` writes it: the taxonomy, then the people through `people_import` (the one way
  people are written in bulk), then the extras and the demo log-ins.
"""

import csv
import io
import math
import random
import secrets
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from mentora.core.roles import viewer_for
from mentora.organisations.models import Organisation, Role
from mentora.people.importing import COLUMNS, people_import
from mentora.people.models import (
    DemographicProfile,
    Person,
    SelfAssessedSkill,
    SelfAssessment,
    Skill,
    SkillAlias,
    SkillCategory,
)
from mentora.privacy.services import retention_policy_set

DEMO_PASSWORD = "mentora-demo"
SUPERUSER_NAME = "admin"

# Named log-ins: label (the email's local part) → what the account shows off.
DEMO_ACCOUNTS = {
    "admin": "Organisation admin",
    "manager": "Program manager (HR)",
    "mentor": "Mentor: senior engineer",
    "mentee": "Mentee: junior, wants to grow",
    "linemanager": "Line manager with reports",
    "leader": "Leader (VP)",
}

TAXONOMY = {
    "Programming": [
        ("Python", ["py"]),
        ("JavaScript", ["js"]),
        ("TypeScript", ["ts"]),
        ("Go", ["golang"]),
        ("Java", []),
        ("SQL", []),
        ("Software architecture", ["system design"]),
        ("Testing", ["test automation", "qa"]),
        ("Code review", []),
        ("Mobile development", ["ios", "android"]),
        ("Frontend development", ["frontend", "react"]),
    ],
    "Infrastructure & Cloud": [
        ("Kubernetes", ["k8s"]),
        ("Amazon Web Services", ["aws"]),
        ("Terraform", ["iac"]),
        ("Observability", ["monitoring"]),
        ("Security engineering", ["appsec", "infosec"]),
        ("Incident management", ["on-call"]),
    ],
    "Data & Analytics": [
        ("Data analysis", ["analytics"]),
        ("Machine learning", ["ml"]),
        ("Statistics", []),
        ("Data engineering", ["etl"]),
        ("Data visualisation", ["dataviz", "dashboards"]),
        ("Experimentation", ["a/b testing"]),
    ],
    "Product & Design": [
        ("Product discovery", []),
        ("Product strategy", ["roadmapping"]),
        ("User research", ["ux research"]),
        ("Interaction design", ["ux design", "ui design"]),
        ("Prototyping", ["figma"]),
        ("Accessibility", ["a11y"]),
    ],
    "Sales & Customers": [
        ("Negotiation", []),
        ("Enterprise sales", ["b2b sales"]),
        ("Prospecting", ["lead generation"]),
        ("Account management", []),
        ("Customer onboarding", []),
        ("Customer support", ["support"]),
        ("CRM", ["salesforce"]),
    ],
    "Marketing": [
        ("Content marketing", ["content"]),
        ("Search engine optimisation", ["seo"]),
        ("Brand strategy", ["branding"]),
        ("Growth marketing", ["growth"]),
        ("Product marketing", ["pmm"]),
        ("Copywriting", []),
    ],
    "Finance & Legal": [
        ("Financial modelling", ["fp&a"]),
        ("Budgeting", []),
        ("Accounting", ["bookkeeping"]),
        ("Procurement", ["purchasing"]),
        ("Contract law", ["contracts"]),
        ("Data protection", ["gdpr", "privacy"]),
        ("Compliance", ["regulatory compliance"]),
    ],
    "People & Operations": [
        ("Recruiting", ["talent acquisition", "hiring"]),
        ("Learning design", ["l&d"]),
        ("Employee relations", []),
        ("Process improvement", ["lean", "six sigma"]),
        ("IT administration", ["it"]),
        ("Vendor management", []),
    ],
    "Leadership & Communication": [
        ("People management", ["management"]),
        ("Leadership", []),
        ("Public speaking", ["presenting"]),
        ("Stakeholder management", []),
        ("Project management", ["pm"]),
        ("Giving feedback", ["feedback"]),
        ("Coaching", []),
        ("Strategic thinking", ["strategy"]),
        ("Storytelling", []),
        ("Written communication", ["writing"]),
        ("Time management", ["prioritisation"]),
    ],
}
CROSS_FUNCTIONAL = [
    "Public speaking",
    "Stakeholder management",
    "Project management",
    "Giving feedback",
    "Storytelling",
    "Written communication",
    "Time management",
    "Strategic thinking",
]
MANAGEMENT = ["People management", "Leadership", "Coaching", "Giving feedback", "Strategic thinking"]


@dataclass(frozen=True)
class Family:
    ic_title: str
    manager_title: str
    skills: tuple[str, ...]  # most typical first
    aspirations: tuple[str, ...]


FAMILIES = {
    "Engineering": Family(
        "Software Engineer",
        "Engineering Manager",
        (
            "Python",
            "SQL",
            "Kubernetes",
            "Code review",
            "Testing",
            "Software architecture",
            "Go",
            "TypeScript",
            "JavaScript",
            "Amazon Web Services",
            "Terraform",
            "Observability",
            "Java",
            "Incident management",
            "Security engineering",
            "Frontend development",
            "Mobile development",
        ),
        ("a staff engineer who shapes our architecture", "an engineering manager", "a security specialist"),
    ),
    "Product": Family(
        "Product Manager",
        "Group Product Manager",
        (
            "Product discovery",
            "Product strategy",
            "Stakeholder management",
            "User research",
            "Data analysis",
            "Experimentation",
            "Written communication",
        ),
        ("a group product manager", "the owner of a whole product line", "a product leader in a new market"),
    ),
    "Design": Family(
        "Product Designer",
        "Design Manager",
        ("Interaction design", "Prototyping", "User research", "Accessibility", "Storytelling"),
        ("a principal designer", "a design manager", "a researcher who sets the product direction"),
    ),
    "Data": Family(
        "Data Scientist",
        "Data Science Manager",
        (
            "SQL",
            "Python",
            "Data analysis",
            "Statistics",
            "Machine learning",
            "Data visualisation",
            "Data engineering",
            "Experimentation",
        ),
        ("a machine learning lead", "the person leadership asks for the numbers", "a data platform owner"),
    ),
    "Sales": Family(
        "Account Executive",
        "Sales Manager",
        ("Negotiation", "Prospecting", "Enterprise sales", "CRM", "Account management", "Public speaking"),
        ("a sales director", "a strategic account lead", "someone who opens a new region"),
    ),
    "Marketing": Family(
        "Marketing Specialist",
        "Marketing Manager",
        (
            "Content marketing",
            "Growth marketing",
            "Search engine optimisation",
            "Brand strategy",
            "Product marketing",
            "Copywriting",
            "Data analysis",
        ),
        ("a head of brand", "a growth lead", "a product marketing manager"),
    ),
    "Customer Success": Family(
        "Customer Success Manager",
        "Customer Success Team Lead",
        ("Account management", "Customer onboarding", "Customer support", "Negotiation", "CRM"),
        ("a customer success director", "an account manager for our largest customers", "a support lead"),
    ),
    "Finance": Family(
        "Financial Analyst",
        "Finance Manager",
        ("Financial modelling", "Budgeting", "Accounting", "Procurement", "Data analysis", "SQL"),
        ("a finance business partner", "a controller", "a CFO one day"),
    ),
    "People": Family(
        "People Partner",
        "People Team Lead",
        ("Recruiting", "Learning design", "Employee relations", "Coaching", "Giving feedback"),
        ("a head of learning", "an HR business partner for a large division", "a talent lead"),
    ),
    "Operations": Family(
        "Operations Specialist",
        "Operations Manager",
        ("Process improvement", "Project management", "Vendor management", "IT administration", "Budgeting"),
        ("a chief of staff", "an operations director", "a programme manager"),
    ),
    "Legal": Family(
        "Legal Counsel",
        "Legal Manager",
        ("Contract law", "Data protection", "Compliance", "Negotiation", "Written communication"),
        ("a general counsel", "our data protection officer", "a compliance lead"),
    ),
    "Leadership": Family(
        "Executive",
        "Chief Executive Officer",
        ("Leadership", "Strategic thinking", "Public speaking", "Stakeholder management", "Negotiation"),
        ("someone who leaves a stronger organisation behind",),
    ),
}

# Department, its job family, its share of headcount, its head's title, its sub-teams (name, family).
DEPARTMENTS = [
    (
        "Engineering",
        "Engineering",
        30,
        "VP of Engineering",
        [
            ("Platform", "Engineering"),
            ("Backend", "Engineering"),
            ("Frontend", "Engineering"),
            ("Mobile", "Engineering"),
            ("Security", "Engineering"),
            ("Infrastructure", "Engineering"),
        ],
    ),
    (
        "HR",
        "People",
        5,
        "VP of People",
        [
            ("Learning & Development", "People"),
            ("Talent Acquisition", "People"),
            ("People Partners", "People"),
        ],
    ),
    (
        "Sales",
        "Sales",
        13,
        "VP of Sales",
        [("Enterprise Sales", "Sales"), ("Mid-Market Sales", "Sales"), ("Sales Operations", "Operations")],
    ),
    ("Product", "Product", 8, "VP of Product", [("Product Management", "Product"), ("Design", "Design")]),
    (
        "Customer Success",
        "Customer Success",
        10,
        "VP of Customer Success",
        [
            ("Support", "Customer Success"),
            ("Onboarding", "Customer Success"),
            ("Account Management", "Sales"),
        ],
    ),
    (
        "Marketing",
        "Marketing",
        8,
        "VP of Marketing",
        [("Brand", "Marketing"), ("Growth", "Marketing"), ("Product Marketing", "Marketing")],
    ),
    ("Operations", "Operations", 7, "VP of Operations", [("IT", "Operations"), ("Workplace", "Operations")]),
    (
        "Finance",
        "Finance",
        6,
        "Chief Financial Officer",
        [("Accounting", "Finance"), ("FP&A", "Finance"), ("Procurement", "Finance")],
    ),
    (
        "Data",
        "Data",
        8,
        "VP of Data",
        [("Analytics", "Data"), ("Data Engineering", "Data"), ("Machine Learning", "Data")],
    ),
    (
        "Legal",
        "Legal",
        3,
        "General Counsel",
        [("Commercial Legal", "Legal"), ("Privacy & Compliance", "Legal")],
    ),
]
SUB_TEAM_THRESHOLD = 30  # a department this large has sub-teams, each led by a director

# City, IANA time zone, share of people, local language (besides English).
LOCATIONS = {
    "Europe": [
        ("London", "Europe/London", 14, None),
        ("Dublin", "Europe/Dublin", 4, None),
        ("Paris", "Europe/Paris", 7, "fr"),
        ("Berlin", "Europe/Berlin", 7, "de"),
        ("Amsterdam", "Europe/Amsterdam", 4, "nl"),
        ("Madrid", "Europe/Madrid", 4, "es"),
        ("Lisbon", "Europe/Lisbon", 3, "pt"),
        ("Warsaw", "Europe/Warsaw", 4, "pl"),
    ],
    "Americas": [
        ("New York", "America/New_York", 10, None),
        ("Toronto", "America/Toronto", 4, "fr"),
        ("Austin", "America/Chicago", 5, None),
        ("San Francisco", "America/Los_Angeles", 8, None),
        ("Mexico City", "America/Mexico_City", 3, "es"),
        ("São Paulo", "America/Sao_Paulo", 4, "pt-BR"),
    ],
    "APAC": [
        ("Singapore", "Asia/Singapore", 4, "zh"),
        ("Bengaluru", "Asia/Kolkata", 6, "hi"),
        ("Tokyo", "Asia/Tokyo", 3, "ja"),
        ("Sydney", "Australia/Sydney", 4, None),
    ],
}
EXTRA_LANGUAGES = ["es", "fr", "de", "it", "pt", "zh", "hi", "ar", "ja", "pl", "nl", "ko", "tr", "uk"]

FIRST_NAMES = [
    "Aisha",
    "Akira",
    "Alejandro",
    "Amara",
    "Ana",
    "Anders",
    "Anika",
    "Arjun",
    "Astrid",
    "Ben",
    "Camille",
    "Carlos",
    "Chen",
    "Chloé",
    "Daniel",
    "Diego",
    "Elena",
    "Emeka",
    "Emma",
    "Fatima",
    "Felix",
    "Freya",
    "Gabriel",
    "Hana",
    "Hassan",
    "Ines",
    "Isabel",
    "Ivan",
    "Jamal",
    "James",
    "Jin",
    "João",
    "Julia",
    "Kai",
    "Karim",
    "Kofi",
    "Lars",
    "Layla",
    "Leila",
    "Liam",
    "Lucas",
    "Lucía",
    "Maya",
    "Mei",
    "Mia",
    "Mohammed",
    "Nadia",
    "Niamh",
    "Nikhil",
    "Noah",
    "Nora",
    "Oliver",
    "Omar",
    "Priya",
    "Rafael",
    "Ravi",
    "Rosa",
    "Sam",
    "Santiago",
    "Sara",
    "Sofia",
    "Sven",
    "Tariq",
    "Tomás",
    "Valentina",
    "Wei",
    "Yara",
    "Yuki",
    "Zanele",
    "Zoe",
]
LAST_NAMES = [
    "Abara",
    "Adeyemi",
    "Andersen",
    "Bakker",
    "Banerjee",
    "Becker",
    "Bianchi",
    "Brown",
    "Castillo",
    "Chen",
    "Costa",
    "Da Silva",
    "Dubois",
    "Eriksson",
    "Fernandes",
    "Fischer",
    "García",
    "Gonzalez",
    "Haddad",
    "Hansen",
    "Hernández",
    "Ibrahim",
    "Ito",
    "Jansen",
    "Kaur",
    "Khan",
    "Kim",
    "Kowalski",
    "Kumar",
    "Larsen",
    "Laurent",
    "Lee",
    "Lopez",
    "Martin",
    "Meyer",
    "Moreau",
    "Müller",
    "Murphy",
    "Nakamura",
    "Nguyen",
    "Novak",
    "O'Brien",
    "Okafor",
    "Olsen",
    "Park",
    "Patel",
    "Pereira",
    "Petrov",
    "Rossi",
    "Santos",
    "Schmidt",
    "Silva",
    "Singh",
    "Smith",
    "Suzuki",
    "Tanaka",
    "Taylor",
    "Thompson",
    "Walsh",
    "Wang",
    "Williams",
    "Wójcik",
    "Yamamoto",
    "Zhang",
]

GOALS = [
    "Get confident with {skill} so I can take on bigger pieces of work without asking for help each time.",
    "Learn how experienced people approach {skill}, and practise it on a real project this quarter.",
    "Close my gap in {skill} before my next review, with honest feedback along the way.",
    "Understand {skill} well enough to lead a conversation about it with senior stakeholders.",
    "Build a habit around {skill}: one concrete exercise a month and a mentor to debrief with.",
    "Stop avoiding {skill} and find out what good looks like from someone who does it well.",
]
PURPOSES = [
    "In two years I want to be {aspiration}.",
    "Where I want to be in two years: {aspiration}, with a network beyond my own team.",
    "I would like to grow into {aspiration} and help others get there too.",
    "My direction: {aspiration}. I know I need perspective from outside my department.",
]
REFLECTIONS = [
    "I find {skill} harder than I admit in meetings.",
    "I rate myself lower in {skill} than my manager thinks; I would like a safe place to practise.",
    "Honestly, {skill} makes me anxious, especially in front of senior people.",
    "I have been getting by in {skill} by copying others; I do not understand it deeply yet.",
]
IC_LEVELS = {1: "Junior ", 2: "Junior ", 3: "", 4: "", 5: "Senior ", 6: "Lead ", 7: "Principal "}


@dataclass
class DemoPerson:
    employee_id: str
    full_name: str
    email: str
    department: str  # "Engineering" or "Engineering > Platform"
    job_family: str
    job_title: str
    seniority: int
    location: str
    time_zone: str
    manager: "DemoPerson | None" = None
    depth: int = 0
    reports: list = field(default_factory=list)
    languages: list = field(default_factory=list)
    availability: int = 2
    meeting_mode: str = "either"
    offered: dict = field(default_factory=dict)  # skill name → level
    wanted: dict = field(default_factory=dict)  # skill name → priority 1-3
    roles: list = field(default_factory=list)
    goals: str = ""
    purpose: str = ""

    def as_row(self) -> dict[str, str]:
        priority_words = {1: "high", 2: "medium", 3: "low"}
        return {
            "employee_id": self.employee_id,
            "email": self.email,
            "full_name": self.full_name,
            "job_title": self.job_title,
            "job_family": self.job_family,
            "department": self.department,
            "manager": self.manager.employee_id if self.manager else "",
            "seniority": str(self.seniority),
            "location": self.location,
            "time_zone": self.time_zone,
            "languages": ";".join(self.languages),
            "availability_hours_per_month": str(self.availability),
            "meeting_mode": self.meeting_mode,
            "offered_skills": "; ".join(f"{name}:{level}" for name, level in self.offered.items()),
            "wanted_skills": "; ".join(f"{name}:{priority_words[p]}" for name, p in self.wanted.items()),
            "roles": ";".join(self.roles),
            "goals": self.goals,
            "purpose": self.purpose,
        }


@dataclass
class DemoOrg:
    people: list[DemoPerson]
    accounts: dict[str, str]  # label → employee id
    demographics: dict[str, dict]  # employee id → DemographicProfile fields
    self_assessments: dict[str, tuple[str, dict[str, int]]]  # employee id → (reflection, ratings)

    def rows(self) -> list[dict[str, str]]:
        return [person.as_row() for person in self.people]

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows())
        return out.getvalue()


class _Generator:
    def __init__(self, *, people: int, seed: int, domain: str):
        if people < 1:
            raise ValueError("An organisation needs at least one person.")
        self.rng = random.Random(seed)
        self.size = people
        self.domain = domain
        self.people: list[DemoPerson] = []
        self.emails: set[str] = set()
        self.places = [(city, tz, lang) for region in LOCATIONS.values() for city, tz, _w, lang in region]
        self.place_weights = [weight for region in LOCATIONS.values() for _c, _t, weight, _l in region]

    # -- the reporting tree ----------------------------------------------------------------------

    def person(self, *, manager, department, family, title, seniority) -> DemoPerson:
        rng = self.rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        local = _ascii(f"{first}.{last}".lower())
        email, number = f"{local}@{self.domain}", 2
        while email in self.emails:
            email, number = f"{local}{number}@{self.domain}", number + 1
        self.emails.add(email)
        if manager is not None and manager.depth >= 1 and rng.random() < 0.6:  # teams cluster in hubs
            city, tz = manager.location, manager.time_zone
        else:
            city, tz, _lang = rng.choices(self.places, weights=self.place_weights)[0]
        person = DemoPerson(
            employee_id=f"E{len(self.people) + 1:05d}",
            full_name=f"{first} {last}",
            email=email,
            department=department,
            job_family=family,
            job_title=title,
            seniority=seniority,
            location=city,
            time_zone=tz,
            manager=manager,
            depth=manager.depth + 1 if manager else 0,
        )
        if manager is not None:
            manager.reports.append(person)
        self.people.append(person)
        return person

    def ic(self, manager: DemoPerson, department: str, family: str) -> DemoPerson:
        top = max(1, min(7, manager.seniority - 1))
        seniority = min(top, self.rng.choices([1, 2, 3, 4, 5, 6, 7], weights=[10, 18, 22, 20, 15, 9, 6])[0])
        title = IC_LEVELS[seniority] + FAMILIES[family].ic_title
        return self.person(
            manager=manager, department=department, family=family, title=title, seniority=seniority
        )

    def grow(self, leader: DemoPerson, count: int, department: str, family: str) -> None:
        """Give `leader` a team of `count` people below them, with realistic spans of control."""
        span = self.rng.randint(5, 8)
        if count <= span:
            for _ in range(count):
                self.ic(leader, department, family)
            return
        managers = min(span, math.ceil(count / (span + 1)))
        for size in self.split(count - managers, managers):
            seniority = max(4, min(7, leader.seniority - 1))
            manager = self.person(
                manager=leader,
                department=department,
                family=family,
                title=("Senior " if size > 10 else "") + FAMILIES[family].manager_title,
                seniority=seniority,
            )
            self.grow(manager, size, department, family)

    def split(self, total: int, parts: int, weights=None) -> list[int]:
        """Split `total` into `parts` sizes by weight (largest remainder), with a little noise."""
        weights = weights or [1 + self.rng.random() * 0.4 for _ in range(parts)]
        shares = [total * weight / sum(weights) for weight in weights]
        sizes = [int(share) for share in shares]
        by_remainder = sorted(range(parts), key=lambda index: shares[index] - sizes[index], reverse=True)
        for index in by_remainder[: total - sum(sizes)]:
            sizes[index] += 1
        return sizes

    def build_tree(self) -> None:
        ceo = self.person(
            manager=None,
            department="Executive",
            family="Leadership",
            title="Chief Executive Officer",
            seniority=10,
        )
        ceo.location, ceo.time_zone = "London", "Europe/London"
        below = self.size - 1
        if not below:
            return
        departments = DEPARTMENTS[: max(1, min(len(DEPARTMENTS), below // 8))]
        sizes = self.split(
            below, len(departments), weights=[weight for _n, _f, weight, _t, _s in departments]
        )
        for (name, family, _weight, head_title, sub_teams), size in zip(departments, sizes, strict=True):
            if not size:
                continue
            head = self.person(manager=ceo, department=name, family=family, title=head_title, seniority=9)
            below_head = size - 1
            if below_head < SUB_TEAM_THRESHOLD:
                self.grow(head, below_head, name, family)
                continue
            teams = sub_teams[: max(2, min(len(sub_teams), round(below_head / 35)))]
            for (team, team_family), team_size in zip(teams, self.split(below_head, len(teams)), strict=True):
                if not team_size:
                    continue
                path = f"{name} > {team}"
                director = self.person(
                    manager=head, department=path, family=team_family, title=f"Director, {team}", seniority=8
                )
                self.grow(director, team_size - 1, path, team_family)

    # -- profiles --------------------------------------------------------------------------------

    def profile(self, person: DemoPerson) -> None:
        rng = self.rng
        family = FAMILIES[person.job_family]
        langs = ["en"]
        local = next((lang for city, _tz, lang in self.places if city == person.location), None)
        if local:
            langs.append(local)
        if rng.random() < 0.15:
            extra = rng.choice(EXTRA_LANGUAGES)
            if extra not in langs:
                langs.append(extra)
        person.languages = langs
        person.availability = (
            rng.choice([2, 2, 4, 4, 4, 6, 8]) if person.seniority >= 4 else rng.choice([2, 4])
        )
        person.meeting_mode = rng.choices(["either", "video", "in_person"], weights=[50, 35, 15])[0]

        # Seniors offer more, at higher levels; juniors want more.
        typical = list(family.skills)
        pool = typical + (MANAGEMENT if person.reports else []) + CROSS_FUNCTIONAL
        weights = [3.0 / (1 + index * 0.3) for index in range(len(typical))] + [0.8] * (
            len(pool) - len(typical)
        )
        offered_count = min(len(pool), 1 + person.seniority // 2 + rng.randint(0, 1))
        mean_level = 1 + person.seniority * 0.4
        while len(person.offered) < offered_count:
            skill = rng.choices(pool, weights=weights)[0]
            if skill not in person.offered:
                person.offered[skill] = max(1, min(5, round(rng.gauss(mean_level, 0.8))))
        wanted_pool = [skill for skill in typical + CROSS_FUNCTIONAL if skill not in person.offered]
        if 4 <= person.seniority <= 7:
            wanted_pool += [skill for skill in MANAGEMENT if skill not in person.offered]
        wanted_count = min(len(wanted_pool), max(1, 4 - person.seniority // 3) + rng.randint(0, 1))
        for skill in rng.sample(wanted_pool, wanted_count):
            person.wanted[skill] = rng.choices([1, 2, 3], weights=[4, 4, 2])[0]

        goal_skill = next(iter(person.wanted), None) or "Leadership"
        person.goals = rng.choice(GOALS).format(skill=goal_skill)
        aspirations = FAMILIES["Leadership"].aspirations if person.depth <= 1 else family.aspirations
        person.purpose = rng.choice(PURPOSES).format(aspiration=rng.choice(aspirations))

    def assign_roles(self) -> None:
        for person in self.people:
            person.roles = [Role.PARTICIPANT.value]
            if person.reports:
                person.roles.append(Role.LINE_MANAGER.value)
            if person.depth <= 1:
                person.roles.append(Role.LEADER.value)
        hr = [person for person in self.people if person.department.startswith("HR")]
        hr_ics = [person for person in hr if not person.reports]
        for person in (hr[:1] or self.people[:1]) + hr_ics[:1]:
            _add_role(person, Role.ORG_ADMIN)
        for person in hr_ics[1:4]:
            _add_role(person, Role.PROGRAM_MANAGER)

    def assign_accounts(self) -> dict[str, str]:
        """Give the named demo log-ins to fitting people (any person in a very small organisation)."""
        taken: list[DemoPerson] = []

        def pick(*candidates):
            for group in (*candidates, self.people):
                for person in group:
                    if person not in taken:
                        taken.append(person)
                        return person
            return None

        people = self.people
        engineers = [p for p in people if p.job_family == "Engineering"]
        chosen = {
            "leader": pick([p for p in engineers if p.depth == 1], [p for p in people if p.depth <= 1]),
            "admin": pick([p for p in people if Role.ORG_ADMIN in p.roles and p.depth > 1]),
            "manager": pick([p for p in people if Role.PROGRAM_MANAGER in p.roles]),
            "linemanager": pick(
                [p for p in engineers if p.reports and not p.reports[0].reports],
                [p for p in people if p.reports and p.depth > 1],
            ),
            "mentor": pick([p for p in engineers if not p.reports and p.seniority >= 5]),
            "mentee": pick(
                [p for p in people if not p.reports and p.seniority <= 2 and p.job_family != "Engineering"]
            ),
        }
        role_for = {"admin": Role.ORG_ADMIN, "manager": Role.PROGRAM_MANAGER, "leader": Role.LEADER}
        for label, person in chosen.items():
            if person is None:
                continue
            person.email = f"{label}@{self.domain}"
            if label in role_for:
                _add_role(person, role_for[label])
        mentor, mentee = chosen["mentor"], chosen["mentee"]
        if mentor is not None and mentee is not None and mentor is not mentee:
            # The mentee wants what the mentor offers best, so the demo's first match is a good one.
            best = max(mentor.offered, key=mentor.offered.get)
            mentee.offered.pop(best, None)
            mentee.wanted = {best: 1, **{skill: p for skill, p in mentee.wanted.items() if skill != best}}
        return {label: person.employee_id for label, person in chosen.items() if person is not None}

    # -- private extras --------------------------------------------------------------------------

    def demographics(self) -> dict[str, dict]:
        rng = self.rng
        result = {}
        for person in self.people:
            if rng.random() >= 0.4:  # consent is optional and most people leave it
                continue
            age_bands = ["18-24", "25-34", "35-44", "45-54", "55+"]
            age_index = min(4, max(0, (person.seniority - 1) // 2 + rng.choice([-1, 0, 0, 1])))
            result[person.employee_id] = {
                "gender": rng.choices(["woman", "man", "non-binary", ""], weights=[46, 46, 3, 5])[0],
                "age_band": age_bands[age_index],
                "ethnicity": rng.choice(["", "", "Asian", "Black", "Hispanic or Latino", "White", "Mixed"]),
                "disability": rng.choices(["", "no", "yes"], weights=[30, 60, 10])[0],
                "under_sponsored": rng.random() < 0.15,
            }
        return result

    def self_assessments(self) -> dict[str, tuple[str, dict[str, int]]]:
        rng = self.rng
        result = {}
        for person in self.people:
            if not person.wanted or rng.random() >= 0.45:
                continue
            ratings = {skill: rng.randint(0, 2) for skill in person.wanted}
            for skill, level in person.offered.items():
                ratings[skill] = max(0, level - rng.randint(0, 1))
            hardest = rng.choice(list(person.wanted))
            result[person.employee_id] = (rng.choice(REFLECTIONS).format(skill=hardest), ratings)
        return result


def _ascii(text: str) -> str:
    """Email-safe: "chloé.o'brien" → "chloe.obrien"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if char.isascii() and (char.isalnum() or char == "."))


def _add_role(person: DemoPerson, role: Role) -> None:
    if role.value not in person.roles:
        person.roles.append(role.value)


def generate_demo_org(*, people: int, seed: int, domain: str = "demo.mentora.test") -> DemoOrg:
    """A synthetic organisation of `people` people; the same seed always gives the same one."""
    generator = _Generator(people=people, seed=seed, domain=domain)
    generator.build_tree()
    for person in generator.people:
        generator.profile(person)
    generator.assign_roles()
    accounts = generator.assign_accounts()
    return DemoOrg(
        people=generator.people,
        accounts=accounts,
        demographics=generator.demographics(),
        self_assessments=generator.self_assessments(),
    )


def demo_domain(slug: str) -> str:
    return f"{slug}.mentora.test"


# ---------------------------------------------------------------------------------------------
# Writing


def skill_taxonomy_create(*, organisation: Organisation) -> None:
    """The demo's skill categories, skills and aliases."""
    SkillCategory.objects.bulk_create(
        [SkillCategory(organisation=organisation, name=name) for name in TAXONOMY]
    )
    category_ids = dict(SkillCategory.objects.filter(organisation=organisation).values_list("name", "id"))
    Skill.objects.bulk_create(
        [
            Skill(
                organisation=organisation,
                category_id=category_ids[category],
                name=name,
                slug=slugify(name),
            )
            for category, skills in TAXONOMY.items()
            for name, _aliases in skills
        ]
    )
    skill_ids = dict(Skill.objects.filter(organisation=organisation).values_list("name", "id"))
    SkillAlias.objects.bulk_create(
        [
            SkillAlias(organisation=organisation, skill_id=skill_ids[name], alias=alias)
            for skills in TAXONOMY.values()
            for name, aliases in skills
            for alias in aliases
        ]
    )


def demo_org_load(*, people: int, seed: int, slug: str = "demo", name: str = "") -> Organisation:
    """Create the demo organisation: taxonomy, people (through the import), private extras, log-ins."""
    data = generate_demo_org(people=people, seed=seed, domain=demo_domain(slug))
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name=name or f"Demo organisation ({slug})", slug=slug, default_time_zone="Europe/London"
        )
        skill_taxonomy_create(organisation=organisation)
        report = people_import(
            organisation=organisation, file=io.BytesIO(data.csv().encode()), filename=f"{slug}.csv"
        )
        if not report.ok:
            raise ValueError(f"The generated people do not import: {report.errors[:5]}")

        person_ids = dict(Person.objects.filter(organisation=organisation).values_list("employee_id", "id"))
        skill_ids = dict(Skill.objects.filter(organisation=organisation).values_list("name", "id"))
        now = timezone.now()
        DemographicProfile.objects.bulk_create(
            [
                DemographicProfile(person_id=person_ids[employee_id], consented_at=now, **fields)
                for employee_id, fields in data.demographics.items()
            ]
        )
        SelfAssessment.objects.bulk_create(
            [
                SelfAssessment(person_id=person_ids[employee_id], reflection=reflection)
                for employee_id, (reflection, _ratings) in data.self_assessments.items()
            ]
        )
        assessment_ids = dict(
            SelfAssessment.objects.filter(person__organisation=organisation).values_list(
                "person__employee_id", "id"
            )
        )
        SelfAssessedSkill.objects.bulk_create(
            [
                SelfAssessedSkill(
                    assessment_id=assessment_ids[employee_id], skill_id=skill_ids[skill], level=level
                )
                for employee_id, (_reflection, ratings) in data.self_assessments.items()
                for skill, level in ratings.items()
            ]
        )
        demo_logins_enable(organisation=organisation)
        demo_retention_set(organisation=organisation)
    return organisation


DEMO_RETENTION_MONTHS = {
    "private_notes_months": 12,
    "closed_texts_months": 24,
    "job_reports_months": 6,
    "notifications_months": 12,
}


def demo_retention_set(*, organisation: Organisation) -> None:
    """The demo organisation's retention periods (docs/privacy.md), set by an org admin of it (the
    demo's `admin@` log-in when the organisation is large enough to have one)."""
    admins = Person.objects.filter(organisation=organisation, role_memberships__role=Role.ORG_ADMIN)
    admin = (
        admins.filter(email=f"admin@{demo_domain(organisation.slug)}").first()
        or admins.order_by("pk").first()
    )
    if admin is not None:
        retention_policy_set(actor=viewer_for(admin.user), **DEMO_RETENTION_MONTHS)


def demo_logins_enable(*, organisation: Organisation) -> None:
    """Give the named demo accounts the published demo password (they exist in the demo only)."""
    User = get_user_model()
    encoded = make_password(DEMO_PASSWORD)  # hashed once: hashing is deliberately slow
    emails = [f"{label}@{demo_domain(organisation.slug)}" for label in DEMO_ACCOUNTS]
    User.objects.filter(username__in=emails).update(password=encoded)


def demo_superuser_create(*, organisation: Organisation) -> str | None:
    """The /admin superuser of an explicitly loaded demo, with a random password that is returned
    (to print once) and never published. None when the account already exists."""
    User = get_user_model()
    if User.objects.filter(username=SUPERUSER_NAME).exists():
        return None
    password = secrets.token_urlsafe(12)
    User.objects.create_superuser(
        username=SUPERUSER_NAME, email=f"{SUPERUSER_NAME}@{demo_domain(organisation.slug)}", password=password
    )
    return password


def demo_published_logins_exist() -> bool:
    """Whether a demo organisation's published log-ins are in this database: the sign-in page then
    says that this is a demo whose passwords anyone can read."""
    slugs = Organisation.objects.values_list("slug", flat=True)
    emails = [f"{label}@{demo_domain(slug)}" for slug in slugs for label in DEMO_ACCOUNTS]
    return get_user_model().objects.filter(username__in=emails).exists()


def demo_logins(*, slug: str = "demo") -> list[dict[str, str]]:
    """The demo log-ins that exist, for printing."""
    User = get_user_model()
    emails = {f"{label}@{demo_domain(slug)}": label for label in DEMO_ACCOUNTS}
    found = {
        user.username: user
        for user in User.objects.filter(username__in=[*emails, SUPERUSER_NAME]).select_related("person")
    }
    rows = []
    for email, label in emails.items():
        user = found.get(email)
        if user is not None and hasattr(user, "person"):
            rows.append(
                {
                    "login": email,
                    "password": DEMO_PASSWORD,
                    "who": f"{DEMO_ACCOUNTS[label]} — {user.person.full_name}",
                }
            )
    if SUPERUSER_NAME in found:
        rows.append(
            {
                "login": SUPERUSER_NAME,
                "password": "(printed once by demo_org)",
                "who": f"Django admin (/admin/); `manage.py changepassword {SUPERUSER_NAME}` sets a new one",
            }
        )
    return rows
