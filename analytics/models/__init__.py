from .ltv import LtvClient
from .settings import AnalyticsSettings

__all__ = ["AnalyticsSettings", "LtvClient"]
