"""Escrow service: supervised deposit accounts, caps by jurisdiction, reconciliation, refunds."""
