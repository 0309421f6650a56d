locals {
  tags = merge(var.tags, {
    "toolkit/stage"   = "cluster"
    "toolkit/cluster" = var.cluster_name
  })
}

module "eks" {
  #checkov:skip=CKV_TF_1:Registry module pinned to one major version by its version argument; a commit hash needs a git source, which loses the registry version constraint
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 21.0"

  name               = var.cluster_name
  kubernetes_version = var.kubernetes_version

  # IAM name prefixes are limited to 38 characters; DNS-1123 names to 63.
  iam_role_name = "${substr(var.cluster_name, 0, 28)}-cluster"

  endpoint_private_access      = true
  endpoint_public_access       = var.endpoint_public_access
  endpoint_public_access_cidrs = var.endpoint_public_access_cidrs

  enabled_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]

  # Access entries only: no aws-auth ConfigMap to drift. The "creator" is
  # whoever plans: with a read-only plan role and a separate apply role it
  # would be the wrong one, so explicit ARNs replace it.
  authentication_mode                      = "API"
  enable_cluster_creator_admin_permissions = length(var.admin_principal_arns) == 0
  access_entries = {
    for arn in var.admin_principal_arns : arn => {
      principal_arn = arn
      policy_associations = {
        admin = {
          policy_arn   = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
          access_scope = { type = "cluster" }
        }
      }
    }
  }

  addons = {
    vpc-cni                = { before_compute = true }
    eks-pod-identity-agent = { before_compute = true }
    kube-proxy             = {}
    coredns                = {}
  }

  vpc_id     = local.vpc.vpc_id
  subnet_ids = local.vpc.private_subnet_ids

  eks_managed_node_groups = {
    default = {
      instance_types = var.node_instance_types
      min_size       = var.node_min_size
      max_size       = var.node_max_size
      desired_size   = var.node_desired_size

      # Pods use the node's groups, so this is what lets pods of the other
      # clusters reach pods here and the other way round.
      vpc_security_group_ids = [local.vpc.additional_security_group_ids[var.cluster_name]]
    }
  }
}

resource "aws_vpc_security_group_ingress_rule" "api_from_peer" {
  for_each = local.peer_security_group_ids

  security_group_id            = module.eks.cluster_security_group_id
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  description                  = "Kubernetes API from cluster ${each.key} (its istiod watches this cluster)"
}

# The API server calls istiod's sidecar-injection and validation webhooks.
resource "aws_vpc_security_group_ingress_rule" "istiod_webhook" {
  security_group_id            = module.eks.node_security_group_id
  referenced_security_group_id = module.eks.cluster_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 15017
  to_port                      = 15017
  description                  = "istiod webhooks from the EKS control plane"
}

module "lb_controller_identity" {
  #checkov:skip=CKV_TF_1:Registry module pinned to one major version by its version argument; a commit hash needs a git source, which loses the registry version constraint
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "~> 2.0"

  # Used as an IAM name prefix, limited to 38 characters.
  name = "${substr(var.cluster_name, 0, 28)}-aws-lbc"

  attach_aws_lb_controller_policy = true

  associations = {
    controller = {
      cluster_name    = module.eks.cluster_name
      namespace       = "kube-system"
      service_account = "aws-load-balancer-controller"
    }
  }
}

resource "helm_release" "aws_load_balancer_controller" {
  name       = "aws-load-balancer-controller"
  repository = "https://aws.github.io/eks-charts"
  chart      = "aws-load-balancer-controller"
  version    = var.lb_controller_chart_version
  namespace  = "kube-system"
  wait       = true

  # Region and VPC given explicitly: node metadata is not reachable from
  # pods (hop limit 1), so the controller cannot discover them itself.
  values = [yamlencode({
    clusterName = module.eks.cluster_name
    region      = local.region
    vpcId       = local.vpc.vpc_id
    serviceAccount = {
      create = true
      name   = "aws-load-balancer-controller"
    }
  })]

  depends_on = [module.eks, module.lb_controller_identity]
}
