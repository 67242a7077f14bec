# A transit gateway whose route table "spokes" reaches the shared-services VPC through a
# prefix list reference, and blackholes a quarantined VPC through another (create-only).
#
#   app     10.10.0.0/16  routes 10.0.0.0/8 to the TGW; its attachment uses "spokes"
#   shared  10.20.0.0/16  routes 10.0.0.0/8 to the TGW; its attachment uses "shared",
#                         which app's attachment propagates into (the way back)
#   quarant 10.30.0.0/16  attached; "spokes" sends its prefix list to a blackhole
#   "spokes": prefix list reference "shared" -> shared's attachment,
#             prefix list reference "quarantine" -> blackhole

resource "aws_ec2_transit_gateway" "hub" {
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
}

locals {
  vpcs = {
    app        = "10.10.0.0/16"
    shared     = "10.20.0.0/16"
    quarantine = "10.30.0.0/16"
  }
}

resource "aws_vpc" "this" {
  for_each   = local.vpcs
  cidr_block = each.value
}

resource "aws_subnet" "this" {
  for_each          = local.vpcs
  vpc_id            = aws_vpc.this[each.key].id
  cidr_block        = cidrsubnet(each.value, 8, 1)
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "this" {
  for_each = local.vpcs
  vpc_id   = aws_vpc.this[each.key].id
  route {
    cidr_block         = "10.0.0.0/8"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
}

resource "aws_route_table_association" "this" {
  for_each       = local.vpcs
  subnet_id      = aws_subnet.this[each.key].id
  route_table_id = aws_route_table.this[each.key].id
}

resource "aws_ec2_transit_gateway_vpc_attachment" "this" {
  for_each                                        = local.vpcs
  transit_gateway_id                              = aws_ec2_transit_gateway.hub.id
  vpc_id                                          = aws_vpc.this[each.key].id
  subnet_ids                                      = [aws_subnet.this[each.key].id]
  transit_gateway_default_route_table_association = false
  transit_gateway_default_route_table_propagation = false
}

resource "aws_ec2_transit_gateway_route_table" "spokes" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}

resource "aws_ec2_transit_gateway_route_table" "shared" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}

resource "aws_ec2_transit_gateway_route_table_association" "app" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.this["app"].id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

resource "aws_ec2_transit_gateway_route_table_association" "quarantine" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.this["quarantine"].id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

resource "aws_ec2_transit_gateway_route_table_association" "shared" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.this["shared"].id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.shared.id
}

resource "aws_ec2_transit_gateway_route_table_propagation" "app_to_shared" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.this["app"].id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.shared.id
}

resource "aws_ec2_managed_prefix_list" "shared" {
  name           = "shared-services"
  address_family = "IPv4"
  max_entries    = 5
  entry {
    cidr = "10.20.0.0/16"
  }
}

resource "aws_ec2_managed_prefix_list" "quarantine" {
  name           = "quarantine"
  address_family = "IPv4"
  max_entries    = 5
  entry {
    cidr = "10.30.0.0/16"
  }
}

resource "aws_ec2_transit_gateway_prefix_list_reference" "shared" {
  prefix_list_id                 = aws_ec2_managed_prefix_list.shared.id
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.this["shared"].id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

resource "aws_ec2_transit_gateway_prefix_list_reference" "quarantine" {
  prefix_list_id                 = aws_ec2_managed_prefix_list.quarantine.id
  blackhole                      = true
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}
