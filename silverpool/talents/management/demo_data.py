"""Word lists for the demo data (`manage.py seed_demo`).

Emails use the example.* domains and phone numbers come from the ranges regulators
reserve for films and fiction (Bundesnetzagentur, Ofcom, NANP 555-01xx): later features
send email and show click-to-call links, and demo data must never reach a real person.
"""

from dataclasses import dataclass

# (username, role, first name, last name, language, password). The passwords exist only
# in demo databases: nothing but seed_demo creates these users.
DEMO_USERS = [
    ("admin", "admin", "Andrea", "Berger", "en", "demo-admin-2026"),
    ("rita", "recruiter", "Rita", "Richter", "en", "demo-rita-2026"),
    ("robert", "recruiter", "Robert", "Brandt", "de", "demo-robert-2026"),
    ("viktor", "viewer", "Viktor", "Vogel", "de", "demo-viktor-2026"),
]


@dataclass(frozen=True)
class Place:
    city: str
    postcode: str
    # A phone number format with {n} for the free digits of a fiction range.
    phone: str
    digits: int


DE = "DE"
GB = "GB"
US = "US"

# Bundesnetzagentur's film ranges exist for five cities; people elsewhere got a number
# in one of them when they moved, which is realistic enough.
_DE_PHONES = [
    ("030 23125{n}", 3),
    ("+49 69 90009-{n}", 3),
    ("040 / 66969 {n}", 3),
    ("0221 4710{n}", 3),
    ("+49 (0)89 99998 {n}", 3),
]
_DE_CITIES = [
    # The big cities more than once: more people live there.
    ("Berlin", "10115"),
    ("Berlin", "10245"),
    ("Berlin", "10999"),
    ("Berlin", "12043"),
    ("Hamburg", "22765"),
    ("München", "80469"),
    ("Hamburg", "20095"),
    ("München", "80331"),
    ("Köln", "50667"),
    ("Frankfurt am Main", "60311"),
    ("Stuttgart", "70173"),
    ("Düsseldorf", "40213"),
    ("Leipzig", "04109"),
    ("Dortmund", "44135"),
    ("Essen", "45127"),
    ("Bremen", "28195"),
    ("Dresden", "01067"),
    ("Hannover", "30159"),
    ("Nürnberg", "90402"),
    ("Mannheim", "68159"),
    ("Karlsruhe", "76133"),
    ("Münster", "48143"),
    ("Freiburg im Breisgau", "79098"),
    ("Aachen", "52062"),
]
PLACES: dict[str, list[Place]] = {
    DE: [
        Place(city, postcode, *_DE_PHONES[i % len(_DE_PHONES)])
        for i, (city, postcode) in enumerate(_DE_CITIES)
    ],
    # Written the international way: a number without +44 would be read as German.
    GB: [
        Place("London", "EC1A 1BB", "+44 20 7946 0{n}", 3),
        Place("London", "SW1A 2AA", "+44 (0)20 7946 0{n}", 3),
        Place("Manchester", "M1 1AE", "+44 161 496 0{n}", 3),
        Place("Birmingham", "B1 1AA", "+44 121 496 0{n}", 3),
        Place("Leeds", "LS1 1UR", "+44 113 496 0{n}", 3),
        Place("Bristol", "BS1 4DJ", "+44 117 496 0{n}", 3),
        Place("Edinburgh", "EH1 1YZ", "+44 131 496 0{n}", 3),
        Place("Glasgow", "G1 1XQ", "+44 141 496 0{n}", 3),
    ],
    US: [
        Place("New York", "10001", "+1 (212) 555-01{n}", 2),
        Place("San Francisco", "94103", "+1 415-555-01{n}", 2),
        Place("Austin", "78701", "+1 (512) 555-01{n}", 2),
        Place("Boston", "02108", "+1 617.555.01{n}", 2),
        Place("Seattle", "98101", "+1 206 555 01{n}", 2),
        Place("Chicago", "60601", "+1 (312) 555-01{n}", 2),
    ],
}
FAKER_LOCALES = {DE: "de_DE", GB: "en_GB", US: "en_US"}
EMAIL_DOMAINS = ["example.com", "example.org", "example.net"]
CURRENCIES = {DE: "EUR", GB: "GBP", US: "USD"}


@dataclass(frozen=True)
class Family:
    """A kind of role: its titles (German and English), skills and yearly salary range."""

    key: str
    titles_de: tuple[str, ...]
    titles_en: tuple[str, ...]
    skills: tuple[str, ...]
    salary: tuple[int, int]  # thousands per year in the local currency (DE figures)


FAMILIES = [
    Family(
        "tech",
        (
            "Softwareentwickler (m/w/d)",
            "Senior Backend-Entwicklerin",
            "Fullstack-Entwickler",
            "IT-Projektleiterin",
            "Systemadministrator Linux",
            "Werkstudent Softwareentwicklung",
        ),
        (
            "Senior Backend Engineer",
            "Frontend Developer",
            "DevOps Engineer",
            "Data Scientist",
            "Engineering Manager",
            "Site Reliability Engineer",
            "QA Automation Engineer",
        ),
        (
            "Python",
            "Django",
            "PostgreSQL",
            "TypeScript",
            "React",
            "Java",
            "Kotlin",
            "Go",
            "AWS",
            "Kubernetes",
            "Terraform",
            "Docker",
            "CI/CD",
            "Machine Learning",
            "SQL",
            "Scrum",
        ),
        (52, 110),
    ),
    Family(
        "sales",
        (
            "Vertriebsleiter DACH",
            "Key Account Managerin",
            "Außendienstmitarbeiter (m/w/d)",
            "Vertriebsinnendienst",
            "Business Development Managerin",
        ),
        (
            "Account Executive",
            "Sales Development Representative",
            "Inside Sales Manager",
            "Head of Sales",
            "Customer Success Manager",
        ),
        (
            "Kaltakquise",
            "Salesforce",
            "HubSpot",
            "Key Account Management",
            "Verhandlungsführung",
            "B2B SaaS",
            "MEDDIC",
            "Lead Generation",
            "CRM",
            "Pipeline Management",
            "Englisch C1",
        ),
        (48, 120),
    ),
    Family(
        "ops",
        (
            "Leiterin Logistik",
            "Teamleiter Produktion",
            "Office Managerin",
            "Einkäufer (m/w/d)",
            "Projektkauffrau",
            "Qualitätsmanagerin",
        ),
        (
            "Operations Manager",
            "Supply Chain Analyst",
            "Procurement Specialist",
            "Project Coordinator",
            "People Operations Partner",
        ),
        (
            "SAP MM",
            "SAP S/4HANA",
            "Excel",
            "Lean Management",
            "Six Sigma",
            "Lieferantenmanagement",
            "Projektmanagement",
            "ISO 9001",
            "Prince2",
            "Power BI",
            "Arbeitsrecht",
        ),
        (42, 85),
    ),
]

# Some of each; the first four exist in a new installation (migration 0003).
OCCASIONAL_TAGS = ["Remote only", "Relocation OK", "German C1", "Top 5%"]
TAGS = ["Silver medalist", "High potential", "Rejected by ATS", "Referral", *OCCASIONAL_TAGS]

PUBLIC_POOLS = {
    "SuccessFactors_2ndBestCandidates": "Runners-up exported from SuccessFactors.",
    "Sales DACH": "Sales people for Germany, Austria and Switzerland.",
    "Engineering Berlin": "Developers and engineers around Berlin.",
    "UK Graduates 2026": "Graduates from the UK campus events.",
}
PRIVATE_POOL = "Executive search (confidential)"
PRIVATE_POOL_DESCRIPTION = "Board and C-level searches. Members only."

CUSTOM_FIELDS = [
    # key, label (en), label (de), kind, choices
    ("notice_period_weeks", "Notice period (weeks)", "Kündigungsfrist (Wochen)", "number", []),
    ("work_model", "Work model", "Arbeitsmodell", "choice", ["remote", "hybrid", "on-site"]),
]

NOTES_DE = [
    "Telefonat geführt: wechselbereit ab {month}, Gehaltsvorstellung {salary}.",
    "Sehr starkes Profil, leider knapp gegen die interne Kandidatin verloren.",
    "Möchte nur remote oder hybrid arbeiten, maximal zwei Tage im Büro in {city}.",
    "Hat sich auf die Stelle als {title} beworben; Feedback aus dem Fachbereich: sehr gut.",
    "Kennt {skill} sehr gut. Im Herbst noch einmal ansprechen.",
    "Kündigungsfrist drei Monate zum Quartalsende.",
    "Empfehlung von einem Kollegen aus dem Vertrieb.",
    "Zweitgespräch war super, Absage nur wegen Budget. Unbedingt im Pool behalten!",
]
NOTES_EN = [
    "Phone screen done: open to moving from {month}, expects {salary}.",
    "Great culture fit, lost out narrowly to an internal candidate.",
    "Prefers hybrid work, at most two office days in {city}.",
    "Applied as {title}; hiring manager feedback very positive.",
    "Strong in {skill}. Reach out again in the autumn.",
    "Three months' notice period.",
    "Referred by someone in the sales team.",
    "Second interview went really well, declined only for budget reasons. Keep warm!",
]
MONTHS_DE = ["Januar", "März", "Mai", "Juli", "September", "Oktober"]
MONTHS_EN = ["January", "March", "May", "July", "September", "October"]

COMPANY = "Nordlicht Software GmbH"
# The address and contact beside the name (the emails and pages name the company first).
COMPANY_CONTACT = "Torstraße 120, 10119 Berlin, recruiting@nordlicht.example"
COMPANY_DPO = "Dr. Petra Wendt, datenschutz@nordlicht.example"
