#!/usr/bin/env python3
"""image-check.py REGISTRY PINS.yml [LOCKFILE]: the built images themselves, read from the
registry (not their Dockerfiles): each runs as a numeric non-root user, has a command, and the
API and migrate images hold no package under /app/node_modules that the lockfile marks as
needed only for development ("dev" or "devOptional": the test runner, tsc, the prisma CLI...).
A @types package a runtime dependency depends on (@prisma/adapter-pg -> @types/pg) is runtime
by npm's rules and passes. Prints one line per image, exits 1 on any finding. Plain HTTP
registry (the local one)."""
import io
import json
import sys
import tarfile
import urllib.request

import yaml

registry, pins_file = sys.argv[1:3]
pins = yaml.safe_load(open(pins_file))
root = __file__.rsplit("/services/", 1)[0]
lock = json.load(open(sys.argv[3] if len(sys.argv) > 3 else f"{root}/package-lock.json"))["packages"]
dev = {k[len("node_modules/"):] for k, v in lock.items()
       if k.startswith("node_modules/") and "/node_modules/" not in k[len("node_modules/"):] and (v.get("dev") or v.get("devOptional"))}
ACCEPT = "application/vnd.oci.image.manifest.v1+json,application/vnd.oci.image.index.v1+json,application/vnd.docker.distribution.manifest.v2+json"


def get(repo, path, accept=None):
    req = urllib.request.Request(f"http://{registry}/v2/{repo}/{path}", headers={"Accept": accept} if accept else {})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.read()


failed = 0
for name, pin in pins.items():
    if name not in ("api", "migrate", "web"):
        continue
    repo = pin["repository"].split("/", 1)[1]
    man = json.loads(get(repo, f"manifests/{pin['digest']}", ACCEPT))
    if "manifests" in man:
        man = json.loads(get(repo, f"manifests/{man['manifests'][0]['digest']}", ACCEPT))
    cfg = json.loads(get(repo, f"blobs/{man['config']['digest']}"))["config"]
    problems = []
    user = str(cfg.get("User") or "")
    if not user.split(":")[0].isdigit() or user.split(":")[0] == "0":
        problems.append(f"user {user or '(root)'} is not a numeric non-root uid")
    if not cfg.get("Cmd") and not cfg.get("Entrypoint"):
        problems.append("no command")
    present = set()
    size = 0
    for layer in man["layers"]:
        blob = get(repo, f"blobs/{layer['digest']}")
        size += len(blob)
        with tarfile.open(fileobj=io.BytesIO(blob), mode="r:*") as t:
            for m in t.getmembers():
                parts = m.name.lstrip("./").split("/")
                if parts[:2] == ["app", "node_modules"] and len(parts) >= 4 and parts[-1] == "package.json":
                    pkg = parts[2] if not parts[2].startswith("@") else f"{parts[2]}/{parts[3]}"
                    if len(parts) == (4 if not parts[2].startswith("@") else 5):
                        present.add(pkg)
    leaked = sorted(present & dev)
    if leaked:
        problems.append(f"development-only packages in /app/node_modules: {', '.join(leaked[:12])}{' ...' if len(leaked) > 12 else ''} ({len(leaked)})")
    status = "FAIL" if problems else "ok  "
    failed += bool(problems)
    print(f"{status} {name}: user {user}, {len(man['layers'])} layers, {size / 1e6:.0f} MB compressed, {len(present)} packages"
          + (f"; {'; '.join(problems)}" if problems else ""))
sys.exit(1 if failed else 0)
