#!/usr/bin/env python3
"""Image pins (CI's images.yml, make cluster's .cache/cluster/images.yml) -> the app chart's
image values, refusing anything not pinned by digest. `--tag` prints the api image's tag
(the commit CI built). Usage: pins-to-values.py [--tag] PINS.yml"""
import json
import re
import sys

import yaml

args = sys.argv[1:]
tag_only = args[:1] == ["--tag"]
pins = yaml.safe_load(open(args[-1])) or {}
values = {}
for name in ("api", "web"):
    pin = pins.get(name)
    if not isinstance(pin, dict) or not re.fullmatch(r"sha256:[0-9a-f]{64}", str(pin.get("digest", ""))):
        sys.exit(f"{args[-1]}: {name} needs a sha256 digest")
    if not pin.get("repository") or not str(pin.get("tag", "")):
        sys.exit(f"{args[-1]}: {name} needs repository and tag")
    values[name] = {"image": {"repository": pin["repository"], "tag": str(pin["tag"]), "digest": pin["digest"]}}
# The migrate image, when the pins have one (CI's do): the chart's migrate Job runs it.
mig = pins.get("migrate")
if isinstance(mig, dict) and mig.get("digest"):
    if not re.fullmatch(r"sha256:[0-9a-f]{64}", str(mig["digest"])) or not mig.get("repository") or not str(mig.get("tag", "")):
        sys.exit(f"{args[-1]}: migrate needs repository, tag and a sha256 digest")
    values["migrate"] = {"image": {"repository": mig["repository"], "tag": str(mig["tag"]), "digest": mig["digest"]}}
if tag_only:
    print(values["api"]["image"]["tag"])
else:
    # JSON is YAML: helm -f reads it as it is.
    print(json.dumps(values, indent=2))
