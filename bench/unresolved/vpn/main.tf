# VPN, propagation and attachment links that a module called with for_each leaves
# unresolved, N times over: per module instance (a VPC with an internet and a virtual
# private gateway, two static VPN connections, two route tables, groups, interfaces and
# endpoints), a root VGW route propagation, VPN connection route, group attachment,
# endpoint route table and subnet associations and an edge association, each through
# `module.net[each.key].<output>`, which terraform's plan JSON lists as `module.net` and
# `each.key` only; the module has two outputs of each kind. Every subnet is also asked
# about every VPN connection (the contract's external paths), so the answers, not the
# links, grow with N². `bash bench/unresolved/run.sh`.

variable "n" { type = number }

locals {
  spokes = { for i in range(var.n) : format("s%04d", i) => cidrsubnet("10.0.0.0/8", 8, i % 256) }
}

module "net" {
  source   = "./modules/net"
  for_each = local.spokes
  cidr     = each.value
}

resource "aws_vpn_gateway_route_propagation" "x" {
  for_each       = local.spokes
  vpn_gateway_id = module.net[each.key].vgw
  route_table_id = module.net[each.key].rt_a
}

resource "aws_vpn_connection_route" "x" {
  for_each               = local.spokes
  destination_cidr_block = "192.168.0.0/16"
  vpn_connection_id      = module.net[each.key].vpn_a
}

resource "aws_network_interface_sg_attachment" "x" {
  for_each             = local.spokes
  security_group_id    = module.net[each.key].sg_a
  network_interface_id = module.net[each.key].eni_a
}

resource "aws_vpc_endpoint_route_table_association" "x" {
  for_each        = local.spokes
  vpc_endpoint_id = module.net[each.key].s3
  route_table_id  = module.net[each.key].rt_b
}

resource "aws_vpc_endpoint_subnet_association" "x" {
  for_each        = local.spokes
  vpc_endpoint_id = module.net[each.key].sqs
  subnet_id       = module.net[each.key].subnet_a
}

resource "aws_route_table_association" "edge" {
  for_each       = local.spokes
  gateway_id     = module.net[each.key].igw
  route_table_id = module.net[each.key].rt_a
}
