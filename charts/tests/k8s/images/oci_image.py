#!/usr/bin/env python3
"""Writes an OCI image archive (oci-layout + index.json + blobs) from a root
folder, for `ctr -n k8s.io images import`. No registry or Docker can be reached
here, so images are assembled from files we built or debootstrapped.

One uncompressed layer per --root (in order): containerd accepts them, skipping
gzip saves minutes on a 300 MB Debian root, and images that share a base root
share its layer blob in containerd.

usage: oci_image.py --name REF --root DIR [--root DIR ...] --out FILE.tar [--entrypoint JSON]
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
    p.add_argument("--root", required=True, action="append")
    p.add_argument("--out", required=True)
    p.add_argument("--entrypoint", default=None)
    p.add_argument("--cmd", default=None)
    p.add_argument("--user", default="")
    p.add_argument("--workdir", default="/")
    p.add_argument("--env", action="append", default=[])
    a = p.parse_args()

    layers = [layer_bytes(r) for r in a.root]
    diff_ids = ["sha256:" + hashlib.sha256(layer).hexdigest() for layer in layers]
    cfg = {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", *a.env],
           "WorkingDir": a.workdir}
    if a.user:
        cfg["User"] = a.user
    if a.entrypoint:
        cfg["Entrypoint"] = json.loads(a.entrypoint)
    if a.cmd:
        cfg["Cmd"] = json.loads(a.cmd)
    config = {"architecture": "amd64", "os": "linux", "config": cfg,
              "rootfs": {"type": "layers", "diff_ids": diff_ids},
              "created": "1970-01-01T00:00:00Z"}
    with tarfile.open(a.out, "w") as tar:
        layer_descs = [blob(tar, layer, "application/vnd.oci.image.layer.v1.tar") for layer in layers]
        config_desc = blob(tar, json.dumps(config, sort_keys=True).encode(),
                           "application/vnd.oci.image.config.v1+json")
        manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "config": config_desc, "layers": layer_descs}
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
    print(f"{a.out}: {a.name} {manifest_desc['digest']} {len(layers)} layer(s) {sum(len(x) for x in layers) // 1048576} MiB")


if __name__ == "__main__":
    main()
