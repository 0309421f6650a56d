/**
 * The certificate profile of Istio's tools/certs Makefiles (see
 * reference/istio-multicluster.md §a), so that istiod accepts the result as
 * a plugged-in CA.
 */
import type {JsonName} from '@peculiar/x509'

export const KEY_TYPES = ['rsa-4096', 'rsa-2048', 'ecdsa-p256'] as const

export type KeyType = (typeof KEY_TYPES)[number]

/** Subjects in DER order: O first, as Istio's openssl configuration lists them. */
export const ROOT_SUBJECT: JsonName = [{O: ['Istio']}, {CN: ['Root CA']}]

export function intermediateSubject(cluster: string): JsonName {
  return [{O: ['Istio']}, {CN: ['Intermediate CA']}, {L: [cluster]}]
}

/** istiod serves under this name; the Makefile puts it on every intermediate. */
export const INTERMEDIATE_SAN_DNS = 'istiod.istio-system.svc'

/**
 * Clock skew between the runner and the cluster's nodes would make a fresh
 * certificate "not yet valid" for a while, so validity starts a little early.
 */
export const BACKDATE_MS = 5 * 60_000

export const DAY_MS = 86_400_000
