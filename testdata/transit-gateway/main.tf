# A hub transit gateway with its default route table association/propagation disabled, one
# custom TGW route table "spokes", and three spoke VPCs (each with subnets in 1a and 1b).
#
#   spoke1 10.10.0.0/16  attachment in 1a+1b; routes spoke2, spoke3, 10.99/16 to the TGW
#   spoke2 10.20.0.0/16  attachment in 1a ONLY                         -> TFVPC303
#   spoke3 10.30.0.0/16  attached, but no route table routes to the TGW -> TFVPC403, and
#                        spoke1 -> spoke3 has no return path            -> TFVPC109
#   TGW table "spokes":  propagations from spoke1 and spoke2, static route to spoke3,
#                        10.99.0.0/16 blackhole = true (a decommissioned range) that spoke1's
#                        table still routes into                        -> TFVPC102
#                        10.200.0.0/16 -> peering attachment to the us-west-2 TGW
#   spoke1 <-> spoke2 is the near miss: routes both ways, both propagate.

locals {
  spokes = {
    spoke1 = { cidr = "10.10.0.0/16", attach_azs = ["us-east-1a", "us-east-1b"] }
    spoke2 = { cidr = "10.20.0.0/16", attach_azs = ["us-east-1a"] } # one AZ only (TFVPC303)
    spoke3 = { cidr = "10.30.0.0/16", attach_azs = ["us-east-1a", "us-east-1b"] }
  }
  azs = ["us-east-1a", "us-east-1b"]

  # subnet key "<spoke>-<az>"
  subnets = {
    for pair in setproduct(keys(local.spokes), local.azs) :
    "${pair[0]}-${pair[1]}" => { spoke = pair[0], az = pair[1], index = index(local.azs, pair[1]) }
  }
}

resource "aws_ec2_transit_gateway" "hub" {
  description                     = "hub"
  amazon_side_asn                 = 64512
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
  dns_support                     = "enable"
}

resource "aws_vpc" "spoke" {
  for_each   = local.spokes
  cidr_block = each.value.cidr
  tags       = { Name = each.key }
}

resource "aws_subnet" "spoke" {
  for_each          = local.subnets
  vpc_id            = aws_vpc.spoke[each.value.spoke].id
  availability_zone = each.value.az
  cidr_block        = cidrsubnet(local.spokes[each.value.spoke].cidr, 8, each.value.index)
  tags              = { Name = each.key }
}

resource "aws_route_table" "spoke" {
  for_each = local.spokes
  vpc_id   = aws_vpc.spoke[each.key].id
  tags     = { Name = each.key }
}

resource "aws_route_table_association" "spoke" {
  for_each       = local.subnets
  subnet_id      = aws_subnet.spoke[each.key].id
  route_table_id = aws_route_table.spoke[each.value.spoke].id
}

# One attachment per spoke, each listing its subnets explicitly: plan JSON carries only the
# references of an expression, never the value of a local, so a `for` over local.spokes would
# hide which AZs each attachment serves.
resource "aws_ec2_transit_gateway_vpc_attachment" "spoke1" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.spoke["spoke1"].id
  subnet_ids         = [aws_subnet.spoke["spoke1-us-east-1a"].id, aws_subnet.spoke["spoke1-us-east-1b"].id]

  transit_gateway_default_route_table_association = false
  transit_gateway_default_route_table_propagation = false
  tags                                            = { Name = "spoke1" }
}

resource "aws_ec2_transit_gateway_vpc_attachment" "spoke2" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.spoke["spoke2"].id
  subnet_ids         = [aws_subnet.spoke["spoke2-us-east-1a"].id] # one AZ only (TFVPC303)

  transit_gateway_default_route_table_association = false
  transit_gateway_default_route_table_propagation = false
  tags                                            = { Name = "spoke2" }
}

resource "aws_ec2_transit_gateway_vpc_attachment" "spoke3" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.spoke["spoke3"].id
  subnet_ids         = [aws_subnet.spoke["spoke3-us-east-1a"].id, aws_subnet.spoke["spoke3-us-east-1b"].id]

  transit_gateway_default_route_table_association = false
  transit_gateway_default_route_table_propagation = false
  tags                                            = { Name = "spoke3" }
}

# --- VPC route tables -> TGW -------------------------------------------------------------

resource "aws_route" "spoke1_to_spoke2" {
  route_table_id         = aws_route_table.spoke["spoke1"].id
  destination_cidr_block = local.spokes.spoke2.cidr
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id
  depends_on             = [aws_ec2_transit_gateway_vpc_attachment.spoke1, aws_ec2_transit_gateway_vpc_attachment.spoke2]
}

resource "aws_route" "spoke1_to_spoke3" {
  route_table_id         = aws_route_table.spoke["spoke1"].id
  destination_cidr_block = local.spokes.spoke3.cidr
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id
  depends_on             = [aws_ec2_transit_gateway_vpc_attachment.spoke1, aws_ec2_transit_gateway_vpc_attachment.spoke2]
}

# Old data-centre range, blackholed at the TGW but still routed here (TFVPC102).
resource "aws_route" "spoke1_to_legacy" {
  route_table_id         = aws_route_table.spoke["spoke1"].id
  destination_cidr_block = "10.99.0.0/16"
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id
  depends_on             = [aws_ec2_transit_gateway_vpc_attachment.spoke1, aws_ec2_transit_gateway_vpc_attachment.spoke2]
}

resource "aws_route" "spoke2_to_spoke1" {
  route_table_id         = aws_route_table.spoke["spoke2"].id
  destination_cidr_block = local.spokes.spoke1.cidr
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id
  depends_on             = [aws_ec2_transit_gateway_vpc_attachment.spoke1, aws_ec2_transit_gateway_vpc_attachment.spoke2]
}

# (spoke3's route table has no route to the TGW: TFVPC403, and no return path to spoke1.)

# --- TGW route table ---------------------------------------------------------------------

resource "aws_ec2_transit_gateway_route_table" "spokes" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  tags               = { Name = "spokes" }
}

resource "aws_ec2_transit_gateway_route_table_association" "spoke1" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke1.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

resource "aws_ec2_transit_gateway_route_table_association" "spoke2" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke2.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

resource "aws_ec2_transit_gateway_route_table_association" "spoke3" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke3.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

resource "aws_ec2_transit_gateway_route_table_propagation" "spoke1" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke1.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

resource "aws_ec2_transit_gateway_route_table_propagation" "spoke2" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke2.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

resource "aws_ec2_transit_gateway_route" "spoke3" {
  destination_cidr_block         = local.spokes.spoke3.cidr
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke3.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

resource "aws_ec2_transit_gateway_route" "legacy_blackhole" {
  destination_cidr_block         = "10.99.0.0/16"
  blackhole                      = true
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

# --- peering with a second TGW in us-west-2 ----------------------------------------------

resource "aws_ec2_transit_gateway" "west" {
  provider    = aws.west
  description = "west"
}

resource "aws_ec2_transit_gateway_peering_attachment" "east_west" {
  transit_gateway_id      = aws_ec2_transit_gateway.hub.id
  peer_region             = "us-west-2"
  peer_transit_gateway_id = aws_ec2_transit_gateway.west.id
  tags                    = { Name = "east-west" }
}

resource "aws_ec2_transit_gateway_route" "west" {
  destination_cidr_block         = "10.200.0.0/16"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_peering_attachment.east_west.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}
