# Spoke VPCs made by one module call with for_each, attached to a hub transit gateway whose
# default association and propagation are off. The root associates and propagates each
# spoke's attachment with `module.spoke[each.key].attachment_id`: terraform's plan JSON
# lists that reference as `module.spoke` and `each.key` only (the index is not a constant),
# so the output's name is not in the plan.

locals {
  spokes = {
    app    = "10.1.0.0/16"
    data   = "10.2.0.0/16"
    shared = "10.3.0.0/16"
  }
}

resource "aws_ec2_transit_gateway" "hub" {
  description                     = "hub"
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
}

resource "aws_ec2_transit_gateway_route_table" "spokes" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}

module "spoke" {
  source   = "./modules/spoke"
  for_each = local.spokes

  name               = each.key
  cidr               = each.value
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}

resource "aws_ec2_transit_gateway_route_table_association" "spoke" {
  for_each = local.spokes

  transit_gateway_attachment_id  = module.spoke[each.key].attachment_id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

# `shared` does not propagate: the other spokes have no route to it.
resource "aws_ec2_transit_gateway_route_table_propagation" "spoke" {
  for_each = { for k, v in local.spokes : k => v if k != "shared" }

  transit_gateway_attachment_id  = module.spoke[each.key].attachment_id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

# An edge VPC whose module has two outputs naming attachments: its own, and the `shared`
# spoke's, passed in. Which one `module.edge[each.key]` is followed by is not in the plan.
module "edge" {
  source   = "./modules/edge"
  for_each = { edge = "10.9.0.0/16" }

  cidr                 = each.value
  transit_gateway_id   = aws_ec2_transit_gateway.hub.id
  shared_attachment_id = module.spoke["shared"].attachment_id
}

resource "aws_ec2_transit_gateway_route_table_association" "edge" {
  for_each = { edge = "10.9.0.0/16" }

  transit_gateway_attachment_id  = module.edge[each.key].attachment_id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

# The way back to the edge VPC: a static route, whose attachment is named with a constant key.
resource "aws_ec2_transit_gateway_route" "to_edge" {
  destination_cidr_block         = "10.9.0.0/16"
  transit_gateway_attachment_id  = module.edge["edge"].attachment_id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}
