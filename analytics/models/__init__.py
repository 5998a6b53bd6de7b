from .abc import ClientAbc
from .settings import AnalyticsSettings

__all__ = ["AnalyticsSettings", "ClientAbc"]
