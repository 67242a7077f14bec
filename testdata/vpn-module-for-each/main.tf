# Two VPCs, each with a site-to-site VPN (static routes) to an office network, whose
# routes reach the VPC's route tables by propagation, named through module outputs that
# terraform's plan JSON lists without their names (`module.x[each.key].out` is written as
# `module.x` and `each.key`).
#
# main: the propagation's route table is `module.tables[each.key].private_route_table_id`;
# the module has two outputs naming route tables, so which table it is is not known.
# other: the propagation's gateway is `module.gw[each.key].vgw_id`; the module has two
# outputs naming gateways, but AWS propagates into a table only the routes of the gateway
# attached to its VPC, and one is: that one is inferred.

resource "aws_customer_gateway" "office" {
  bgp_asn    = 65000
  ip_address = "203.0.113.10"
  type       = "ipsec.1"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpn_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_vpn_connection" "main" {
  vpn_gateway_id      = aws_vpn_gateway.main.id
  customer_gateway_id = aws_customer_gateway.office.id
  type                = "ipsec.1"
  static_routes_only  = true
}

resource "aws_vpn_connection_route" "main" {
  destination_cidr_block = "192.168.0.0/16"
  vpn_connection_id      = aws_vpn_connection.main.id
}

module "tables" {
  source   = "./modules/tables"
  for_each = { a = "10.0.1.0/24" }

  vpc_id = aws_vpc.main.id
  cidr   = each.value
}

resource "aws_vpn_gateway_route_propagation" "main" {
  for_each = { a = "a" }

  vpn_gateway_id = aws_vpn_gateway.main.id
  route_table_id = module.tables[each.key].private_route_table_id
}

resource "aws_vpc" "other" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_subnet" "other" {
  vpc_id            = aws_vpc.other.id
  cidr_block        = "10.1.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "other" {
  vpc_id = aws_vpc.other.id
}

resource "aws_route_table_association" "other" {
  subnet_id      = aws_subnet.other.id
  route_table_id = aws_route_table.other.id
}

module "gw" {
  source   = "./modules/gw"
  for_each = { a = "a" }

  vpc_id = aws_vpc.other.id
}

resource "aws_vpn_connection" "other" {
  vpn_gateway_id      = module.gw["a"].vgw_id
  customer_gateway_id = aws_customer_gateway.office.id
  type                = "ipsec.1"
  static_routes_only  = true
}

resource "aws_vpn_connection_route" "other" {
  destination_cidr_block = "172.20.0.0/16"
  vpn_connection_id      = aws_vpn_connection.other.id
}

resource "aws_vpn_gateway_route_propagation" "other" {
  for_each = { a = "a" }

  vpn_gateway_id = module.gw[each.key].vgw_id
  route_table_id = aws_route_table.other.id
}
