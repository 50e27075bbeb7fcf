"""The tariff kinds: one module each (price ladder, rate tariff, Daily Time), listed in the registry."""
