from .members import Country, Institution, InstitutionKind, Subregion
from .pages import (
    HomePage,
    NewsIndexPage,
    NewsPage,
    SiteIdentity,
    StandardPage,
)

__all__ = [
    "Country",
    "HomePage",
    "Institution",
    "InstitutionKind",
    "NewsIndexPage",
    "NewsPage",
    "SiteIdentity",
    "StandardPage",
    "Subregion",
]
