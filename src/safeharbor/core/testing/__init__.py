"""Test support shipped with core: a small protected model (``Specimen``) that exercises the
encrypted fields, blind indexes and the permission engine, and the generic permission
harness other areas' tests use. Installed only by ``safeharbor.settings.test``."""
