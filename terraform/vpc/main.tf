# Zones named, not discovered: a zone AWS adds later never moves a subnet.
data "aws_availability_zones" "selected" {
  state = "available"

  filter {
    name   = "zone-name"
    values = local.zone_names
  }

  lifecycle {
    postcondition {
      condition     = length(self.names) == length(local.zone_names)
      error_message = "Not every zone of ${join(", ", local.zone_names)} is available in ${var.region}: set availability_zones to zones this account has."
    }
  }
}

locals {
  zone_names = var.availability_zones != null ? var.availability_zones : [for s in ["a", "b", "c"] : "${var.region}${s}"]
  azs        = sort(data.aws_availability_zones.selected.names)

  tags = merge(var.tags, {
    "toolkit/stage" = "vpc"
    "toolkit/mesh"  = var.name
  })

  # Every cluster may place nodes and load balancers in every subnet.
  cluster_subnet_tags = {
    for name in var.cluster_names : "kubernetes.io/cluster/${name}" => "shared"
  }

  # One rule per ordered pair (to, from), to != from: N clusters need
  # N*(N-1) rules, none written by hand.
  peer_pairs = {
    for pair in setproduct(var.cluster_names, var.cluster_names) :
    "${pair[0]}<-${pair[1]}" => { to = pair[0], from = pair[1] }
    if pair[0] != pair[1]
  }
}

module "vpc" {
  #checkov:skip=CKV_TF_1:Registry module pinned to one major version by its version argument; a commit hash needs a git source, which loses the registry version constraint
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 6.0"

  name = var.name
  cidr = var.vpc_cidr
  azs  = local.azs

  private_subnets = [for i, _ in local.azs : cidrsubnet(var.vpc_cidr, 4, i)]
  public_subnets  = [for i, _ in local.azs : cidrsubnet(var.vpc_cidr, 8, 48 + i)]

  enable_nat_gateway   = true
  single_nat_gateway   = true
  enable_dns_hostnames = true
  enable_dns_support   = true

  # Nothing may use the default security group; every group here is explicit.
  manage_default_security_group  = true
  default_security_group_ingress = []
  default_security_group_egress  = []

  public_subnet_tags = merge(local.cluster_subnet_tags, {
    "kubernetes.io/role/elb" = "1"
  })
  private_subnet_tags = merge(local.cluster_subnet_tags, {
    "kubernetes.io/role/internal-elb" = "1"
  })
}

# The pattern's cluster1_additional_sg / cluster2_additional_sg, for N
# clusters. The cluster stage attaches its own group to its nodes and lets
# every other cluster's group reach its API server on 443.
resource "aws_security_group" "additional" {
  #checkov:skip=CKV2_AWS_5:Attached to the node group and control-plane rules by the terraform/cluster stage, a separate root
  for_each = toset(var.cluster_names)

  # A prefix, not a name: create_before_destroy makes the replacement while
  # the old group still holds its name, so a fixed name would collide.
  # At most 32 + 1 + 63 + 12 characters; the provider allows 229 (a group
  # name has 255, the unique suffix takes 26).
  name_prefix = "${var.name}-${each.key}-additional-"
  description = "Traffic between cluster ${each.key} and the other clusters of mesh ${var.name}"
  vpc_id      = module.vpc.vpc_id

  tags = {
    Name    = "${var.name}-${each.key}-additional"
    cluster = each.key
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "from_peer" {
  for_each = local.peer_pairs

  security_group_id            = aws_security_group.additional[each.value.to].id
  referenced_security_group_id = aws_security_group.additional[each.value.from].id
  ip_protocol                  = "-1"
  description                  = "All traffic from cluster ${each.value.from}"
}

# Egress only towards the other clusters' groups: the EKS node group's own
# security group already allows the nodes' general egress.
resource "aws_vpc_security_group_egress_rule" "to_peer" {
  for_each = local.peer_pairs

  security_group_id            = aws_security_group.additional[each.value.from].id
  referenced_security_group_id = aws_security_group.additional[each.value.to].id
  ip_protocol                  = "-1"
  description                  = "All traffic to cluster ${each.value.to}"
}
