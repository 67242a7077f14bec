# Two regions' transit gateways joined by a peering attachment (static routes only, as
# AWS requires for peering), each with VPCs behind it:
#
#   us-east-1  TGW east, table "east": VPC east 10.10.0.0/16 (subnet app), propagated;
#              10.20.0.0/16 and 10.30.0.0/16 -> the peering attachment
#   us-west-2  TGW west, table "west": VPC west 10.20.0.0/16 (subnet api) and VPC legacy
#              10.30.0.0/16 (subnet old), propagated; 10.10.0.0/16 -> the peering
#              attachment (its accepter side is associated here)
#              table "legacy": the legacy attachment's, with no route to 10.10.0.0/16
#
#   app <-> api: allowed both ways, over the peering.
#   app  -> old: blocked: replies enter TGW west by the legacy attachment, whose table
#                has no route back to 10.10.0.0/16.

resource "aws_ec2_transit_gateway" "east" {
  description                     = "east"
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
}

resource "aws_ec2_transit_gateway" "west" {
  provider                        = aws.west
  description                     = "west"
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
}

# --- us-east-1 ---------------------------------------------------------------------------

resource "aws_vpc" "east" {
  cidr_block = "10.10.0.0/16"
  tags       = { Name = "east" }
}

resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.east.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.10.1.0/24"
  tags              = { Name = "app" }
}

resource "aws_route_table" "east" {
  vpc_id = aws_vpc.east.id
  route {
    cidr_block         = "10.20.0.0/16"
    transit_gateway_id = aws_ec2_transit_gateway.east.id
  }
  route {
    cidr_block         = "10.30.0.0/16"
    transit_gateway_id = aws_ec2_transit_gateway.east.id
  }
  tags = { Name = "east" }
}

resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.east.id
}

resource "aws_ec2_transit_gateway_vpc_attachment" "east" {
  transit_gateway_id                              = aws_ec2_transit_gateway.east.id
  vpc_id                                          = aws_vpc.east.id
  subnet_ids                                      = [aws_subnet.app.id]
  transit_gateway_default_route_table_association = false
  transit_gateway_default_route_table_propagation = false
  tags                                            = { Name = "east" }
}

resource "aws_ec2_transit_gateway_route_table" "east" {
  transit_gateway_id = aws_ec2_transit_gateway.east.id
  tags               = { Name = "east" }
}

resource "aws_ec2_transit_gateway_route_table_association" "east_vpc" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.east.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.east.id
}

resource "aws_ec2_transit_gateway_route_table_propagation" "east_vpc" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.east.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.east.id
}

# --- the peering ---------------------------------------------------------------------------

resource "aws_ec2_transit_gateway_peering_attachment" "east_west" {
  transit_gateway_id      = aws_ec2_transit_gateway.east.id
  peer_region             = "us-west-2"
  peer_transit_gateway_id = aws_ec2_transit_gateway.west.id
  tags                    = { Name = "east-west" }
}

resource "aws_ec2_transit_gateway_peering_attachment_accepter" "east_west" {
  provider                      = aws.west
  transit_gateway_attachment_id = aws_ec2_transit_gateway_peering_attachment.east_west.id
  tags                          = { Name = "east-west" }
}

resource "aws_ec2_transit_gateway_route_table_association" "east_peering" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_peering_attachment.east_west.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.east.id
}

resource "aws_ec2_transit_gateway_route" "east_to_west" {
  destination_cidr_block         = "10.20.0.0/16"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_peering_attachment.east_west.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.east.id
}

resource "aws_ec2_transit_gateway_route" "east_to_legacy" {
  destination_cidr_block         = "10.30.0.0/16"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_peering_attachment.east_west.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.east.id
}

# --- us-west-2 ---------------------------------------------------------------------------

resource "aws_vpc" "west" {
  provider   = aws.west
  cidr_block = "10.20.0.0/16"
  tags       = { Name = "west" }
}

resource "aws_subnet" "api" {
  provider          = aws.west
  vpc_id            = aws_vpc.west.id
  availability_zone = "us-west-2a"
  cidr_block        = "10.20.1.0/24"
  tags              = { Name = "api" }
}

resource "aws_vpc" "legacy" {
  provider   = aws.west
  cidr_block = "10.30.0.0/16"
  tags       = { Name = "legacy" }
}

resource "aws_subnet" "old" {
  provider          = aws.west
  vpc_id            = aws_vpc.legacy.id
  availability_zone = "us-west-2a"
  cidr_block        = "10.30.1.0/24"
  tags              = { Name = "old" }
}

resource "aws_route_table" "west" {
  provider = aws.west
  vpc_id   = aws_vpc.west.id
  route {
    cidr_block         = "10.10.0.0/16"
    transit_gateway_id = aws_ec2_transit_gateway.west.id
  }
  tags = { Name = "west" }
}

resource "aws_route_table" "legacy" {
  provider = aws.west
  vpc_id   = aws_vpc.legacy.id
  route {
    cidr_block         = "10.10.0.0/16"
    transit_gateway_id = aws_ec2_transit_gateway.west.id
  }
  tags = { Name = "legacy" }
}

resource "aws_route_table_association" "api" {
  provider       = aws.west
  subnet_id      = aws_subnet.api.id
  route_table_id = aws_route_table.west.id
}

resource "aws_route_table_association" "old" {
  provider       = aws.west
  subnet_id      = aws_subnet.old.id
  route_table_id = aws_route_table.legacy.id
}

resource "aws_ec2_transit_gateway_vpc_attachment" "west" {
  provider                                        = aws.west
  transit_gateway_id                              = aws_ec2_transit_gateway.west.id
  vpc_id                                          = aws_vpc.west.id
  subnet_ids                                      = [aws_subnet.api.id]
  transit_gateway_default_route_table_association = false
  transit_gateway_default_route_table_propagation = false
  tags                                            = { Name = "west" }
}

resource "aws_ec2_transit_gateway_vpc_attachment" "legacy" {
  provider                                        = aws.west
  transit_gateway_id                              = aws_ec2_transit_gateway.west.id
  vpc_id                                          = aws_vpc.legacy.id
  subnet_ids                                      = [aws_subnet.old.id]
  transit_gateway_default_route_table_association = false
  transit_gateway_default_route_table_propagation = false
  tags                                            = { Name = "legacy" }
}

resource "aws_ec2_transit_gateway_route_table" "west" {
  provider           = aws.west
  transit_gateway_id = aws_ec2_transit_gateway.west.id
  tags               = { Name = "west" }
}

resource "aws_ec2_transit_gateway_route_table" "legacy" {
  provider           = aws.west
  transit_gateway_id = aws_ec2_transit_gateway.west.id
  tags               = { Name = "legacy" }
}

resource "aws_ec2_transit_gateway_route_table_association" "west_vpc" {
  provider                       = aws.west
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.west.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.west.id
}

resource "aws_ec2_transit_gateway_route_table_association" "west_peering" {
  provider                       = aws.west
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_peering_attachment_accepter.east_west.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.west.id
}

resource "aws_ec2_transit_gateway_route_table_association" "legacy_vpc" {
  provider                       = aws.west
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.legacy.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.legacy.id
}

resource "aws_ec2_transit_gateway_route_table_propagation" "west_vpc" {
  provider                       = aws.west
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.west.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.west.id
}

resource "aws_ec2_transit_gateway_route_table_propagation" "west_legacy" {
  provider                       = aws.west
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.legacy.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.west.id
}

resource "aws_ec2_transit_gateway_route" "west_to_east" {
  provider                       = aws.west
  destination_cidr_block         = "10.10.0.0/16"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_peering_attachment_accepter.east_west.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.west.id
}
