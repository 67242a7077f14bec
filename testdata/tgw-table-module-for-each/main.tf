# Three VPCs on a hub transit gateway with default association and propagation off. VPC c
# has a route table of the root; a and b each get a table from `module.tables`, called with
# for_each, and the root associates, propagates and routes into those tables through
# `module.tables[each.key].id`: terraform's plan JSON lists that reference as
# `module.tables` and `each.key` only, and the module has two outputs naming route tables,
# so which table each of them is in is not known at plan time.

locals {
  vpcs = {
    a = "10.1.0.0/16"
    b = "10.2.0.0/16"
    c = "10.3.0.0/16"
  }
  ab = { a = "a", b = "b" }
}

resource "aws_ec2_transit_gateway" "hub" {
  description                     = "hub"
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
}

resource "aws_vpc" "v" {
  for_each   = local.vpcs
  cidr_block = each.value
}

resource "aws_subnet" "s" {
  for_each          = local.vpcs
  vpc_id            = aws_vpc.v[each.key].id
  cidr_block        = cidrsubnet(each.value, 8, 1)
  availability_zone = "us-east-1a"
}

# A second subnet of b, behind a blackhole route of c's table.
resource "aws_subnet" "b5" {
  vpc_id            = aws_vpc.v["b"].id
  cidr_block        = "10.2.5.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "rt" {
  for_each = local.vpcs
  vpc_id   = aws_vpc.v[each.key].id

  route {
    cidr_block         = "10.0.0.0/8"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
}

resource "aws_route_table_association" "s" {
  for_each       = local.vpcs
  subnet_id      = aws_subnet.s[each.key].id
  route_table_id = aws_route_table.rt[each.key].id
}

resource "aws_route_table_association" "b5" {
  subnet_id      = aws_subnet.b5.id
  route_table_id = aws_route_table.rt["b"].id
}

resource "aws_ec2_transit_gateway_vpc_attachment" "att" {
  for_each                                        = local.vpcs
  transit_gateway_id                              = aws_ec2_transit_gateway.hub.id
  vpc_id                                          = aws_vpc.v[each.key].id
  subnet_ids                                      = [aws_subnet.s[each.key].id]
  transit_gateway_default_route_table_association = false
  transit_gateway_default_route_table_propagation = false
}

# c's own table: associated with c, a propagates into it, and 10.2.5.0/24 is a blackhole.
resource "aws_ec2_transit_gateway_route_table" "c" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}

resource "aws_ec2_transit_gateway_route_table_association" "c" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.att["c"].id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.c.id
}

resource "aws_ec2_transit_gateway_route_table_propagation" "a_to_c" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.att["a"].id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.c.id
}

resource "aws_ec2_transit_gateway_route" "c_drop" {
  destination_cidr_block         = "10.2.5.0/24"
  blackhole                      = true
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.c.id
}

module "tables" {
  source   = "./modules/tables"
  for_each = local.ab

  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}

# a and b are associated with their module's table (not known at plan time).
resource "aws_ec2_transit_gateway_route_table_association" "ab" {
  for_each                       = local.ab
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.att[each.key].id
  transit_gateway_route_table_id = module.tables[each.key].id
}

# b propagates into its module's table, which may be any table of the hub (c's, say).
resource "aws_ec2_transit_gateway_route_table_propagation" "b" {
  for_each                       = { b = "b" }
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.att[each.key].id
  transit_gateway_route_table_id = module.tables[each.key].id
}

# The way to c from the module's tables.
resource "aws_ec2_transit_gateway_route" "to_c" {
  for_each                       = local.ab
  destination_cidr_block         = "10.3.0.0/16"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.att["c"].id
  transit_gateway_route_table_id = module.tables[each.key].id
}
