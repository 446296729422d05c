"""The regulators' workbench: server-rendered pages over the services' own APIs."""
