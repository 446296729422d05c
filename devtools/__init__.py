"""Development-only tooling: the embedded stack behind `make run` and the tests, demo data.

Nothing under services/ or shared/ imports it (import-linter checks), and the runtime image
(deploy/Dockerfile) does not contain it.
"""
