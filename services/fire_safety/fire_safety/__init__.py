"""Fire-safety supervision: checklists, inspections, hazards, rectification orders."""
