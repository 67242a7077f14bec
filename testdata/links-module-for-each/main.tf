# A VPC from a module called with for_each. The root links its own resources to it through
# `module.net[each.key].OUTPUT`, which terraform's plan JSON lists as `module.net` and
# `each.key` only (the index is not a constant). The module has two outputs of each kind
# (two VPCs, two subnet lists, two NACLs, two security groups), so none of these links can
# be placed: every answer they decide is unknown, never a confident one.

module "net" {
  source   = "./modules/net"
  for_each = { a = "10.1.0.0/16" }

  cidr = each.value
}

# An internet gateway whose VPC is not known, and the public table's default route to it
# (the table is named with a constant key, so it is known).
resource "aws_internet_gateway" "igw" {
  for_each = { a = "10.1.0.0/16" }

  vpc_id = module.net[each.key].vpc_id
}

resource "aws_route" "public_default" {
  route_table_id         = module.net["a"].public_route_table_id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.igw["a"].id
}

# A transit gateway attachment whose VPC and subnets are not known, beside one from
# another VPC that is.
resource "aws_ec2_transit_gateway" "hub" {}

resource "aws_ec2_transit_gateway_vpc_attachment" "spoke" {
  for_each = { a = "10.1.0.0/16" }

  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = module.net[each.key].vpc_id
  subnet_ids         = module.net[each.key].private_subnet_ids
}

resource "aws_route" "private_to_other" {
  route_table_id         = module.net["a"].private_route_table_id
  destination_cidr_block = "10.2.0.0/16"
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id
}

resource "aws_vpc" "other" {
  cidr_block = "10.2.0.0/16"
}

resource "aws_subnet" "other" {
  vpc_id            = aws_vpc.other.id
  cidr_block        = "10.2.0.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "other" {
  vpc_id = aws_vpc.other.id

  route {
    cidr_block         = "10.1.0.0/16"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
}

resource "aws_route_table_association" "other" {
  subnet_id      = aws_subnet.other.id
  route_table_id = aws_route_table.other.id
}

resource "aws_ec2_transit_gateway_vpc_attachment" "other" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.other.id
  subnet_ids         = [aws_subnet.other.id]
}

# A NACL rule and a security group rule whose NACL and group are not known: the module's
# NACL has no rules of its own (it denies everything), and its app group none either.
resource "aws_network_acl_rule" "allow_in" {
  for_each = { a = "10.1.0.0/16" }

  network_acl_id = module.net[each.key].nacl_id
  rule_number    = 100
  egress         = false
  protocol       = "-1"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
}

resource "aws_network_acl_rule" "allow_out" {
  for_each = { a = "10.1.0.0/16" }

  network_acl_id = module.net[each.key].nacl_id
  rule_number    = 100
  egress         = true
  protocol       = "-1"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "ssh" {
  for_each = { a = "10.1.0.0/16" }

  security_group_id = module.net[each.key].app_security_group_id
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = "0.0.0.0/0"
}

# A route table whose VPC is not known, for two subnets of the module's VPC (named with a
# constant key, so known): AWS associates a subnet only with a table of its own VPC, so the
# table is in theirs, with that VPC's local route.
resource "aws_route_table" "extra" {
  for_each = { a = "10.1.0.0/16" }

  vpc_id = module.net[each.key].vpc_id
}

resource "aws_subnet" "extra" {
  for_each = { b = "10.1.8.0/24", c = "10.1.9.0/24" }

  vpc_id            = module.net["a"].vpc_id
  cidr_block        = each.value
  availability_zone = "us-east-1a"
}

resource "aws_route_table_association" "extra" {
  for_each = { b = "10.1.8.0/24", c = "10.1.9.0/24" }

  subnet_id      = aws_subnet.extra[each.key].id
  route_table_id = aws_route_table.extra["a"].id
}

# A peering whose accepter VPC is not known, from a VPC of the root; both sides route to it
# (the module's private table is named with a constant key, so it is known).
resource "aws_vpc" "peer" {
  cidr_block = "10.3.0.0/16"
}

resource "aws_subnet" "peer" {
  vpc_id            = aws_vpc.peer.id
  cidr_block        = "10.3.0.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_vpc_peering_connection" "peer" {
  for_each = { a = "10.1.0.0/16" }

  vpc_id      = aws_vpc.peer.id
  peer_vpc_id = module.net[each.key].vpc_id
  auto_accept = true
}

resource "aws_route_table" "peer" {
  vpc_id = aws_vpc.peer.id

  route {
    cidr_block                = "10.1.0.0/16"
    vpc_peering_connection_id = aws_vpc_peering_connection.peer["a"].id
  }
}

resource "aws_route_table_association" "peer" {
  subnet_id      = aws_subnet.peer.id
  route_table_id = aws_route_table.peer.id
}

resource "aws_route" "private_to_peer" {
  route_table_id            = module.net["a"].private_route_table_id
  destination_cidr_block    = "10.3.0.0/16"
  vpc_peering_connection_id = aws_vpc_peering_connection.peer["a"].id
}

# A subnet of the module's VPC with no association of its own, and a main route table
# association whose VPC is not known: which table the subnet uses is not known.
resource "aws_subnet" "implicit" {
  vpc_id            = module.net["a"].vpc_id
  cidr_block        = "10.1.7.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_main_route_table_association" "main" {
  for_each = { a = "10.1.0.0/16" }

  vpc_id         = module.net[each.key].vpc_id
  route_table_id = aws_route_table.extra["a"].id
}
