"""How the OpenAPI schema describes SafeHarbor's two ways to authenticate."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "safeharbor.accounts.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):  # type: ignore[no-untyped-def]
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An agency-bound token created by an administrator (sh_…).",
        }


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = "safeharbor.accounts.api.authentication.VerifiedSessionAuthentication"
    name = "verifiedSession"

    def get_security_definition(self, auto_schema):  # type: ignore[no-untyped-def]
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sh_session",
            "description": "A browser session that has passed the one-time-code step.",
        }
