"""Messages of DRF and simplejwt that their own Russian catalogs lack (or translate badly), so that the API's errors
speak Russian under `Accept-Language: ru` (docs/api.md, "Errors").

Nothing imports this module: `makemessages` reads the msgids here into locale/ru, which Django looks up before the
packages' catalogs (LOCALE_PATHS first). Each msgid must stay exactly as the package writes it.
"""

from django.utils.translation import gettext_noop

MESSAGES = [
    # rest_framework_simplejwt 5.5 (its ru_RU catalog predates these).
    gettext_noop("Token is invalid"),
    gettext_noop("Token is expired"),
    gettext_noop("No active account found for the given token."),
    gettext_noop("The user's password has been changed."),
    gettext_noop("Invalid algorithm specified"),
    # rest_framework 3.16 fields, parsers and exceptions.
    gettext_noop("Request was throttled."),
    gettext_noop("Invalid input."),
    gettext_noop("Must be a valid boolean."),
    gettext_noop("Must be a valid UUID."),
    gettext_noop("Not a valid string."),
    gettext_noop("This dictionary may not be empty."),
    gettext_noop("Ensure this field has at least {min_length} elements."),
    gettext_noop("Ensure this field has no more than {max_length} elements."),
    gettext_noop("Ensure that there are no more than {max_whole_digits} digits before the decimal point."),
    gettext_noop("Ensure this filename has at most {max_length} characters (it has {length})."),
    gettext_noop("Integer value too large to convert to float"),
    gettext_noop("Datetime value out of range."),
    gettext_noop('Invalid datetime for the timezone "{timezone}".'),
    gettext_noop("The number of days must be between {min_days} and {max_days}."),
    gettext_noop("Surrogate characters are not allowed: U+{code_point:X}."),
]
