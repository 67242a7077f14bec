# An inline `route` block whose destination is known only after apply: the peer VPC's
# Amazon-provided IPv6 block. Terraform writes one configuration expression for all of a
# table's inline routes, so the block's own `after_unknown` is what says its family (its
# `cidr_block` is known, and empty).

resource "aws_vpc" "a" {
  cidr_block                       = "10.91.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_egress_only_internet_gateway" "a" {
  vpc_id = aws_vpc.a.id
}

resource "aws_internet_gateway" "a" {
  vpc_id = aws_vpc.a.id
}

resource "aws_subnet" "a" {
  vpc_id                          = aws_vpc.a.id
  availability_zone               = "us-east-1a"
  cidr_block                      = "10.91.1.0/24"
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.a.ipv6_cidr_block, 8, 1)
  assign_ipv6_address_on_creation = true
  map_public_ip_on_launch         = true
}

# IPv6 out through the egress-only gateway, IPv6 to the peer over the peering; no IPv4
# route leaves the VPC (the internet gateway is attached, but nothing routes to it).
resource "aws_route_table" "a" {
  vpc_id = aws_vpc.a.id
  route {
    ipv6_cidr_block        = "::/0"
    egress_only_gateway_id = aws_egress_only_internet_gateway.a.id
  }
  route {
    ipv6_cidr_block           = aws_vpc.b.ipv6_cidr_block
    vpc_peering_connection_id = aws_vpc_peering_connection.ab.id
  }
}

resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.a.id
}

resource "aws_vpc" "b" {
  cidr_block                       = "10.92.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_subnet" "b" {
  vpc_id                          = aws_vpc.b.id
  availability_zone               = "us-east-1a"
  cidr_block                      = "10.92.1.0/24"
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.b.ipv6_cidr_block, 8, 1)
  assign_ipv6_address_on_creation = true
}

resource "aws_vpc_peering_connection" "ab" {
  vpc_id      = aws_vpc.a.id
  peer_vpc_id = aws_vpc.b.id
  auto_accept = true
}

resource "aws_route_table" "b" {
  vpc_id = aws_vpc.b.id
  route {
    ipv6_cidr_block           = aws_vpc.a.ipv6_cidr_block
    vpc_peering_connection_id = aws_vpc_peering_connection.ab.id
  }
}

resource "aws_route_table_association" "b" {
  subnet_id      = aws_subnet.b.id
  route_table_id = aws_route_table.b.id
}
