"""Model: the explorer's state and what it derives, with no widgets."""
