output "vpc_id" {
  description = "ID of the shared VPC."
  value       = module.vpc.vpc_id
}

output "vpc_cidr" {
  description = "IPv4 CIDR of the shared VPC."
  value       = module.vpc.vpc_cidr_block
}

output "private_subnet_ids" {
  description = "Private subnet IDs, one per availability zone: nodes and the EKS control-plane interfaces go here."
  value       = module.vpc.private_subnets
}

output "public_subnet_ids" {
  description = "Public subnet IDs, one per availability zone: internet-facing load balancers go here."
  value       = module.vpc.public_subnets
}

output "additional_security_group_ids" {
  description = "Map from cluster name to the ID of that cluster's additional security group."
  value       = { for name, sg in aws_security_group.additional : name => sg.id }
}

output "region" {
  description = "AWS region of the VPC; the cluster stage creates every cluster here."
  value       = var.region
}

output "cluster_names" {
  description = "The cluster names this VPC was made for; the cluster stage refuses any other name."
  value       = var.cluster_names
}
