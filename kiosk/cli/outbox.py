"""``kiosk outbox``: the queued actions for technicians (read and resolve; delivery is the kiosk's sender).

``kiosk outbox list [--json]``: every action, oldest first: id, kind, status, attempts, the registry's
last word, when; the patient only as a masked policy (``7700 **** **** 0017``).
``kiosk outbox retry ID``: a failed action goes back to pending (sent again, after the usual check).
``kiosk outbox discard ID --reason TEXT``: a technician gives an action up; the reason is kept and logged.
Exit 0 when done, 1 when the id or the move is refused (the message says why), 2 when the cache cannot
be opened.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import Any

from kiosk.clock import clock_from_environment
from kiosk.config import load_config
from kiosk.logs import configure_logging

log = logging.getLogger("kiosk.outbox")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("outbox", help="actions taken offline, waiting for the registry")
    commands = parser.add_subparsers(dest="outbox_command", metavar="ACTION", required=True)
    listing = commands.add_parser("list", help="every queued action, oldest first (policies masked)")
    listing.add_argument("--json", action="store_true", help="one JSON array instead of text")
    listing.set_defaults(func=run_list)
    retry = commands.add_parser("retry", help="send a failed action again")
    retry.add_argument("id", type=int)
    retry.set_defaults(func=run_retry)
    discard = commands.add_parser("discard", help="give an action up, with the reason (it is kept)")
    discard.add_argument("id", type=int)
    discard.add_argument("--reason", required=True, help="why (kept with the action and logged)")
    discard.set_defaults(func=run_discard)


def _open(args: argparse.Namespace) -> Any:
    from kiosk.offline.factory import open_store
    from offline_cache import Outbox

    config = load_config(args.config)
    configure_logging(config.logging.level)
    store, vault = open_store(config.cache, config.kiosk.data_dir)
    return Outbox(store, vault.sealer)


def _guarded(args: argparse.Namespace, body: Any) -> int:
    from offline_cache import CacheSchemaError, KeyFileError, OutboxError, SealError

    try:
        outbox = _open(args)
    except (CacheSchemaError, KeyFileError) as error:
        print(f"kiosk outbox: {error}", file=sys.stderr)
        return 2
    try:
        return int(body(outbox))
    except (OutboxError, SealError) as error:
        print(f"kiosk outbox: {error}", file=sys.stderr)
        return 1
    finally:
        outbox.store.close()


def _row(action: Any) -> dict[str, Any]:
    from kiosk.domain import mask_policy

    return {"id": action.action_id, "kind": action.kind, "status": action.status, "attempts": action.attempts,
            "detail": action.detail, "created_at": action.created_at.isoformat(),
            "updated_at": action.updated_at.isoformat(),
            "patient": mask_policy(str(action.payload.get("policy", ""))),
            "appointment_id": action.payload.get("appointment_id")}


def run_list(args: argparse.Namespace) -> int:
    def body(outbox: Any) -> int:
        rows = [_row(a) for a in outbox.listed()]
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=2))
            return 0
        if not rows:
            print("the outbox is empty")
        for r in rows:
            said = f": {r['detail']}" if r["detail"] else ""
            print(f"{r['id']:>5}  {r['kind']:<9} {r['status']:<10} {r['patient']}  appointment {r['appointment_id']}"
                  f"  queued {r['created_at']}, {r['attempts']} attempt(s){said}")
        return 0

    return _guarded(args, body)


def run_retry(args: argparse.Namespace) -> int:
    def body(outbox: Any) -> int:
        action = outbox.retry(args.id, clock_from_environment().now())
        log.warning("outbox %s (%s) retried by a technician", action.action_id, action.kind)
        print(f"{action.action_id}: pending again (sent after the usual check when the registry answers)")
        return 0

    return _guarded(args, body)


def run_discard(args: argparse.Namespace) -> int:
    def body(outbox: Any) -> int:
        action = outbox.discard(args.id, clock_from_environment().now(), args.reason)
        log.warning("outbox %s (%s) discarded by a technician: %s", action.action_id, action.kind, action.detail)
        print(f"{action.action_id}: discarded ({action.detail})")
        return 0

    return _guarded(args, body)
