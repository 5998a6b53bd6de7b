from .nps import NpsAnswer, NpsInvitation, NpsSurvey, NpsVipFollowUp
from .settings import AnalyticsSettings

__all__ = ["AnalyticsSettings", "NpsAnswer", "NpsInvitation", "NpsSurvey", "NpsVipFollowUp"]
