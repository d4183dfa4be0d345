"""Model permissions the programs app adds to the portal's roles (see portal.accounts.roles).

Which profiles a delegate may edit is not a model permission: it comes from Wagtail page
permissions on their country's pages (programs.services.delegates).
"""

from portal.accounts.roles import Role

_VOCABULARIES = ["topic", "targetpopulation", "exchangemethod", "programstatus",
                 "sustainabledevelopmentgoal", "sdgtarget"]
_REGISTRY_MODELS = ["articulator", "articulatorsector", "articulatorscope", "supporttype",
                    "povertytopic", "macrozone", "region"]

EXTRA_ROLE_PERMISSIONS = {
    Role.COUNTRY_DELEGATE: {
        "wagtail_localize.submit_translation",
    },
    Role.MODERATOR: {
        "wagtail_localize.submit_translation",
        *[f"programs.{action}_{model}" for model in _VOCABULARIES
          for action in ("add", "change", "delete", "view")],
        # Moderators run the ecosystem registry: entries (through the moderation workflow),
        # regions and macrozones of any country, and the registry's vocabularies.
        *(f"programs.{action}_{model}" for model in _REGISTRY_MODELS
          for action in ("add", "change", "delete")),
        "programs.publish_articulator",
        "programs.lock_articulator",
        "programs.unlock_articulator",
    },
}
