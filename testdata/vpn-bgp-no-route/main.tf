# A site-to-site VPN on a virtual private gateway that learns the office's prefixes over BGP
# (static_routes_only left false). Which prefixes is not in the plan, but where they can be
# used is: only tables the gateway propagates into, or with a route to it.
# - `aws_route_table.propagated` has the gateway's routes propagated: unknown.
# - `aws_route_table.isolated` has only its local route: nothing leaves for the office.
# - `aws_subnet.other` is in another VPC, peered with this one (a peering carries nothing
#   on to a VPN): nothing reaches the office either.

resource "aws_vpc" "main" {
  cidr_block = "10.50.0.0/16"
}

resource "aws_vpc" "other" {
  cidr_block = "10.51.0.0/16"
}

resource "aws_vpn_gateway" "vgw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_customer_gateway" "office" {
  bgp_asn    = 65000
  ip_address = "198.51.100.10"
  type       = "ipsec.1"
}

resource "aws_vpn_connection" "office" {
  vpn_gateway_id      = aws_vpn_gateway.vgw.id
  customer_gateway_id = aws_customer_gateway.office.id
  type                = "ipsec.1"
}

resource "aws_subnet" "propagated" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.50.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "isolated" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.50.2.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "other" {
  vpc_id            = aws_vpc.other.id
  cidr_block        = "10.51.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "propagated" {
  vpc_id           = aws_vpc.main.id
  propagating_vgws = [aws_vpn_gateway.vgw.id]
}

resource "aws_route_table" "isolated" {
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_peering_connection" "main_other" {
  vpc_id      = aws_vpc.main.id
  peer_vpc_id = aws_vpc.other.id
  auto_accept = true
}

resource "aws_route_table" "other" {
  vpc_id = aws_vpc.other.id
  route {
    cidr_block                = "0.0.0.0/0"
    vpc_peering_connection_id = aws_vpc_peering_connection.main_other.id
  }
}

resource "aws_route_table_association" "propagated" {
  subnet_id      = aws_subnet.propagated.id
  route_table_id = aws_route_table.propagated.id
}

resource "aws_route_table_association" "isolated" {
  subnet_id      = aws_subnet.isolated.id
  route_table_id = aws_route_table.isolated.id
}

resource "aws_route_table_association" "other" {
  subnet_id      = aws_subnet.other.id
  route_table_id = aws_route_table.other.id
}
