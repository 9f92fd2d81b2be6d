{{/* The image of every Mentora container. */}}
{{- define "mentora.image" -}}
image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
imagePullPolicy: {{ .Values.image.pullPolicy }}
{{- end }}

{{/* The environment every Mentora process gets (besides the Secret's SECRET_KEY, DATABASE_URL, REDIS_URL). */}}
{{- define "mentora.env" -}}
- name: PRODUCTION
  value: "True"
- name: TASKS_BACKEND
  value: django_tasks_rq.RQBackend
{{- range $name, $value := .Values.env }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end }}
