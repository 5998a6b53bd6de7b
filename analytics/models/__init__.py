from .settings import AnalyticsSettings

__all__ = ["AnalyticsSettings"]
