# VPC `a` (a literal block) peered with VPC `b`, whose block comes from an IPAM pool and is
# known only after apply. Each routes the other's block over the peering.

resource "aws_vpc_ipam" "main" {
  operating_regions {
    region_name = "us-east-1"
  }
}

resource "aws_vpc_ipam_pool" "v4" {
  address_family = "ipv4"
  ipam_scope_id  = aws_vpc_ipam.main.private_default_scope_id
  locale         = "us-east-1"
}

resource "aws_vpc_ipam_pool_cidr" "v4" {
  ipam_pool_id = aws_vpc_ipam_pool.v4.id
  cidr         = "10.50.0.0/16"
}

resource "aws_vpc" "a" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "b" {
  ipv4_ipam_pool_id   = aws_vpc_ipam_pool.v4.id
  ipv4_netmask_length = 20
  depends_on          = [aws_vpc_ipam_pool_cidr.v4]
}

resource "aws_vpc_peering_connection" "ab" {
  vpc_id      = aws_vpc.a.id
  peer_vpc_id = aws_vpc.b.id
  auto_accept = true
}

resource "aws_route_table" "a" {
  vpc_id = aws_vpc.a.id
}

resource "aws_route" "a_to_b" {
  route_table_id            = aws_route_table.a.id
  destination_cidr_block    = aws_vpc.b.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.ab.id
}

resource "aws_subnet" "a" {
  count             = 2
  vpc_id            = aws_vpc.a.id
  cidr_block        = "10.0.${count.index}.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_route_table_association" "a" {
  count          = 2
  subnet_id      = aws_subnet.a[count.index].id
  route_table_id = aws_route_table.a.id
}

resource "aws_route_table" "b" {
  vpc_id = aws_vpc.b.id
}

resource "aws_route" "b_to_a" {
  route_table_id            = aws_route_table.b.id
  destination_cidr_block    = aws_vpc.a.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.ab.id
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.b.id
  cidr_block        = cidrsubnet(aws_vpc.b.cidr_block, 4, 0)
  availability_zone = "us-east-1a"
}

resource "aws_route_table_association" "b" {
  subnet_id      = aws_subnet.b.id
  route_table_id = aws_route_table.b.id
}

# `a[1]`'s NACL denies `b`'s block first (rule 50), then admits everything.
resource "aws_network_acl" "a1" {
  vpc_id     = aws_vpc.a.id
  subnet_ids = [aws_subnet.a[1].id]
}

resource "aws_network_acl_rule" "a1_deny_b" {
  network_acl_id = aws_network_acl.a1.id
  rule_number    = 50
  egress         = false
  protocol       = "-1"
  rule_action    = "deny"
  cidr_block     = aws_vpc.b.cidr_block
}

resource "aws_network_acl_rule" "a1_in" {
  network_acl_id = aws_network_acl.a1.id
  rule_number    = 100
  egress         = false
  protocol       = "-1"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
}

resource "aws_network_acl_rule" "a1_out" {
  network_acl_id = aws_network_acl.a1.id
  rule_number    = 100
  egress         = true
  protocol       = "-1"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
}
