"""Proves the chart checks catch what they claim to: each case seeds one fault
into the rendered lab manifests and expects the named check to report it.
(A check that never fails proves nothing.)

Usage: seeded_faults.py --crds DIR --repo ROOT RENDERED_LAB.yaml
"""
from __future__ import annotations

import argparse
import copy
import sys

import check_manifests as cm


def find(objs, kind, pred=lambda o: True):
    for o in objs:
        if o["kind"] == kind and pred(o):
            return o
    raise LookupError(kind)


def comp(name):
    return lambda o: o["metadata"]["labels"].get("app.kubernetes.io/component") == name


def api(objs):
    return find(objs, "Deployment", comp("api"))


def api_container(objs):
    return api(objs)["spec"]["template"]["spec"]["containers"][0]


def drop_policy(objs, name):
    objs[:] = [o for o in objs if not (o["kind"] == "NetworkPolicy" and o["metadata"]["name"] == name)]


def add(objs, doc):
    objs.append(doc)


METALLB_POOL = {"apiVersion": "metallb.io/v1beta1", "kind": "IPAddressPool",
                "metadata": {"name": "lab", "namespace": "metallb-system", "labels": {}},
                "spec": {"addresses": ["192.168.56.200-192.168.56.220"], "autoAssign": True}}

# (description, check, mutation)
CASES = [
    ("typo in CNPG Cluster (dataDurabilty)", "schema",
     lambda o: find(o, "Cluster")["spec"]["postgresql"]["synchronous"].update(dataDurabilty="required")),
    ("wrong type in CNPG Cluster (instances: 'three')", "schema",
     lambda o: find(o, "Cluster")["spec"].update(instances="three")),
    ("unknown field in Barman ObjectStore", "schema",
     lambda o: find(o, "ObjectStore")["spec"]["configuration"].update(bucket="x")),
    ("typo in Traefik Middleware (retry.attemps)", "schema",
     lambda o: find(o, "Middleware", lambda m: "retry" in m["spec"])["spec"]["retry"].update(attemps=3)),
    ("typo in cert-manager Certificate (dnsName)", "schema",
     lambda o: find(o, "Certificate")["spec"].update(dnsName=["x"])),
    ("typo in ServiceMonitor endpoint (prot)", "schema",
     lambda o: find(o, "ServiceMonitor")["spec"]["endpoints"][0].update(prot="http")),
    ("typo in Deployment container (readinesProbe)", "schema",
     lambda o: api_container(o).update(readinesProbe={})),
    ("API version removed from Kubernetes (autoscaling/v2beta2)", "schema",
     lambda o: find(o, "HorizontalPodAutoscaler").update(apiVersion="autoscaling/v2beta2")),
    ("unknown field in a MetalLB IPAddressPool", "schema",
     lambda o: add(o, dict(copy.deepcopy(METALLB_POOL), spec={"addresses": ["10.0.0.0/30"], "autoassign": True}))),
    ("Service selecting no pod", "wiring",
     lambda o: find(o, "Service", comp("api"))["spec"]["selector"].update({"app.kubernetes.io/component": "apl"})),
    ("Service targetPort that no container names", "wiring",
     lambda o: find(o, "Service", comp("web"))["spec"]["ports"][0].update(targetPort="htp")),
    ("ServiceMonitor port missing on its Service", "wiring",
     lambda o: find(o, "ServiceMonitor", comp("api"))["spec"]["endpoints"][0].update(port="metrics")),
    ("PodDisruptionBudget selecting nothing", "wiring",
     lambda o: find(o, "PodDisruptionBudget", comp("api"))["spec"]["selector"]["matchLabels"].update({"app.kubernetes.io/instance": "other"})),
    ("HPA aimed at a missing Deployment", "wiring",
     lambda o: find(o, "HorizontalPodAutoscaler")["spec"]["scaleTargetRef"].update(name="dhakacart-apii")),
    ("replica URL naming a Service nobody creates", "wiring",
     lambda o: [e.update(value=e["value"].replace("-ro.", "-readonly.")) for e in api_container(o)["env"] if e["name"] == "DATABASE_REPLICA_URL"]),
    ("Ingress middleware that is not rendered", "wiring",
     lambda o: find(o, "Ingress", lambda i: i["metadata"]["name"].endswith("-api"))["metadata"]["annotations"].update(
         {"traefik.ingress.kubernetes.io/router.middlewares": "dhakacart-nope@kubernetescrd"})),
    ("readiness probe on a route the API does not serve", "probes",
     lambda o: api_container(o)["readinessProbe"]["httpGet"].update(path="/health")),
    ("liveness probe on a port the container lacks", "probes",
     lambda o: api_container(o)["livenessProbe"]["httpGet"].update(port="metrics")),
    ("Secret reference with a typo", "secrets",
     lambda o: [e["valueFrom"]["secretKeyRef"].update(name="dhakacart-db-ap") for e in api_container(o)["env"] if e["name"] == "DB_USER"]),
    ("image on the latest tag", "images",
     lambda o: find(o, "Deployment", comp("web"))["spec"]["template"]["spec"]["containers"][0].update(image="nginx:latest")),
    ("image without digest in the lab", "images",
     lambda o: api_container(o).update(image="registry.dhakacart.lab/dhakacart/api:0.1.0")),
    ("writable root filesystem", "hardening",
     lambda o: api_container(o)["securityContext"].update(readOnlyRootFilesystem=False)),
    ("added capability", "hardening",
     lambda o: find(o, "Deployment", comp("web"))["spec"]["template"]["spec"]["containers"][0]["securityContext"]["capabilities"].update(add=["NET_ADMIN"])),
    ("container without a memory limit", "hardening",
     lambda o: api_container(o)["resources"]["limits"].pop("memory")),
    ("ServiceAccount token mounted", "hardening",
     lambda o: api(o)["spec"]["template"]["spec"].update(automountServiceAccountToken=True)),
    ("DNS not allowed", "network", lambda o: drop_policy(o, "allow-dns")),
    ("no default deny", "network", lambda o: drop_policy(o, "default-deny")),
    ("API open to every pod", "network",
     lambda o: find(o, "NetworkPolicy", lambda p: p["metadata"]["name"] == "dhakacart-api")["spec"]["ingress"][0].pop("from")),
    ("CNPG operator cut off from the instances", "network",
     lambda o: find(o, "NetworkPolicy", lambda p: p["metadata"]["name"] == "dhakacart-db")["spec"]["ingress"].pop(1)),
    ("CNPG join/initdb Jobs cut off (no policy for jobRole pods)", "network",
     lambda o: drop_policy(o, "dhakacart-db-jobs")),
    ("backup egress to another address than the ObjectStore endpoint", "network",
     lambda o: [r["to"][0]["ipBlock"].update(cidr="192.168.56.40/32")
                for r in find(o, "NetworkPolicy", lambda p: p["metadata"]["name"] == "dhakacart-db")["spec"]["egress"]
                if "ipBlock" in r["to"][0] and r["to"][0]["ipBlock"]["cidr"].startswith("192.168.56.20")]),
    ("ObjectStore endpoint by a hostname no policy can name", "network",
     lambda o: find(o, "ObjectStore")["spec"]["configuration"].update(endpointURL="https://s3.dhakacart.lab")),
    ("ObjectStore CA from a Secret nobody creates", "secrets",
     lambda o: find(o, "ObjectStore")["spec"]["configuration"]["endpointCA"].update(name="backup-ca")),
    ("Redis reachable by the storefront", "network",
     lambda o: find(o, "Deployment", comp("web"))["spec"]["template"]["metadata"]["labels"].update({"dhakacart.io/redis-client": "true"})
     or find(o, "NetworkPolicy", lambda p: p["metadata"]["name"] == "dhakacart-web")["spec"].update(egress=[{}])),
    ("ServiceMonitor without the release label", "monitoring",
     lambda o: find(o, "ServiceMonitor", comp("api"))["metadata"]["labels"].pop("release")),
    ("alert without runbook", "monitoring",
     lambda o: find(o, "PrometheusRule")["spec"]["groups"][0]["rules"][0]["annotations"].pop("runbook_url")),
    ("alert on a metric the API does not export", "monitoring",
     lambda o: find(o, "PrometheusRule")["spec"]["groups"][0]["rules"][1].update(expr="rate(http_requests_total[5m]) > 1")),
    ("rollout allowed to drop a replica", "resilience",
     lambda o: api(o)["spec"]["strategy"]["rollingUpdate"].update(maxUnavailable=1)),
    ("spread that counts a dead or cordoned node (no nodeTaintsPolicy)", "resilience",
     lambda o: find(o, "Deployment", comp("web"))["spec"]["template"]["spec"]["topologySpreadConstraints"][0].pop("nodeTaintsPolicy")),
    ("grace period shorter than preStop + drain", "resilience",
     lambda o: api(o)["spec"]["template"]["spec"].update(terminationGracePeriodSeconds=20)),
    ("migrations only after install", "resilience",
     lambda o: find(o, "Job", comp("migrate"))["metadata"]["annotations"].update({"helm.sh/hook": "post-install,pre-upgrade"})),
    ("migrate ServiceAccount created after the hook", "resilience",
     lambda o: find(o, "ServiceAccount", comp("migrate"))["metadata"].pop("annotations")),
    ("asynchronous replication", "resilience",
     lambda o: find(o, "Cluster")["spec"]["postgresql"]["synchronous"].update(dataDurability="preferred")),
    ("database deleted by helm uninstall", "resilience",
     lambda o: find(o, "Cluster")["metadata"]["annotations"].pop("helm.sh/resource-policy")),
]


def run_check(check, objs, repo):
    wls = cm.workloads(objs)
    flags = {"digests", "backup"}
    return {
        "schema": lambda: cm.check_schema(objs, CRDS, ["1.33"]),
        "wiring": lambda: cm.check_wiring(objs, wls),
        "probes": lambda: cm.check_probes(wls, None),
        "secrets": lambda: cm.check_secrets(objs, wls, set(cm.EXTERNAL_SECRETS)),
        "images": lambda: cm.check_images(wls, True),
        "hardening": lambda: cm.check_hardening(wls, objs),
        "network": lambda: cm.check_network(objs, wls, flags),
        "monitoring": lambda: cm.check_monitoring(objs, repo),
        "resilience": lambda: cm.check_resilience(objs, wls, flags),
    }[check]()


def main() -> int:
    global CRDS
    ap = argparse.ArgumentParser()
    ap.add_argument("--crds", required=True)
    ap.add_argument("--repo", required=True)
    ap.add_argument("rendered")
    a = ap.parse_args()
    CRDS = cm.crd_schemas(a.crds)
    base = cm.load(a.rendered)
    for o in base:
        o.setdefault("metadata", {}).setdefault("labels", {})
    passed = failed = 0
    # The unmodified render must be clean for every check, or the cases mean nothing;
    # a valid MetalLB pool must pass too (the schema is loaded, not just absent).
    clean = copy.deepcopy(base) + [copy.deepcopy(METALLB_POOL)]
    dirty = {c: run_check(c, clean, a.repo) for c in sorted({c for _, c, _ in CASES})}
    for c, problems in dirty.items():
        if problems:
            failed += 1
            print(f"FAIL seeded faults: baseline {c} is not clean: {problems[:3]}")
    for desc, check, mutate in CASES:
        objs = copy.deepcopy(base)
        mutate(objs)
        problems = run_check(check, objs, a.repo)
        if problems:
            passed += 1
            print(f"PASS catches {desc} [{check}]")
        else:
            failed += 1
            print(f"FAIL misses {desc} [{check}]")
    print(f"CHECKS {passed} {failed}")
    return 1 if failed else 0


CRDS: dict = {}

if __name__ == "__main__":
    sys.exit(main())
