"""`python -m signing.agent [--port N] [--origin URL]`: serve the signing API on 127.0.0.1."""

import argparse
import os
import sys

from signing.agent import __version__
from signing.agent.server import HOST, AgentServer
from signing.agent.token import TokenAccess

DEFAULT_PORT = 13579
DEFAULT_ORIGIN = "http://127.0.0.1:8000"
DEFAULT_MODULE = "/usr/lib/softhsm/libsofthsm2.so"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="dvc-signing-agent",
        description="Local signing agent for the portal's 'USB ký số' sign-in.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("SIGNING_AGENT_PORT", DEFAULT_PORT)),
        help="port on 127.0.0.1 (SIGNING_AGENT_PORT, default %(default)s)",
    )
    parser.add_argument(
        "--origin", default=os.environ.get("SIGNING_AGENT_ORIGIN", DEFAULT_ORIGIN),
        help="the only portal origin answered (SIGNING_AGENT_ORIGIN, default %(default)s)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tokens = TokenAccess(
        os.environ.get("PKCS11_MODULE", DEFAULT_MODULE),
        os.environ.get("PKCS11_TOKEN_LABEL"),
    )
    try:
        server = AgentServer(args.port, args.origin, tokens)
    except OSError as error:
        print(f"cannot listen on {HOST}:{args.port}: {error}", file=sys.stderr)
        return 1
    print(f"Signing agent on http://{HOST}:{server.server_address[1]}/ for {server.origin}"
          f" (module {tokens.module})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
