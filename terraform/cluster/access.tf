# The Roles and ClusterRoles of access-rules.tf, bound to the Kubernetes
# groups that main.tf gives the plan, mesh and verify principals' access
# entries.

# verify-mesh deploys here. Made by this stage, labelled for injection, so
# the verify role needs no right to make namespaces and its Role survives
# verify-mesh's cleanup.
resource "kubernetes_namespace_v1" "verify" {
  metadata {
    name = var.verify_mesh_namespace
    labels = {
      "istio-injection" = "enabled"
    }
  }

  depends_on = [module.eks]
}

locals {
  # Namespaces made here must exist before their Roles.
  access_namespace_ids = {
    (local.istio_namespace)     = kubernetes_namespace_v1.istio_system.metadata[0].name
    (var.verify_mesh_namespace) = kubernetes_namespace_v1.verify.metadata[0].name
    "kube-system"               = "kube-system"
  }
}

resource "kubernetes_role_v1" "access" {
  for_each = local.namespaced_access

  metadata {
    name      = local.access_object_names[each.value.who]
    namespace = local.access_namespace_ids[each.value.namespace]
  }

  dynamic "rule" {
    for_each = each.value.rules
    content {
      api_groups     = rule.value.api_groups
      resources      = rule.value.resources
      verbs          = rule.value.verbs
      resource_names = rule.value.resource_names
    }
  }

  # kube-system exists with the cluster; the apply role may use the API
  # once its access entry is made.
  depends_on = [module.eks]
}

resource "kubernetes_role_binding_v1" "access" {
  for_each = local.namespaced_access

  metadata {
    name      = local.access_object_names[each.value.who]
    namespace = kubernetes_role_v1.access[each.key].metadata[0].namespace
  }

  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "Role"
    name      = kubernetes_role_v1.access[each.key].metadata[0].name
  }

  subject {
    api_group = "rbac.authorization.k8s.io"
    kind      = "Group"
    name      = local.access_groups[each.value.who]
  }
}

resource "kubernetes_cluster_role_v1" "access" {
  for_each = local.cluster_access

  metadata {
    name = local.access_object_names[each.key]
  }

  dynamic "rule" {
    for_each = each.value.rules
    content {
      api_groups     = rule.value.api_groups
      resources      = rule.value.resources
      verbs          = rule.value.verbs
      resource_names = rule.value.resource_names
    }
  }

  depends_on = [module.eks]
}

resource "kubernetes_cluster_role_binding_v1" "access" {
  for_each = local.cluster_access

  metadata {
    name = local.access_object_names[each.key]
  }

  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = kubernetes_cluster_role_v1.access[each.key].metadata[0].name
  }

  subject {
    api_group = "rbac.authorization.k8s.io"
    kind      = "Group"
    name      = local.access_groups[each.key]
  }
}
