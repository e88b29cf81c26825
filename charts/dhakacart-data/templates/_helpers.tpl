{{- define "data.labels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/part-of: dhakacart
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "data.redisSelector" -}}
app.kubernetes.io/name: redis
app.kubernetes.io/part-of: dhakacart
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Pods of CloudNativePG's Jobs (initdb, join, recovery) of one Cluster: (dict "name" <cluster>). */}}
{{- define "data.cnpgJobSelector" -}}
matchLabels:
  cnpg.io/cluster: {{ .name }}
matchExpressions:
  - { key: cnpg.io/jobRole, operator: Exists }
{{- end -}}

{{/* Where production archives in the object store: <destinationPath><serverName>/. */}}
{{- define "data.serverName" -}}
{{- .Values.postgres.backup.serverName | default .Values.postgres.clusterName -}}
{{- end -}}

{{/*
The CloudNativePG Clusters this release runs, as a YAML list: production, and
the point-in-time copy beside it when postgres.pitr.enabled
(docs/runbooks/backup-restore.md). Each has its name, the serverName it
archives under and, when it starts from backups, "recovery": whose backups
(serverName) and up to when (targetTime, empty = the end of the archive).
A Cluster that starts from backups begins a new timeline: it must archive under
a name of its own, or it would write that timeline into the archive it was
restored from (the plugin also refuses a non-empty archive at bootstrap).
*/}}
{{- define "data.clusters" -}}
{{- $pg := .Values.postgres -}}
{{- $prodServer := include "data.serverName" . -}}
{{- $list := list -}}
{{- $prod := dict "name" $pg.clusterName "serverName" $prodServer "role" "production" -}}
{{- if eq $pg.bootstrap.mode "recovery" -}}
{{- $_ := set $prod "recovery" (dict "serverName" $pg.bootstrap.recovery.serverName "targetTime" $pg.bootstrap.recovery.targetTime) -}}
{{- end -}}
{{- $list = append $list $prod -}}
{{- if $pg.pitr.enabled -}}
{{- $pitr := dict "name" $pg.pitr.clusterName "serverName" ($pg.pitr.serverName | default $pg.pitr.clusterName) "role" "pitr"
      "recovery" (dict "serverName" $prodServer "targetTime" $pg.pitr.targetTime) -}}
{{- if eq $pitr.name $pg.clusterName -}}
{{- fail (printf "postgres.pitr.clusterName %s is production's name: the copy goes beside production, under a name of its own" $pitr.name) -}}
{{- end -}}
{{- $list = append $list $pitr -}}
{{- end -}}
{{- range $list -}}
{{- if .recovery -}}
{{- if not $pg.backup.enabled -}}
{{- fail (printf "cluster %s starts from backups: it needs postgres.backup.enabled (the ObjectStore %s)" .name $pg.backup.objectStoreName) -}}
{{- end -}}
{{- if eq .serverName .recovery.serverName -}}
{{- fail (printf "cluster %s is restored from serverName %s and would archive its new timeline into it: give it its own serverName (postgres.backup.serverName, postgres.pitr.serverName)" .name .serverName) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- toYaml $list -}}
{{- end -}}

{{/* Same rules as dhakacart.image: explicit non-latest tag, digest when required. */}}
{{- define "data.image" -}}
{{- $img := .image -}}
{{- if or (not $img.tag) (eq (toString $img.tag) "latest") -}}
{{- fail (printf "image %s: set an explicit tag (not latest)" $img.repository) -}}
{{- end -}}
{{- if $img.digest -}}
{{- printf "%s:%s@%s" $img.repository (toString $img.tag) $img.digest -}}
{{- else if .root.Values.global.requireImageDigests -}}
{{- fail (printf "image %s:%s: global.requireImageDigests is on, set its digest (sha256:...)" $img.repository (toString $img.tag)) -}}
{{- else -}}
{{- printf "%s:%s" $img.repository (toString $img.tag) -}}
{{- end -}}
{{- end -}}

{{- define "data.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "data.peer" -}}
- namespaceSelector:
    matchLabels:
      kubernetes.io/metadata.name: {{ .namespace }}
  podSelector:
    matchLabels:
      {{- toYaml .podLabels | nindent 6 }}
{{- end -}}

{{/* Egress rule to the Kubernetes API as pods reach it after kube-proxy's DNAT (networkPolicy.kubeAPIServer). */}}
{{- define "data.kubeAPIEgress" -}}
{{- $api := .Values.networkPolicy.kubeAPIServer -}}
- to:
    {{- range $api.cidrs }}
    - ipBlock: { cidr: {{ . }} }
    {{- end }}
  ports:
    - { protocol: TCP, port: {{ $api.port }} }
{{- end -}}
