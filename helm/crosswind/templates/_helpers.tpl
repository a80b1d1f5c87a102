{{/* The chart name, or nameOverride. */}}
{{- define "crosswind.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The full name: fullnameOverride, else the release name if it contains the chart name, else <release>-<chart>. */}}
{{- define "crosswind.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "crosswind.operator.fullname" -}}
{{- printf "%s-operator" (include "crosswind.fullname" .) }}
{{- end }}

{{- define "crosswind.gateway.fullname" -}}
{{- printf "%s-gateway" (include "crosswind.fullname" .) }}
{{- end }}

{{/* The gateway's Service; the operator points every Gateway-mode endpoint Service at it (--gateway-service). */}}
{{- define "crosswind.gateway.serviceName" -}}
{{- include "crosswind.gateway.fullname" . }}
{{- end }}

{{- define "crosswind.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object; call with (dict "ctx" $ "component" "operator"). */}}
{{- define "crosswind.labels" -}}
helm.sh/chart: {{ include "crosswind.chart" .ctx }}
{{ include "crosswind.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: crosswind
{{- end }}

{{- define "crosswind.selectorLabels" -}}
app.kubernetes.io/name: {{ include "crosswind.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "crosswind.operator.serviceAccountName" -}}
{{- if .Values.operator.serviceAccount.create }}
{{- default (include "crosswind.operator.fullname" .) .Values.operator.serviceAccount.name }}
{{- else }}
{{- required "operator.serviceAccount.name is required when operator.serviceAccount.create is false" .Values.operator.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "crosswind.gateway.serviceAccountName" -}}
{{- if .Values.gateway.serviceAccount.create }}
{{- default (include "crosswind.gateway.fullname" .) .Values.gateway.serviceAccount.name }}
{{- else }}
{{- required "gateway.serviceAccount.name is required when gateway.serviceAccount.create is false" .Values.gateway.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* image: repository:tag, the tag defaulting to the appVersion; call with (dict "ctx" $ "image" .Values.x.image). */}}
{{- define "crosswind.image" -}}
{{- printf "%s:%s" .image.repository (default .ctx.Chart.AppVersion .image.tag) }}
{{- end }}

{{/* Where the cloud CA ConfigMap is mounted in the operator container. */}}
{{- define "crosswind.cloudCA.mountPath" -}}
/etc/crosswind/cloud-ca
{{- end }}

{{/* True when the operator is granted namespaced Roles instead of a ClusterRole. */}}
{{- define "crosswind.rbac.namespaced" -}}
{{- if and .Values.rbac.namespaced .Values.operator.watchNamespaces }}true{{ end }}
{{- end }}

{{/*
The tenant namespaces, as a JSON list: operator.watchNamespaces and the namespaces of grants. Only
there may the operator write Secrets and Services, unless rbac.clusterWide.
*/}}
{{- define "crosswind.tenantNamespaces" -}}
{{- $namespaces := list }}
{{- range .Values.operator.watchNamespaces }}{{ $namespaces = append $namespaces . }}{{ end }}
{{- range .Values.grants }}{{ range .namespaces }}{{ $namespaces = append $namespaces . }}{{ end }}{{ end }}
{{- $namespaces | uniq | toJson }}
{{- end }}

{{/* The env vars both containers get from the downward API. */}}
{{- define "crosswind.podEnv" -}}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
{{- end }}

{{/*
The operator's rules wherever it reconciles: reading and managing its own kinds, reading Services,
recording events. Core events also need get: the recorder reads an event to fold a repeat into it
(a growing count) before it patches it. No write to Secrets or Services: those are the tenant rules.
*/}}
{{- define "crosswind.operator.rules" -}}
- apiGroups: [crosswind.io]
  resources: [modelendpoints, routingpolicies]
  verbs: [get, list, watch, patch, update]
- apiGroups: [crosswind.io]
  resources: [modelendpoints/status, routingpolicies/status]
  verbs: [get, patch, update]
- apiGroups: [crosswind.io]
  resources: [modelendpoints/finalizers]
  verbs: [update, patch]
- apiGroups: [""]
  resources: [services]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [events]
  verbs: [get, create, patch]
- apiGroups: [events.k8s.io]
  resources: [events]
  verbs: [create, patch]
{{- end }}

{{/*
What the operator writes in a tenant namespace: the ExternalName Service, the endpoint Secret (a
JSON patch that tests its owner first, never a read) and the in-use finalizer on a credentials
Secret.
*/}}
{{- define "crosswind.operator.tenantRules" -}}
- apiGroups: [""]
  resources: [services]
  verbs: [create, patch, update, delete]
- apiGroups: [""]
  resources: [secrets]
  verbs: [create, patch, update, delete]
{{- end }}

{{/*
Where the route tables live: a namespace of their own (routeTables.namespace, by default
<release namespace>-routes), so that the gateway may read them and no other Secret.
*/}}
{{- define "crosswind.routeTables.namespace" -}}
{{- default (printf "%s-routes" .Release.Namespace) .Values.routeTables.namespace }}
{{- end }}

{{/* The operator's flags (docs/configuration.md), from the values. */}}
{{- define "crosswind.operator.args" -}}
{{- $v := .Values.operator }}
{{- $args := list "--operator-namespace=$(POD_NAMESPACE)" "--identity=$(POD_NAME)" }}
{{- $args = append $args (printf "--cluster-id=%s" $v.clusterId) }}
{{- $args = append $args (printf "--gateway-service=%s" (include "crosswind.gateway.serviceName" .)) }}
{{- $args = append $args (printf "--route-table-namespace=%s" (include "crosswind.routeTables.namespace" .)) }}
{{- with $v.watchNamespaces }}
{{- $args = append $args (printf "--watch-namespaces=%s" (join "," .)) }}
{{- end }}
{{- with $v.selector }}
{{- $args = append $args (printf "--selector=%s" .) }}
{{- end }}
{{- if $v.leaderElection.enabled }}
{{- $args = append $args "--leader-election" }}
{{- $args = append $args (printf "--leader-election-lease=%s" $v.leaderElection.lease) }}
{{- else }}
{{- $args = append $args "--no-leader-election" }}
{{- end }}
{{- $args = append $args (printf "--log-format=%s" $v.logFormat) }}
{{- $args = append $args (printf "--log-level=%s" $v.logLevel) }}
{{- $flags := list
      (list "--azure-subscription-id" .Values.azure.subscriptionId)
      (list "--azure-authority-host" .Values.azure.authorityHost)
      (list "--azure-resource-manager-endpoint" .Values.azure.resourceManagerEndpoint)
      (list "--aws-role-arn" .Values.aws.roleArn)
      (list "--aws-bedrock-endpoint" .Values.aws.bedrockEndpoint)
      (list "--aws-bedrock-runtime-endpoint" .Values.aws.bedrockRuntimeEndpoint)
      (list "--aws-bedrock-mantle-endpoint" .Values.aws.bedrockMantleEndpoint)
      (list "--aws-sts-endpoint" .Values.aws.stsEndpoint) }}
{{- range $flags }}
{{- if index . 1 }}
{{- $args = append $args (printf "%s=%s" (index . 0) (index . 1)) }}
{{- end }}
{{- end }}
{{- if .Values.cloudCA.configMap }}
{{- $args = append $args (printf "--cloud-ca-file=%s/%s" (include "crosswind.cloudCA.mountPath" .) .Values.cloudCA.key) }}
{{- end }}
{{- toYaml (concat $args $v.extraArgs) }}
{{- end }}
