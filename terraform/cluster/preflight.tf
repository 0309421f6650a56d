# Everything that checks the user's input, in one file that needs no provider
# download: tests run it with a bare OpenTofu to prove the checks.
locals {
  # The four files generate-certs writes per cluster, the four keys istiod
  # reads from cacerts. istiod >= 1.27 exits on a partial set.
  cacerts_files = ["ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem"]
  cacerts_dir   = "${var.certs_dir}/${var.cluster_name}"
  cacerts_missing = [
    for f in local.cacerts_files : f if !fileexists("${local.cacerts_dir}/${f}")
  ]
  # Guarded so that a missing file is reported once, by the precondition on
  # the vpc state, and not as a raw file() error.
  cacerts_content = {
    for f in local.cacerts_files : f => (
      fileexists("${local.cacerts_dir}/${f}") ? file("${local.cacerts_dir}/${f}") : ""
    )
  }
  # cacerts' data_wo_revision: a whole number (1 to 2^48) that changes when
  # any certificate changes. Only the public files count, so nothing derived
  # from the key reaches state; a new key always comes with a new
  # certificate.
  cacerts_revision = 1 + parseint(substr(sha256(join("\n", [
    for f in local.cacerts_files : local.cacerts_content[f] if f != "ca-key.pem"
  ])), 0, 12), 16)

  # Settings arrive as map(string) (one -var for every backend); the s3
  # backend wants its endpoint overrides as one nested block.
  vpc_state_endpoints = {
    for k, v in var.vpc_state_config :
    trimprefix(k, "endpoints.") => v if startswith(k, "endpoints.")
  }
  vpc_state_config = merge(
    { for k, v in var.vpc_state_config : k => v if !startswith(k, "endpoints.") },
    { for k in ["endpoints"] : k => local.vpc_state_endpoints if length(local.vpc_state_endpoints) > 0 },
  )

  vpc    = data.terraform_remote_state.vpc.outputs
  region = local.vpc.region

  # Every other cluster of the mesh, by name: their groups may reach this
  # cluster's API server (remote istiod watches it through the private
  # endpoint).
  peer_security_group_ids = {
    for name, id in local.vpc.additional_security_group_ids : name => id
    if name != var.cluster_name
  }

}

# Every check that can fail on the user's input runs here, while planning,
# before anything is created: this is the first object every other one
# depends on.
data "terraform_remote_state" "vpc" {
  backend = var.vpc_state_backend
  config  = local.vpc_state_config

  lifecycle {
    precondition {
      condition     = length(local.cacerts_missing) == 0
      error_message = "certs_dir: ${local.cacerts_dir} lacks ${join(", ", local.cacerts_missing)}. Run generate-certs for cluster ${var.cluster_name} and pass its certs-dir output as certs_dir."
    }
    precondition {
      condition     = var.vpc_state_backend != "s3" || alltrue([for k in ["bucket", "key", "region"] : contains(keys(var.vpc_state_config), k)])
      error_message = "vpc_state_config must set bucket, key and region when vpc_state_backend is s3."
    }
    precondition {
      condition     = var.vpc_state_backend != "local" || contains(keys(var.vpc_state_config), "path")
      error_message = "vpc_state_config must set path when vpc_state_backend is local."
    }
    precondition {
      condition     = var.node_min_size <= var.node_desired_size && var.node_desired_size <= var.node_max_size
      error_message = "node sizes must satisfy node_min_size <= node_desired_size <= node_max_size."
    }
    postcondition {
      condition     = contains(try(self.outputs.cluster_names, []), var.cluster_name)
      error_message = "cluster_name '${var.cluster_name}' is not one of the vpc stage's cluster_names (${join(", ", try(self.outputs.cluster_names, []))}): add it there and apply the vpc stage first."
    }
  }
}
