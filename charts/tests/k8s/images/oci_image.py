#!/usr/bin/env python3
"""Writes an OCI image archive (oci-layout + index.json + blobs) from a root
folder, for `ctr -n k8s.io images import`. No registry or Docker can be reached
here, so images are assembled from files we built or debootstrapped.

One uncompressed layer: containerd accepts it and skipping gzip saves minutes
on a 300 MB Debian root.

usage: oci_image.py --name REF --root DIR --out FILE.tar [--entrypoint JSON]
                    [--cmd JSON] [--user UID:GID] [--workdir DIR] [--env K=V ...]
"""
import argparse
import hashlib
import io
import json
import os
import tarfile


def blob(tar, data: bytes, media_type: str) -> dict:
    digest = hashlib.sha256(data).hexdigest()
    info = tarfile.TarInfo(f"blobs/sha256/{digest}")
    info.size = len(data)
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))
    return {"mediaType": media_type, "digest": f"sha256:{digest}", "size": len(data)}


def layer_bytes(root: str) -> bytes:
    buf = io.BytesIO()
    # Sorted and with fixed mtimes so the same input gives the same digest
    # (and containerd does not unpack a second copy of an unchanged image).
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        def reset(ti: tarfile.TarInfo) -> tarfile.TarInfo:
            ti.mtime = 0
            return ti
        for entry in sorted(os.listdir(root)):
            t.add(os.path.join(root, entry), arcname=entry, filter=reset)
    return buf.getvalue()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--name", required=True)
    p.add_argument("--root", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--entrypoint", default=None)
    p.add_argument("--cmd", default=None)
    p.add_argument("--user", default="")
    p.add_argument("--workdir", default="/")
    p.add_argument("--env", action="append", default=[])
    a = p.parse_args()

    layer = layer_bytes(a.root)
    diff_id = "sha256:" + hashlib.sha256(layer).hexdigest()
    cfg = {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", *a.env],
           "WorkingDir": a.workdir}
    if a.user:
        cfg["User"] = a.user
    if a.entrypoint:
        cfg["Entrypoint"] = json.loads(a.entrypoint)
    if a.cmd:
        cfg["Cmd"] = json.loads(a.cmd)
    config = {"architecture": "amd64", "os": "linux", "config": cfg,
              "rootfs": {"type": "layers", "diff_ids": [diff_id]},
              "created": "1970-01-01T00:00:00Z"}
    with tarfile.open(a.out, "w") as tar:
        layer_desc = blob(tar, layer, "application/vnd.oci.image.layer.v1.tar")
        config_desc = blob(tar, json.dumps(config, sort_keys=True).encode(),
                           "application/vnd.oci.image.config.v1+json")
        manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "config": config_desc, "layers": [layer_desc]}
        manifest_desc = blob(tar, json.dumps(manifest, sort_keys=True).encode(),
                             "application/vnd.oci.image.manifest.v1+json")
        manifest_desc["annotations"] = {"io.containerd.image.name": a.name,
                                        "org.opencontainers.image.ref.name": a.name}
        manifest_desc["platform"] = {"architecture": "amd64", "os": "linux"}
        for name, data in (("oci-layout", json.dumps({"imageLayoutVersion": "1.0.0"})),
                           ("index.json", json.dumps({"schemaVersion": 2, "manifests": [manifest_desc]}))):
            raw = data.encode()
            info = tarfile.TarInfo(name)
            info.size = len(raw)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(raw))
    print(f"{a.out}: {a.name} {manifest_desc['digest']} layer {len(layer) // 1024} KiB")


if __name__ == "__main__":
    main()
