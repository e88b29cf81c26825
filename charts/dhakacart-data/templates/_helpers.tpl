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

{{/* Pods of CloudNativePG's Jobs (initdb, join, recovery) for this Cluster. */}}
{{- define "data.cnpgJobSelector" -}}
matchLabels:
  cnpg.io/cluster: {{ .Values.postgres.clusterName }}
matchExpressions:
  - { key: cnpg.io/jobRole, operator: Exists }
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
