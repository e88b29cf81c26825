"""Checks rendered DhakaCart manifests the way a cluster would, short of running one.

Usage: check_manifests.py --crds DIR --repo ROOT SCENARIO=RENDERED.yaml[:flag,flag] ...

For every scenario (one `helm template` of dhakacart-data + dhakacart) it runs:
  schema      every object against the official Kubernetes schemas (each --kube-version)
              and the official CRD schemas, strictly (unknown fields fail)
  wiring      selectors, ports, HPA/PDB targets, monitors, service hosts in env URLs
  probes      probe ports exist; API probes hit routes the API serves
  secrets     every referenced Secret is rendered or created by an operator we deploy
  images      explicit tags, never latest; digests when the scenario demands them
  hardening   restricted Pod Security for every container, requests and limits
  network     default deny, DNS, every needed flow allowed and nothing else
  monitoring  kube-prometheus-stack release label, alerts with runbooks, known metrics
  resilience  rollout, spread, graceful shutdown, migrations hook, database durability
Prints "PASS <check>" or "FAIL <check>: <why>" lines; exit status 1 if any failed.
"""
from __future__ import annotations

import argparse
import glob
import ipaddress
import os
import re
import sys
import urllib.parse
from dataclasses import dataclass, field

import jsonschema
import kubernetes_validate
import yaml

NAMESPACE = "dhakacart"
# What the API serves (contract with services/api; see docs/runbooks/helm.md).
API_ROUTES = {"/livez", "/readyz", "/metrics", "/docs", "/openapi.json", "/v1/products"}
API_METRICS = {"http_request_duration_seconds", "http_request_duration_seconds_count",
               "http_request_duration_seconds_bucket", "http_request_duration_seconds_sum",
               "dhakacart_orders_total", "dhakacart_checkout_failures_total",
               "dhakacart_cache_requests_total", "dhakacart_redis_up", "dhakacart_db_up",
               "dhakacart_db_replica_fallbacks_total", "up"}
# Pods made by operators from objects we render (labels and ports from the
# CloudNativePG v1.30 source: pkg/specs/pods.go and pkg/specs/pgbouncer/deployments.go).
CNPG_INSTANCE_PORTS = {"postgresql": 5432, "metrics": 9187, "status": 8000}
CNPG_POOLER_PORTS = {"pgbouncer": 5432, "metrics": 9127}
# Actors outside the namespace, as the lab runs them.
EXTERNAL = {
    "traefik": ("kube-system", {"app.kubernetes.io/name": "traefik"}),
    "prometheus": ("monitoring", {"app.kubernetes.io/name": "prometheus"}),
    "cnpg-operator": ("cnpg-system", {"app.kubernetes.io/name": "cloudnative-pg"}),
    "kube-dns": ("kube-system", {"k8s-app": "kube-dns"}),
}
# Secrets the lab render references but no chart creates: Ansible makes them in
# the namespace (check_contract.py proves it, key by key).
EXTERNAL_SECRETS = ("dhakacart-backup-s3", "dhakacart-backup-ca", "dhakacart-jwt")
KUBE_API_IP = "192.168.56.11"  # a K3s server node (kube-router evaluates policy after DNAT)


# --------------------------------------------------------------------------- results
class Report:
    def __init__(self) -> None:
        self.failed = 0
        self.passed = 0

    def check(self, name: str, problems: list[str]) -> None:
        if problems:
            self.failed += 1
            print(f"FAIL {name}: {len(problems)} problem(s)")
            for p in problems[:25]:
                print(f"     - {p}")
        else:
            self.passed += 1
            print(f"PASS {name}")


# --------------------------------------------------------------------------- model
@dataclass
class Container:
    name: str
    spec: dict
    ports: dict  # name -> port


@dataclass
class Workload:
    kind: str
    name: str
    labels: dict
    pod_spec: dict | None  # None for operator-made pods
    ports: dict = field(default_factory=dict)  # every container port, name -> number
    component: str = ""

    @property
    def ident(self) -> str:
        return f"{self.kind}/{self.name}"


class _Loader(yaml.SafeLoader):
    """SafeLoader that reads a bare "=" (used in CRD enums) as a string (PyYAML #89)."""


_Loader.add_constructor("tag:yaml.org,2002:value", lambda loader, node: loader.construct_scalar(node))


def load(path: str) -> list[dict]:
    with open(path) as f:
        return [d for d in yaml.load_all(f, Loader=_Loader) if d]


def ident(o: dict) -> str:
    return f"{o['kind']}/{o['metadata']['name']}"


def matches(selector: dict | None, labels: dict) -> bool:
    """Label selector semantics (matchLabels + matchExpressions)."""
    if selector is None:
        return False
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for e in selector.get("matchExpressions") or []:
        k, op, vals = e["key"], e["operator"], e.get("values") or []
        if op == "In" and labels.get(k) not in vals:
            return False
        if op == "NotIn" and labels.get(k) in vals:
            return False
        if op == "Exists" and k not in labels:
            return False
        if op == "DoesNotExist" and k in labels:
            return False
    return True


def pod_containers(pod_spec: dict) -> list[dict]:
    return (pod_spec.get("initContainers") or []) + (pod_spec.get("containers") or [])


def workloads(objs: list[dict]) -> list[Workload]:
    out = []
    for o in objs:
        kind, meta = o["kind"], o["metadata"]
        if kind in ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"):
            tpl = o["spec"]["jobTemplate"]["spec"]["template"] if kind == "CronJob" else o["spec"]["template"]
            labels, spec = tpl["metadata"].get("labels", {}), tpl["spec"]
        elif kind == "Pod":
            labels, spec = meta.get("labels", {}), o["spec"]
        elif kind == "Cluster" and o["apiVersion"].startswith("postgresql.cnpg.io"):
            labels = {"cnpg.io/cluster": meta["name"], "cnpg.io/podRole": "instance",
                      "app.kubernetes.io/name": "postgresql",
                      "app.kubernetes.io/component": "database",
                      "app.kubernetes.io/managed-by": "cloudnative-pg"}
            out.append(Workload(kind, meta["name"], labels, None, dict(CNPG_INSTANCE_PORTS), "database"))
            # CNPG's initdb/join/recovery Jobs (pkg/specs/jobs.go): cnpg.io/jobRole, no podRole.
            job_labels = {"cnpg.io/cluster": meta["name"], "cnpg.io/jobRole": "join",
                          "cnpg.io/instanceName": f"{meta['name']}-2",
                          "app.kubernetes.io/name": "postgresql",
                          "app.kubernetes.io/component": "database",
                          "app.kubernetes.io/managed-by": "cloudnative-pg"}
            out.append(Workload("Job", f"{meta['name']}-2-join", job_labels, None, {}, "database-job"))
            continue
        elif kind == "Pooler":
            labels = dict(((o["spec"].get("template") or {}).get("metadata") or {}).get("labels") or {})
            labels.update({"cnpg.io/cluster": o["spec"]["cluster"]["name"],
                           "cnpg.io/poolerName": meta["name"], "cnpg.io/podRole": "pooler"})
            out.append(Workload(kind, meta["name"], labels, None, dict(CNPG_POOLER_PORTS), "pooler"))
            continue
        else:
            continue
        ports = {}
        for c in pod_containers(spec):
            for p in c.get("ports") or []:
                ports[p.get("name") or str(p["containerPort"])] = p["containerPort"]
        out.append(Workload(kind, meta["name"], labels, spec, ports,
                            labels.get("app.kubernetes.io/component", "")))
    return out


def operator_services(objs: list[dict]) -> dict[str, dict]:
    """Services that CNPG creates: name -> selector-equivalent labels and ports."""
    svcs = {}
    for o in objs:
        if o["kind"] == "Cluster" and o["apiVersion"].startswith("postgresql.cnpg.io"):
            n = o["metadata"]["name"]
            for suffix in ("rw", "ro", "r"):
                svcs[f"{n}-{suffix}"] = {"port": 5432}
        if o["kind"] == "Pooler":
            svcs[o["metadata"]["name"]] = {"port": 5432}
    return svcs


# --------------------------------------------------------------------------- schema
def crd_schemas(crd_dir: str) -> dict[tuple[str, str], dict]:
    """(apiVersion, kind) -> JSON schema, from every CRD file under crd_dir."""
    out = {}
    for path in sorted(glob.glob(os.path.join(crd_dir, "**", "*.y*ml"), recursive=True)):
        for doc in load(path):
            if doc.get("kind") != "CustomResourceDefinition":
                continue
            group, kind = doc["spec"]["group"], doc["spec"]["names"]["kind"]
            for v in doc["spec"]["versions"]:
                if not v.get("served", True):
                    continue
                schema = (v.get("schema") or {}).get("openAPIV3Schema")
                if schema:
                    out[(f"{group}/{v['name']}", kind)] = strict_schema(schema, top=True)
    return out


def strict_schema(s: dict, top: bool = False) -> dict:
    """OpenAPI v3 (Kubernetes dialect) -> JSON Schema that rejects unknown fields,
    as the API server's strict field validation does."""
    if not isinstance(s, dict):
        return s
    out = {}
    for k, v in s.items():
        if k in ("properties", "patternProperties"):
            out[k] = {pk: strict_schema(pv) for pk, pv in v.items()}
        elif k in ("items", "additionalProperties", "not") and isinstance(v, dict):
            out[k] = strict_schema(v)
        elif k in ("anyOf", "allOf", "oneOf"):
            out[k] = [strict_schema(x) for x in v]
        elif k in ("x-kubernetes-validations", "format", "description", "example"):
            continue  # CEL rules cannot be evaluated here (see the runbook)
        else:
            out[k] = v
    if s.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out.setdefault("anyOf", [{"type": "integer"}, {"type": "string"}])
    if s.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    if top:
        out.setdefault("properties", {})["metadata"] = {"type": "object"}
    if ("properties" in out and "additionalProperties" not in out
            and not s.get("x-kubernetes-preserve-unknown-fields")):
        out["additionalProperties"] = False
    return out


def check_schema(objs, crds, kube_versions) -> list[str]:
    problems = []
    for o in objs:
        key = (o["apiVersion"], o["kind"])
        if key in crds:
            v = jsonschema.Draft7Validator(crds[key])
            for e in sorted(v.iter_errors(o), key=lambda e: list(e.path)):
                problems.append(f"{ident(o)} ({o['apiVersion']}): {'.'.join(map(str, e.path))}: {e.message[:200]}")
            continue
        if "." in o["apiVersion"].split("/")[0] and not o["apiVersion"].split("/")[0].endswith("k8s.io"):
            problems.append(f"{ident(o)}: no CRD schema for {o['apiVersion']} {o['kind']}")
            continue
        for kv in kube_versions:
            try:
                kubernetes_validate.validate(o, kv, strict=True)
            except kubernetes_validate.ValidationError as e:
                problems.append(f"{ident(o)} @k8s {kv}: {'.'.join(map(str, e.path))}: {e.message[:200]}")
            except kubernetes_validate.SchemaNotFoundError:
                problems.append(f"{ident(o)}: {o['apiVersion']} {o['kind']} is not served by Kubernetes {kv}")
    return problems


# --------------------------------------------------------------------------- wiring
def check_wiring(objs, wls) -> list[str]:
    problems = []
    by_kind: dict[str, dict[str, dict]] = {}
    for o in objs:
        by_kind.setdefault(o["kind"], {})[o["metadata"]["name"]] = o
    services = by_kind.get("Service", {})
    op_svcs = operator_services(objs)

    for o in objs:
        if o["kind"] in ("Deployment", "StatefulSet", "DaemonSet"):
            if not matches(o["spec"]["selector"], o["spec"]["template"]["metadata"].get("labels", {})):
                problems.append(f"{ident(o)}: selector does not match its own pod template")

    for name, svc in services.items():
        sel = svc["spec"].get("selector")
        targets = [w for w in wls if sel and matches({"matchLabels": sel}, w.labels)]
        if not targets:
            problems.append(f"Service/{name}: selector {sel} matches no pod")
        for p in svc["spec"]["ports"]:
            tp = p.get("targetPort", p["port"])
            for w in targets:
                if isinstance(tp, str) and tp not in w.ports:
                    problems.append(f"Service/{name}: targetPort {tp!r} not a named port of {w.ident}")
                if isinstance(tp, int) and tp not in w.ports.values():
                    problems.append(f"Service/{name}: targetPort {tp} not exposed by {w.ident}")

    for name, pdb in by_kind.get("PodDisruptionBudget", {}).items():
        if not [w for w in wls if matches(pdb["spec"]["selector"], w.labels) and w.kind != "Job"]:
            problems.append(f"PodDisruptionBudget/{name}: selector matches no long-running pod")

    for name, hpa in by_kind.get("HorizontalPodAutoscaler", {}).items():
        ref = hpa["spec"]["scaleTargetRef"]
        if ref["name"] not in by_kind.get(ref["kind"], {}):
            problems.append(f"HorizontalPodAutoscaler/{name}: target {ref['kind']}/{ref['name']} not rendered")
        else:
            target = by_kind[ref["kind"]][ref["name"]]
            if "replicas" in target["spec"]:
                problems.append(f"{ident(target)}: sets spec.replicas while an HPA owns it (every upgrade would reset the scale)")
            cpu = [m for m in hpa["spec"].get("metrics", []) if m.get("resource", {}).get("name") == "cpu"]
            if cpu and not all("cpu" in (c.get("resources") or {}).get("requests", {})
                               for c in target["spec"]["template"]["spec"]["containers"]):
                problems.append(f"HorizontalPodAutoscaler/{name}: CPU target but a container has no CPU request")

    for name, sm in by_kind.get("ServiceMonitor", {}).items():
        svcs = [s for s in services.values() if matches(sm["spec"]["selector"], s["metadata"].get("labels", {}))]
        if not svcs:
            problems.append(f"ServiceMonitor/{name}: selects no Service")
        for ep in sm["spec"]["endpoints"]:
            for s in svcs:
                if ep.get("port") not in [p.get("name") for p in s["spec"]["ports"]]:
                    problems.append(f"ServiceMonitor/{name}: Service/{s['metadata']['name']} has no port named {ep.get('port')!r}")

    for name, pm in by_kind.get("PodMonitor", {}).items():
        pods = [w for w in wls if matches(pm["spec"]["selector"], w.labels)]
        if not pods:
            problems.append(f"PodMonitor/{name}: selects no pod")
        for ep in pm["spec"]["podMetricsEndpoints"]:
            for w in pods:
                if ep.get("port") not in w.ports:
                    problems.append(f"PodMonitor/{name}: {w.ident} has no port named {ep.get('port')!r}")

    for name, ing in by_kind.get("Ingress", {}).items():
        for rule in ing["spec"].get("rules", []):
            for p in rule["http"]["paths"]:
                b = p["backend"]["service"]
                s = services.get(b["name"])
                if not s:
                    problems.append(f"Ingress/{name}: backend Service/{b['name']} not rendered")
                elif b["port"].get("name") and b["port"]["name"] not in [x.get("name") for x in s["spec"]["ports"]]:
                    problems.append(f"Ingress/{name}: Service/{b['name']} has no port {b['port']['name']!r}")
        tls_secrets = {t["secretName"] for t in ing["spec"].get("tls", [])}
        certs = {c["spec"]["secretName"] for c in by_kind.get("Certificate", {}).values()}
        for sname in tls_secrets - certs:
            problems.append(f"Ingress/{name}: TLS Secret {sname} is issued by no Certificate")
        mids = (ing["metadata"].get("annotations") or {}).get("traefik.ingress.kubernetes.io/router.middlewares", "")
        for ref in filter(None, mids.split(",")):
            m = re.fullmatch(rf"{NAMESPACE}-(.+)@kubernetescrd", ref.strip())
            if not m or m.group(1) not in by_kind.get("Middleware", {}):
                problems.append(f"Ingress/{name}: middleware {ref} not rendered in {NAMESPACE}")

    for name, svc in services.items():
        st = (svc["metadata"].get("annotations") or {}).get("traefik.ingress.kubernetes.io/service.serverstransport")
        if st:
            m = re.fullmatch(rf"{NAMESPACE}-(.+)@kubernetescrd", st)
            if not m or m.group(1) not in by_kind.get("ServersTransport", {}):
                problems.append(f"Service/{name}: ServersTransport {st} not rendered")

    for name, cert in by_kind.get("Certificate", {}).items():
        ref = cert["spec"]["issuerRef"]
        if ref.get("kind") == "Issuer" and ref["name"] not in by_kind.get("Issuer", {}):
            problems.append(f"Certificate/{name}: Issuer/{ref['name']} not rendered")

    # Hosts in connection strings must be Services that will exist, on their port.
    known = {n: {p["port"] for p in s["spec"]["ports"]} for n, s in services.items()}
    known.update({n: {v["port"]} for n, v in op_svcs.items()})
    for w in wls:
        for c in pod_containers(w.pod_spec or {}):
            for e in c.get("env") or []:
                for host, port in re.findall(r"@([a-z0-9-]+)(?:\.[a-z0-9.-]+)?:(\d+)", str(e.get("value", ""))):
                    if host not in known:
                        problems.append(f"{w.ident}: env {e['name']} points at Service {host}, which nobody creates")
                    elif int(port) not in known[host]:
                        problems.append(f"{w.ident}: env {e['name']} uses port {port}, Service {host} serves {sorted(known[host])}")
    return problems


def check_probes(wls, api_src: str | None) -> list[str]:
    problems = []
    served_in_src = None
    if api_src and os.path.isdir(api_src):
        text = ""
        for p in glob.glob(os.path.join(api_src, "**", "*.ts"), recursive=True):
            with open(p, errors="replace") as f:
                text += f.read()
        served_in_src = text
    for w in wls:
        for c in pod_containers(w.pod_spec or {}):
            names = {p.get("name") for p in c.get("ports") or []}
            nums = {p["containerPort"] for p in c.get("ports") or []}
            for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
                pr = c.get(kind)
                if not pr:
                    if kind != "startupProbe" and w.kind in ("Deployment", "StatefulSet"):
                        problems.append(f"{w.ident}/{c['name']}: no {kind}")
                    continue
                h = pr.get("httpGet") or pr.get("tcpSocket") or {}
                port = h.get("port")
                if isinstance(port, str) and port not in names:
                    problems.append(f"{w.ident}/{c['name']}: {kind} port {port!r} is not a container port")
                if isinstance(port, int) and port not in nums:
                    problems.append(f"{w.ident}/{c['name']}: {kind} port {port} is not a container port")
                path = (pr.get("httpGet") or {}).get("path")
                if path and w.component in ("api",):
                    if path.split("?")[0] not in API_ROUTES:
                        problems.append(f"{w.ident}/{c['name']}: {kind} path {path} is not an API route")
                    elif served_in_src is not None and f"'{path}'" not in served_in_src and f'"{path}"' not in served_in_src:
                        problems.append(f"{w.ident}/{c['name']}: {kind} path {path} not found in services/api/src")
            if kind == "livenessProbe" and c.get("livenessProbe", {}).get("httpGet", {}).get("path") == "/readyz":
                problems.append(f"{w.ident}/{c['name']}: liveness on /readyz would restart pods when the DB is down")
    return problems


def operator_secrets(objs) -> set[str]:
    """Secrets an operator creates from objects we render: CNPG's "<cluster>-app", cert-manager's
    certificate and ACME account keys."""
    out = set()
    for o in objs:
        if o["kind"] == "Cluster" and o["apiVersion"].startswith("postgresql.cnpg.io"):
            out.add(f"{o['metadata']['name']}-app")
        if o["kind"] == "Certificate":
            out.add(o["spec"]["secretName"])
        if o["kind"] == "Issuer" and "acme" in o["spec"]:
            out.add(o["spec"]["acme"]["privateKeySecretRef"]["name"])
    return out


def check_secrets(objs, wls, external: set[str]) -> list[str]:
    problems = []
    rendered = {o["metadata"]["name"] for o in objs if o["kind"] == "Secret"}
    ok = rendered | operator_secrets(objs) | external

    def need(where: str, name: str) -> None:
        if name not in ok:
            problems.append(f"{where}: Secret {name} is neither rendered, operator-made nor documented as external")

    for w in wls:
        spec = w.pod_spec or {}
        for v in spec.get("volumes") or []:
            if "secret" in v:
                need(w.ident, v["secret"]["secretName"])
        for c in pod_containers(spec):
            for e in c.get("env") or []:
                ref = (e.get("valueFrom") or {}).get("secretKeyRef")
                if ref:
                    need(w.ident, ref["name"])
            for ef in c.get("envFrom") or []:
                if "secretRef" in ef:
                    need(w.ident, ef["secretRef"]["name"])
    for o in objs:
        if o["kind"] == "ObjectStore":
            conf = o["spec"]["configuration"]
            for k in ("accessKeyId", "secretAccessKey", "region"):
                if k in conf.get("s3Credentials", {}):
                    need(ident(o), conf["s3Credentials"][k]["name"])
            if "endpointCA" in conf:
                need(ident(o), conf["endpointCA"]["name"])
    for o in objs:
        if o["kind"] == "Secret" and o.get("stringData", {}).get("url", "").startswith("redis://:@"):
            problems.append(f"{ident(o)}: Redis URL has an empty password")
    return problems


def check_images(wls, require_digest: bool) -> list[str]:
    problems = []
    for w in wls:
        for c in pod_containers(w.pod_spec or {}):
            img = c["image"]
            name, _, digest = img.partition("@")
            tag = name.rsplit(":", 1)[1] if ":" in name.rsplit("/", 1)[-1] else ""
            if not tag or tag == "latest":
                problems.append(f"{w.ident}/{c['name']}: image {img} has no explicit tag")
            if require_digest and not re.fullmatch(r"sha256:[0-9a-f]{64}", digest):
                problems.append(f"{w.ident}/{c['name']}: image {img} is not pinned by digest")
    return problems


def check_hardening(wls, objs) -> list[str]:
    problems = []
    for w in wls:
        spec = w.pod_spec
        if spec is None:
            continue
        psc = spec.get("securityContext") or {}
        if spec.get("automountServiceAccountToken") is not False:
            problems.append(f"{w.ident}: automountServiceAccountToken is not false")
        if spec.get("hostNetwork") or spec.get("hostPID") or spec.get("hostIPC"):
            problems.append(f"{w.ident}: uses host namespaces")
        for v in spec.get("volumes") or []:
            if "hostPath" in v:
                problems.append(f"{w.ident}: hostPath volume {v['name']}")
        for c in pod_containers(spec):
            csc = c.get("securityContext") or {}
            where = f"{w.ident}/{c['name']}"
            if csc.get("allowPrivilegeEscalation") is not False:
                problems.append(f"{where}: allowPrivilegeEscalation not false")
            if csc.get("readOnlyRootFilesystem") is not True:
                problems.append(f"{where}: root filesystem not read-only")
            if not (csc.get("runAsNonRoot") or psc.get("runAsNonRoot")):
                problems.append(f"{where}: runAsNonRoot not set")
            uid = csc.get("runAsUser", psc.get("runAsUser"))
            if uid is None or uid == 0:
                problems.append(f"{where}: no non-zero runAsUser (image USER cannot be checked here)")
            if "ALL" not in ((csc.get("capabilities") or {}).get("drop") or []):
                problems.append(f"{where}: capabilities not dropped (ALL)")
            if (csc.get("capabilities") or {}).get("add"):
                problems.append(f"{where}: adds capabilities")
            if ((csc.get("seccompProfile") or psc.get("seccompProfile") or {}).get("type")) != "RuntimeDefault":
                problems.append(f"{where}: seccomp not RuntimeDefault")
            res = c.get("resources") or {}
            for k in ("cpu", "memory"):
                if k not in (res.get("requests") or {}):
                    problems.append(f"{where}: no {k} request")
            if "memory" not in (res.get("limits") or {}):
                problems.append(f"{where}: no memory limit")
            if csc.get("privileged"):
                problems.append(f"{where}: privileged")
    for o in objs:
        if o["kind"] == "ServiceAccount" and o.get("automountServiceAccountToken") is not False:
            problems.append(f"{ident(o)}: automountServiceAccountToken is not false")
        if o["kind"] == "Cluster" and o["apiVersion"].startswith("postgresql.cnpg.io"):
            if "resources" not in o["spec"] or "limits" not in o["spec"]["resources"]:
                problems.append(f"{ident(o)}: no resources/limits for the instances")
        if o["kind"] == "Pooler":
            cs = o["spec"].get("template", {}).get("spec", {}).get("containers", [])
            if not any("resources" in c for c in cs):
                problems.append(f"{ident(o)}: no resources for pgbouncer")
    return problems


# --------------------------------------------------------------------------- network
@dataclass
class Actor:
    name: str
    namespace: str
    labels: dict
    ip: str | None = None


def peer_matches(peer: dict, policy_ns: str, a: Actor) -> bool:
    if "ipBlock" in peer:
        if a.ip is None:
            return False
        net = ipaddress.ip_network(peer["ipBlock"]["cidr"])
        ip = ipaddress.ip_address(a.ip)
        return ip in net and not any(ip in ipaddress.ip_network(x) for x in peer["ipBlock"].get("except", []))
    if a.ip is not None:
        return False
    if "namespaceSelector" in peer:
        if not matches(peer["namespaceSelector"], {"kubernetes.io/metadata.name": a.namespace}):
            return False
    elif a.namespace != policy_ns:
        return False
    return "podSelector" not in peer or matches(peer["podSelector"], a.labels)


def port_matches(rule_ports, port: int, proto: str) -> bool:
    if not rule_ports:
        return True
    for p in rule_ports:
        if p.get("protocol", "TCP") == proto and (p.get("port") is None or p.get("port") == port
                                                 or (p.get("endPort") and p["port"] <= port <= p["endPort"])):
            return True
    return False


def direction_allows(policies, subject: Actor, other: Actor, port: int, proto: str, direction: str) -> bool:
    """direction 'Ingress': other -> subject; 'Egress': subject -> other."""
    if subject.ip is not None or subject.namespace != NAMESPACE:
        return True  # outside our namespace: not governed by our policies
    selecting = [p for p in policies if matches(p["spec"]["podSelector"] or {"matchLabels": {}}, subject.labels)
                 and direction in p["spec"].get("policyTypes", ["Ingress"])]
    if not selecting:
        return True
    key, peers_key = ("ingress", "from") if direction == "Ingress" else ("egress", "to")
    for p in selecting:
        for rule in p["spec"].get(key) or []:
            peers = rule.get(peers_key)
            if (not peers or any(peer_matches(x, NAMESPACE, other) for x in peers)) and \
                    port_matches(rule.get("ports"), port, proto):
                return True
    return False


def scrape_targets(objs, wls) -> set[tuple[str, int]]:
    """(component, port) pairs that a ServiceMonitor or PodMonitor makes Prometheus scrape."""
    out = set()

    def key(w):
        return "pooler" if w.kind == "Pooler" else (w.component or w.name)
    services = [o for o in objs if o["kind"] == "Service"]
    for m in objs:
        if m["kind"] == "ServiceMonitor":
            for svc in services:
                if not matches(m["spec"]["selector"], svc["metadata"].get("labels", {})):
                    continue
                for ep in m["spec"]["endpoints"]:
                    for sp in svc["spec"]["ports"]:
                        if sp.get("name") != ep.get("port"):
                            continue
                        for w in wls:
                            if matches({"matchLabels": svc["spec"].get("selector") or {}}, w.labels):
                                tp = sp.get("targetPort", sp["port"])
                                out.add((key(w), w.ports.get(tp, tp) if isinstance(tp, str) else tp))
        if m["kind"] == "PodMonitor":
            for w in wls:
                if matches(m["spec"]["selector"], w.labels):
                    for ep in m["spec"]["podMetricsEndpoints"]:
                        if ep.get("port") in w.ports:
                            out.add((key(w), w.ports[ep["port"]]))
    return out


def backup_store(objs) -> tuple[str, int] | str:
    """(IP, port) of the rendered ObjectStore's endpoint, or why it cannot be checked."""
    stores = [o for o in objs if o["kind"] == "ObjectStore"]
    if not stores:
        return "backup is on but no ObjectStore is rendered"
    url = urllib.parse.urlsplit(stores[0]["spec"]["configuration"].get("endpointURL", ""))
    try:
        ip = str(ipaddress.ip_address(url.hostname or ""))
    except ValueError:
        return (f"ObjectStore endpointURL {url.geturl()!r}: host is not an IP address, "
                "so no egress policy can be checked against it")
    return ip, url.port or (443 if url.scheme == "https" else 80)


def check_network(objs, wls, flags: set[str]) -> list[str]:
    problems = []
    policies = [o for o in objs if o["kind"] == "NetworkPolicy"]
    if not any(p["spec"]["podSelector"] in ({}, None) and set(p["spec"].get("policyTypes", [])) == {"Ingress", "Egress"}
               and not p["spec"].get("ingress") and not p["spec"].get("egress") for p in policies):
        problems.append("no namespace-wide default deny (Ingress+Egress)")

    actors: dict[str, Actor] = {}
    ports: dict[str, list[tuple[int, str]]] = {}
    for w in wls:
        key = w.component or w.name
        if w.kind == "Pooler":
            key = "pooler"
        actors.setdefault(key, Actor(key, NAMESPACE, w.labels))
        ports.setdefault(key, []).extend((p, "TCP") for p in w.ports.values())
    if "acme" in flags:
        actors["acme-solver"] = Actor("acme-solver", NAMESPACE, {"acme.cert-manager.io/http01-solver": "true"})
        ports["acme-solver"] = [(8089, "TCP")]
    for name, (ns, labels) in EXTERNAL.items():
        actors[name] = Actor(name, ns, labels)
    ports["kube-dns"] = [(53, "UDP"), (53, "TCP")]
    ports.setdefault("traefik", [(8000, "TCP")])
    actors["kube-api"] = Actor("kube-api", "", {}, ip=KUBE_API_IP)
    ports["kube-api"] = [(6443, "TCP")]
    store = backup_store(objs)
    if "backup" in flags:
        if isinstance(store, str):
            problems.append(store)
        else:
            actors["backup-store"] = Actor("backup-store", "", {}, ip=store[0])
            ports["backup-store"] = [(store[1], "TCP")]

    if "restore-test" in actors:
        # The restore test's throwaway Cluster (made at run time by the runner,
        # services/api/src/ops/restore-test.ts): its instance and its recovery Job.
        restored = next(w.name for w in wls if w.component == "restore-test")
        actors["restore-db"] = Actor("restore-db", NAMESPACE, {"cnpg.io/cluster": restored, "cnpg.io/podRole": "instance"})
        ports["restore-db"] = [(p, "TCP") for p in CNPG_INSTANCE_PORTS.values()]
        actors["restore-db-job"] = Actor("restore-db-job", NAMESPACE, {"cnpg.io/cluster": restored, "cnpg.io/jobRole": "full-recovery"})

    have = set(actors)
    expected = set()
    inside = [a for a in actors.values() if a.namespace == NAMESPACE]
    for a in inside:
        expected |= {(a.name, "kube-dns", 53, "UDP"), (a.name, "kube-dns", 53, "TCP")}
    want = [("traefik", "web", 8080), ("traefik", "api", 3000),
            ("migrate", "database", 5432),
            ("database", "database", 5432), ("database", "database", 8000),
            ("cnpg-operator", "database", 5432), ("cnpg-operator", "database", 8000),
            ("database", "kube-api", 6443),
            ("database-job", "database", 5432), ("database-job", "kube-api", 6443)]
    if "pooler" in have:
        want += [("api", "pooler", 5432), ("pooler", "database", 5432), ("pooler", "kube-api", 6443)]
    else:
        want += [("api", "database", 5432)]
    if "cache" in have:
        want += [("api", "cache", 6379)]
    want += [("prometheus", d, p) for d, p in scrape_targets(objs, wls)]
    if "test" in have:
        want += [("test", "api", 3000), ("test", "web", 8080)]
    if "backup-store" in have:
        want += [("database", "backup-store", ports["backup-store"][0][0]),
                 ("database-job", "backup-store", ports["backup-store"][0][0])]
    if "acme" in flags:
        want += [("traefik", "acme-solver", 8089)]
    if "restore-db" in have:
        want += [("restore-test", "kube-api", 6443), ("restore-test", "restore-db", 5432),
                 ("restore-test", "database", 5432),  # what production held: the restore must hold it too
                 ("cnpg-operator", "restore-db", 5432), ("cnpg-operator", "restore-db", 8000),
                 ("restore-db", "kube-api", 6443), ("restore-db-job", "kube-api", 6443)]
        if "backup-store" in have:  # recovery reads base backups and WAL from the store
            want += [("restore-db", "backup-store", ports["backup-store"][0][0]),
                     ("restore-db-job", "backup-store", ports["backup-store"][0][0])]
    for s, d, p in want:
        if s in have and d in have:
            expected.add((s, d, p, "TCP"))

    for s, d, p, proto in sorted(expected):
        src, dst = actors[s], actors[d]
        if not (direction_allows(policies, src, dst, p, proto, "Egress")
                and direction_allows(policies, dst, src, p, proto, "Ingress")):
            problems.append(f"needed flow blocked: {s} -> {d}:{p}/{proto}")
    for s, src in actors.items():
        for d, dst in actors.items():
            if src.namespace != NAMESPACE and dst.namespace != NAMESPACE:
                continue
            for p, proto in ports.get(d, []):
                if (s, d, p, proto) in expected:
                    continue
                if direction_allows(policies, src, dst, p, proto, "Egress") and \
                        direction_allows(policies, dst, src, p, proto, "Ingress"):
                    problems.append(f"unexpected flow allowed: {s} -> {d}:{p}/{proto}")
    return problems


# --------------------------------------------------------------------------- monitoring
def runbook_anchors(path: str) -> set[str]:
    anchors = set()
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                m = re.match(r"#+\s+(.*)", line)
                if m:
                    anchors.add(re.sub(r"[^a-z0-9 -]", "", m.group(1).lower()).replace(" ", "-"))
    return anchors


def known_metrics(objs, repo: str) -> set[str]:
    """The API's metrics, the exporters' (charts/tests/observability/exporter-metrics.txt)
    and every series our own recording rules produce."""
    known = set(API_METRICS)
    listed = os.path.join(repo, "charts", "tests", "observability", "exporter-metrics.txt")
    if os.path.exists(listed):
        with open(listed) as f:
            known |= {ln.strip() for ln in f if ln.strip() and not ln.startswith("#")}
    for o in objs:
        if o["kind"] == "PrometheusRule":
            known |= {r["record"] for g in o["spec"].get("groups") or [] for r in g.get("rules", []) if "record" in r}
    return known


def check_monitoring(objs, repo: str) -> list[str]:
    problems = []
    metrics = known_metrics(objs, repo)
    for o in objs:
        if o["kind"] in ("ServiceMonitor", "PodMonitor", "PrometheusRule"):
            if "release" not in o["metadata"].get("labels", {}):
                problems.append(f"{ident(o)}: no 'release' label, kube-prometheus-stack would ignore it")
        if o["kind"] != "PrometheusRule":
            continue
        groups = o["spec"].get("groups") or []
        if not groups:
            problems.append(f"{ident(o)}: no rule groups")
        for g in groups:
            for r in g.get("rules", []):
                if "alert" not in r:
                    continue
                url = (r.get("annotations") or {}).get("runbook_url", "")
                m = re.search(r"/docs/runbooks/([^/#]+)#(.+)$", url)
                if not m:
                    problems.append(f"{ident(o)}: alert {r['alert']} has no runbook_url into docs/runbooks/")
                    continue
                path = os.path.join(repo, "docs", "runbooks", m.group(1))
                if not os.path.exists(path):
                    problems.append(f"{ident(o)}: alert {r['alert']}: runbook {m.group(1)} does not exist")
                elif m.group(2) not in runbook_anchors(path):
                    problems.append(f"{ident(o)}: alert {r['alert']}: no section #{m.group(2)} in {m.group(1)}")
                for metric in re.findall(r"\b([a-z_:][a-z0-9_:]*)\s*[{\[]", r["expr"]):
                    if metric not in metrics and metric not in ("rate", "sum", "absent", "by", "increase",
                                                                "histogram_quantile", "irate", "avg", "max", "min", "count"):
                        problems.append(f"{ident(o)}: alert {r['alert']} uses metric {metric}, which neither the API "
                                        "nor a listed exporter exports")
    return problems


# --------------------------------------------------------------------------- resilience
def check_resilience(objs, wls, flags: set[str]) -> list[str]:
    problems = []
    multi_node = "single-node" not in flags
    for w in wls:  # a tainted (dead, cordoned) node must not count as an empty domain
        problems += [f"{w.ident}: spread over {t['topologyKey']} without nodeTaintsPolicy: Honor"
                     for t in (w.pod_spec or {}).get("topologySpreadConstraints", []) if t.get("nodeTaintsPolicy") != "Honor"]
    for o in objs:
        if o["kind"] == "Deployment" and o["metadata"]["labels"].get("app.kubernetes.io/component") == "api":
            spec, pod = o["spec"], o["spec"]["template"]["spec"]
            ru = spec.get("strategy", {}).get("rollingUpdate", {})
            if ru.get("maxUnavailable") != 0:
                problems.append(f"{ident(o)}: rollout may drop below desired replicas (maxUnavailable != 0)")
            if multi_node and not any(t.get("whenUnsatisfiable") == "DoNotSchedule" and t["topologyKey"] == "kubernetes.io/hostname"
                                      for t in pod.get("topologySpreadConstraints", [])):
                problems.append(f"{ident(o)}: no hard spread across nodes")
            if multi_node:
                if "podAntiAffinity" not in (pod.get("affinity") or {}):
                    problems.append(f"{ident(o)}: no pod anti-affinity")
            c = pod["containers"][0]
            env = {e["name"]: e.get("value") for e in c.get("env", [])}
            pre = ((c.get("lifecycle") or {}).get("preStop") or {}).get("sleep", {}).get("seconds", 0)
            grace_ms = int(env.get("SHUTDOWN_GRACE_MS") or 25000)
            delay_ms = int(env.get("SHUTDOWN_DELAY_MS") or 5000)
            need = pre + (delay_ms + grace_ms) / 1000
            if pod.get("terminationGracePeriodSeconds", 30) <= need:
                problems.append(f"{ident(o)}: terminationGracePeriodSeconds {pod.get('terminationGracePeriodSeconds', 30)} "
                                f"<= preStop {pre}s + shutdown delay/grace {(delay_ms + grace_ms) / 1000}s: pods get SIGKILLed mid-drain")
            if pre == 0 and delay_ms == 0:
                problems.append(f"{ident(o)}: neither preStop nor SHUTDOWN_DELAY_MS: requests hit a closing pod")
            hpas = [h for h in objs if h["kind"] == "HorizontalPodAutoscaler" and h["spec"]["scaleTargetRef"]["name"] == o["metadata"]["name"]]
            floor = hpas[0]["spec"].get("minReplicas", 1) if hpas else spec.get("replicas", 1)
            if multi_node and floor < 3:
                problems.append(f"{ident(o)}: fewer than 3 replicas at minimum ({floor})")
            if hpas and hpas[0]["spec"]["maxReplicas"] < 20 and multi_node:
                problems.append(f"{ident(o)}: HPA max below 20")
            if multi_node and not [p for p in objs if p["kind"] == "PodDisruptionBudget" and matches(p["spec"]["selector"], pod_labels(o))]:
                problems.append(f"{ident(o)}: no PodDisruptionBudget")
        if o["kind"] == "Job" and o["metadata"]["labels"].get("app.kubernetes.io/component") == "migrate":
            ann = o["metadata"].get("annotations") or {}
            hooks = set(ann.get("helm.sh/hook", "").split(","))
            if not {"pre-install", "pre-upgrade"} <= hooks:
                problems.append(f"{ident(o)}: not a pre-install,pre-upgrade hook")
            if "before-hook-creation" not in ann.get("helm.sh/hook-delete-policy", ""):
                problems.append(f"{ident(o)}: a rerun would collide with the previous Job (no before-hook-creation)")
            pod = o["spec"]["template"]["spec"]
            if pod.get("restartPolicy") != "Never" or "activeDeadlineSeconds" not in o["spec"]:
                problems.append(f"{ident(o)}: needs restartPolicy Never and a deadline so a hung migration fails the release")
            sa = pod.get("serviceAccountName")
            weight = int(ann.get("helm.sh/hook-weight", "0"))
            for dep in objs:
                if dep["kind"] in ("ServiceAccount", "NetworkPolicy") and (
                        dep["metadata"]["name"] == sa and dep["kind"] == "ServiceAccount"
                        or dep["kind"] == "NetworkPolicy" and matches(dep["spec"]["podSelector"], o["spec"]["template"]["metadata"]["labels"])
                        and dep["spec"]["podSelector"]):
                    dann = dep["metadata"].get("annotations") or {}
                    if not {"pre-install"} <= set(dann.get("helm.sh/hook", "").split(",")) or int(dann.get("helm.sh/hook-weight", "0")) >= weight:
                        problems.append(f"{ident(o)}: needs {ident(dep)} before it runs on first install (make it an earlier hook)")
        if o["kind"] == "Cluster" and o["apiVersion"].startswith("postgresql.cnpg.io"):
            s = o["spec"]
            sync = (s.get("postgresql") or {}).get("synchronous") or {}
            if multi_node:
                if s.get("instances", 1) < 3:
                    problems.append(f"{ident(o)}: fewer than 3 instances")
                if sync.get("method") != "any" or sync.get("number", 0) < 1 or sync.get("dataDurability") != "required":
                    problems.append(f"{ident(o)}: not synchronous quorum with dataDurability required (RPO 0)")
                aff = s.get("affinity") or {}
                if aff.get("podAntiAffinityType") != "required" or aff.get("topologyKey") != "kubernetes.io/hostname":
                    problems.append(f"{ident(o)}: instances may share a node")
            if "minSyncReplicas" in s or "maxSyncReplicas" in s:
                problems.append(f"{ident(o)}: deprecated min/maxSyncReplicas")
            if "backup" in s and "barmanObjectStore" in (s.get("backup") or {}):
                problems.append(f"{ident(o)}: in-tree barmanObjectStore is deprecated; use the Barman Cloud plugin")
            if (o["metadata"].get("annotations") or {}).get("helm.sh/resource-policy") != "keep":
                problems.append(f"{ident(o)}: helm uninstall would delete the database (no resource-policy keep)")
    return problems


def pod_labels(o):
    return o["spec"]["template"]["metadata"].get("labels", {})


# --------------------------------------------------------------------------- main
def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--crds", required=True)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--kube-version", action="append", default=[])
    ap.add_argument("--external-secret", action="append", default=list(EXTERNAL_SECRETS),
                    help="Secrets created outside the charts (documented in docs/runbooks/helm.md)")
    ap.add_argument("scenarios", nargs="+")
    a = ap.parse_args()
    crds = crd_schemas(a.crds)
    if not crds:
        print(f"FAIL setup: no CRDs under {a.crds} (run charts/tests/setup.sh)")
        return 1
    report = Report()
    api_src = os.path.join(a.repo, "services", "api", "src")
    for sc in a.scenarios:
        name, _, rest = sc.partition("=")
        path, _, flag_s = rest.partition(":")
        flags = set(filter(None, flag_s.split(",")))
        objs = load(path)
        for o in objs:
            o.setdefault("metadata", {}).setdefault("labels", {})
        wls = workloads(objs)
        report.check(f"{name}: schema (k8s {'/'.join(a.kube_version)} + CRDs)", check_schema(objs, crds, a.kube_version))
        report.check(f"{name}: wiring (selectors, ports, targets, hosts)", check_wiring(objs, wls))
        report.check(f"{name}: probes hit real ports and API routes", check_probes(wls, api_src))
        report.check(f"{name}: every Secret reference resolves", check_secrets(objs, wls, set(a.external_secret)))
        report.check(f"{name}: images pinned", check_images(wls, "digests" in flags))
        report.check(f"{name}: containers hardened", check_hardening(wls, objs))
        report.check(f"{name}: network policies exact", check_network(objs, wls, flags))
        report.check(f"{name}: monitoring hooks", check_monitoring(objs, a.repo))
        report.check(f"{name}: resilience", check_resilience(objs, wls, flags))
    print(f"CHECKS {report.passed} {report.failed}")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
