from .contests import Contest, ContestParticipant
from .settings import AnalyticsSettings

__all__ = ["AnalyticsSettings", "Contest", "ContestParticipant"]
