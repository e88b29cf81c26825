"""The contract between ansible/ (which builds the lab) and charts/ (which run in it).

`make cluster` deploys the charts with their lab profiles into a cluster that
Ansible made: names, addresses and versions on one side must be exactly what
the other side expects, or the shop fails on the first real install. This
reads Ansible the way Ansible would (group_vars, role defaults, the inventory
the Vagrantfile writes from vagrant/settings.yml, Ansible's own Jinja
templates rendered with those variables) and compares it with the charts'
lab render.

Usage:
  check_contract.py --repo ROOT site-values OUTDIR
      render Ansible's site values for both charts (default inventory, the
      test image pins) into OUTDIR/{data,app}.site.yaml, for `helm template`
  check_contract.py --repo ROOT --crds DIR check LAB.yaml LAB_ANSIBLE.yaml
      the contract checks on the lab render (values-lab.yaml + test digests)
      and the render with Ansible's site values; then each seeded contract
      fault must be caught. Prints PASS/FAIL lines and "CHECKS <passed> <failed>".
"""
from __future__ import annotations

import argparse
import copy
import glob
import ipaddress
import json
import os
import posixpath
import re
import sys
import urllib.parse

import jinja2
import yaml

import check_manifests as cm

DUMMY_PEM = "-----BEGIN CERTIFICATE-----\nMIIB (test stand-in)\n-----END CERTIFICATE-----"


def vault_standins(repo: str) -> dict:
    """Every entry ansible/scripts/gen-secrets.sh writes into the vault: generated
    secrets as long stand-ins, operator-provided ones (${DC_...}) empty, their default."""
    with open(os.path.join(repo, "ansible", "scripts", "gen-secrets.sh")) as f:
        text = f.read()
    return {k: ("" if "${DC_" in v else "x" * 64)
            for k, v in re.findall(r'^([a-z_0-9]+): "(.*)"$', text, re.M)}

ROLES_WITH_DEFAULTS = ["lab_pki", "host_baseline", "backup_store", "k3s_server", "platform", "app_deploy"]
PIN_PATHS = {  # image pins file key -> (chart, values path of the image)
    "api": ("app", ("api", "image")), "web": ("app", ("web", "image")),
    "postgres": ("data", ("postgres", "image")), "redis": ("data", ("redis", "image")),
    "redis_exporter": ("data", ("redis", "exporter", "image")),
}


# --------------------------------------------------------------------------- Ansible, read as Ansible would
def _regex_replace(value, pattern="", replacement="", ignorecase=False, multiline=False):
    flags = (re.I if ignorecase else 0) | (re.M if multiline else 0)
    return re.sub(pattern, replacement, str(value), flags=flags)


def ansible_env() -> jinja2.Environment:
    """Jinja as Ansible's template module configures it, with the filters,
    tests and lookups our templates and group_vars use."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, trim_blocks=True, keep_trailing_newline=True)
    env.filters.update({
        "to_json": lambda v, **kw: json.dumps(v, **kw),
        "to_nice_yaml": lambda v, indent=2, **kw: yaml.safe_dump(v, indent=indent, default_flow_style=False),
        "bool": lambda v: str(v).lower() in ("1", "true", "yes", "on") if not isinstance(v, bool) else v,
        "dirname": posixpath.dirname, "basename": posixpath.basename,
        "relpath": lambda p, start: posixpath.relpath(p, start),
        "regex_replace": _regex_replace, "regex_escape": re.escape,
        "extract": lambda key, container, morekeys=None: container[key] if morekeys is None else container[key][morekeys],
        "mandatory": lambda v: v, "ternary": lambda c, a, b: a if c else b,
        "dict2items": lambda d: [{"key": k, "value": v} for k, v in d.items()],
    })
    env.tests.update({
        "match": lambda v, p: re.match(p, str(v)) is not None,
        "search": lambda v, p: re.search(p, str(v)) is not None,
    })

    def lookup(name, *args, **kw):
        name = name.split(".")[-1]
        if name == "env":
            return ""                    # no DC_* overrides: the defaults
        if name == "file":
            return DUMMY_PEM             # PKI files exist only after a run
        if name in ("fileglob", "inventory_hostnames"):
            return []
        raise KeyError(f"lookup {name} is not modelled by check_contract.py")
    env.globals.update(lookup=lookup, query=lambda *a, **k: lookup(*a, **k) or [])
    return env


ENV = ansible_env()


def read_yaml(path):
    with open(path) as f:
        return yaml.safe_load(f) or {}


def vagrant_inventory(settings: dict) -> dict:
    """The inventory vagrant/Vagrantfile writes from settings.yml (write_inventory)."""
    servers = {s["name"]: {"node_ip": s["ip"]} for s in settings["servers"]}
    b = settings["backup"]
    return {"vars": {"api_vip": settings["api_vip"], "metallb_range": settings["metallb_range"],
                     "ingress_ip": settings["ingress_ip"], "lab_network_cidr": f"{settings['network']}.0/24",
                     "backup_store_ip": b["ip"], "lab_iface": "eth1"},
            "server": servers, "backup": {b["name"]: {"node_ip": b["ip"]}}}


def resolve(values: dict, extra: dict) -> dict:
    """Template every string in values against values + extra until nothing changes
    (Ansible resolves variables lazily; the result is the same for our vars)."""
    ctx = dict(extra)
    ctx.update(values)

    def render(v, strict):
        if isinstance(v, str) and ("{{" in v or "{%" in v):
            try:
                return ENV.from_string(v).render(ctx)
            except Exception:
                if strict:
                    raise
                return v
        if isinstance(v, dict):
            return {k: render(x, strict) for k, x in v.items()}
        if isinstance(v, list):
            return [render(x, strict) for x in v]
        return v
    for _ in range(10):
        new = {k: render(v, False) for k, v in ctx.items()}
        if new == ctx:
            break
        ctx = new
    return ctx


class Facts:
    """Everything Ansible decides, for one inventory and one set of variables."""

    def __init__(self, repo: str, var_overrides: dict | None = None, settings_overrides: dict | None = None,
                 pins: dict | None = None):
        self.repo = repo
        a = os.path.join(repo, "ansible")
        self.settings = read_yaml(os.path.join(repo, "vagrant", "settings.yml"))
        for k, v in (settings_overrides or {}).items():
            self.settings[k] = v
        self.sample_inventory = read_yaml(os.path.join(a, "inventory", "sample", "hosts.yml"))
        inv = vagrant_inventory(self.settings)
        raw = {}
        for role in ROLES_WITH_DEFAULTS:
            p = os.path.join(a, "roles", role, "defaults", "main.yml")
            if os.path.exists(p):
                raw.update(read_yaml(p))
        raw.update(inv["vars"])
        for p in sorted(glob.glob(os.path.join(a, "playbooks", "group_vars", "all", "*.yml"))):
            raw.update(read_yaml(p))
        raw.update(vault_standins(repo))
        raw.update(var_overrides or {})
        hosts = {**inv["server"], **inv["backup"]}
        hostvars = {h: {**inv["vars"], **hv, "inventory_hostname": h} for h, hv in hosts.items()}
        first = next(iter(inv["server"]))
        extra = {"groups": {"server": list(inv["server"]), "backup": list(inv["backup"]),
                            "all": list(hosts)},
                 "hostvars": hostvars, "inventory_hostname": first,
                 "playbook_dir": os.path.join(a, "playbooks")}
        self.vars = resolve(raw, extra)
        self.vars["app_deploy_pins"] = pins if pins is not None else read_yaml(
            os.path.join(repo, "charts", "tests", "values", "image-pins.yml"))
        self.first_server = first
        self.server_ips = [hv["node_ip"] for hv in inv["server"].values()]
        self.setup_pins = dict(re.findall(r"^([A-Z_]+_VERSION)=(\S+)",
                                          open(os.path.join(repo, "charts", "tests", "setup.sh")).read(), re.M))

    def template_text(self, role: str, name: str) -> str:
        with open(os.path.join(self.repo, "ansible", "roles", role, "templates", name)) as f:
            return f.read()

    def render(self, role: str, name: str, **more) -> str:
        return ENV.from_string(self.template_text(role, name)).render({**self.vars, **more})

    def objects(self, role: str, name: str, **more) -> list[dict]:
        return [d for d in yaml.safe_load_all(self.render(role, name, **more)) if d]

    def site_values(self) -> dict[str, dict]:
        return {c: yaml.safe_load(self.render("app_deploy", f"values-{c}.site.yaml.j2")) or {} for c in ("data", "app")}

    def manifests(self, **more) -> list[dict]:
        objs = []
        for role, name in (("platform", "manifests/namespaces.yaml.j2"), ("platform", "manifests/platform-secrets.yaml.j2"),
                           ("platform", "manifests/cluster-issuers.yaml.j2"), ("platform", "manifests/metallb-pool.yaml.j2"),
                           ("app_deploy", "app-secrets.yaml.j2")):
            objs += self.objects(role, name, **more)
        return objs

    def app_tasks(self) -> list[dict]:
        return read_yaml(os.path.join(self.repo, "ansible", "roles", "app_deploy", "tasks", "main.yml"))


# --------------------------------------------------------------------------- chart values
def deep_merge(base, over):
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = deep_merge(base.get(k), v) if k in base else copy.deepcopy(v)
        return out
    return copy.deepcopy(over)


def lab_values(repo: str) -> dict[str, dict]:
    out = {}
    for c, d in (("data", "dhakacart-data"), ("app", "dhakacart")):
        base = read_yaml(os.path.join(repo, "charts", d, "values.yaml"))
        out[c] = deep_merge(base, read_yaml(os.path.join(repo, "charts", d, "values-lab.yaml")))
    return out


def leaf_diffs(a, b, path=()):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            yield from leaf_diffs(a.get(k), b.get(k), path + (k,))
    elif a != b:
        yield path, a, b


# --------------------------------------------------------------------------- render helpers
def by_kind(objs, kind):
    return [o for o in objs if o.get("kind") == kind]


def secret_refs(objs) -> list[tuple[str, str, str | None]]:
    """(where, secret, key or None for "all keys") for every Secret the render reads."""
    refs = []
    for o in objs:
        spec = None
        if o["kind"] in ("Deployment", "StatefulSet", "DaemonSet", "Job"):
            spec = o["spec"]["template"]["spec"]
        elif o["kind"] == "Pod":
            spec = o["spec"]
        if spec:
            mounts = {}
            for v in spec.get("volumes") or []:
                if "secret" in v:
                    keys = [i["key"] for i in v["secret"].get("items") or []]
                    mounts[v["name"]] = (v["secret"]["secretName"], keys)
                    for k in keys or [None]:
                        refs.append((cm.ident(o), v["secret"]["secretName"], k))
            for c in cm.pod_containers(spec):
                for e in c.get("env") or []:
                    ref = (e.get("valueFrom") or {}).get("secretKeyRef")
                    if ref:
                        refs.append((cm.ident(o), ref["name"], ref["key"]))
                # X_FILE=/mount/path/<key>: the file is a key of the mounted Secret
                for e in c.get("env") or []:
                    if not e["name"].endswith("_FILE") or "value" not in e:
                        continue
                    for vm in c.get("volumeMounts") or []:
                        if vm["name"] in mounts and e["value"].startswith(vm["mountPath"].rstrip("/") + "/"):
                            refs.append((f"{cm.ident(o)} env {e['name']}", mounts[vm["name"]][0],
                                         e["value"][len(vm["mountPath"].rstrip("/")) + 1:]))
        if o["kind"] == "ObjectStore":
            conf = o["spec"]["configuration"]
            for k, sel in (conf.get("s3Credentials") or {}).items():
                refs.append((cm.ident(o), sel["name"], sel["key"]))
            if "endpointCA" in conf:
                refs.append((cm.ident(o), conf["endpointCA"]["name"], conf["endpointCA"]["key"]))
    return refs


def secret_keys(o) -> set[str]:
    return set((o.get("data") or {}).keys()) | set((o.get("stringData") or {}).keys())


def route(objs, path: str):
    """The Service an HTTPS request for path reaches (Ingress prefix rules, longest wins)."""
    best = None
    for ing in by_kind(objs, "Ingress"):
        ann = ing["metadata"].get("annotations") or {}
        if ann.get("traefik.ingress.kubernetes.io/router.tls") != "true":
            continue
        for rule in ing["spec"].get("rules", []):
            for p in rule["http"]["paths"]:
                pre = p["path"].rstrip("/")
                bare = path.split("?")[0]
                if bare == pre or bare.startswith(pre + "/") or pre == "":
                    if best is None or len(pre) > len(best[0]):
                        best = (pre, rule.get("host"), p["backend"]["service"]["name"])
    return best


def version_tuple(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", v.split("+")[0])[:3])


# --------------------------------------------------------------------------- the checks
def check_inventory(f: Facts, lab, site, lab_ansible) -> list[str]:
    p = []
    s = f.settings
    inv = vagrant_inventory(s)["vars"]
    sample = f.sample_inventory["all"]
    for k, v in inv.items():
        if k != "lab_iface" and sample["vars"].get(k) != v:
            p.append(f"ansible/inventory/sample/hosts.yml {k}={sample['vars'].get(k)!r}, vagrant/settings.yml gives {v!r}")
    want = {m["name"]: m["ip"] for m in s["servers"]}
    have = {h: hv.get("node_ip") for h, hv in sample["children"]["server"]["hosts"].items()}
    if want != have:
        p.append(f"sample inventory servers {have} != vagrant settings {want}")
    lo, _, hi = str(inv["metallb_range"]).partition("-")
    ing = ipaddress.ip_address(inv["ingress_ip"])
    if not ipaddress.ip_address(lo) <= ing <= ipaddress.ip_address(hi or lo):
        p.append(f"ingress_ip {ing} is outside the MetalLB range {inv['metallb_range']}")
    net = ipaddress.ip_network(inv["lab_network_cidr"])
    for name, ip in [("api_vip", inv["api_vip"]), ("backup", inv["backup_store_ip"]), ("ingress_ip", inv["ingress_ip"])] + \
            [(m["name"], m["ip"]) for m in s["servers"]]:
        if ipaddress.ip_address(ip) not in net:
            p.append(f"{name} {ip} is outside the lab network {net}")
    return p


def check_namespace(f: Facts, lab, site, lab_ansible) -> list[str]:
    p = []
    ns = f.vars["app_namespace"]
    nss = [o for o in f.manifests() if o["kind"] == "Namespace" and o["metadata"]["name"] == ns]
    if not nss:
        p.append(f"Ansible creates no Namespace {ns}")
    elif nss[0]["metadata"].get("labels", {}).get("pod-security.kubernetes.io/enforce") != "restricted":
        p.append(f"Namespace {ns} does not enforce Pod Security 'restricted'")
    if cm.NAMESPACE != ns:
        p.append(f"the chart checks model namespace {cm.NAMESPACE}, Ansible deploys into {ns}")
    for o in lab:
        if o["kind"] == "Namespace":
            p.append(f"the charts render {cm.ident(o)}: Ansible owns the namespace and its Pod Security labels")
        elif o["metadata"].get("namespace") not in (None, ns):
            p.append(f"{cm.ident(o)} is rendered into namespace {o['metadata']['namespace']}, not {ns}")
    return p


def check_secrets(f: Facts, lab, site, lab_ansible) -> list[str]:
    p = []
    ns = f.vars["app_namespace"]
    ansible_secrets = {o["metadata"]["name"]: o for o in f.manifests()
                       if o["kind"] == "Secret" and o["metadata"].get("namespace") == ns}
    rendered = {o["metadata"]["name"] for o in by_kind(lab, "Secret")}
    made = cm.operator_secrets(lab)
    for name in sorted(rendered & set(ansible_secrets)):
        p.append(f"Secret {name} is created by Ansible and rendered by a chart: helm refuses to adopt it (install fails)")
    for where, name, key in secret_refs(lab):
        if name in rendered or name in made:
            continue
        if name not in ansible_secrets:
            p.append(f"{where} reads Secret {name}, which neither the charts, an operator nor Ansible (namespace {ns}) creates")
        elif key is not None and key not in secret_keys(ansible_secrets[name]):
            p.append(f"{where} reads key {key!r} of Secret {name}; Ansible writes {sorted(secret_keys(ansible_secrets[name]))}")
    for name in cm.EXTERNAL_SECRETS:
        if name not in ansible_secrets:
            p.append(f"check_manifests.py treats Secret {name} as external, but Ansible does not create it in {ns}")
    jwt = f.vars["app_jwt_secret_name"]
    api = [o for o in by_kind(lab, "Deployment") if o["metadata"]["labels"].get("app.kubernetes.io/component") == "api"]
    if api and not any(n == jwt and k == "secret" for w, n, k in secret_refs(api) if "JWT_SECRET_FILE" in w):
        p.append(f"the API does not read its JWT key from Secret {jwt} key 'secret' (the one Ansible creates)")
    return p


def check_monitoring(f: Facts, lab, site, lab_ansible) -> list[str]:
    p = []
    rel = f.vars["app_monitoring_release"]
    charts = f.vars["platform_charts"]
    if rel not in f.vars["platform_release_order"] or charts.get(rel, {}).get("chart") != "kube-prometheus-stack":
        p.append(f"app_monitoring_release {rel!r} is not the kube-prometheus-stack release Ansible installs")
    kps = f.template_text("platform", "values/kube-prometheus-stack.yaml.j2")
    for sel in ("serviceMonitorSelector", "podMonitorSelector", "ruleSelector", "NilUsesHelmValues"):
        if sel in kps:
            p.append(f"kube-prometheus-stack values change {sel}: the `release` label contract no longer holds")
    for o in lab:
        if o["kind"] in ("ServiceMonitor", "PodMonitor", "PrometheusRule"):
            got = o["metadata"]["labels"].get("release")
            if got != rel:
                p.append(f"{cm.ident(o)} has release={got!r}; kube-prometheus-stack is released as {rel!r}")
    prom_ns = charts.get(rel, {}).get("namespace")
    for o in by_kind(lab, "NetworkPolicy"):
        for peer in peers(o):
            labels = (peer.get("podSelector") or {}).get("matchLabels") or {}
            ns = ((peer.get("namespaceSelector") or {}).get("matchLabels") or {}).get("kubernetes.io/metadata.name")
            if labels.get("app.kubernetes.io/name") == "prometheus" and ns != prom_ns:
                p.append(f"NetworkPolicy/{o['metadata']['name']} admits Prometheus from namespace {ns}; it runs in {prom_ns}")
    return p


def peers(policy):
    for rule in (policy["spec"].get("ingress") or []):
        yield from rule.get("from") or []
    for rule in (policy["spec"].get("egress") or []):
        yield from rule.get("to") or []


def check_operators(f: Facts, lab, site, lab_ansible) -> list[str]:
    p = []
    cnpg = f.vars["platform_charts"]["cnpg"]
    cnpg_values = f.template_text("platform", "values/cnpg.yaml.j2")
    if re.search(r"^\s*(nameOverride|fullnameOverride):", cnpg_values, re.M):
        p.append("the CNPG operator's pod labels are renamed in its values; the charts' policies match app.kubernetes.io/name")
    for o in by_kind(lab, "NetworkPolicy"):
        for peer in peers(o):
            labels = (peer.get("podSelector") or {}).get("matchLabels") or {}
            ns = ((peer.get("namespaceSelector") or {}).get("matchLabels") or {}).get("kubernetes.io/metadata.name")
            if labels.get("app.kubernetes.io/name") == "cloudnative-pg" or ns == cnpg["namespace"]:
                if ns != cnpg["namespace"] or labels.get("app.kubernetes.io/name") != cnpg["chart"]:
                    p.append(f"NetworkPolicy/{o['metadata']['name']} expects the CNPG operator as {labels} in {ns}; "
                             f"Ansible installs chart {cnpg['chart']} into {cnpg['namespace']}")
            if labels.get("app.kubernetes.io/name") == "traefik" and ns != "kube-system":
                p.append(f"NetworkPolicy/{o['metadata']['name']} expects Traefik in {ns}; K3s runs it in kube-system")
    # The Kubernetes API, as pods reach it: every server's address on K3s's port.
    api_port = f.vars["k3s_server_api_port"]
    if f.vars["app_deploy_kube_api_port"] != api_port:
        p.append(f"app_deploy_kube_api_port {f.vars['app_deploy_kube_api_port']} != k3s_server_api_port {api_port}")
    wls = cm.workloads(lab)
    policies = by_kind(lab, "NetworkPolicy")
    for w in wls:
        if w.component in ("database", "database-job") or w.kind == "Pooler":
            src = cm.Actor(w.component, cm.NAMESPACE, w.labels)
            for ip in f.server_ips:
                if not cm.direction_allows(policies, src, cm.Actor("kube-api", "", {}, ip=ip), api_port, "TCP", "Egress"):
                    p.append(f"{w.ident} may not reach the Kubernetes API at server {ip}:{api_port}")
    return p


def check_backup(f: Facts, lab, site, lab_ansible) -> list[str]:
    p = []
    v = f.vars
    stores = by_kind(lab, "ObjectStore")
    if not stores:
        return ["the lab profile renders no Barman Cloud ObjectStore (Ansible runs an S3 store for it)"]
    conf = stores[0]["spec"]["configuration"]
    want = {"endpointURL": v["backup_s3_endpoint"], "destinationPath": f"s3://{v['backup_bucket']}/"}
    for k, w in want.items():
        if conf.get(k) != w:
            p.append(f"ObjectStore {k} is {conf.get(k)!r}; Ansible serves {w!r}")
    creds = conf.get("s3Credentials") or {}
    for field, key in (("accessKeyId", "ACCESS_KEY_ID"), ("secretAccessKey", "ACCESS_SECRET_KEY"), ("region", "REGION")):
        sel = creds.get(field) or {}
        if (sel.get("name"), sel.get("key")) != (v["backup_s3_secret_name"], key):
            p.append(f"ObjectStore s3Credentials.{field} is {sel}; Ansible writes {v['backup_s3_secret_name']}/{key}")
    ca = conf.get("endpointCA") or {}
    if (ca.get("name"), ca.get("key")) != (v["backup_ca_secret_name"], "ca.crt"):
        p.append(f"ObjectStore endpointCA is {ca}; the store's certificate is signed by the lab CA in "
                 f"{v['backup_ca_secret_name']}/ca.crt")
    env = {e["name"]: e.get("value") for e in
           ((stores[0]["spec"].get("instanceSidecarConfiguration") or {}).get("env") or [])}
    for k in ("AWS_REQUEST_CHECKSUM_CALCULATION", "AWS_RESPONSE_CHECKSUM_VALIDATION"):
        if env.get(k) != "when_required":
            p.append(f"the Barman sidecar lacks {k}=when_required (boto3 checksums that S3-compatible stores reject)")
    clusters = [o for o in lab if o["kind"] == "Cluster"]
    if clusters and not any((pl.get("parameters") or {}).get("barmanObjectName") == stores[0]["metadata"]["name"]
                            for pl in clusters[0]["spec"].get("plugins") or []):
        p.append("the CNPG Cluster does not archive to the rendered ObjectStore")
    haproxy = f.render("backup_store", "haproxy.cfg.j2", backup_store_tls_dir="/etc/haproxy/tls")
    if not re.search(rf"^\s*bind :{v['backup_s3_port']} ssl ", haproxy, re.M):
        p.append(f"HAProxy on the backup VM does not terminate TLS on backup_s3_port {v['backup_s3_port']}")
    pki = open(os.path.join(f.repo, "ansible", "roles", "lab_pki", "tasks", "main.yml")).read()
    if '"IP:{{ backup_store_ip }}"' not in pki:
        p.append("the store's certificate does not name backup_store_ip, so an IP endpoint fails TLS verification")
    # The instance pods (WAL archive, base backups) must be allowed out to the store.
    policies = by_kind(lab, "NetworkPolicy")
    store = cm.Actor("backup-store", "", {}, ip=v["backup_store_ip"])
    for w in cm.workloads(lab):
        if w.component in ("database", "database-job"):
            if not cm.direction_allows(policies, cm.Actor(w.component, cm.NAMESPACE, w.labels), store,
                                       int(v["backup_s3_port"]), "TCP", "Egress"):
                p.append(f"{w.ident} may not reach the backup store {v['backup_store_ip']}:{v['backup_s3_port']}")
    return p


def check_tls(f: Facts, lab, site, lab_ansible) -> list[str]:
    p = []
    v = f.vars
    issuers = {o["metadata"]["name"] for o in f.manifests() if o["kind"] == "ClusterIssuer"}
    with_acme = {o["metadata"]["name"] for o in f.manifests(acme_email="ops@example.com") if o["kind"] == "ClusterIssuer"}
    if v["lab_ca_issuer"] not in issuers:
        p.append(f"Ansible creates no ClusterIssuer {v['lab_ca_issuer']}")
    if v["acme_issuer"] in issuers or v["acme_issuer"] not in with_acme:
        p.append(f"ClusterIssuer {v['acme_issuer']} must exist exactly when acme_email is set")
    for c in by_kind(lab, "Certificate"):
        ref = c["spec"]["issuerRef"]
        if ref.get("kind") == "ClusterIssuer" and ref["name"] not in issuers:
            p.append(f"Certificate/{c['metadata']['name']} wants ClusterIssuer {ref['name']}; Ansible creates {sorted(issuers)} "
                     f"({v['acme_issuer']} only with acme_email)")
        if c["spec"].get("dnsNames") != [v["shop_hostname"]]:
            p.append(f"Certificate/{c['metadata']['name']} names {c['spec'].get('dnsNames')}, the shop is {v['shop_hostname']}")
    return p


def check_ingress(f: Facts, lab, site, lab_ansible) -> list[str]:
    p = []
    v = f.vars
    traefik = f.objects("k3s_server", "traefik-config.yaml.j2")[0]
    tv = yaml.safe_load(traefik["spec"]["valuesContent"])
    if (tv.get("service", {}).get("annotations") or {}).get("metallb.io/loadBalancerIPs") != v["ingress_ip"]:
        p.append(f"K3s's Traefik is not pinned to ingress_ip {v['ingress_ip']}")
    entry_points = {"web", "websecure"} | set((tv.get("ports") or {}).keys())
    for ing in by_kind(lab, "Ingress"):
        for rule in ing["spec"].get("rules", []):
            if rule.get("host") != v["shop_hostname"]:
                p.append(f"Ingress/{ing['metadata']['name']} serves host {rule.get('host')}, the shop is {v['shop_hostname']}")
        ep = (ing["metadata"].get("annotations") or {}).get("traefik.ingress.kubernetes.io/router.entrypoints")
        if ep and ep not in entry_points:
            p.append(f"Ingress/{ing['metadata']['name']} uses Traefik entry point {ep}, K3s's Traefik has {sorted(entry_points)}")
        if ing["spec"].get("ingressClassName") != "traefik":
            p.append(f"Ingress/{ing['metadata']['name']} is not for K3s's Traefik (ingressClassName)")
    for d in by_kind(lab, "Deployment"):
        for c in d["spec"]["template"]["spec"]["containers"]:
            for e in c.get("env") or []:
                if e["name"] == "CORS_ORIGINS" and f"https://{v['shop_hostname']}" not in str(e.get("value")).split(","):
                    p.append(f"{cm.ident(d)} CORS_ORIGINS {e.get('value')!r} lacks https://{v['shop_hostname']}")
    return p


def check_smoke(f: Facts, lab, site, lab_ansible) -> list[str]:
    p = []
    checks = f.vars["app_smoke_checks"]
    services = {o["metadata"]["name"]: o for o in by_kind(lab, "Service")}
    routes_src = ""
    for path in glob.glob(os.path.join(f.repo, "services", "api", "src", "**", "*.ts"), recursive=True):
        routes_src += open(path, errors="replace").read()
    if not any(c.get("json_key") for c in checks) or not any(c["path"] == "/" for c in checks):
        p.append("app_smoke_checks must cover the storefront (/) and an API route that returns JSON")
    for c in checks:
        r = route(lab, c["path"])
        if r is None:
            p.append(f"smoke path {c['path']}: no HTTPS Ingress routes it (Traefik answers 404)")
            continue
        svc = services.get(r[2])
        comp = (svc or {}).get("metadata", {}).get("labels", {}).get("app.kubernetes.io/component")
        want = "api" if c.get("content_type") == "application/json" else "web"
        if comp != want:
            p.append(f"smoke path {c['path']} expects {c.get('content_type')} but reaches Service {r[2]} ({comp})")
        bare = c["path"].split("?")[0]
        if want == "api" and routes_src:
            sub = bare[len("/v1"):] if bare.startswith("/v1/") else bare
            if f"'{sub}'" not in routes_src and f'"{sub}"' not in routes_src:
                p.append(f"smoke path {c['path']}: services/api/src serves no route {sub}")
    return p


def check_storage(f: Facts, lab, site, lab_ansible) -> list[str]:
    p = []
    sc = f.vars["app_storage_class"]
    conf = yaml.safe_load(f.render("k3s_server", "config.yaml.j2", k3s_server_first_server=f.first_server,
                                   node_ip=f.server_ips[0]))
    if sc == "local-path" and "local-storage" in (conf.get("disable") or []):
        p.append("K3s is started with local-storage disabled, but the lab stores data on local-path")
    for o in lab:
        if o["kind"] == "Cluster":
            for k in ("storage", "walStorage"):
                got = (o["spec"].get(k) or {}).get("storageClass", sc)
                if got != sc:
                    p.append(f"{cm.ident(o)} {k}.storageClass {got}; the lab's storage class is {sc}")
    return p


def check_release_flow(f: Facts, lab, site, lab_ansible) -> list[str]:
    p = []
    v = f.vars
    clusters = [o["metadata"]["name"] for o in lab if o["kind"] == "Cluster"]
    if clusters != [v["app_db_cluster"]]:
        p.append(f"the data chart renders CNPG Cluster(s) {clusters}; Ansible waits for {v['app_db_cluster']}")
    lv = lab_values(f.repo)
    if lv["app"]["database"]["clusterName"] != v["app_db_cluster"]:
        p.append(f"app chart database.clusterName {lv['app']['database']['clusterName']} != {v['app_db_cluster']}")
    tasks = f.app_tasks()

    def index(pred, what):
        for i, t in enumerate(tasks):
            argv = (t.get("ansible.builtin.command") or {}).get("argv") or []
            if pred(argv):
                return i, argv
        p.append(f"roles/app_deploy/tasks/main.yml: no task {what}")
        return None, []
    d, dargv = index(lambda a: a[:2] == ["dc-helm-apply", "{{ app_data_release }}"], "installing the data chart")
    w, wargv = index(lambda a: a[:1] == ["kubectl"] and "wait" in a, "waiting for the database")
    a, aargv = index(lambda a: a[:2] == ["dc-helm-apply", "{{ app_release }}"], "installing the app chart")
    if None not in (d, w, a) and not d < w < a:
        p.append("roles/app_deploy must install the data chart, wait for the database, then install the app "
                 "(the migrate hook runs before the app's own resources)")
    for argv, what in ((dargv, "data"), (aargv, "app")):
        if argv and "--rollback-on-failure" not in argv:
            p.append(f"the {what} release is not installed with --rollback-on-failure")
        if argv and not any(x.endswith("{{ app_values_profile }}," + ("{{ app_deploy_work_dir }}/values/" + what + ".site.yaml"))
                            for x in argv):
            p.append(f"the {what} release is not given its lab profile and then Ansible's site values")
    if wargv and not any("{{ app_db_cluster }}" in x for x in wargv):
        p.append("the database wait does not name app_db_cluster")
    if v["app_values_profile"] != "values-lab.yaml":
        p.append(f"Ansible deploys profile {v['app_values_profile']}, the contract is values-lab.yaml")
    for path in (v["app_chart_path"], v["app_data_chart_path"]):
        if not os.path.isfile(os.path.join(path, v["app_values_profile"])):
            p.append(f"{path} has no {v['app_values_profile']}")
    return p


def check_site_values(f: Facts, lab, site, lab_ansible) -> list[str]:
    """Ansible's site values describe the default lab exactly as values-lab.yaml does,
    apart from the image pins: so neither side can drift without this failing."""
    p = []
    lv = lab_values(f.repo)
    for c in ("data", "app"):
        merged = deep_merge(lv[c], site[c])
        for path, lab_v, ans_v in leaf_diffs(lv[c], merged):
            if "image" in path:
                continue
            p.append(f"{c} chart {'.'.join(map(str, path))}: values-lab.yaml says {lab_v!r}, Ansible sets {ans_v!r}")
    images = {o_c["image"] for o in lab_ansible for o_c in cm.pod_containers(
        (o["spec"]["template"]["spec"] if o["kind"] in ("Deployment", "Job") else o["spec"] if o["kind"] == "Pod" else {}))}
    images |= {o["spec"]["imageName"] for o in lab_ansible if o["kind"] == "Cluster"}
    pins = f.vars["app_deploy_pins"]
    for key, (chart, vpath) in PIN_PATHS.items():
        if key not in f.vars["app_deploy_images"]:
            p.append(f"image {key} ({chart}: {'.'.join(vpath)}) is not pinned by Ansible (app_deploy_images)")
            continue
        pin = pins.get(key) or {}
        if not any(i.endswith("@" + str(pin.get("digest"))) for i in images):
            p.append(f"pinned digest of {key} reaches no container of the render with Ansible's site values")
    for key in f.vars["app_deploy_images"]:
        if key not in PIN_PATHS:
            p.append(f"app_deploy_images has {key}, which sets no chart image")
    return p


def check_versions(f: Facts, lab, site, lab_ansible) -> list[str]:
    p = []
    v = f.vars
    sp = f.setup_pins
    if v["helm_version"] != sp.get("HELM_VERSION"):
        p.append(f"Ansible installs helm {v['helm_version']}, the charts are checked with {sp.get('HELM_VERSION')}")
    # One version per component: what the lab installs is exactly what the checks read.
    charts = v["platform_charts"]
    for release, pin in (("cert-manager", "CERT_MANAGER_VERSION"), ("cnpg", "CNPG_VERSION"),
                         ("plugin-barman-cloud", "BARMAN_PLUGIN_VERSION"), ("metallb", "METALLB_VERSION"),
                         ("kube-prometheus-stack", "PROM_OPERATOR_VERSION")):
        got = charts[release].get("app_version")
        if got != sp.get(pin):
            p.append(f"Ansible's {release} runs {got}; the checks use {pin}={sp.get(pin)} (charts/tests/setup.sh)")
    if "v" + str(charts["metallb"]["version"]) != sp.get("METALLB_VERSION"):
        p.append(f"Ansible installs MetalLB chart {charts['metallb']['version']}; its CRDs and chart are checked "
                 f"at {sp.get('METALLB_VERSION')}")
    # K3s's Traefik: the proxy serves neither its image version nor its chart, so the
    # checks use the nearest it serves; they must keep the same Traefik minor, and
    # the chart must have the values layout the HelmChartConfig uses (>= v39).
    k3s_traefik, checked = version_tuple(v["k3s_traefik_version"]), version_tuple(sp.get("TRAEFIK_VERSION", "0"))
    if k3s_traefik[:2] != checked[:2]:
        p.append(f"K3s {v['k3s_version']} ships Traefik {v['k3s_traefik_version']}; its CRDs are checked at "
                 f"{sp.get('TRAEFIK_VERSION')} (another minor)")
    upstream_chart = str(v["k3s_traefik_chart"]).rpartition("+up")[2]
    for what, chart in (("K3s's packaged", upstream_chart), ("the checked", sp.get("TRAEFIK_CHART_VERSION", "0"))):
        if version_tuple(chart)[0] < 39:
            p.append(f"{what} Traefik chart {chart} predates v39: ports.<name>.http.redirections is unknown to it")
    uses_new_retry = any("retryNonIdempotentMethod" in (o["spec"].get("retry") or {}) for o in by_kind(lab, "Middleware"))
    if uses_new_retry and k3s_traefik < (3, 7):
        p.append(f"K3s {v['k3s_version']} ships Traefik {v['k3s_traefik_version']}; the Retry middleware's "
                 "retryNonIdempotentMethod needs >= 3.7")
    # What setup.sh fetched is what it pins (a stale .cache fails here, not in the lab).
    cache = os.path.join(f.repo, ".cache", "charts")
    for where, pin, mod in (("crds/cloudnative-pg", "CNPG_VERSION", "github.com/cloudnative-pg/cloudnative-pg"),
                            ("crds/barman-cloud", "BARMAN_PLUGIN_VERSION", "github.com/cloudnative-pg/plugin-barman-cloud"),
                            ("crds/cert-manager", "CERT_MANAGER_VERSION", "github.com/cert-manager/cert-manager"),
                            ("crds/prometheus-operator", "PROM_OPERATOR_VERSION", "github.com/prometheus-operator/prometheus-operator"),
                            ("crds/traefik", "TRAEFIK_VERSION", "github.com/traefik/traefik/v3"),
                            ("crds/metallb", "METALLB_VERSION", "go.universe.tf/metallb"),
                            ("upstream/metallb", "METALLB_VERSION", "go.universe.tf/metallb"),
                            ("upstream/traefik", "TRAEFIK_CHART_VERSION", "github.com/traefik/traefik-helm-chart")):
        src = os.path.join(cache, where, "SOURCE")
        got = open(src).read().strip() if os.path.exists(src) else "nothing"
        if got.replace("+incompatible", "") != f"{mod}@{sp.get(pin)}":
            p.append(f".cache/charts/{where} holds {got}, setup.sh pins {mod}@{sp.get(pin)}: run bash charts/tests/setup.sh")
    # The docs name the same versions.
    helm_md = open(os.path.join(f.repo, "docs", "runbooks", "helm.md")).read()
    versions_line = next((line for line in helm_md.splitlines() if line.startswith("helm v")), "")
    for pin in ("HELM_VERSION", "CNPG_VERSION", "BARMAN_PLUGIN_VERSION", "CERT_MANAGER_VERSION", "PROM_OPERATOR_VERSION",
                "TRAEFIK_VERSION", "TRAEFIK_CHART_VERSION", "METALLB_VERSION"):
        if sp.get(pin) not in versions_line:
            p.append(f"docs/runbooks/helm.md 'Versions' does not name {pin}={sp.get(pin)}")
    cluster_md = open(os.path.join(f.repo, "docs", "runbooks", "cluster.md")).read()
    for key in ("k3s_version", "k3s_traefik_version", "k3s_traefik_chart"):
        if str(v[key]) not in cluster_md:
            p.append(f"docs/runbooks/cluster.md does not name {key} {v[key]}")
    # Image tags live in the charts' values; the runbook's "Images" list names the same.
    lv = lab_values(f.repo)
    for key, (chart, vpath) in PIN_PATHS.items():
        img = lv[chart]
        for k in vpath:
            img = img[k]
        m = re.search(rf"^{key}:(.*)# (\S+)$", cluster_md, re.M)
        named = None
        if m:  # api/web carry their tag in the pin, the others in the comment
            tag = re.search(r'tag: "([^"]+)"', m.group(1))
            named = m.group(2) if ":" in m.group(2) else f"{m.group(2)}:{tag.group(1) if tag else ''}"
        if named != f"{img['repository']}:{img['tag']}":
            p.append(f"docs/runbooks/cluster.md's image list has {key} {named}, the chart runs "
                     f"{img['repository']}:{img['tag']}")
    k8s = version_tuple(v["k3s_version"])
    for d in ("dhakacart", "dhakacart-data"):
        kv = read_yaml(os.path.join(f.repo, "charts", d, "Chart.yaml")).get("kubeVersion", "")
        m = re.match(r">=\s*(\d+)\.(\d+)", kv)
        if m and k8s[:2] < (int(m.group(1)), int(m.group(2))):
            p.append(f"charts/{d} needs Kubernetes {kv}, Ansible installs K3s {v['k3s_version']}")
    run_sh = open(os.path.join(f.repo, "charts", "tests", "run.sh")).read()
    if f"{k8s[0]}.{k8s[1]}" not in re.search(r"KUBE_VERSIONS=\(([^)]*)\)", run_sh).group(1).split():
        p.append(f"K3s {v['k3s_version']} is Kubernetes {k8s[0]}.{k8s[1]}, whose schemas the chart checks do not use")
    return p


def check_ansible_schemas(f: Facts, lab, site, lab_ansible, crds=None) -> list[str]:
    objs = f.manifests(acme_email="ops@example.com")
    return cm.check_schema(objs, crds or {}, ["1.33"])


CHECKS = [
    ("inventory: vagrant/settings.yml, the sample inventory and the MetalLB pool agree", check_inventory),
    ("namespace: Ansible creates it restricted, the charts render none", check_namespace),
    ("secrets: every Secret the lab reads is created once, with its keys", check_secrets),
    ("monitoring: release label = Ansible's kube-prometheus-stack release", check_monitoring),
    ("operators: CNPG, Traefik and the Kubernetes API where Ansible puts them", check_operators),
    ("backup: ObjectStore = Ansible's S3 store (endpoint, bucket, secrets, CA, checksums, egress)", check_backup),
    ("tls: Certificate issuers are Ansible's ClusterIssuers", check_tls),
    ("ingress: host, entry points and ingress address of K3s's Traefik", check_ingress),
    ("smoke: Ansible's smoke paths are routed to the right backend", check_smoke),
    ("storage: the lab's storage class exists in K3s", check_storage),
    ("release flow: data chart, database Ready, then app chart", check_release_flow),
    ("site values: Ansible's values = the lab profiles (images aside)", check_site_values),
    ("versions: helm, operators, Traefik and Kubernetes as the charts are checked", check_versions),
]


# --------------------------------------------------------------------------- seeded contract faults
def _mutate_objs(kind, fn):
    def m(lab):
        for o in lab:
            if o["kind"] == kind:
                fn(o)
    return m


def _chart_renders_jwt(lab):
    lab.append({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "dhakacart-jwt", "namespace": "dhakacart", "labels": {}},
                "data": {"secret": "eA=="}})


def _add_namespace(lab):
    lab.append({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dhakacart", "labels": {}}})


def _swap_release_order(f):
    tasks = f.app_tasks()
    i = next(i for i, t in enumerate(tasks) if (t.get("ansible.builtin.command") or {}).get("argv", [None, None])[:2]
             == ["dc-helm-apply", "{{ app_data_release }}"])
    j = next(i for i, t in enumerate(tasks) if (t.get("ansible.builtin.command") or {}).get("argv", [None, None])[:2]
             == ["dc-helm-apply", "{{ app_release }}"])
    tasks[i], tasks[j] = tasks[j], tasks[i]
    f.app_tasks = lambda: tasks


# (description, check, how): how = Facts overrides (vars, settings) and/or a
# mutation of the Facts, of the lab render (lab) or of Ansible's site values (site).
SEEDED = [
    ("Ansible renames the JWT Secret", check_secrets, {"vars": {"app_jwt_secret_name": "dhakacart-jwt-key"}}),
    ("the app chart also renders the JWT Secret Ansible creates", check_secrets, {"lab": _chart_renders_jwt}),
    ("Ansible's backup Secret loses a key the ObjectStore reads", check_secrets,
     {"facts": lambda f: _patch_template(f, "platform", "manifests/platform-secrets.yaml.j2",
                                         '  REGION: "{{ backup_s3_region }}"\n', "")}),
    ("kube-prometheus-stack released under another name", check_monitoring, {"vars": {"app_monitoring_release": "kps"}}),
    ("a monitor with another release label", check_monitoring,
     {"lab": _mutate_objs("ServiceMonitor", lambda o: o["metadata"]["labels"].update(release="prometheus"))}),
    ("the backup VM moves to another address", check_backup,
     {"settings": {"backup": {"name": "dc-backup", "ip": "192.168.56.40", "cpus": 1, "memory_mib": 1024}}}),
    ("the S3 store listens on another port", check_backup, {"vars": {"backup_s3_port": 3900}}),
    ("the ObjectStore loses the checksum workaround", check_backup,
     {"lab": _mutate_objs("ObjectStore", lambda o: o["spec"].pop("instanceSidecarConfiguration"))}),
    ("Ansible renames the lab CA issuer", check_tls, {"vars": {"lab_ca_issuer": "lab-ca"}}),
    ("the Certificate asks for letsencrypt without an ACME e-mail", check_tls,
     {"lab": _mutate_objs("Certificate", lambda o: o["spec"]["issuerRef"].update(name="letsencrypt"))}),
    ("a smoke path the Ingress does not route (/api/health)", check_smoke,
     {"vars": {"app_smoke_checks": [{"path": "/"}, {"path": "/api/health", "content_type": "application/json", "json_key": "items"}]}}),
    ("the charts render the Namespace", check_namespace, {"lab": _add_namespace}),
    ("Ansible's namespace is not restricted", check_namespace,
     {"facts": lambda f: _patch_template(f, "platform", "manifests/namespaces.yaml.j2", "{app_namespace: 'restricted'", "{app_namespace: 'baseline'")}),
    ("the shop moves to another hostname", check_ingress, {"vars": {"lab_domain": "dhakacart.test"}}),
    ("the ingress address is outside the MetalLB pool", check_inventory, {"settings": {"ingress_ip": "192.168.56.200"}}),
    ("a fourth server the NetworkPolicies do not know", check_operators,
     {"settings": {"servers": [{"name": "dc-k3s-1", "ip": "192.168.56.11"}, {"name": "dc-k3s-2", "ip": "192.168.56.12"},
                               {"name": "dc-k3s-3", "ip": "192.168.56.14"}]}}),
    ("K3s with local-storage disabled", check_storage,
     {"facts": lambda f: _patch_template(f, "k3s_server", "config.yaml.j2", "  - servicelb", "  - servicelb\n  - local-storage")}),
    ("the app chart installed before the data chart", check_release_flow, {"facts": _swap_release_order}),
    ("values-lab.yaml and Ansible disagree on the backup endpoint", check_site_values,
     {"site": lambda s: s["data"]["postgres"]["backup"].update(endpointURL="https://backup.dhakacart.lab")}),
    ("an image pin that reaches no container", check_site_values,
     {"vars": {"app_deploy_images": ["api", "web", "postgres", "redis"]}}),
    ("K3s with a Traefik older than 3.7", check_versions, {"vars": {"k3s_traefik_version": "v3.3.6"}}),
    ("MetalLB chart 0.15.2 while its CRDs are checked at v0.16.2", check_versions,
     {"facts": lambda f: f.vars["platform_charts"]["metallb"].update(version="0.15.2", app_version="v0.15.2")}),
    ("CNPG operator a patch release apart from the CRDs checked", check_versions,
     {"facts": lambda f: f.vars["platform_charts"]["cnpg"].update(app_version="v1.30.1")}),
    ("K3s packaging a Traefik chart older than v39 (ports.web.redirections layout)", check_versions,
     {"vars": {"k3s_traefik_chart": "38.0.201+up38.0.2"}}),
    ("setup.sh's Traefik CRDs of another minor than K3s's Traefik", check_versions,
     {"facts": lambda f: f.setup_pins.update(TRAEFIK_VERSION="v3.6.12")}),
    ("Ansible's helm differs from the one the charts are checked with", check_versions, {"vars": {"helm_version": "v4.1.0"}}),
]

def _patch_template(f, role, name, old, new):
    text = f.template_text(role, name)
    if old not in text:
        raise LookupError(f"{role}/{name}: {old!r} not found")
    patched = text.replace(old, new)
    orig = f.template_text

    def template_text(r, n):
        return patched if (r, n) == (role, name) else orig(r, n)
    f.template_text = template_text


def run(repo, lab_path, lab_ansible_path, crds) -> int:
    lab = cm.load(lab_path)
    lab_ansible = cm.load(lab_ansible_path)
    for o in lab + lab_ansible:
        o.setdefault("metadata", {}).setdefault("labels", {})
    passed = failed = 0

    def report(name, problems):
        nonlocal passed, failed
        if problems:
            failed += 1
            print(f"FAIL contract {name}: {len(problems)} problem(s)")
            for x in problems[:15]:
                print(f"     - {x}")
        else:
            passed += 1
            print(f"PASS contract {name}")

    try:
        facts = Facts(repo)
    except Exception as e:
        report("reading ansible/ as Ansible would", [f"{type(e).__name__}: {e}"])
        print(f"CHECKS {passed} {failed}")
        return 1
    try:
        site = facts.site_values()
    except Exception as e:
        report("Ansible's site values render", [f"{type(e).__name__}: {e}"])
        site = {"data": {}, "app": {}}
    for name, fn in CHECKS:
        try:
            report(name, fn(facts, lab, site, lab_ansible))
        except Exception as e:  # a crash is a failure with its reason, not a silent pass
            report(name, [f"{type(e).__name__}: {e}"])
    report("Ansible's manifests pass the Kubernetes and CRD schemas", check_ansible_schemas(facts, lab, site, lab_ansible, crds))

    for desc, fn, how in SEEDED:
        try:
            f = Facts(repo, how.get("vars"), how.get("settings"))
            if "facts" in how:
                how["facts"](f)
            lab_m = copy.deepcopy(lab)
            if "lab" in how:
                how["lab"](lab_m)
            site_m = copy.deepcopy(site)
            if "site" in how:
                how["site"](site_m)
            problems = fn(f, lab_m, site_m, lab_ansible)
        except Exception as e:
            problems, desc = [], f"{desc} (crashed: {type(e).__name__}: {e})"
        if problems:
            passed += 1
            print(f"PASS contract catches: {desc}")
        else:
            failed += 1
            print(f"FAIL contract misses: {desc}")
    print(f"CHECKS {passed} {failed}")
    return 1 if failed else 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--crds")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sv = sub.add_parser("site-values")
    sv.add_argument("outdir")
    ck = sub.add_parser("check")
    ck.add_argument("lab")
    ck.add_argument("lab_ansible")
    a = ap.parse_args()
    if a.cmd == "site-values":
        os.makedirs(a.outdir, exist_ok=True)
        facts = Facts(a.repo)
        for c in ("data", "app"):
            with open(os.path.join(a.outdir, f"{c}.site.yaml"), "w") as out:
                out.write(facts.render("app_deploy", f"values-{c}.site.yaml.j2"))
        return 0
    crds = cm.crd_schemas(a.crds) if a.crds else {}
    return run(a.repo, a.lab, a.lab_ansible, crds)


if __name__ == "__main__":
    sys.exit(main())
