# Two VPCs from a module called with for_each, each with an internet gateway, a public
# subnet and an inspection appliance. The root edge-associates each VPC's edge route table
# with `module.net[each.key].igw_id`, which terraform's plan JSON lists as `module.net` and
# `each.key` only; the module has two outputs naming gateways (`igw_id`,
# `other_gateway_id`), so the association's gateway is not known at plan time.
# - inspected: the VPC has a virtual private gateway too, so the gateway may be either.
# - single: the other output names an internet gateway attached to no VPC; the VPC's own is
#   the one gateway an edge association of its table can name (inferred).

module "net" {
  source = "./modules/net"
  for_each = {
    inspected = { cidr = "10.1.0.0/16", with_vgw = true }
    single    = { cidr = "10.2.0.0/16", with_vgw = false }
  }

  cidr     = each.value.cidr
  with_vgw = each.value.with_vgw
}

resource "aws_route_table_association" "edge" {
  for_each = toset(["inspected", "single"])

  gateway_id     = module.net[each.key].igw_id
  route_table_id = module.net[each.key].edge_route_table_id
}
