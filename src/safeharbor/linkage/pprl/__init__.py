"""Privacy-preserving linkage: keyed Bloom-filter encodings made by each agency on its own
machine, linked on the platform (or offline) without names.

``encoding`` and ``document`` (the file format), ``matching`` (Dice similarity, the index,
clusters) and the two commands (``encode_command``, ``link_command``) are plain Python and
need no Django; ``models``, ``services``, ``selectors``, ``views`` and ``api`` are the
platform side.
"""
