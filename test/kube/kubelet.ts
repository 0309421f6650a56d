import type {KubeClient} from '../../src/kube/client.ts'
import {listPods, type Pod} from '../../src/kube/workloads.ts'

/**
 * Plays the kubelet's one part the tests need on the test bed (which has
 * the controllers but no kubelet): once a pod matching `selector` has
 * existed for `delayMs`, its status becomes Running and Ready with every
 * container ready, written to the pods/status subresource as the kubelet
 * writes it. The ReplicaSet and Deployment controllers do the rest. The
 * pod keeps no node, so exec and port-forward into it still fail as they
 * would without a kubelet.
 */
export function playKubelet(
  kube: KubeClient,
  namespace: string,
  selector: string,
  o: {delayMs?: number} = {}
): {stop: () => Promise<void>; readied: string[]} {
  const readied: string[] = []
  const seen = new Map<string, number>()
  let stopped = false
  const ready = async (pod: Pod) => {
    const now = new Date().toISOString()
    const running = (name: string) => ({
      name,
      ready: true,
      started: true,
      restartCount: 0,
      image: 'registry.example/app:1.0',
      imageID: '',
      state: {running: {startedAt: now}}
    })
    await kube.call({
      method: 'PATCH',
      path: `/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}/status`,
      contentType: 'application/merge-patch+json',
      body: {
        status: {
          phase: 'Running',
          conditions: [
            'PodScheduled',
            'Initialized',
            'ContainersReady',
            'Ready'
          ].map(type => ({
            type,
            status: 'True',
            lastTransitionTime: now
          })),
          containerStatuses: (pod.spec?.containers ?? []).map(c =>
            running(c.name)
          ),
          startTime: now
        }
      }
    })
    readied.push(pod.metadata.name)
  }
  const loop = (async () => {
    while (!stopped) {
      const pods = await listPods(kube, namespace, selector).catch(() => [])
      for (const p of pods) {
        if (readied.includes(p.metadata.name) || p.metadata.deletionTimestamp)
          continue
        const first = seen.get(p.metadata.name) ?? Date.now()
        seen.set(p.metadata.name, first)
        if (Date.now() - first >= (o.delayMs ?? 0))
          await ready(p).catch(() => {})
      }
      await new Promise(r => setTimeout(r, 200))
    }
  })()
  return {
    readied,
    stop: async () => {
      stopped = true
      await loop
    }
  }
}
