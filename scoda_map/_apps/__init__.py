"""Apps: the explorer (and, later, the kiosk) composed from the model and views."""
