{{/* Names ------------------------------------------------------------------ */}}
{{- define "dhakacart.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "dhakacart.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "dhakacart.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "dhakacart.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* "<fullname>-<component>", e.g. dhakacart-api */}}
{{- define "dhakacart.componentName" -}}
{{- printf "%s-%s" (include "dhakacart.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels ----------------------------------------------------------------- */}}
{{- define "dhakacart.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dhakacart.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "dhakacart.labels" -}}
{{ include "dhakacart.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: dhakacart
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Labels every ServiceMonitor/PodMonitor/PrometheusRule needs so that
     kube-prometheus-stack's selectors pick them up. */}}
{{- define "dhakacart.monitoringLabels" -}}
release: {{ .Values.monitoring.releaseLabel | quote }}
{{- end -}}

{{/* Image reference "repo:tag@digest". Refuses mutable references: an empty or
     "latest" tag always, a missing digest when global.requireImageDigests. */}}
{{- define "dhakacart.image" -}}
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

{{/* Restricted Pod Security: pod and container security contexts. */}}
{{- define "dhakacart.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .uid }}
runAsGroup: {{ .uid }}
fsGroup: {{ .uid }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "dhakacart.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Database endpoints (the CNPG Cluster comes from the dhakacart-data chart). */}}
{{- define "dhakacart.dbAppSecret" -}}
{{- printf "%s-app" .Values.database.clusterName -}}
{{- end -}}

{{- define "dhakacart.dbHost" -}}
{{- $svc := ternary (printf "%s-pooler-%s" .Values.database.clusterName .role) (printf "%s-%s" .Values.database.clusterName .role) .Values.database.pooler -}}
{{- printf "%s.%s.svc" $svc .Release.Namespace -}}
{{- end -}}

{{- define "dhakacart.jwtSecretName" -}}
{{- default (include "dhakacart.componentName" (dict "root" . "component" "jwt")) .Values.api.jwt.existingSecret -}}
{{- end -}}

{{/* Traefik CRD reference "<namespace>-<name>@kubernetescrd" */}}
{{- define "dhakacart.traefikRef" -}}
{{- printf "%s-%s@kubernetescrd" .root.Release.Namespace .name -}}
{{- end -}}

{{/* Env shared by the API and the migrate Job: where the database and Redis are.
     Secrets are mounted as files (X_FILE) wherever the value can be used as is. */}}
{{- define "dhakacart.apiEnv" -}}
- name: NODE_ENV
  value: production
- name: HOST
  value: 0.0.0.0
- name: PORT
  value: {{ .Values.api.port | quote }}
- name: LOG_LEVEL
  value: {{ .Values.api.logLevel | quote }}
- name: DATABASE_POOL_MAX
  value: {{ .Values.database.poolMax | quote }}
{{- if or .Values.database.pooler .Values.database.readReplicaForCatalog }}
# CNPG's "-app" Secret only holds a URI for the "-rw" service: URIs for other
# hosts are composed from its username and password (dependent env vars).
- name: DB_USER
  valueFrom: { secretKeyRef: { name: {{ include "dhakacart.dbAppSecret" . }}, key: username } }
- name: DB_PASSWORD
  valueFrom: { secretKeyRef: { name: {{ include "dhakacart.dbAppSecret" . }}, key: password } }
{{- end }}
{{- if .Values.database.pooler }}
- name: DATABASE_URL
  value: "postgresql://$(DB_USER):$(DB_PASSWORD)@{{ include "dhakacart.dbHost" (dict "Values" .Values "Release" .Release "role" "rw") }}:5432/{{ .Values.database.name }}"
{{- else }}
- name: DATABASE_URL_FILE
  value: /var/run/secrets/dhakacart/db/uri
{{- end }}
{{- if .Values.database.readReplicaForCatalog }}
- name: DATABASE_REPLICA_URL
  value: "postgresql://$(DB_USER):$(DB_PASSWORD)@{{ include "dhakacart.dbHost" (dict "Values" .Values "Release" .Release "role" "ro") }}:5432/{{ .Values.database.name }}"
{{- end }}
{{- if .Values.redis.enabled }}
- name: REDIS_URL_FILE
  value: /var/run/secrets/dhakacart/redis/{{ .Values.redis.urlKey }}
{{- end }}
{{- end -}}

{{- define "dhakacart.apiVolumeMounts" -}}
- name: db
  mountPath: /var/run/secrets/dhakacart/db
  readOnly: true
{{- if .Values.redis.enabled }}
- name: redis
  mountPath: /var/run/secrets/dhakacart/redis
  readOnly: true
{{- end }}
{{- end -}}

{{- define "dhakacart.apiVolumes" -}}
- name: db
  secret:
    secretName: {{ include "dhakacart.dbAppSecret" . }}
    items: [{ key: uri, path: uri }]
    defaultMode: 0440
{{- if .Values.redis.enabled }}
- name: redis
  secret:
    secretName: {{ .Values.redis.secretName }}
    items: [{ key: {{ .Values.redis.urlKey }}, path: {{ .Values.redis.urlKey }} }]
    defaultMode: 0440
{{- end }}
{{- end -}}

{{/* NetworkPolicy peer: pods with these labels in that namespace. */}}
{{- define "dhakacart.peer" -}}
- namespaceSelector:
    matchLabels:
      kubernetes.io/metadata.name: {{ .namespace }}
  podSelector:
    matchLabels:
      {{- toYaml .podLabels | nindent 6 }}
{{- end -}}
