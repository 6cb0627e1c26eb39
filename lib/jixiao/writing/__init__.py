"""Writing figures: numbers as reports write them, their provenance, charts."""
