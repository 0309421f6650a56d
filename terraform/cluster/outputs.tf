output "cluster_name" {
  description = "Name of the EKS cluster (also its Istio cluster ID)."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "URL of the cluster's Kubernetes API server."
  value       = module.eks.cluster_endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64-encoded CA certificate of the cluster's API server."
  value       = module.eks.cluster_certificate_authority_data
}

output "region" {
  description = "AWS region of the cluster (the vpc stage's region)."
  value       = local.region
}
