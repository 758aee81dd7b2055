"""Pure rendering: state and atlas in, safe HTML out (no widgets).

The live explorer (``_views``) and the kernel-free static view show the same
fragments because both call these functions.
"""
