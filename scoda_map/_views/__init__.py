"""Views: map layers, panels and charts that observe the explorer state."""
