# Who and what may reach this cluster, as data: the EKS access entries, the
# Kubernetes RBAC rules of the plan, mesh and verify principals, and the extra
# security group rules. This file needs no provider: tests evaluate it with
# a bare OpenTofu and load the RBAC rules into a real Kubernetes API server
# to prove each role can do its job and nothing more. main.tf passes the
# entries and rules to the EKS module; access.tf makes the RBAC objects.
locals {
  # Admins get EKS's cluster-admin access policy (in the principal's own
  # partition: aws, aws-cn, aws-us-gov); the plan, mesh and verify
  # principals get no access policy, only a Kubernetes group bound to the
  # Roles below.
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
    # One role may serve exchange-secrets and verify-mesh both: EKS allows
    # one access entry per principal, so it carries both groups.
    {
      for arn in distinct(concat(var.mesh_principal_arns, var.verify_principal_arns)) : arn => {
        principal_arn = arn
        kubernetes_groups = concat(
          contains(var.mesh_principal_arns, arn) ? [local.access_groups.mesh] : [],
          contains(var.verify_principal_arns, arn) ? [local.access_groups.verify] : [],
        )
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
  # Nodes: the module's recommended rules lack istiod's webhook port.
  # verify-mesh needs no node rule: it reaches istiod's debug API by
  # port-forward, which the API server relays through the kubelet (10250,
  # one of the module's own node rules).
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
  }

  # Kubernetes groups of the access entries (EKS forbids the system:, eks:,
  # aws:, amazon: and iam: prefixes), and the names of the RBAC objects.
  access_groups = {
    plan   = "mesh-toolkit:plan"
    mesh   = "mesh-toolkit:mesh"
    verify = "mesh-toolkit:verify"
  }
  access_object_names = {
    plan   = "mesh-toolkit-plan"
    mesh   = "mesh-toolkit-mesh"
    verify = "mesh-toolkit-verify"
  }

  # The objects exchange-secrets and verify-mesh work on (their defaults).
  reader_token_secret = "istio-reader-service-account-istio-remote-secret-token"
  remote_secrets = sort([
    for name in local.vpc.cluster_names : "istio-remote-secret-${name}"
    if name != var.cluster_name
  ])
  # Istio's namespace (this stage makes it), the Load Balancer
  # Controller's release namespace, and verify-mesh's (this stage makes it,
  # so that the Role in it outlives verify-mesh's cleanup).
  istio_namespace = "istio-system"
  access_namespaces = {
    istio  = local.istio_namespace
    lbc    = "kube-system"
    verify = var.verify_mesh_namespace
  }

  rbac_objects   = ["roles", "rolebindings"]
  workload_verbs = ["get", "create", "patch", "delete"]

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

    # Mesh, exchange-secrets apply and revoke: read the reader token;
    # write, read and delete the remote secrets of the other clusters, by
    # name (server-side apply authorizes create and patch with the object's
    # name). No list: a list of Secrets returns every secret's data,
    # cacerts' key included.
    "mesh/istio-system" = {
      who       = "mesh"
      namespace = local.access_namespaces.istio
      rules = [
        { api_groups = [""], resources = ["secrets"], verbs = ["get"], resource_names = [local.reader_token_secret] },
        { api_groups = [""], resources = ["secrets"], verbs = ["get", "create", "patch", "delete"], resource_names = local.remote_secrets },
      ]
    }

    # Verify, exchange-secrets check: read the other clusters' remote
    # secrets, by name. verify-mesh's control plane: find istiod's pods
    # (label app=istiod) and port-forward to their monitoring port, as
    # istioctl does (GET for the WebSocket upgrade, create for the
    # permission the API server also checks on it). Nothing it may write in
    # istio-system, and no list of Secrets (it would return cacerts' key).
    "verify/istio-system" = {
      who       = "verify"
      namespace = local.access_namespaces.istio
      rules = [
        { api_groups = [""], resources = ["secrets"], verbs = ["get"], resource_names = local.remote_secrets },
        { api_groups = [""], resources = ["pods"], verbs = ["list"], resource_names = [] },
        { api_groups = [""], resources = ["pods/portforward"], verbs = ["get", "create"], resource_names = [] },
      ]
    }
    # verify-mesh's traffic check: the helloworld and curl workloads
    # (Services, Deployments, curl's ServiceAccount) by server-side apply,
    # which authorizes create and patch, each read first and deleted again
    # by cleanup; their pods, listed by label; exec into the client (GET for
    # the WebSocket upgrade, create as above).
    "verify/verify" = {
      who       = "verify"
      namespace = local.access_namespaces.verify
      rules = [
        { api_groups = [""], resources = ["services", "serviceaccounts"], verbs = local.workload_verbs, resource_names = [] },
        { api_groups = ["apps"], resources = ["deployments"], verbs = local.workload_verbs, resource_names = [] },
        { api_groups = [""], resources = ["pods"], verbs = ["list"], resource_names = [] },
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
    # verify-mesh applies its namespace (labelled for injection) by
    # server-side apply; this stage made it, so no create. It finds the
    # sidecar injector by listing webhook configurations by label (they
    # hold no secret: a caBundle is a public certificate).
    verify = {
      rules = [
        { api_groups = [""], resources = ["namespaces"], verbs = ["get", "patch"], resource_names = [local.access_namespaces.verify] },
        { api_groups = ["admissionregistration.k8s.io"], resources = ["mutatingwebhookconfigurations"], verbs = ["list"], resource_names = [] },
      ]
    }
  }
}
