# Five VPCs, one subnet and one route table each.
#   a 10.1.0.0/16   b 10.2.0.0/16   c 10.3.0.0/16   d 10.1.128.0/17 (overlaps a)   e 10.5.0.0/16
#
#   a <-> b  peered, routes both ways                       (near miss for TFVPC109)
#   b <-> c  peered (accepted by aws_vpc_peering_connection_accepter), routes both ways
#   a -> c   a routes 10.3.0.0/16 to the a-b peering hoping b forwards it: BLOCKED,
#            peering is not transitive (reachability a -> c must say blocked)
#   a <-> d  CIDRs overlap                                   -> TFVPC108
#   a -> e   a has a route to e, e has no route back         -> TFVPC109 (asymmetric)

locals {
  vpcs = {
    a = { cidr = "10.1.0.0/16", subnet = "10.1.0.0/24" }
    b = { cidr = "10.2.0.0/16", subnet = "10.2.0.0/24" }
    c = { cidr = "10.3.0.0/16", subnet = "10.3.0.0/24" }
    d = { cidr = "10.1.128.0/17", subnet = "10.1.128.0/24" }
    e = { cidr = "10.5.0.0/16", subnet = "10.5.0.0/24" }
  }
}

resource "aws_vpc" "this" {
  for_each   = local.vpcs
  cidr_block = each.value.cidr
  tags       = { Name = "vpc-${each.key}" }
}

resource "aws_subnet" "this" {
  for_each          = local.vpcs
  vpc_id            = aws_vpc.this[each.key].id
  availability_zone = "us-east-1a"
  cidr_block        = each.value.subnet
  tags              = { Name = "subnet-${each.key}" }
}

resource "aws_route_table" "this" {
  for_each = local.vpcs
  vpc_id   = aws_vpc.this[each.key].id
  tags     = { Name = "rt-${each.key}" }
}

resource "aws_route_table_association" "this" {
  for_each       = local.vpcs
  subnet_id      = aws_subnet.this[each.key].id
  route_table_id = aws_route_table.this[each.key].id
}

# --- a <-> b: same account and region, auto-accepted ------------------------------------

resource "aws_vpc_peering_connection" "a_b" {
  vpc_id      = aws_vpc.this["a"].id
  peer_vpc_id = aws_vpc.this["b"].id
  auto_accept = true
}

resource "aws_route" "a_to_b" {
  route_table_id            = aws_route_table.this["a"].id
  destination_cidr_block    = local.vpcs.b.cidr
  vpc_peering_connection_id = aws_vpc_peering_connection.a_b.id
}

resource "aws_route" "b_to_a" {
  route_table_id            = aws_route_table.this["b"].id
  destination_cidr_block    = local.vpcs.a.cidr
  vpc_peering_connection_id = aws_vpc_peering_connection.a_b.id
}

# --- b <-> c: requested by b, accepted by the accepter resource --------------------------

resource "aws_vpc_peering_connection" "b_c" {
  vpc_id      = aws_vpc.this["b"].id
  peer_vpc_id = aws_vpc.this["c"].id
}

resource "aws_vpc_peering_connection_accepter" "b_c" {
  vpc_peering_connection_id = aws_vpc_peering_connection.b_c.id
  auto_accept               = true
}

resource "aws_route" "b_to_c" {
  route_table_id            = aws_route_table.this["b"].id
  destination_cidr_block    = local.vpcs.c.cidr
  vpc_peering_connection_id = aws_vpc_peering_connection.b_c.id
}

resource "aws_route" "c_to_b" {
  route_table_id            = aws_route_table.this["c"].id
  destination_cidr_block    = local.vpcs.b.cidr
  vpc_peering_connection_id = aws_vpc_peering_connection_accepter.b_c.id
}

# --- a -> c through b: does NOT work, VPC peering is not transitive ----------------------

resource "aws_route" "a_to_c_via_b" {
  route_table_id            = aws_route_table.this["a"].id
  destination_cidr_block    = local.vpcs.c.cidr
  vpc_peering_connection_id = aws_vpc_peering_connection.a_b.id
}

# --- a <-> d: WRONG, overlapping CIDRs (TFVPC108) -----------------------------------------

resource "aws_vpc_peering_connection" "a_d" {
  vpc_id      = aws_vpc.this["a"].id
  peer_vpc_id = aws_vpc.this["d"].id
  auto_accept = true
}

# --- a -> e: WRONG, only one side routes (TFVPC109) --------------------------------------

resource "aws_vpc_peering_connection" "a_e" {
  vpc_id      = aws_vpc.this["a"].id
  peer_vpc_id = aws_vpc.this["e"].id
  auto_accept = true
}

resource "aws_route" "a_to_e" {
  route_table_id            = aws_route_table.this["a"].id
  destination_cidr_block    = local.vpcs.e.cidr
  vpc_peering_connection_id = aws_vpc_peering_connection.a_e.id
}
# (missing: aws_route "e_to_a" in aws_route_table.this["e"])
