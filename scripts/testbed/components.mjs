// The pinned components of the test bed and how each is built. Versions are
// the newest that the Go module proxy (with its checksum database) and PyPI
// serve here and that build; docs/testbed.md says why each was chosen.
import {join} from 'node:path'
import {cached, goInstall, goWrapperBuild, venv} from './cache.mjs'

export const VERSIONS = {
  tofu: 'v1.11.6',
  kubernetes: 'v1.35.4',
  etcd: 'v3.6.16',
  istio: 'v0.0.0-20260826214018-9739e10eb9d7',
  actionlint: 'v1.7.12',
  moto: '5.2.5',
  zizmor: '1.32.0',
  checkov: '3.3.30'
}

const isLocalPath = to => to.startsWith('./') || to.startsWith('../')

// Kubernetes' staging modules are published as k8s.io/<name> v0.<minor>.<patch>.
const stagingModules =
  version =>
  ([from, to]) =>
    isLocalPath(to)
      ? [from, `${from} ${version.replace(/^v1\./, 'v0.')}`]
      : [from, to]

export async function buildTofu() {
  const version = VERSIONS.tofu
  const dir = await cached('tofu', version, dir =>
    goWrapperBuild(dir, {
      name: 'tofu',
      module: 'github.com/opentofu/opentofu',
      version,
      packages: ['github.com/opentofu/opentofu/cmd/tofu'],
      // As release builds do; otherwise `tofu version` says 1.x.y-dev.
      ldflags: '-X github.com/opentofu/opentofu/version.dev=no',
      // OpenTofu's own fork of hcl/v2 is a published module: keep it.
      rewrite: pair => (isLocalPath(pair[1]) ? null : pair)
    })
  )
  return {tofu: join(dir, 'bin', 'tofu')}
}

/** Commands of k8s.io/kubernetes, built with their version stamped in. */
async function kubernetesBuild(component, packages) {
  const version = VERSIONS.kubernetes
  const [, minor] = version.split('.')
  const ldflags = [
    `-X k8s.io/component-base/version.gitVersion=${version}`,
    '-X k8s.io/component-base/version.gitMajor=1',
    `-X k8s.io/component-base/version.gitMinor=${minor}`,
    '-X k8s.io/component-base/version.gitTreeState=clean'
  ].join(' ')
  const dir = await cached(component, version, dir =>
    goWrapperBuild(dir, {
      name: component,
      module: 'k8s.io/kubernetes',
      version,
      packages,
      rewrite: stagingModules(version),
      ldflags
    })
  )
  return join(dir, 'bin')
}

export async function buildKube() {
  const bin = await kubernetesBuild('kube', [
    'k8s.io/kubernetes/cmd/kube-apiserver',
    'k8s.io/kubernetes/cmd/kube-controller-manager'
  ])
  return {
    apiserver: join(bin, 'kube-apiserver'),
    controllerManager: join(bin, 'kube-controller-manager')
  }
}

const ETCD_MAIN = `// A current etcd from its published server module.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
`

export async function buildEtcd() {
  const version = VERSIONS.etcd
  const dir = await cached('etcd', version, dir =>
    goWrapperBuild(dir, {
      name: 'etcd',
      module: 'go.etcd.io/etcd/server/v3',
      version,
      mainGo: ETCD_MAIN,
      // Its sibling modules are required at the same published version.
      rewrite: pair => (isLocalPath(pair[1]) ? null : pair)
    })
  )
  return {etcd: join(dir, 'bin', 'etcd')}
}

export async function buildActionlint() {
  const version = VERSIONS.actionlint
  const dir = await cached('actionlint', version, dir =>
    goInstall(dir, 'github.com/rhysd/actionlint/cmd/actionlint', version)
  )
  return {actionlint: join(dir, 'bin', 'actionlint')}
}

async function pythonTool(name, version, requirement, bin) {
  const dir = await cached(name, version, dir => venv(dir, [requirement]))
  return join(dir, 'venv', 'bin', bin)
}

export async function buildMoto() {
  const v = VERSIONS.moto
  return {
    motoServer: await pythonTool('moto', v, `moto[server]==${v}`, 'moto_server')
  }
}

export async function buildZizmor() {
  const v = VERSIONS.zizmor
  return {zizmor: await pythonTool('zizmor', v, `zizmor==${v}`, 'zizmor')}
}

export async function buildCheckov() {
  const v = VERSIONS.checkov
  return {checkov: await pythonTool('checkov', v, `checkov==${v}`, 'checkov')}
}

// Istio's release-1.30 branch on 2026-08-26 (VERSION 1.30, just after the
// 1.30.3 the cluster stage pins). Four of its requirements are pseudo-versions
// the module proxy here refuses; each is replaced by the nearest one it
// serves (docs/testbed.md lists them).
const ISTIO_REPLACES = [
  ['istio.io/api', 'istio.io/api v1.30.8'],
  ['istio.io/client-go', 'istio.io/client-go v1.30.8'],
  [
    'github.com/envoyproxy/go-control-plane/envoy',
    'github.com/envoyproxy/go-control-plane/envoy v1.37.1-0.20260713214202-ca8ce173c36f'
  ],
  [
    'github.com/envoyproxy/go-control-plane/contrib',
    'github.com/envoyproxy/go-control-plane/contrib v1.36.1-0.20260713214202-ca8ce173c36f'
  ],
  [
    'github.com/agentgateway/agentgateway/api',
    'github.com/agentgateway/agentgateway/api v0.0.0-20260501213430-773586679f1c'
  ]
]

export async function buildIstio() {
  const version = VERSIONS.istio
  const revision = version.split('-').pop()
  const dir = await cached('istio', version, dir =>
    goWrapperBuild(dir, {
      name: 'istio',
      module: 'istio.io/istio',
      version,
      packages: [
        'istio.io/istio/istioctl/cmd/istioctl',
        'istio.io/istio/pilot/cmd/pilot-discovery'
      ],
      extraReplaces: ISTIO_REPLACES,
      // `istioctl version` and istiod's logs name what runs.
      ldflags: [
        `-X istio.io/istio/pkg/version.buildVersion=1.30-dev+${revision}`,
        `-X istio.io/istio/pkg/version.buildGitRevision=${revision}`,
        '-X istio.io/istio/pkg/version.buildStatus=Clean'
      ].join(' ')
    })
  )
  return {
    istioctl: join(dir, 'bin', 'istioctl'),
    pilotDiscovery: join(dir, 'bin', 'pilot-discovery')
  }
}

/** kubectl, for the benchmark's manual baseline (istioctl | kubectl apply). */
export async function buildKubectl() {
  const bin = await kubernetesBuild('kubectl', [
    'k8s.io/kubernetes/cmd/kubectl'
  ])
  return {kubectl: join(bin, 'kubectl')}
}
