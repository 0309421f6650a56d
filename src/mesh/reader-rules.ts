/**
 * What istiod needs in a remote cluster: the rules of the istiod chart's
 * `istio-reader-clusterrole-<ns>` (the same at 1.30.3 and HEAD).
 */
export interface Rule {
  groups: readonly string[]
  resources: readonly string[]
  verbs: readonly string[]
}

const READ = ['get', 'list', 'watch']

export const READER_RULES: readonly Rule[] = [
  {
    groups: [
      'config.istio.io',
      'security.istio.io',
      'networking.istio.io',
      'authentication.istio.io',
      'rbac.istio.io',
      'telemetry.istio.io',
      'extensions.istio.io'
    ],
    resources: ['*'],
    verbs: READ
  },
  {
    groups: [''],
    resources: [
      'endpoints',
      'pods',
      'services',
      'nodes',
      'replicationcontrollers',
      'namespaces',
      'secrets',
      'configmaps'
    ],
    verbs: READ
  },
  {
    groups: ['networking.istio.io'],
    resources: ['workloadentries'],
    verbs: READ
  },
  {
    groups: ['networking.x-k8s.io', 'gateway.networking.k8s.io'],
    resources: ['gateways'],
    verbs: READ
  },
  {
    groups: ['apiextensions.k8s.io'],
    resources: ['customresourcedefinitions'],
    verbs: READ
  },
  {groups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ},
  {
    groups: ['multicluster.x-k8s.io'],
    resources: ['serviceexports'],
    verbs: [...READ, 'create', 'delete']
  },
  {
    groups: ['multicluster.x-k8s.io'],
    resources: ['serviceimports'],
    verbs: READ
  },
  {groups: ['apps'], resources: ['replicasets'], verbs: READ},
  {
    groups: ['authentication.k8s.io'],
    resources: ['tokenreviews'],
    verbs: ['create']
  },
  {
    groups: ['authorization.k8s.io'],
    resources: ['subjectaccessreviews'],
    verbs: ['create']
  }
]

/** One SelfSubjectAccessReview: cluster-wide, so the namespace is empty. */
export interface Access {
  group: string
  resource: string
  verb: string
}

/** Every (group, resource, verb) the rules grant, each once. */
export function readerAccesses(
  rules: readonly Rule[] = READER_RULES
): Access[] {
  const seen = new Set<string>()
  const out: Access[] = []
  for (const rule of rules) {
    for (const group of rule.groups) {
      for (const resource of rule.resources) {
        for (const verb of rule.verbs) {
          const key = `${group}/${resource}/${verb}`
          if (seen.has(key)) continue
          seen.add(key)
          out.push({group, resource, verb})
        }
      }
    }
  }
  return out
}

export function describeAccess(a: Access): string {
  return `${a.verb} ${a.group === '' ? '' : `${a.group}/`}${a.resource}`
}
