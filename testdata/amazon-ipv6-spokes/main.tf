# Two dual-stack spoke VPCs on a transit gateway, each with an Amazon-provided IPv6 block
# (known only after apply): each routes the other's block to the transit gateway, and the
# second subnet of `a` denies IPv6 from `b`'s block in its NACL.

resource "aws_vpc" "a" {
  cidr_block                       = "10.1.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_vpc" "b" {
  cidr_block                       = "10.2.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_subnet" "a" {
  count             = 2
  vpc_id            = aws_vpc.a.id
  cidr_block        = cidrsubnet(aws_vpc.a.cidr_block, 8, count.index)
  ipv6_cidr_block   = cidrsubnet(aws_vpc.a.ipv6_cidr_block, 8, count.index)
  availability_zone = count.index == 0 ? "us-east-1a" : "us-east-1b"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.b.id
  cidr_block        = cidrsubnet(aws_vpc.b.cidr_block, 8, 0)
  ipv6_cidr_block   = cidrsubnet(aws_vpc.b.ipv6_cidr_block, 8, 0)
  availability_zone = "us-east-1a"
}

resource "aws_ec2_transit_gateway" "hub" {}

resource "aws_ec2_transit_gateway_vpc_attachment" "a" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.a.id
  subnet_ids         = aws_subnet.a[*].id
  ipv6_support       = "enable"
}

resource "aws_ec2_transit_gateway_vpc_attachment" "b" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.b.id
  subnet_ids         = [aws_subnet.b.id]
  ipv6_support       = "enable"
}

resource "aws_route_table" "a" {
  vpc_id = aws_vpc.a.id
}

resource "aws_route" "a_to_b_v6" {
  route_table_id              = aws_route_table.a.id
  destination_ipv6_cidr_block = aws_vpc.b.ipv6_cidr_block
  transit_gateway_id          = aws_ec2_transit_gateway.hub.id
}

resource "aws_route_table_association" "a" {
  count          = 2
  subnet_id      = aws_subnet.a[count.index].id
  route_table_id = aws_route_table.a.id
}

resource "aws_route_table" "b" {
  vpc_id = aws_vpc.b.id
}

resource "aws_route" "b_to_a_v6" {
  route_table_id              = aws_route_table.b.id
  destination_ipv6_cidr_block = aws_vpc.a.ipv6_cidr_block
  transit_gateway_id          = aws_ec2_transit_gateway.hub.id
}

resource "aws_route_table_association" "b" {
  subnet_id      = aws_subnet.b.id
  route_table_id = aws_route_table.b.id
}

# `a[1]` takes IPv6 from anywhere but `b`'s block.
resource "aws_network_acl" "a1" {
  vpc_id     = aws_vpc.a.id
  subnet_ids = [aws_subnet.a[1].id]
}

resource "aws_network_acl_rule" "a1_deny_b" {
  network_acl_id  = aws_network_acl.a1.id
  rule_number     = 50
  egress          = false
  protocol        = "-1"
  rule_action     = "deny"
  ipv6_cidr_block = aws_vpc.b.ipv6_cidr_block
}

resource "aws_network_acl_rule" "a1_in" {
  network_acl_id  = aws_network_acl.a1.id
  rule_number     = 100
  egress          = false
  protocol        = "-1"
  rule_action     = "allow"
  ipv6_cidr_block = "::/0"
}

resource "aws_network_acl_rule" "a1_out" {
  network_acl_id  = aws_network_acl.a1.id
  rule_number     = 100
  egress          = true
  protocol        = "-1"
  rule_action     = "allow"
  ipv6_cidr_block = "::/0"
}
