variable "cluster_name" {
  description = "Name of this cluster: one of the vpc stage's cluster_names. Also the Istio cluster ID (global.multiCluster.clusterName) and the folder under certs_dir."
  type        = string
  nullable    = false

  validation {
    condition     = length(var.cluster_name) <= 63 && can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.cluster_name))
    error_message = "cluster_name must be a DNS-1123 label: at most 63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit."
  }
}

variable "certs_dir" {
  description = "Folder that generate-certs wrote (its certs-dir output). The cacerts secret is made from <certs_dir>/<cluster_name>/{ca-cert,ca-key,root-cert,cert-chain}.pem."
  type        = string
  default     = "../../certs"
  nullable    = false

  validation {
    condition     = length(trimspace(var.certs_dir)) > 0
    error_message = "certs_dir must name the folder generate-certs wrote."
  }
}

variable "vpc_state_backend" {
  description = "Backend holding the vpc stage's state: local or s3 (the backend apply-stage used for the vpc stage)."
  type        = string
  default     = "local"
  nullable    = false

  validation {
    condition     = contains(["local", "s3"], var.vpc_state_backend)
    error_message = "vpc_state_backend must be local or s3."
  }
}

variable "vpc_state_config" {
  description = "Settings of that backend. local: path. s3: bucket, key (vpc/default/terraform.tfstate), region, and optionally endpoint settings; keys named endpoints.<service> become the endpoints block, values \"true\"/\"false\" are read as booleans by the backend."
  type        = map(string)
  default     = { path = "../vpc/.state/default.tfstate" }
  nullable    = false
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the EKS control plane and nodes. Istio 1.30 supports 1.32 and newer."
  type        = string
  default     = "1.34"
  nullable    = false

  validation {
    condition     = can(regex("^1\\.[0-9]+$", var.kubernetes_version)) && try(tonumber(split(".", var.kubernetes_version)[1]) >= 32, false)
    error_message = "kubernetes_version must be a minor version like 1.34, at least 1.32 (the oldest Istio 1.30 supports)."
  }
}

variable "node_instance_types" {
  description = "EC2 instance types of the managed node group, in order of preference."
  type        = list(string)
  default     = ["m5.large"]
  nullable    = false

  validation {
    condition     = length(var.node_instance_types) > 0
    error_message = "node_instance_types must name at least one instance type."
  }
}

variable "node_min_size" {
  description = "Minimum number of nodes."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.node_min_size >= 1 && floor(var.node_min_size) == var.node_min_size
    error_message = "node_min_size must be a whole number of at least 1."
  }
}

variable "node_max_size" {
  description = "Maximum number of nodes (at least node_desired_size)."
  type        = number
  default     = 5
  nullable    = false

  validation {
    condition     = var.node_max_size >= 1 && floor(var.node_max_size) == var.node_max_size
    error_message = "node_max_size must be a whole number of at least 1."
  }
}

variable "node_desired_size" {
  description = "Number of nodes to start with (between node_min_size and node_max_size)."
  type        = number
  default     = 2
  nullable    = false

  validation {
    condition     = var.node_desired_size >= 1 && floor(var.node_desired_size) == var.node_desired_size
    error_message = "node_desired_size must be a whole number of at least 1."
  }
}

variable "endpoint_public_access" {
  description = "Whether the EKS API server has a public endpoint. GitHub-hosted runners reach the cluster only through it; self-hosted runners inside the VPC can turn it off."
  type        = bool
  default     = true
  nullable    = false
}

variable "endpoint_public_access_cidrs" {
  description = "CIDR blocks allowed to reach the public API endpoint."
  type        = list(string)
  default     = ["0.0.0.0/0"]
  nullable    = false

  validation {
    condition     = alltrue([for cidr in var.endpoint_public_access_cidrs : can(cidrhost(cidr, 0))])
    error_message = "Every entry of endpoint_public_access_cidrs must be a CIDR block such as 203.0.113.0/24."
  }
}

variable "admin_principal_arns" {
  description = "IAM role or user ARNs with cluster-admin access (AmazonEKSClusterAdminPolicy, cluster scope) and administrators of the secrets-encryption KMS key: the apply role, which installs the Helm charts. Empty: the identity that runs Terraform gets both; a pipeline whose plan and apply roles differ must name the apply role here."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.admin_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/", arn))])
    error_message = "Every entry of admin_principal_arns must be an IAM role or user ARN."
  }
}

variable "plan_principal_arns" {
  description = "IAM role ARNs that plan this stage (the read-only plan role). Their access entries carry only the Kubernetes group mesh-toolkit:plan: enough to refresh the stage's Kubernetes and Helm resources (Secrets of kube-system and istio-system, where Helm keeps its releases; the stage's namespaces and RBAC objects), and nothing that writes."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.plan_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/", arn))])
    error_message = "Every entry of plan_principal_arns must be an IAM role or user ARN."
  }

  validation {
    condition     = length(setintersection(var.plan_principal_arns, var.admin_principal_arns)) == 0
    error_message = "A principal is listed in both plan_principal_arns and admin_principal_arns: EKS allows one access entry per principal, and the plan role must not be an admin."
  }

  # With no admins named, the EKS module makes whoever plans the cluster
  # admin and the KMS key's administrator: in a split pipeline, the plan role.
  validation {
    condition     = length(var.plan_principal_arns) == 0 || length(var.admin_principal_arns) > 0
    error_message = "plan_principal_arns is set but admin_principal_arns is empty: the identity that plans would become cluster admin and administrator of the secrets-encryption KMS key. Name the apply role in admin_principal_arns."
  }
}

variable "mesh_principal_arns" {
  description = "IAM role ARNs that exchange-secrets apply and revoke use. Their access entries carry only the Kubernetes group mesh-toolkit:mesh: in istio-system, read the reader token secret, and write, read and delete the other clusters' remote secrets, by name."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.mesh_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/", arn))])
    error_message = "Every entry of mesh_principal_arns must be an IAM role or user ARN."
  }

  validation {
    condition     = length(setintersection(var.mesh_principal_arns, concat(var.admin_principal_arns, var.plan_principal_arns))) == 0
    error_message = "A principal is listed in mesh_principal_arns and in admin_principal_arns or plan_principal_arns: EKS allows one access entry per principal; give each job its own role."
  }
}

variable "verify_principal_arns" {
  description = "IAM role ARNs that exchange-secrets check and verify-mesh use. Their access entries carry only the Kubernetes group mesh-toolkit:verify: in istio-system, read the other clusters' remote secrets by name, list pods and port-forward to istiod; in verify_mesh_namespace, verify-mesh's workloads and exec into them; nothing it may write in istio-system. A role listed here and in mesh_principal_arns gets both groups."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.verify_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/", arn))])
    error_message = "Every entry of verify_principal_arns must be an IAM role or user ARN."
  }

  validation {
    condition     = length(setintersection(var.verify_principal_arns, concat(var.admin_principal_arns, var.plan_principal_arns))) == 0
    error_message = "A principal is listed in verify_principal_arns and in admin_principal_arns or plan_principal_arns: EKS allows one access entry per principal; give each job its own role."
  }
}

variable "verify_mesh_namespace" {
  description = "Namespace verify-mesh deploys its helloworld and curl workloads to (its namespace input). This stage makes it, labelled istio-injection=enabled, with the verify principals' Role in it."
  type        = string
  default     = "sample"
  nullable    = false

  validation {
    condition     = length(var.verify_mesh_namespace) <= 63 && can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.verify_mesh_namespace)) && !contains(["default", "istio-system", "kube-system", "kube-public", "kube-node-lease"], var.verify_mesh_namespace)
    error_message = "verify_mesh_namespace must be a DNS-1123 label of its own, such as sample: not default, istio-system or a kube- namespace."
  }
}

variable "mesh_id" {
  description = "Istio global.meshID: one value for every cluster of the mesh."
  type        = string
  default     = "mesh1"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.mesh_id))
    error_message = "mesh_id must be a DNS-1123 label such as mesh1."
  }
}

variable "network" {
  description = "Istio global.network: one value for every cluster, because the clusters share one VPC and reach each other's pods directly."
  type        = string
  default     = "network1"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.network))
    error_message = "network must be a DNS-1123 label such as network1."
  }
}

variable "istio_version" {
  description = "Version of the Istio base and istiod Helm charts."
  type        = string
  default     = "1.30.3"
  nullable    = false

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.istio_version))
    error_message = "istio_version must be an exact chart version such as 1.30.3."
  }
}

variable "lb_controller_chart_version" {
  description = "Version of the aws-load-balancer-controller Helm chart (from https://aws.github.io/eks-charts)."
  type        = string
  default     = "1.14.0"
  nullable    = false

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.lb_controller_chart_version))
    error_message = "lb_controller_chart_version must be an exact chart version such as 1.14.0."
  }
}

variable "tags" {
  description = "Tags added to every AWS resource of this stage."
  type        = map(string)
  default     = {}
  nullable    = false
}
