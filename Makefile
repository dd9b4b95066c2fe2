# Each target calls one script; see README.md.
.PHONY: run test bench deps worker sandbox agent up down messages

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

# make bench ARGS="--quick --skip-console" for a first try; see bench/README.md.
bench:
	@bash scripts/bench.sh $(ARGS)

# The production shape on this machine (deploy/shape.py): nginx, two web processes, a
# worker per queue, beat, the sandbox server; in the background until `make down`.
up:
	@bash scripts/deps.sh --system && .venv/bin/python -m deploy.up

down:
	@.venv/bin/python -m deploy.up --down

# The English catalogue (locale/en/) brought up to date with the sources, then compiled.
messages:
	@bash scripts/messages.sh

deps:
	@bash scripts/deps.sh

worker:
	@bash scripts/deps.sh && .venv/bin/celery -A portal worker -l info

sandbox:
	@bash scripts/deps.sh && .venv/bin/python manage.py run_sandbox

agent:
	@bash scripts/agent.sh

