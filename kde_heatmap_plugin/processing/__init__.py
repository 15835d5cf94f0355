"""The Processing provider and its algorithm."""
