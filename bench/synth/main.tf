# Template for examples/synth.rs: a hub transit gateway and `var.spokes` spoke VPCs, each
# built by modules/spoke (for_each over the spokes; count over three AZs inside).
# `bash bench/synth/regen.sh` plans this with real terraform (offline, 2 spokes) into
# template.json; the generator clones spoke "spoke-0000" from it N times.
#
# Spoke i is keyed format("spoke-%04d", i) and gets 10.0.0.0/8's i-th /20, so up to 4096
# spokes fit. Every spoke routes 10.0.0.0/8 to the TGW; the TGW route table "spokes" gets an
# association and a propagation per spoke, and blackholes 10.255.0.0/16.

variable "spokes" {
  type    = number
  default = 2
}

locals {
  azs = ["us-east-1a", "us-east-1b", "us-east-1c"]
  spokes = {
    for i in range(var.spokes) : format("spoke-%04d", i) => {
      cidr = cidrsubnet("10.0.0.0/8", 12, i)
    }
  }
}

resource "aws_ec2_transit_gateway" "hub" {
  description                     = "hub"
  amazon_side_asn                 = 64512
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
  dns_support                     = "enable"
  tags                            = { Name = "hub" }
}

resource "aws_ec2_transit_gateway_route_table" "spokes" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  tags               = { Name = "spokes" }
}

module "spoke" {
  source   = "./modules/spoke"
  for_each = local.spokes

  name               = each.key
  cidr               = each.value.cidr
  azs                = local.azs
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}

resource "aws_ec2_transit_gateway_route_table_association" "spoke" {
  for_each                       = local.spokes
  transit_gateway_attachment_id  = module.spoke[each.key].transit_gateway_attachment_id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

resource "aws_ec2_transit_gateway_route_table_propagation" "spoke" {
  for_each                       = local.spokes
  transit_gateway_attachment_id  = module.spoke[each.key].transit_gateway_attachment_id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

# A retired range, dropped at the hub.
resource "aws_ec2_transit_gateway_route" "retired_blackhole" {
  destination_cidr_block         = "10.255.0.0/16"
  blackhole                      = true
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

output "spoke_vpc_ids" {
  value = { for name, spoke in module.spoke : name => spoke.vpc_id }
}
