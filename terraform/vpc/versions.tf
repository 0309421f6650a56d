terraform {
  # The cluster stage's floor, so one tool version runs both: 1.11 (OpenTofu
  # and Terraform) also has S3 native locking (use_lockfile), which
  # apply-stage turns on for the s3 backend.
  required_version = ">= 1.11.0, < 2.0.0"

  # No backend block: apply-stage writes a backend override (local or s3)
  # keyed by stage and instance.

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.28.0, < 7.0.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}
