locals {
  istio_repository = "https://istio-release.storage.googleapis.com/charts"
}

# No istio-injection label: the control plane's own pods get no sidecars.
resource "kubernetes_namespace_v1" "istio_system" {
  metadata {
    name = local.istio_namespace
  }

  depends_on = [module.eks]
}

# The plugged-in CA. It must exist before the first istiod pod starts, or
# that istiod mints its own root and cross-cluster mTLS fails.
resource "kubernetes_secret_v1" "cacerts" {
  metadata {
    name      = "cacerts"
    namespace = kubernetes_namespace_v1.istio_system.metadata[0].name
  }

  type = "Opaque"
  # Write-only: sent to the API server while applying, never kept in a plan
  # or in state, where the intermediate CA key would otherwise sit. The
  # provider rewrites the data only when the revision changes; it follows
  # the certificates (see preflight.tf), so a renewed intermediate is
  # written and an unchanged one is not.
  data_wo          = local.cacerts_content
  data_wo_revision = local.cacerts_revision
}

resource "helm_release" "istio_base" {
  name       = "istio-base"
  repository = local.istio_repository
  chart      = "base"
  version    = var.istio_version
  namespace  = kubernetes_namespace_v1.istio_system.metadata[0].name
  wait       = true

  # The load balancer controller's Service webhook must be serving before
  # any chart creates a Service, or the API server rejects it.
  depends_on = [kubernetes_secret_v1.cacerts, helm_release.aws_load_balancer_controller]
}

resource "helm_release" "istiod" {
  name       = "istiod"
  repository = local.istio_repository
  chart      = "istiod"
  version    = var.istio_version
  namespace  = kubernetes_namespace_v1.istio_system.metadata[0].name
  wait       = true

  # meshID and network are one value for the whole mesh; only clusterName
  # differs between clusters.
  values = [yamlencode({
    global = {
      meshID  = var.mesh_id
      network = var.network
      multiCluster = {
        clusterName = var.cluster_name
      }
    }
    meshConfig = {
      accessLogFile = "/dev/stdout"
    }
  })]

  depends_on = [helm_release.istio_base, kubernetes_secret_v1.cacerts]
}

# The long-lived token of the reader account (made by the base chart) that
# exchange-secrets puts into the other clusters' remote secrets. The token
# controller fills it in; deleting this secret revokes the token.
resource "kubernetes_secret_v1" "istio_reader_token" {
  metadata {
    name      = local.reader_token_secret
    namespace = kubernetes_namespace_v1.istio_system.metadata[0].name
    annotations = {
      "kubernetes.io/service-account.name" = "istio-reader-service-account"
    }
  }

  type                           = "kubernetes.io/service-account-token"
  wait_for_service_account_token = true

  depends_on = [helm_release.istio_base]
}
