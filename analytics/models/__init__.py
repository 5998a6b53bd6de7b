from .nps import NpsAnswer, NpsInvitation, NpsSurvey
from .settings import AnalyticsSettings

__all__ = ["AnalyticsSettings", "NpsAnswer", "NpsInvitation", "NpsSurvey"]
