"""Demo data per service, loaded through each service's own HTTP API.

``python -m devtools.demo.<service> --url <base URL>``; devtools.devstack loads them in order
(registry first: the others use its institutions).
"""
