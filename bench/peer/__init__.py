"""The bench's peer: a minimal Django project with django-allauth's stock password login,
served beside the portal in the same run (bench/peer_stack.py starts it). It runs from a
virtual environment of its own (var/bench/peer-venv, bench/peer/requirements.txt) and
imports nothing of the portal: only bench.argon2id and bench.people, plain modules."""
