# A site-to-site VPN (BGP) on a transit gateway named through a module output that
# terraform's plan JSON lists without its name (`module.x[each.key].out` is written as
# `module.x` and `each.key`): the module has two outputs naming gateways, so which one the
# connection is attached to is not known at plan time. VPC a is attached to the hub
# (a constant key) and routes the office network to it.

module "hubs" {
  source   = "./modules/hubs"
  for_each = { a = "a" }
}

resource "aws_customer_gateway" "office" {
  bgp_asn    = 65000
  ip_address = "203.0.113.10"
  type       = "ipsec.1"
}

resource "aws_vpn_connection" "office" {
  for_each = { a = "a" }

  transit_gateway_id  = module.hubs[each.key].id
  customer_gateway_id = aws_customer_gateway.office.id
  type                = "ipsec.1"

  remote_ipv4_network_cidr = "192.168.0.0/16"
}

resource "aws_vpc" "a" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.a.id
  cidr_block        = "10.1.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "a" {
  vpc_id = aws_vpc.a.id

  route {
    cidr_block         = "192.168.0.0/16"
    transit_gateway_id = module.hubs["a"].id
  }
}

resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.a.id
}

resource "aws_ec2_transit_gateway_vpc_attachment" "a" {
  transit_gateway_id = module.hubs["a"].id
  vpc_id             = aws_vpc.a.id
  subnet_ids         = [aws_subnet.a.id]
}

# b routes the office network nowhere.
resource "aws_vpc" "b" {
  cidr_block = "10.2.0.0/16"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.b.id
  cidr_block        = "10.2.1.0/24"
  availability_zone = "us-east-1a"
}
