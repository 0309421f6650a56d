import type {KubeClient} from '../kube/client.ts'
import type {ClusterTarget} from '../kube/kubeconfig.ts'
import {portForwardGet} from '../kube/portforward.ts'
import {isPodReady, listPods, podProblem, type Pod} from '../kube/workloads.ts'

/** istiod's readiness and debug API, for one cluster. */
export interface IstiodDebug {
  ready(): Promise<{ready: boolean; detail: string}>
  /** The parsed JSON answer of every istiod replica asked. */
  get(path: string): Promise<unknown[]>
}

const why = (err: unknown) => {
  const cause = (err as {cause?: {code?: string}}).cause?.code
  return cause ?? (err instanceof Error ? err.message : String(err))
}

/**
 * istiod at an address (input `istiod-urls`): a port-forward the user
 * holds, or the test bed's istiod. `/ready` is served on istiod's HTTP port
 * (8080); its monitoring port (15014) has only the debug API, so a 404
 * there leaves readiness to the debug calls.
 */
export function urlIstiod(
  base: string,
  o: {timeoutMs: number; signal?: AbortSignal}
): IstiodDebug {
  const root = base.replace(/\/+$/, '')
  const request = (path: string) =>
    fetch(`${root}${path}`, {
      signal: o.signal
        ? AbortSignal.any([o.signal, AbortSignal.timeout(o.timeoutMs)])
        : AbortSignal.timeout(o.timeoutMs),
      redirect: 'error'
    })
  return {
    async ready() {
      try {
        const res = await request('/ready')
        await res.body?.cancel()
        if (res.status === 200) return {ready: true, detail: `${root}/ready`}
        if (res.status === 404) {
          return {ready: true, detail: `${root} serves no /ready`}
        }
        return {
          ready: false,
          detail: `${root}/ready answered HTTP ${res.status}`
        }
      } catch (err) {
        return {ready: false, detail: `${root} did not answer (${why(err)})`}
      }
    },
    async get(path) {
      let res: Response
      try {
        res = await request(path)
      } catch (err) {
        throw new Error(`${root}${path}: no answer (${why(err)})`)
      }
      if (res.status !== 200) {
        await res.body?.cancel()
        throw new Error(`${root}${path}: HTTP ${res.status}`)
      }
      try {
        return [await res.json()]
      } catch {
        throw new Error(`${root}${path}: the answer is not JSON`)
      }
    }
  }
}

export const ISTIOD_SELECTOR = 'app=istiod'
export const MONITORING_PORT = 15014

/** The port istioctl uses: the pod's prometheus.io/port, else 15014. */
export function monitoringPort(pod: Pod): number {
  const n = Number(pod.metadata.annotations?.['prometheus.io/port'])
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : MONITORING_PORT
}

async function istiodPods(kube: KubeClient, namespace: string) {
  const pods = await listPods(kube, namespace, ISTIOD_SELECTOR)
  return {pods, ready: pods.filter(isPodReady)}
}

/**
 * istiod in the cluster, reached as istioctl reaches it: a port-forward
 * through the API server to each ready istiod pod's monitoring port. The
 * request then comes from the pod's loopback, which istiod's debug API
 * serves without a token; the API server's service proxy would not do
 * (it drops the caller's Authorization header, so istiod answers 401 to a
 * request from the control plane's address).
 */
export function portForwardIstiod(
  target: ClusterTarget,
  istioNamespace: string,
  o: {timeoutMs: number; signal?: AbortSignal}
): IstiodDebug {
  return {
    async ready() {
      const {pods, ready} = await istiodPods(target.kube, istioNamespace)
      if (pods.length === 0) {
        return {
          ready: false,
          detail: `no pod labelled ${ISTIOD_SELECTOR} in ${istioNamespace}`
        }
      }
      if (ready.length === 0) {
        return {
          ready: false,
          detail: `0 of ${pods.length} istiod pods ready; ${podProblem(pods[0]!)}`
        }
      }
      return {
        ready: true,
        detail: `${ready.length} of ${pods.length} istiod pods ready`
      }
    },
    async get(path) {
      const conn = target.connection
      if (!conn)
        throw new Error(`${target.name}: no connection for port-forward`)
      const {ready} = await istiodPods(target.kube, istioNamespace)
      if (ready.length === 0)
        throw new Error(`no ready istiod pod in ${istioNamespace}`)
      return Promise.all(
        ready.map(async pod => {
          const answer = await portForwardGet(conn, target.name, {
            namespace: istioNamespace,
            pod: pod.metadata.name,
            port: monitoringPort(pod),
            path,
            timeoutMs: o.timeoutMs,
            signal: o.signal
          })
          if (answer.status !== 200) {
            throw new Error(
              `${pod.metadata.name}${path}: HTTP ${answer.status}`
            )
          }
          try {
            return JSON.parse(answer.body) as unknown
          } catch {
            throw new Error(
              `${pod.metadata.name}${path}: the answer is not JSON`
            )
          }
        })
      )
    }
  }
}
