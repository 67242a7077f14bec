# Two spoke VPCs from one module call with for_each, on a hub transit gateway (default
# association and propagation on). The root gives each spoke's app table a route to the
# other spoke through `module.spoke[each.key].app_route_table_id`: terraform's plan JSON
# lists that reference as `module.spoke` and `each.key` only (the index is not a constant),
# and the module has two route table outputs, so which table each route is in is not in the
# plan. It is one of the two tables of the spoke with the route's key, though: never a table
# of the other spoke, nor of the third VPC, made at the root.

locals {
  peers = {
    a = "10.2.0.0/16"
    b = "10.1.0.0/16"
  }
}

resource "aws_ec2_transit_gateway" "hub" {
  description = "hub"
}

module "spoke" {
  source = "./modules/spoke"
  for_each = {
    a = "10.1.0.0/16"
    b = "10.2.0.0/16"
  }

  cidr               = each.value
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}

resource "aws_route" "to_peer" {
  for_each = local.peers

  route_table_id         = module.spoke[each.key].app_route_table_id
  destination_cidr_block = each.value
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id
}

# A third VPC on the hub with a route to spoke a only.
resource "aws_vpc" "shared" {
  cidr_block = "10.3.0.0/16"
}

resource "aws_subnet" "shared" {
  vpc_id            = aws_vpc.shared.id
  cidr_block        = "10.3.0.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "shared" {
  vpc_id = aws_vpc.shared.id

  route {
    cidr_block         = "10.1.0.0/16"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
}

resource "aws_route_table_association" "shared" {
  subnet_id      = aws_subnet.shared.id
  route_table_id = aws_route_table.shared.id
}

resource "aws_ec2_transit_gateway_vpc_attachment" "shared" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.shared.id
  subnet_ids         = [aws_subnet.shared.id]
}
