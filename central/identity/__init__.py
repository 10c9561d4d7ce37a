"""Identity verification on the platform (GB/T 39047-2020 §5.2.3.2 levels, GB/T 40756 §9.8.5.2).

`verifier.py` is the port a deployment implements; `reference.py` the development-only
verifier this repository ships; `id_number.py` the GB 11643 checks; `verifications.py` the
tokens that prove a verification to later requests of the same terminal.
"""
