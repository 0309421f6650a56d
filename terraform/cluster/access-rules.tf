# Who and what may reach this cluster, as data: the EKS access entries, the
# Kubernetes RBAC rules of the plan and mesh principals, and the extra
# security group rules. This file needs no provider: tests evaluate it with
# a bare OpenTofu and load the RBAC rules into a real Kubernetes API server
# to prove each role can do its job and nothing more. main.tf passes the
# entries and rules to the EKS module; access.tf makes the RBAC objects.
locals {
  # Admins get EKS's cluster-admin access policy (in the principal's own
  # partition: aws, aws-cn, aws-us-gov); the plan and mesh principals get
  # no access policy, only a Kubernetes group bound to the Roles below.
  access_entries = merge(
    {
      for arn in var.admin_principal_arns : arn => {
        principal_arn = arn
        policy_associations = {
          admin = {
            policy_arn   = "arn:${split(":", arn)[1]}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
            access_scope = { type = "cluster" }
          }
        }
      }
    },
    {
      for arn in var.plan_principal_arns : arn => {
        principal_arn     = arn
        kubernetes_groups = [local.access_groups.plan]
      }
    },
    {
      for arn in var.mesh_principal_arns : arn => {
        principal_arn     = arn
        kubernetes_groups = [local.access_groups.mesh]
      }
    },
  )

  # Control plane: 443 from every other cluster's additional group (a
  # remote istiod watches this API server through its private endpoint).
  cluster_security_group_rules = {
    for name, id in local.peer_security_group_ids : "ingress_api_from_${name}" => {
      description              = "Kubernetes API from cluster ${name} (its istiod watches this cluster)"
      protocol                 = "tcp"
      from_port                = 443
      to_port                  = 443
      type                     = "ingress"
      source_security_group_id = id
    }
  }
  # Nodes: the module's recommended rules have neither of istiod's ports.
  node_security_group_rules = {
    # The API server calls istiod's sidecar-injection and validation webhooks.
    ingress_istiod_webhook = {
      description                   = "istiod webhooks from the EKS control plane"
      protocol                      = "tcp"
      from_port                     = 15017
      to_port                       = 15017
      type                          = "ingress"
      source_cluster_security_group = true
    }
    # verify-mesh reads istiod's debug API through the API server's service
    # proxy (services/istiod:15014/proxy), which connects from the control
    # plane to the pod.
    ingress_istiod_monitoring = {
      description                   = "istiod debug and monitoring from the EKS control plane (service proxy)"
      protocol                      = "tcp"
      from_port                     = 15014
      to_port                       = 15014
      type                          = "ingress"
      source_cluster_security_group = true
    }
  }

  # Kubernetes groups of the access entries (EKS forbids the system:, eks:,
  # aws:, amazon: and iam: prefixes), and the names of the RBAC objects.
  access_groups = {
    plan = "mesh-toolkit:plan"
    mesh = "mesh-toolkit:mesh"
  }
  access_object_names = {
    plan = "mesh-toolkit-plan"
    mesh = "mesh-toolkit-mesh"
  }

  # The objects exchange-secrets and verify-mesh work on (their defaults).
  reader_token_secret = "istio-reader-service-account-istio-remote-secret-token"
  remote_secrets = sort([
    for name in local.vpc.cluster_names : "istio-remote-secret-${name}"
    if name != var.cluster_name
  ])
  # istiod's monitoring port, reached as services/istiod:15014/proxy (with
  # or without the scheme prefix the proxy path allows).
  istiod_proxy_names = ["istiod:15014", "http:istiod:15014"]

  # Istio's namespace (this stage makes it), the Load Balancer
  # Controller's release namespace, and verify-mesh's (this stage makes it,
  # so that the Role in it outlives verify-mesh's cleanup).
  istio_namespace = "istio-system"
  access_namespaces = {
    istio  = local.istio_namespace
    lbc    = "kube-system"
    verify = var.verify_mesh_namespace
  }

  rbac_objects = ["roles", "rolebindings"]

  # One Role per (who, namespace); resource_names = [] means every name.
  namespaced_access = {
    # Plan: refresh every kubernetes and helm resource of the stage. Helm
    # keeps each release in Secrets it finds by label (list); the provider
    # reads cacerts and the reader token secret by name (get). Never writes.
    "plan/istio-system" = {
      who       = "plan"
      namespace = local.access_namespaces.istio
      rules = [
        { api_groups = [""], resources = ["secrets"], verbs = ["get", "list"], resource_names = [] },
        { api_groups = ["rbac.authorization.k8s.io"], resources = local.rbac_objects, verbs = ["get"], resource_names = values(local.access_object_names) },
      ]
    }
    "plan/kube-system" = {
      who       = "plan"
      namespace = local.access_namespaces.lbc
      rules = [
        { api_groups = [""], resources = ["secrets"], verbs = ["get", "list"], resource_names = [] },
        { api_groups = ["rbac.authorization.k8s.io"], resources = local.rbac_objects, verbs = ["get"], resource_names = [local.access_object_names.plan] },
      ]
    }
    "plan/verify" = {
      who       = "plan"
      namespace = local.access_namespaces.verify
      rules = [
        { api_groups = ["rbac.authorization.k8s.io"], resources = local.rbac_objects, verbs = ["get"], resource_names = values(local.access_object_names) },
      ]
    }

    # Mesh, exchange-secrets: read the reader token; write, read and delete
    # the remote secrets of the other clusters, by name (server-side apply
    # authorizes create and patch with the object's name). No list: a list
    # of Secrets returns every secret's data, cacerts' key included.
    # verify-mesh: istiod's debug API through the API server's service
    # proxy, and istiod's readiness.
    "mesh/istio-system" = {
      who       = "mesh"
      namespace = local.access_namespaces.istio
      rules = [
        { api_groups = [""], resources = ["secrets"], verbs = ["get"], resource_names = [local.reader_token_secret] },
        { api_groups = [""], resources = ["secrets"], verbs = ["get", "create", "patch", "delete"], resource_names = local.remote_secrets },
        { api_groups = [""], resources = ["services/proxy"], verbs = ["get"], resource_names = local.istiod_proxy_names },
        { api_groups = ["apps"], resources = ["deployments"], verbs = ["get"], resource_names = ["istiod"] },
      ]
    }
    # verify-mesh's traffic check: the helloworld and curl workloads by
    # server-side apply, removed again by cleanup; their pods; exec into the
    # client (GET for the WebSocket upgrade, create for the permission the
    # API server also checks on it).
    "mesh/verify" = {
      who       = "mesh"
      namespace = local.access_namespaces.verify
      rules = [
        { api_groups = [""], resources = ["services"], verbs = ["get", "list", "watch", "create", "patch", "delete"], resource_names = [] },
        { api_groups = ["apps"], resources = ["deployments"], verbs = ["get", "list", "watch", "create", "patch", "delete"], resource_names = [] },
        { api_groups = [""], resources = ["pods"], verbs = ["get", "list", "watch"], resource_names = [] },
        { api_groups = [""], resources = ["pods/exec"], verbs = ["get", "create"], resource_names = [] },
      ]
    }
  }

  # One ClusterRole per who: only named, cluster-scoped objects.
  cluster_access = {
    plan = {
      rules = [
        { api_groups = [""], resources = ["namespaces"], verbs = ["get"], resource_names = [local.access_namespaces.istio, local.access_namespaces.verify] },
        { api_groups = ["rbac.authorization.k8s.io"], resources = ["clusterroles", "clusterrolebindings"], verbs = ["get"], resource_names = values(local.access_object_names) },
      ]
    }
    mesh = {
      rules = [
        { api_groups = [""], resources = ["namespaces"], verbs = ["get"], resource_names = [local.access_namespaces.verify] },
        { api_groups = ["admissionregistration.k8s.io"], resources = ["mutatingwebhookconfigurations"], verbs = ["get"], resource_names = ["istio-sidecar-injector"] },
      ]
    }
  }
}
