variable "cluster_names" {
  description = "Names of every cluster that will share this VPC (DNS-1123 labels, unique, at least two). Each gets an additional security group and subnet tags."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.cluster_names) >= 2
    error_message = "cluster_names must name at least two clusters: a multi-primary mesh needs two."
  }

  validation {
    condition = alltrue([
      for name in var.cluster_names :
      length(name) <= 63 && can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", name))
    ])
    error_message = "Every entry of cluster_names must be a DNS-1123 label: at most 63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit."
  }

  validation {
    condition     = length(distinct(var.cluster_names)) == length(var.cluster_names)
    error_message = "cluster_names must not contain the same name twice."
  }
}

variable "region" {
  description = "AWS region of the VPC. Every cluster stage reads it from this stage's state, so all clusters land in this region."
  type        = string
  default     = "eu-west-1"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "availability_zones" {
  description = "Availability zones for the subnets (one private and one public subnet each). null means <region>a, <region>b and <region>c."
  type        = list(string)
  default     = null

  validation {
    condition     = var.availability_zones == null || try(length(var.availability_zones) >= 2 && length(var.availability_zones) <= 3 && length(distinct(var.availability_zones)) == length(var.availability_zones), false)
    error_message = "availability_zones must list 2 or 3 distinct zones: EKS needs subnets in at least two, and the subnet layout has room for three."
  }
}

variable "name" {
  description = "Name of the VPC and prefix of the security groups."
  type        = string
  default     = "istio-mesh"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.name)) && length(var.name) <= 32
    error_message = "name must be a DNS-1123 label of at most 32 characters."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR of the VPC, /16 or larger. Per availability zone one private subnet of prefix length + 4 and one public subnet of prefix length + 8 are carved from it (a /20 and a /24 in a /16)."
  type        = string
  default     = "10.0.0.0/16"
  nullable    = false

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && try(tonumber(split("/", var.vpc_cidr)[1]) <= 16, false)
    error_message = "vpc_cidr must be an IPv4 CIDR with a prefix length of 16 or less, such as 10.0.0.0/16."
  }
}

variable "tags" {
  description = "Tags added to every resource of this stage."
  type        = map(string)
  default     = {}
  nullable    = false
}
