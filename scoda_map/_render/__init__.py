"""Pure rendering: state -> HTML fragments, figure specs and map styles (no widgets)."""
