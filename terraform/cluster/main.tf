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
  # would be the wrong one, so explicit ARNs replace it. The entries, like
  # the extra security group rules below, are in access-rules.tf.
  authentication_mode                      = "API"
  enable_cluster_creator_admin_permissions = length(var.admin_principal_arns) == 0
  access_entries                           = local.access_entries

  # The key's administrators are the admins, not whoever plans (the module's
  # default, which is the read-only plan role in a split pipeline). Empty
  # admins: the module falls back to the caller, who is then also the admin.
  kms_key_administrators = var.admin_principal_arns

  # Extra rules go into the module's own rule sets: standalone rule
  # resources beside the module's aws_security_group_rule set are what the
  # provider advises against.
  security_group_additional_rules      = local.cluster_security_group_rules
  node_security_group_additional_rules = local.node_security_group_rules

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
