"""``dimos budget-import``: the command's name as the docs write it (see budget_import)."""

from dimos.budget.management.commands.budget_import import Command

__all__ = ["Command"]
