# A hub VPC peered with two spokes, made by a module called with for_each, with neither
# peering accepted in the module. The root accepts one through
# `module.peers[each.key].x_peering_id`, which terraform's plan JSON lists as `module.peers`
# and `each.key` only; the module has two outputs naming peerings, so which one the
# accepter names is not known at plan time.

module "peers" {
  source   = "./modules/peers"
  for_each = { a = 0 }

  base = each.value
}

resource "aws_vpc_peering_connection_accepter" "x" {
  for_each = { a = 0 }

  vpc_peering_connection_id = module.peers[each.key].x_peering_id
  auto_accept               = true
}
