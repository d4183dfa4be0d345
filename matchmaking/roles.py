"""Model permissions the matchmaking app adds to the portal's roles.

Which workshop an organiser may touch is not a model permission: `matchmaking.permissions`
narrows them to the workshops that list them among their organisers.
"""

from portal.accounts.roles import Role

EXTRA_ROLE_PERMISSIONS = {
    Role.ORGANISER: {
        *(f"matchmaking.{action}_{model}" for model in ("workshop", "delegation")
          for action in ("add", "change", "delete", "view")),
    },
}
