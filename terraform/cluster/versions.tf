terraform {
  # 1.11, for OpenTofu and Terraform alike: ephemeral resources (the EKS
  # token below) and write-only arguments (cacerts' data_wo); both also have
  # S3 native locking (use_lockfile), which apply-stage turns on.
  required_version = ">= 1.11.0, < 2.0.0"

  # No backend block: apply-stage writes a backend override (local or s3)
  # keyed by stage and instance (the cluster name).

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.28.0, < 7.0.0"
    }
    helm = {
      source  = "hashicorp/helm"
      version = ">= 3.1.0, < 4.0.0"
    }
    # 3.2.1: data_wo on kubernetes_secret_v1 without the "Missing Resource
    # Identity After Create" error of earlier 3.x releases.
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = ">= 3.2.1, < 4.0.0"
    }
  }
}

provider "aws" {
  region = local.region

  default_tags {
    tags = local.tags
  }
}

# The Kubernetes API token, made when a provider needs it, in every run:
# while planning with the plan role's credentials, and again while applying
# with the apply role's. An ephemeral value is never written to a plan or to
# state, so a reviewed plan applied hours later (EKS tokens live 15 minutes)
# still logs in. A data source would be read once, while planning, and its
# token saved in the plan. Made in process: no aws CLI, no exec plugin.
ephemeral "aws_eks_cluster_auth" "this" {
  name = terraform_data.cluster_ready.output
}

# The cluster's name once everything in module.eks is done (node groups
# and add-ons included): the token above is made only then, right before
# the first Kubernetes call, not when the control plane is up and its node
# groups still have minutes to go. A depends_on on the ephemeral resource
# itself would put off the token to the apply phase on every plan in which
# the module changes, and the refresh of the Kubernetes resources would
# fail; this output is known while planning once the cluster exists.
resource "terraform_data" "cluster_ready" {
  input = module.eks.cluster_name

  depends_on = [module.eks]
}

provider "kubernetes" {
  host                   = module.eks.cluster_endpoint
  cluster_ca_certificate = base64decode(module.eks.cluster_certificate_authority_data)
  token                  = ephemeral.aws_eks_cluster_auth.this.token
}

provider "helm" {
  kubernetes = {
    host                   = module.eks.cluster_endpoint
    cluster_ca_certificate = base64decode(module.eks.cluster_certificate_authority_data)
    token                  = ephemeral.aws_eks_cluster_auth.this.token
  }
}
