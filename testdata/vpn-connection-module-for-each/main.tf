# Site-to-site VPN links named through module outputs that terraform's plan JSON lists
# without their names (`module.x[each.key].out` is written as `module.x` and `each.key`).
#
# a: the connection's gateway is `module.gw[each.key].vgw_id`; the module has two outputs
# naming gateways, so which gateway the connection terminates on is not known.
# b: the connection route's connection is `module.vpn[each.key].primary_id`; the module has
# two outputs naming connections, so which one declares the office network is not known.
# c: no route to any gateway.

resource "aws_customer_gateway" "office" {
  bgp_asn    = 65000
  ip_address = "203.0.113.10"
  type       = "ipsec.1"
}

resource "aws_vpc" "a" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.a.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "a" {
  vpc_id = aws_vpc.a.id
}

resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.a.id
}

module "gw" {
  source   = "./modules/gw"
  for_each = { a = "a" }

  vpc_id = aws_vpc.a.id
}

resource "aws_vpn_gateway_route_propagation" "a" {
  vpn_gateway_id = module.gw["a"].vgw_id
  route_table_id = aws_route_table.a.id
}

resource "aws_vpn_connection" "a" {
  for_each = { a = "a" }

  vpn_gateway_id      = module.gw[each.key].vgw_id
  customer_gateway_id = aws_customer_gateway.office.id
  type                = "ipsec.1"
  static_routes_only  = true
}

resource "aws_vpn_connection_route" "a" {
  destination_cidr_block = "192.168.0.0/16"
  vpn_connection_id      = aws_vpn_connection.a["a"].id
}

resource "aws_vpc" "b" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.b.id
  cidr_block        = "10.1.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "b" {
  vpc_id = aws_vpc.b.id
}

resource "aws_route_table_association" "b" {
  subnet_id      = aws_subnet.b.id
  route_table_id = aws_route_table.b.id
}

resource "aws_vpn_gateway" "b" {
  vpc_id = aws_vpc.b.id
}

resource "aws_vpn_gateway_route_propagation" "b" {
  vpn_gateway_id = aws_vpn_gateway.b.id
  route_table_id = aws_route_table.b.id
}

module "vpn" {
  source   = "./modules/vpn"
  for_each = { a = "a" }

  vgw_id              = aws_vpn_gateway.b.id
  customer_gateway_id = aws_customer_gateway.office.id
}

resource "aws_vpn_connection_route" "b" {
  for_each = { a = "a" }

  destination_cidr_block = "172.20.0.0/16"
  vpn_connection_id      = module.vpn[each.key].primary_id
}

resource "aws_vpc" "c" {
  cidr_block = "10.2.0.0/16"
}

resource "aws_subnet" "c" {
  vpc_id            = aws_vpc.c.id
  cidr_block        = "10.2.1.0/24"
  availability_zone = "us-east-1a"
}
