# The stage `npm start -- demo` plans and applies: OpenTofu's builtin
# resources only, so it needs no provider download and no cloud account,
# yet shows apply-stage's plan summary, plan digest and gated apply the way
# terraform/vpc and terraform/cluster do. One resource per cluster, holding
# what the cluster stage would be given: its name and the mesh's root CA.
terraform {
  required_version = ">= 1.10"
}

variable "instance" {
  description = "The instance apply-stage runs (its input instance, given to stages that declare it)."
  type        = string
}

variable "cluster_names" {
  description = "Every cluster of the demo mesh."
  type        = list(string)
}

variable "root_fingerprint" {
  description = "SHA-256 fingerprint of the mesh's root CA (generate-certs' root-fingerprint)."
  type        = string
}

resource "terraform_data" "cluster" {
  for_each = toset(var.cluster_names)

  input = {
    instance         = var.instance
    cluster_name     = each.key
    root_fingerprint = var.root_fingerprint
  }
}

output "clusters" {
  description = "The clusters the stage was applied for."
  value       = sort(keys(terraform_data.cluster))
}
